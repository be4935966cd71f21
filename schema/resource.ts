/**
 * A resource schema: the single source of truth for one Plivo resource's inputs and outputs.
 * The provider derives check, diff, request bodies and output mapping from it; the SDK derives its
 * argument and output types from it.
 */
import { f, got, type Field, type ShapeOf } from "./fields";
import { rulesOf } from "./describe";
import { idProblem, type IdFormat } from "./ids";

/** One broken rule: `property` is the input's path (`address.state`); `reason` starts with it (`address.state: …`). */
export interface CheckFailure {
  property: string;
  reason: string;
}

/** A failure whose reason reads `<path>: <rule> (got <value>)`. */
export function fail(path: string, rule: string, value?: unknown): CheckFailure {
  return { property: path, reason: `${path}: ${rule}${got(value)}` };
}

/**
 * A failure as both forms of the provider hand it to the Pulumi engine. The engine prints a failure that has a
 * property as `<type> resource '<name>': property P value {V} has a problem: R`, where V is the program's value of the
 * top-level input (`{<nil>}` for a nested path such as `search.areaCode`, even when a value was given) and R already
 * starts with P; without a property it prints `<type> resource '<name>' has a problem: R`. So the property is left
 * empty: one line, the path once, the value as the user wrote it (in R).
 */
export const checkFailureForEngine = (failure: CheckFailure): CheckFailure => ({ property: "", reason: failure.reason });

/**
 * A rule spanning several inputs. It runs on normalised values, only when every input it reads is individually valid
 * and known (absent counts as known): a rule never sees the preview's unknown values, and one bad field does not
 * hide the rules about the others.
 */
export interface Rule {
  readonly reads: readonly string[];
  /** The rule in words, for the reference docs (docs/resources/<Resource>.md). */
  readonly says: string;
  check(inputs: Record<string, any>): CheckFailure[];
}

/** A {@link Rule} as a schema declares it: typed by the schema's inputs. */
export interface TypedRule<I extends Record<string, Field>> {
  readonly reads: readonly ((keyof I & string) | "adoptId")[];
  readonly says: string;
  check(inputs: InputValues<I> & { adoptId?: string }): CheckFailure[];
}

/**
 * What an action on the resource costs or makes irreversible: announced as a warning on the resource when a preview
 * plans it (provider/core/preview.ts), and logged again when a delete happens. `{id}` stands for the object's id.
 */
export interface Consequences {
  /** Of a create, e.g. "rents a number: a one-time setup fee plus a monthly rental". */
  readonly create?: string;
  /** Of any in-place update, e.g. "resubmits campaign {id} for carrier vetting: billed again ($15)". */
  readonly update?: string;
  /**
   * Of a delete (also of the old object of a replacement), e.g. "unrents {id}, which cannot be undone: …"; a function
   * when an input decides it (a subaccount's `cascade`): the preview then also says it when the object is created and
   * when that input changes.
   */
  readonly delete?: string | ((props: Record<string, unknown>) => string);
}

/**
 * How an asynchronous registration moves (10DLC brands, campaigns, number links, toll-free verification). The
 * shared machinery derives from it what `create` waits for (`waitUntil`), which statuses fail the wait and with what
 * advice, which statuses allow in-place edits (the state gate at preview) and which cannot be deleted.
 */
export interface Lifecycle {
  /** What the object is called in messages, e.g. "campaign", "toll-free verification". */
  readonly noun: string;
  /** What waiting for `success` means, after "to": e.g. "become ACTIVE", "be registered (COMPLETED)". */
  readonly goal: string;
  /** The output holding the status, e.g. `registrationStatus`. */
  readonly statusField: string;
  /** Statuses while Plivo or the registry is still deciding. */
  readonly pending: readonly string[];
  /** The verdict `waitUntil` can wait for besides SUBMITTED, e.g. `ACTIVE`. */
  readonly success: string;
  /**
   * Statuses that end a wait without success, each with what the user can do. The reason read from the object (see
   * `reason`) goes where the advice says `{reason}`, or before the advice.
   */
  readonly failures: Readonly<Record<string, string>>;
  /** Statuses in which the object counts as gone (a deactivated campaign is EXPIRED for good). */
  readonly gone?: readonly string[];
  /** In-place updates are accepted only in these statuses (always when absent); each edit in them is a resubmission. */
  readonly editableIn?: readonly string[];
  /** What to do instead of an edit refused in `status`. */
  editAdvice?(status: string): string;
  /** Plivo refuses to delete the object in these statuses: destroy only removes it from the state, with a warning. */
  readonly undeletableIn?: readonly string[];
  /** Why the object failed, from its outputs (declined reasons, error code and description, …). */
  reason?(outputs: Record<string, unknown>): string | undefined;
}

