/**
 * The field language every resource schema is written in.
 *
 * A field knows its TypeScript (camelCase) name through the object key it is stored under, its wire
 * (snake_case) name, how to normalise user input so that server-side normalisation never shows as a diff,
 * how to validate it (zod), whether a change updates in place or replaces, and how to read it back from
 * an API object. Validation in `check`, the replace list in `diff`, request bodies and the mapping of
 * responses to outputs are all derived from these specs (see `schema/resource.ts`).
 */
import { z } from "zod";
import { ISO_COUNTRIES } from "./geo";
import { idProblem, type IdFormat } from "./ids";

/** How a change of an input reaches Plivo. */
export type ChangeBehaviour =
  /** Sent to the update endpoint. */
  | "update"
  /** The API cannot change it: a new resource is created and the old one deleted. */
  | "replace"
  /** Only used at create time (e.g. search criteria): later changes are accepted and never act. */
  | "ignore";

export interface Field<T = any, Required extends boolean = boolean> {
  /** Wire name; undefined for provider-only inputs (wait options, search criteria) that are never sent as is. */
  readonly wire?: string;
  /** Key in API responses when it differs from the request name (`subaccount` is read back as `sub_account`). */
  readonly readWire?: string;
  readonly schema: z.ZodType<T>;
  readonly required: Required;
  readonly default?: T;
  readonly onChange: ChangeBehaviour;
  /** Applied to user input in `check` and to API values on read, so both sides compare equal. */
  readonly normalize: (value: unknown) => unknown;
  /** API value → output value (before `normalize`). */
  readonly fromWire: (value: unknown) => unknown;
  /** Output value → request value. */
  readonly toWire: (value: T) => unknown;
  /** The API never returns it: refresh keeps the value from the state instead of reading it. */
  readonly writeOnly: boolean;
  /**
   * A credential (a password, an auth token): never echoed in a message, and secret in the Pulumi state and outputs
   * in both forms of the provider (a diff shows `[secret]`).
   */
  readonly secret: boolean;
  /**
   * Plivo stores a value made from the declared one (an endpoint's username gets a timestamp appended): the declared
   * value a stored one was made from. Outputs hold the stored value; a diff compares what it was made from with the
   * declared value, an import reports that as the input, and a preview predicts the stored form unknown.
   */
  readonly declaredFrom?: (stored: unknown) => unknown;
  /** The server fills it when omitted: leaving it out of the program is never a diff. */
  readonly computed: boolean;
  /** Sent on create / on update. */
  readonly sendOnCreate: boolean;
  readonly sendOnUpdate: boolean;
  /** Value sent on update when the user removed the field from the program. */
  readonly clearValue?: unknown;
  readonly description: string;
  /** Nested fields of an object field, or of each item of a list of objects (wire names inside it). */
  readonly nested?: Record<string, Field>;
  /**
   * A list of keyed objects the server completes with its own entries (Powerpack priorities): only the entries whose
   * key the program declares are compared, so a partial list is never a diff.
   */
  readonly partialKey?: (item: Record<string, unknown>) => string;
  /**
   * Used only to create the object (search criteria, adoptId): once it exists, a change has no effect on it, so the
   * provider keeps the recorded value and says so instead of planning an update. The text says why.
   */
  readonly createOnly?: string;
}

/** Options every builder accepts. */
export interface FieldOptions<T> {
  description: string;
  wire?: string;
  readWire?: string;
  required?: boolean;
  default?: T;
  onChange?: ChangeBehaviour;
  writeOnly?: boolean;
  secret?: boolean;
  declaredFrom?: (stored: unknown) => unknown;
  computed?: boolean;
  sendOnCreate?: boolean;
  sendOnUpdate?: boolean;
  clearValue?: unknown;
  normalize?: (value: unknown) => unknown;
  fromWire?: (value: unknown) => unknown;
  toWire?: (value: T) => unknown;
  createOnly?: string;
}

type Req<O> = O extends { required: true } ? true : false;

