/**
 * Builds the typed resource class for a schema: constructor args typed from the schema's inputs, every input
 * and output declared as a typed `pulumi.Output` (seeded as undefined so the engine reports them all).
 */
import * as pulumi from "@pulumi/pulumi";
import type { Field } from "../schema/fields";
import type { ResourceSchema } from "../schema/resource";
import { dynamicProviderFor } from "../provider/dynamicProvider";
import { URN_KEY } from "../provider/runtime";
import type { ResourceType } from "../provider/resources";

/** Enum values are case-insensitive: `"sms"` and `"SMS"` are both accepted (and normalised in `check`). */
/** Type tokens of the dynamic classes: `pulumi-nodejs:dynamic/plivo:<Resource>`. */
export const DYNAMIC_TYPE_PREFIX = "pulumi-nodejs:dynamic/plivo:";

export type CaseInsensitive<T> = T extends string ? (string extends T ? T : T | Lowercase<T>) : T;

/** An input that may be a plain value, a promise or an Output, at any depth of objects and lists. */
export type DeepInput<T> = pulumi.Input<
  T extends readonly (infer E)[] ? DeepInput<E>[] : T extends object ? { [K in keyof T]: DeepInput<T[K]> } : CaseInsensitive<T>
>;

type ValueOf<F> = F extends Field<infer T, any> ? T : never;

export type ArgsOf<S extends ResourceSchema> = {
  [K in keyof S["inputs"] as S["inputs"][K] extends Field<any, true> ? K : never]: DeepInput<ValueOf<S["inputs"][K]>>;
} & {
  [K in keyof S["inputs"] as S["inputs"][K] extends Field<any, true> ? never : K]?: DeepInput<ValueOf<S["inputs"][K]>>;
};

export type OutputsOf<S extends ResourceSchema> = {
  readonly [K in keyof S["inputs"] | keyof S["outputs"]]: pulumi.Output<
    K extends keyof S["inputs"] ? ValueOf<S["inputs"][K]> : K extends keyof S["outputs"] ? ValueOf<S["outputs"][K]> : never
  >;
};

export type PlivoResource<S extends ResourceSchema> = pulumi.dynamic.Resource & OutputsOf<S>;

export interface PlivoResourceClass<S extends ResourceSchema> {
  new (name: string, args: ArgsOf<S>, opts?: pulumi.CustomResourceOptions): PlivoResource<S>;
  /** The schema the class was built from (for tooling and docs). */
  readonly schema: S;
}

export function resourceClass<S extends ResourceSchema>(schema: S): PlivoResourceClass<S> {
  const names = [...Object.keys(schema.inputs), ...Object.keys(schema.outputs)];
  const type = schema.type as ResourceType;
  class Resource extends pulumi.dynamic.Resource {
    static readonly schema = schema;
    constructor(name: string, args: ArgsOf<S>, opts?: pulumi.CustomResourceOptions) {
      const props: Record<string, unknown> = {};
      for (const n of names) props[n] = undefined;
      for (const [k, v] of Object.entries(args ?? {})) if (v !== undefined) props[k] = v;
      // The provider learns the resource's URN from this hidden input (diagnostics on the resource's row, markers on
      // what it buys); it is computed exactly as the engine computes it, including a parent's type chain.
      props[URN_KEY] = pulumi.createUrn(name, `${DYNAMIC_TYPE_PREFIX}${schema.type}`, opts?.parent);
      super(dynamicProviderFor(type), name, props, opts, "plivo", schema.type);
      // The id output is the resource id: wire it to `id`, which stays known while a preview plans an in-place
      // update (the dynamic provider host marks every other output unknown then), so dependents that use
      // `app.appId` don't preview as changed or replaced.
      if (schema.idField) (this as unknown as Record<string, unknown>)[schema.idField] = this.id;
    }
  }
  Object.defineProperty(Resource, "name", { value: schema.type });
  return Resource as unknown as PlivoResourceClass<S>;
}