/**
 * A compound id made of inputs joined by `/` (e.g. `{powerpackUuid}/{number}`). No part may contain `/`; each part
 * is normalised by its input's field, so `+1 415…` and `1415…` name the same object.
 */
export interface CompoundIdentity {
  readonly parts: readonly string[];
}

/** A reference to another resource's output in an {@link ResourceExample}: `support.id`, `${support.id}` in YAML. */
export interface ExampleRef {
  readonly $ref: string;
}

/** `ref("support.id")`: the output `id` of the example resource named `support`. */
export const ref = (path: string): ExampleRef => ({ $ref: path });

/** A value an example takes from the stack's config (a secret one for credentials): never a literal in docs. */
export interface ExampleConfig {
  readonly $config: string;
  readonly secret?: boolean;
}

/** `fromConfig("deskPassword", { secret: true })`: `config.requireSecret("deskPassword")`, `${deskPassword}` in YAML. */
export const fromConfig = (key: string, opts: { secret?: boolean } = {}): ExampleConfig => ({ $config: key, ...opts });

/**
 * A declaration of the resource as a program would write it, for its reference page (TypeScript and YAML are rendered
 * from it); test/schema/examples.test.ts checks it passes the resource's own check.
 */
export interface ResourceExample {
  /** The resource's name in the program, e.g. `support-line`. */
  readonly name: string;
  readonly inputs: Readonly<Record<string, unknown>>;
}

export interface ResourceSchema<I extends Record<string, Field> = Record<string, Field>, O extends Record<string, Field> = Record<string, Field>> {
  /** Type name; the type tokens are `plivo:index:<type>` (plugin) and `pulumi-nodejs:dynamic/plivo:<type>` (dynamic). */
  readonly type: string;
  readonly description: string;
  readonly inputs: I;
  readonly outputs: O;
  /** Describes the id Pulumi stores and `adoptId` takes. */
  readonly idDescription: string;
  /** The output (or computed input) whose value is the resource id, e.g. `appId`. */
  readonly idField?: string;
  /** The inputs the id is made of, when it is compound (`idField` is then absent). */
  readonly identity?: CompoundIdentity;
  /** The shape of the id when `idField` is an output (`adoptId` and imports are checked against it). */
  readonly idFormat?: IdFormat;
  /** Present on asynchronous registrations. */
  readonly lifecycle?: Lifecycle;
  /** What `pulumi destroy` (or a replacement) does to the object in Plivo, for the reference docs. */
  readonly deletion: string;
  /** Rules spanning several inputs (see {@link Rule}). */
  readonly rules?: readonly Rule[];
  /** What creating, updating or deleting one costs or makes irreversible. */
  readonly consequences?: Consequences;
  /** How a program declares it (docs). */
  readonly example: ResourceExample;
}

/**
 * `adoptId`, an input every resource has: bring an object that already exists in Plivo under management. Pulumi's
 * own import (`pulumi import`, the `import` resource option) cannot reach dynamic providers in @pulumi/pulumi 3.248:
 * the engine's import read carries neither inputs nor state, so the provider cannot even be loaded. The id goes into
 * the URL path of a read, so it must have the resource's id shape (see {@link idShape}).
 */