function field<T, O extends FieldOptions<T>>(schema: z.ZodType<T>, opts: O, extra: Partial<Field<T>> = {}): Field<T, Req<O>> {
  return {
    wire: opts.wire,
    readWire: opts.readWire,
    schema,
    required: (opts.required ?? false) as Req<O>,
    default: opts.default,
    onChange: opts.onChange ?? "update",
    normalize: opts.normalize ?? extra.normalize ?? identity,
    fromWire: opts.fromWire ?? extra.fromWire ?? identity,
    toWire: opts.toWire ?? extra.toWire ?? identity,
    writeOnly: opts.writeOnly ?? false,
    secret: opts.secret ?? false,
    declaredFrom: opts.declaredFrom,
    computed: opts.computed ?? false,
    sendOnCreate: opts.sendOnCreate ?? opts.wire !== undefined,
    sendOnUpdate: opts.sendOnUpdate ?? (opts.wire !== undefined && (opts.onChange ?? "update") === "update"),
    clearValue: opts.clearValue,
    description: opts.description,
    nested: extra.nested,
    partialKey: extra.partialKey,
    ...(opts.createOnly ? { createOnly: opts.createOnly } : {}),
  };
}

const identity = (v: unknown) => v;

/**
 * The error of an object schema for a value that is not an object. Only for that: unknown keys and nested issues keep
 * their own codes, so check can name the key (`search.foo: is not a field of search`).
 */
export const objectError = (message: string) => (issue: { code?: string }) => (issue.code === "invalid_type" ? message : undefined);

/** Trims strings; leaves everything else to the validator. */
export const trimmed = (v: unknown) => (typeof v === "string" ? v.trim() : v);
/** Upper-cases and trims strings (enums are case-insensitive on Plivo's side, upper-case in responses). */
export const upper = (v: unknown) => (typeof v === "string" ? v.trim().toUpperCase() : v);
/** E.164 digits without `+`, the form Plivo returns numbers in. */
export const e164Digits = (v: unknown) => (typeof v === "string" ? v.replace(/[\s()+.-]/g, "") : typeof v === "number" ? String(v) : v);

/** Plivo sometimes returns booleans as strings ("true", "True"). */
export const coerceBool = (v: unknown) => {
  if (typeof v === "string") {
    const s = v.trim().toLowerCase();
    if (s === "true") return true;
    if (s === "false") return false;
  }
  return v;
};

/** Query parameters whose value is a credential by its name. */
const CREDENTIAL_PARAM = /^(password|passwd|pwd|secret|client_secret|token|access_token|auth_token|api_key|apikey)$/i;

/**
 * Why a URL must not be stored, or undefined. Credentials in a webhook URL (`https://user:pass@…`, `?token=…`) would
 * sit in clear text in the Pulumi state and in every preview: they are refused, and Plivo's request signature is the
 * way to authenticate its callbacks.
 */
export function urlCredentialProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  const advice = "it would be stored in clear text in the Pulumi state; authenticate Plivo's requests by their signature (X-Plivo-Signature-V3) instead";
  if (url.username || url.password) return `must not carry credentials (user:password@): ${advice}`;
  for (const key of url.searchParams.keys()) {
    if (CREDENTIAL_PARAM.test(key)) return `must not carry credentials in its query (${key}=…): ${advice}`;
  }
  return undefined;
}

