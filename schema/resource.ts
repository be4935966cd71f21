/**
 * A resource schema: the single source of truth for one Plivo resource's inputs and outputs.
 * The provider derives check, diff, request bodies and output mapping from it; the SDK derives its
 * argument and output types from it.
 */
import { f, type Field, type ShapeOf } from "./fields";

export interface CheckFailure {
  property: string;
  reason: string;
}

export interface ResourceSchema<I extends Record<string, Field> = Record<string, Field>, O extends Record<string, Field> = Record<string, Field>> {
  /** Type name; the Pulumi type token is `pulumi-nodejs:dynamic/plivo:<type>`. */
  readonly type: string;
  readonly description: string;
  readonly inputs: I;
  readonly outputs: O;
  /** Describes the id Pulumi stores and `adoptId` takes. */
  readonly idDescription: string;
  /** The output (or computed input) whose value is the resource id, e.g. `appId`. */
  readonly idField?: string;
  /** Rules spanning several inputs; run in `check` on normalised, individually valid inputs. */
  rules?(inputs: InputValues<I>): CheckFailure[];
}

/**
 * `adoptId`, an input every resource has: bring an object that already exists in Plivo under management. Pulumi's
 * own import (`pulumi import`, the `import` resource option) cannot reach dynamic providers in @pulumi/pulumi 3.248:
 * the engine's import read carries neither inputs nor state, so the provider cannot even be loaded.
 */
const adoptField = (type: string, idDescription: string) =>
  f.string({
    min: 1,
    onChange: "ignore",
    description:
      `Adopt the existing ${type} with this id (${idDescription}) instead of creating one: create reads it, applies the ` +
      "declared fields in place and fails if a field that cannot change differs. Has no effect after creation.",
  });

export type WithAdopt<I extends Record<string, Field>> = I & { adoptId: Field<string, false> };

export function defineResource<I extends Record<string, Field>, O extends Record<string, Field>>(
  s: ResourceSchema<I, O>,
): ResourceSchema<WithAdopt<I>, O> {
  for (const name of Object.keys(s.outputs)) {
    if (name in s.inputs) throw new Error(`${s.type}: "${name}" is both an input and an output`);
  }
  if (s.idField && !(s.idField in s.inputs) && !(s.idField in s.outputs)) throw new Error(`${s.type}: idField "${s.idField}" is not a field`);
  const inputs = { ...s.inputs, adoptId: adoptField(s.type, s.idDescription) } as WithAdopt<I>;
  return { ...s, inputs } as ResourceSchema<WithAdopt<I>, O>;
}

/** Checked input values of a schema. */
export type InputValues<I extends Record<string, Field>> = ShapeOf<I>;

/** Output values: every input (as stored) plus every output. */
export type OutputValues<I extends Record<string, Field>, O extends Record<string, Field>> = {
  [K in keyof I | keyof O]: K extends keyof I ? FieldValue<I[K]> : K extends keyof O ? FieldValue<O[K]> : never;
};

export type FieldValue<F> = F extends Field<infer T, any> ? T : never;