const adoptField = (type: string, idDescription: string, shape: IdShape) =>
  f.string({
    min: 1,
    onChange: "ignore",
    createOnly: "adoptId only names what a create takes over",
    problem: { says: shape.says, check: shape.problem },
    description:
      `Adopt the existing ${type} with this id (${idDescription}) instead of creating one: create reads it, applies the ` +
      "declared fields in place and fails if a field that cannot change differs. Has no effect after creation.",
  });

/** What a resource's ids look like: the rule in words, and why a given id breaks it. */
export interface IdShape {
  readonly says: string;
  problem(id: string): string | undefined;
}

/**
 * The id shape of a resource: a compound id is its parts joined by `/`, each valid for its input (`{powerpackId}/
 * {number}`); a simple id is a valid value of its input (a PhoneNumber's number) or has the schema's `idFormat`.
 */
export function idShape(s: Pick<ResourceSchema, "inputs" | "identity" | "idField" | "idFormat">): IdShape {
  const valid = (name: string, value: string) => {
    const field = s.inputs[name]!;
    const result = field.schema.safeParse(field.normalize(value.trim()));
    return result.success ? undefined : result.error.issues[0]!.message;
  };
  if (s.identity) {
    const parts = s.identity.parts;
    const says = `must be ${parts.map((p) => `{${p}}`).join("/")}`;
    return {
      says,
      problem(id) {
        const segments = id.split("/");
        if (segments.length !== parts.length) return says;
        for (const [i, part] of parts.entries()) {
          const problem = valid(part, segments[i]!);
          if (problem) return `${says}, and its ${part} ${problem}`;
        }
        return undefined;
      },
    };
  }
  if (s.idField && s.idField in s.inputs) {
    const idField = s.idField;
    return { says: rulesOf(s.inputs[idField]!)[0] ?? "must not be empty", problem: (id) => valid(idField, id) };
  }
  if (s.idFormat) {
    const format = s.idFormat;
    return { says: format.rule, problem: (id) => idProblem(format, id) };
  }
  return { says: "must not be empty", problem: () => undefined };
}

export type WithAdopt<I extends Record<string, Field>> = I & { adoptId: Field<string, false> };

/** What a schema module declares: a {@link ResourceSchema} whose rules are typed by its inputs. */
export type ResourceDefinition<I extends Record<string, Field>, O extends Record<string, Field>> = Omit<ResourceSchema<I, O>, "rules"> & {
  readonly rules?: readonly TypedRule<I>[];
};

export function defineResource<I extends Record<string, Field>, O extends Record<string, Field>>(s: ResourceDefinition<I, O>): ResourceSchema<WithAdopt<I>, O> {
  for (const name of Object.keys(s.outputs)) {
    if (name in s.inputs) throw new Error(`${s.type}: "${name}" is both an input and an output`);
  }
  if (s.idField && !(s.idField in s.inputs) && !(s.idField in s.outputs)) throw new Error(`${s.type}: idField "${s.idField}" is not a field`);
  for (const part of s.identity?.parts ?? []) if (!(part in s.inputs)) throw new Error(`${s.type}: id part "${part}" is not an input`);
  if (s.lifecycle && !(s.lifecycle.statusField in s.outputs)) throw new Error(`${s.type}: statusField "${s.lifecycle.statusField}" is not an output`);
  for (const r of s.rules ?? []) {
    for (const k of r.reads) if (k !== "adoptId" && !(k in s.inputs)) throw new Error(`${s.type}: a rule reads "${k}", which is not an input`);
  }
  const inputs = { ...s.inputs, adoptId: adoptField(s.type, s.idDescription, idShape(s)) } as WithAdopt<I>;
  return { ...s, inputs } as ResourceSchema<WithAdopt<I>, O>;
}

/** Checked input values of a schema. */
export type InputValues<I extends Record<string, Field>> = ShapeOf<I>;

/** Output values: every input (as stored) plus every output. */
export type OutputValues<I extends Record<string, Field>, O extends Record<string, Field>> = {
  [K in keyof I | keyof O]: K extends keyof I ? FieldValue<I[K]> : K extends keyof O ? FieldValue<O[K]> : never;
};

export type FieldValue<F> = F extends Field<infer T, any> ? T : never;