/** Hides credentials inside URL-looking text before a value is echoed in a message. */
export function hideCredentials(text: string): string {
  return text
    .replace(/(\/\/)[^/@\s"]*@/g, "$1…@")
    .replace(/([?&](?:password|passwd|pwd|secret|client_secret|token|access_token|auth_token|api_key|apikey)=)[^&#\s"]*/gi, "$1…");
}

/**
 * The rules custom validations enforce, in words, by the zod check that runs them: schema/describe.ts lists them next
 * to the schema's own messages. Each is the start of every message its check fails with.
 */
export const CUSTOM_RULES = new WeakMap<object, string>();

/** A further rule of a field: what is wrong with a value (or undefined), and the rule in words (`says`). */
export interface Problem {
  readonly says: string;
  check(value: string): string | undefined;
}

/**
 * Adds custom validations to a string schema, in order; each runs only on a value that passed every check before it,
 * so one bad value gets one message.
 */
function withProblem<S extends z.ZodType<string>>(schema: S, problems?: Problem | readonly Problem[]): S {
  let out = schema;
  for (const problem of problems === undefined ? [] : "says" in problems ? [problems as Problem] : (problems as readonly Problem[])) {
    out = out.check((ctx) => {
      if (ctx.issues.length > 0) return;
      const message = problem.check(ctx.value);
      if (message) ctx.issues.push({ code: "custom", message, input: ctx.value });
    }) as unknown as S;
    const checks = (out as unknown as { _zod: { def: { checks: object[] } } })._zod.def.checks;
    CUSTOM_RULES.set(checks[checks.length - 1]!, problem.says);
  }
  return out;
}

/** Credentials in a URL (see {@link urlCredentialProblem}). */
export const noCredentials: Problem = { says: "must not carry credentials", check: urlCredentialProblem };

/**
 * The longest URL accepted. Plivo documents no limit; 2,048 characters is what web servers and proxies commonly accept
 * in a request line, so a longer webhook could not be called anyway (docs/plivo-api.md §1.9 [INF]).
 */
export const URL_MAX = 2048;
const urlLength = `must be at most ${URL_MAX} characters`;

export const urlRule = withProblem(z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).max(URL_MAX, { error: urlLength }), noCredentials);

/** Several http(s) URLs in one string, separated by commas (toll-free opt-in evidence): the rules of each URL. */
export const urlListProblems: readonly Problem[] = [
  {
    says: `each URL must be at most ${URL_MAX} characters`,
    check: (v) => {
      const long = v.split(",").find((u) => u.trim().length > URL_MAX);
      return long === undefined ? undefined : `each URL must be at most ${URL_MAX} characters (one has ${long.trim().length})`;
    },
  },
  {
    says: noCredentials.says,
    check: (v) =>
      v
        .split(",")
        .map((u) => urlCredentialProblem(u.trim()))
        .find(Boolean),
  },
];

/** An ISO 3166-1 alpha-2 country code (upper case after normalisation). */
export function countryProblem(value: string): string | undefined {
  if (ISO_COUNTRIES.has(value)) return undefined;
  const hint = value === "UK" ? " (the United Kingdom is GB)" : "";
  return `must be an ISO 3166 alpha-2 country code such as US${hint}`;
}

/**
 * A list of allowed words whose order carries no meaning (it is sorted in `check`): an item that is not allowed is
 * named by its value, never by a position the user did not write.
 */
export function setOf(values: readonly string[]): z.ZodArray<z.ZodString> {
  const rule = `items must be one of ${values.join(", ")}`;
  const list = z.array(z.string({ error: "items must be strings" }), { error: "must be a list of strings" }).check((ctx) => {
    const bad = ctx.value.filter((v) => !values.includes(v));
    if (bad.length > 0) ctx.issues.push({ code: "custom", message: `${rule} (got ${bad.map((b) => JSON.stringify(b)).join(", ")})`, input: ctx.value });
  });
  CUSTOM_RULES.set(list._zod.def.checks!.at(-1)!, rule);
  return list;
}

/** `(got "…")`, shortened, with credentials hidden; empty for objects and absent values. */
export function got(value: unknown): string {
  if (value === undefined || (typeof value === "object" && value !== null)) return "";
  const s = hideCredentials(JSON.stringify(value));
  return ` (got ${s.length > 60 ? `${s.slice(0, 57)}...` : s})`;
}

function outputField<T>(
  schema: z.ZodType<T>,
  wire: string | undefined,
  description: string,
  fromWire?: (value: unknown) => unknown,
  opts: { secret?: boolean; always?: boolean } = {},
): Field<T, false> {
  // `required` on an output: Plivo always returns it (the SDKs type it as present).
  const output = field<T, FieldOptions<T>>(schema, {
    wire,
    description,
    fromWire,
    sendOnCreate: false,
    sendOnUpdate: false,
    computed: true,
    secret: opts.secret,
    required: opts.always,
  });
  return output as Field<T, false>;
}

export const f = {
  /** `problem`: further rules (see {@link Problem}), checked once the others pass. */
  string<O extends FieldOptions<string> & { min?: number; max?: number; pattern?: RegExp; patternText?: string; problem?: Problem | readonly Problem[] }>(
    opts: O,
  ) {
    let s = z.string({ error: "must be a string" });
    if (opts.min !== undefined) s = s.min(opts.min, { error: opts.min === 1 ? "must not be empty" : `must be at least ${opts.min} characters` });
    if (opts.max !== undefined) s = s.max(opts.max, { error: `must be at most ${opts.max} characters` });
    if (opts.pattern) s = s.regex(opts.pattern, { error: opts.patternText ?? `must match ${opts.pattern}` });
    return field<string, O>(withProblem(s, opts.problem), opts, { normalize: trimmed });
  },

  /** An ISO 3166 alpha-2 country code, upper-cased. */
  country<O extends FieldOptions<string>>(opts: O) {
    const s = z.string({ error: "must be a string" }).regex(/^[A-Z]{2}$/, { error: "must be an ISO 3166 alpha-2 country code such as US" });
    return field<string, O>(withProblem(s, { says: "must be an ISO 3166 alpha-2 country code such as US", check: countryProblem }), opts, { normalize: upper });
  },

  /**
   * A reference to an object by its id, which must have the id's shape (schema/ids.ts). An empty string is the
   * business of `min`: a field that Plivo lets the program clear with "" keeps accepting it.
   */
  id<O extends FieldOptions<string> & { min?: number }>(format: IdFormat, opts: O) {
    return f.string({ ...opts, problem: { says: format.rule, check: (v: string) => (v === "" ? undefined : idProblem(format, v)) } });
  },

  url<O extends FieldOptions<string>>(opts: O) {
    return field<string, O>(urlRule, opts, { normalize: trimmed });
  },

  /** A phone number in E.164; stored as digits without `+`. */
  phone<O extends FieldOptions<string> & { problem?: Problem }>(opts: O) {
    const s = z.string({ error: "must be a phone number string" }).regex(/^[1-9]\d{6,14}$/, {
      error: "must be an E.164 phone number (country code and digits, e.g. +14155550100)",
    });
    return field<string, O>(withProblem(s, opts.problem), opts, { normalize: e164Digits });
  },

  enum<const V extends readonly [string, ...string[]], O extends FieldOptions<V[number]> & { aliases?: Record<string, V[number]> }>(values: V, opts: O) {
    const s = z.enum(values, { error: `must be one of ${values.join(", ")}` }) as unknown as z.ZodType<V[number]>;
    const aliases = opts.aliases ?? {};
    const normalize = (v: unknown) => {
      const u = upper(v);
      return typeof u === "string" && u in aliases ? aliases[u] : u;
    };
    return field<V[number], O>(s, { ...opts, normalize: opts.normalize ?? normalize });
  },

  boolean<O extends FieldOptions<boolean>>(opts: O) {
    return field<boolean, O>(z.boolean({ error: "must be a boolean" }), opts, { normalize: coerceBool, fromWire: coerceBool });
  },

  integer<O extends FieldOptions<number> & { min?: number; max?: number }>(opts: O) {
    let s = z.number({ error: "must be a number" }).int({ error: "must be a whole number" });
    if (opts.min !== undefined) s = s.min(opts.min, { error: `must be at least ${opts.min}` });
    if (opts.max !== undefined) s = s.max(opts.max, { error: `must be at most ${opts.max}` });
    return field<number, O>(s, opts, {
      normalize: (v) => (typeof v === "string" && /^-?\d+$/.test(v.trim()) ? Number(v) : v),
    });
  },

  /** A list whose order carries no meaning: sorted and de-duplicated so reordering is never a diff. */
  stringSet<O extends FieldOptions<string[]> & { values?: readonly string[]; minItems?: number; maxItems?: number }>(opts: O) {
    let s = opts.values ? setOf(opts.values) : z.array(z.string({ error: "items must be strings" }), { error: "must be a list of strings" });
    if (opts.minItems !== undefined) s = s.min(opts.minItems, { error: `must have at least ${opts.minItems} item${opts.minItems === 1 ? "" : "s"}` });
    if (opts.maxItems !== undefined) s = s.max(opts.maxItems, { error: `must have at most ${opts.maxItems} items` });
    const norm = (v: unknown) => {
      const list = typeof v === "string" ? v.split(",") : v;
      if (!Array.isArray(list)) return list;
      const items = list.map((x) => (opts.values ? upper(x) : trimmed(x))).filter((x) => x !== "");
      return [...new Set(items)].sort();
    };
    return field<string[], O>(s, opts, { normalize: opts.normalize ?? norm });
  },

  /** A nested object; its own fields carry their wire names. */
  object<N extends Record<string, Field>, O extends FieldOptions<ShapeOf<N>>>(nested: N, opts: O) {
    const shape: Record<string, z.ZodType> = {};
    for (const [k, fld] of Object.entries(nested)) shape[k] = fld.required ? fld.schema : fld.schema.optional();
    const s = z.strictObject(shape, { error: objectError("must be an object") }) as unknown as z.ZodType<ShapeOf<N>>;
    return field<ShapeOf<N>, O>(s, opts, {
      nested,
      normalize: (v) => mapObject(v, nested, (fl, x) => fl.normalize(x)),
      fromWire: (v) => fromWireObject(v, nested),
      toWire: (v) => toWireObject(v as Record<string, unknown>, nested),
    });
  },

  /** A list of nested objects (e.g. Powerpack number priorities). Order is kept unless `sortBy` is given. */
  objectList<N extends Record<string, Field>, O extends FieldOptions<ShapeOf<N>[]> & { sortBy?: (item: Record<string, unknown>) => string; partial?: boolean }>(
    nested: N,
    opts: O,
  ) {
    const shape: Record<string, z.ZodType> = {};
    for (const [k, fld] of Object.entries(nested)) shape[k] = fld.required ? fld.schema : fld.schema.optional();
    const s = z.array(z.strictObject(shape, { error: objectError("must be an object") }), { error: "must be a list of objects" }) as unknown as z.ZodType<
      ShapeOf<N>[]
    >;
    const sort = (list: unknown) => (Array.isArray(list) && opts.sortBy ? [...list].sort((a, b) => opts.sortBy!(a).localeCompare(opts.sortBy!(b))) : list);
    return field<ShapeOf<N>[], O>(s, opts, {
      nested,
      partialKey: opts.partial ? opts.sortBy : undefined,
      normalize: (v) => (Array.isArray(v) ? sort(v.map((x) => mapObject(x, nested, (fl, y) => fl.normalize(y)))) : v),
      fromWire: (v) => (Array.isArray(v) ? v.map((x) => fromWireObject(x, nested)) : v),
      toWire: (v) => (v as unknown[]).map((x) => toWireObject(x as Record<string, unknown>, nested)),
    });
  },

  /** A value validated by a hand-written zod schema (provider-only inputs such as search criteria). */
  custom<T, O extends FieldOptions<T>>(schema: z.ZodType<T>, opts: O) {
    return field<T, O>(schema, opts);
  },

  /** A string only the API produces. */
  output(wire: string | undefined, description: string, fromWire?: (value: unknown) => unknown): Field<string, false> {
    return outputField(z.string(), wire, description, fromWire);
  },

  /**
   * A credential only the API produces and always returns (an auth token): secret in the state and the outputs (see
   * Field.secret).
   */
  secretOutput(wire: string, description: string): Field<string, false> {
    return outputField(z.string(), wire, description, undefined, { secret: true, always: true });
  },

  /**
   * A value only the API produces, of the type `schema` describes. Outputs are never validated: the schema gives the
   * SDKs, the package schema and the docs their type.
   */
  outputOf: outputField,
};

/** The value type of a map of fields (required keys required, others optional). */
export type ShapeOf<N extends Record<string, Field>> = {
  [K in keyof N as N[K] extends Field<any, true> ? K : never]: N[K] extends Field<infer T, any> ? T : never;
} & {
  [K in keyof N as N[K] extends Field<any, true> ? never : K]?: N[K] extends Field<infer T, any> ? T : never;
};

function mapObject(v: unknown, nested: Record<string, Field>, fn: (f: Field, x: unknown) => unknown): unknown {
  if (v === null || typeof v !== "object" || Array.isArray(v)) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    if (x === undefined) continue;
    out[k] = nested[k] ? fn(nested[k], x) : x;
  }
  return out;
}

function fromWireObject(v: unknown, nested: Record<string, Field>): unknown {
  if (v === null || typeof v !== "object") return v;
  const wire = v as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, fl] of Object.entries(nested)) {
    const raw = wire[fl.readWire ?? fl.wire ?? k];
    if (raw === undefined || raw === null || raw === "") continue;
    out[k] = fl.normalize(fl.fromWire(raw));
  }
  return out;
}

function toWireObject(v: Record<string, unknown>, nested: Record<string, Field>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, fl] of Object.entries(nested)) {
    if (v[k] === undefined) continue;
    out[fl.wire ?? k] = fl.toWire(v[k] as never);
  }
  return out;
}
