/**
 * Builds the dynamic-resource class of a schema. Its argument and output types are the generated interfaces of
 * sdk/types.ts (TSDoc from the schema); every input and output is declared on the resource (seeded as undefined so
 * the engine reports them all).
 */
import * as pulumi from "@pulumi/pulumi";
import type { ResourceSchema } from "../schema/resource";
import { dynamicProviderFor } from "../provider/dynamicProvider";
import "./promiseDiagnostics";
import { URN_KEY } from "../provider/runtime";
import type { ResourceType } from "../provider/resources";

/** Type tokens of the dynamic classes: `pulumi-nodejs:dynamic/plivo:<Resource>`. */
export const DYNAMIC_TYPE_PREFIX = "pulumi-nodejs:dynamic/plivo:";

/** Every property of `O` as a `pulumi.Output` (an optional one may be undefined); keeps each property's TSDoc. */
export type OutputProperties<O> = { readonly [K in keyof O]-?: pulumi.Output<O[K]> };

/** A dynamic resource with its typed outputs. */
export type DynamicResource<O> = pulumi.dynamic.Resource & OutputProperties<O>;

export interface DynamicResourceClass<S extends ResourceSchema, A, O> {
  new (name: string, args: A, opts?: pulumi.CustomResourceOptions): DynamicResource<O>;
  /** The schema the class was built from (for tooling and docs). */
  readonly schema: S;
}

/** The dynamic-resource class of `schema`, typed with the generated `A` (arguments) and `O` (outputs) interfaces. */
export function resourceClass<S extends ResourceSchema, A, O>(schema: S): DynamicResourceClass<S, A, O> {
  const names = [...Object.keys(schema.inputs), ...Object.keys(schema.outputs)];
  // Credentials (a password input, a token output) are secret in the state and in the program's outputs.
  const secret = Object.entries({ ...schema.inputs, ...schema.outputs })
    .filter(([, field]) => field.secret)
    .map(([name]) => name);
  const type = schema.type as ResourceType;
  class Resource extends pulumi.dynamic.Resource {
    static readonly schema = schema;
    constructor(name: string, args: A, opts?: pulumi.CustomResourceOptions) {
      const props: Record<string, unknown> = {};
      for (const n of names) props[n] = undefined;
      for (const [k, v] of Object.entries((args ?? {}) as Record<string, unknown>)) if (v !== undefined) props[k] = secret.includes(k) ? pulumi.secret(v) : v;
      // The provider learns the resource's URN from this hidden input (diagnostics on the resource's row, markers on
      // what it buys); it is computed exactly as the engine computes it, including a parent's type chain.
      // Without a parent it is a plain string (createUrn would build two Outputs per resource).
      const typeToken = `${DYNAMIC_TYPE_PREFIX}${schema.type}`;
      props[URN_KEY] = opts?.parent
        ? pulumi.createUrn(name, typeToken, opts.parent)
        : `urn:pulumi:${pulumi.getStack()}::${pulumi.getProject()}::${typeToken}::${name}`;
      const options = secret.length > 0 ? pulumi.mergeOptions(opts, { additionalSecretOutputs: secret }) : opts;
      super(dynamicProviderFor(type), name, props, options, "plivo", schema.type);
      // The id output is the resource id: wire it to `id`, which stays known while a preview plans an in-place
      // update (the dynamic provider host marks every other output unknown then), so dependents that use
      // `app.appId` don't preview as changed or replaced.
      if (schema.idField) (this as unknown as Record<string, unknown>)[schema.idField] = this.id;
    }
  }
  Object.defineProperty(Resource, "name", { value: schema.type });
  return Resource as unknown as DynamicResourceClass<S, A, O>;
}
