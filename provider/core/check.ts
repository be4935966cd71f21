/**
 * `check`: normalise and validate inputs against the schema before any API call. Every failure names the field by
 * its full path as the user wrote it (`address.state`, `numberPriorities.0.priority.priority1`) and the rule it
 * broke; every failure of the resource is reported at once: each bad field, each unknown key at any depth, and each
 * cross-field rule whose own inputs are valid.
 */
import type { z } from "zod";
import { got, type Field } from "../../schema/fields";
import type { CheckFailure, ResourceSchema } from "../../schema/resource";
import { registerSecret } from "../client/redact";
import { containsUnknown } from "./unknowns";

export interface CheckResult {
  inputs: Record<string, unknown>;
  failures: CheckFailure[];
}

/** Keys the forms of the provider add to inputs (`__provider`, `__urn`): never validated, never sent. */
export const isHiddenKey = (key: string) => key.startsWith("__");

export function checkInputs(schema: ResourceSchema, news: Record<string, unknown>): CheckResult {
  const inputs: Record<string, unknown> = {};
  const failures: CheckFailure[] = [];
  /** Inputs that are invalid or not known yet: rules reading them wait. */
  const unsettled = new Set<string>();
  const names = Object.keys(schema.inputs);

  for (const key of Object.keys(news)) {
    if (isHiddenKey(key) || key in schema.inputs) continue;
    // Outputs seeded as undefined by the SDK arrive as null or are absent; anything else is a typo.
    if (news[key] === undefined || news[key] === null) continue;
    failures.push({ property: key, reason: `${key}: is not an input of plivo.${schema.type}${suggest(key, names)} (inputs: ${names.join(", ")})` });
  }

  for (const [name, field] of Object.entries(schema.inputs)) {
    let value = news[name];
    if (value === null) value = undefined;
    if (containsUnknown(value)) {
      // Known only after dependencies are created: keep the sentinel, validate at `up`.
      inputs[name] = value;
      unsettled.add(name);
      continue;
    }
    if (value === undefined) {
      if (field.default !== undefined) inputs[name] = field.default;
      else if (field.required) {
        failures.push({ property: name, reason: `${name}: is required` });
        unsettled.add(name);
      }
      continue;
    }
    // A credential is scrubbed from every message the provider builds from here on (client errors included).
    if (field.secret && typeof value === "string") registerSecret(value.trim());
    const normalized = field.normalize(value);
    const problems = validate(name, field, normalized, value);
    if (problems.length > 0) {
      failures.push(...problems);
      unsettled.add(name);
    } else inputs[name] = normalized;
  }

  for (const rule of schema.rules ?? []) {
    if (rule.reads.some((k) => unsettled.has(k))) continue;
    failures.push(...rule.check(inputs as never));
  }
  return { inputs, failures };
}

/** One failure per zod issue, each with its full path; values are echoed as the user wrote them (`raw`). */
function validate(name: string, field: Field, value: unknown, raw: unknown): CheckFailure[] {
  const result = field.schema.safeParse(value);
  if (result.success) return [];
  const failures: CheckFailure[] = [];
  for (const issue of result.error.issues) {
    const path = [name, ...issue.path.map(String)].join(".");
    const at = valueAt(value, issue.path);
    if (issue.code === "unrecognized_keys") {
      const known = fieldNamesAt(field.schema, issue.path);
      for (const key of issue.keys) {
        failures.push({ property: `${path}.${key}`, reason: `${path}.${key}: is not a field of ${path}${suggest(key, known)} (fields: ${known.join(", ")})` });
      }
    } else if (at === undefined) {
      // A nested required field left out: zod reports the type it expected, the user needs to hear it is missing.
      failures.push({ property: path, reason: `${path}: is required` });
    } else {
      const written = valueAt(raw, issue.path);
      // A credential's value is never echoed.
      const shown = field.secret ? "" : got(written !== undefined && typeof written !== "object" ? written : at);
      failures.push({ property: path, reason: `${path}: ${issue.message}${shown}` });
    }
  }
  return failures;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = root;
  for (const p of path) v = v && typeof v === "object" ? (v as Record<PropertyKey, unknown>)[p] : undefined;
  return v;
}

/** The field names of the object schema at `path` inside `schema` (through lists and optionals). */
function fieldNamesAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let s: any = schema;
  const unwrap = () => {
    while (s?._zod?.def?.type === "optional" || s?._zod?.def?.type === "nullable" || s?._zod?.def?.type === "pipe") {
      s = s._zod.def.innerType ?? s._zod.def.in;
    }
  };
  unwrap();
  for (const p of path) {
    if (s?._zod?.def?.type === "array") s = s._zod.def.element;
    else if (s?._zod?.def?.type === "object") s = s._zod.def.shape[p as string];
    unwrap();
  }
  return s?._zod?.def?.type === "object" ? Object.keys(s._zod.def.shape) : [];
}

/** ` (did you mean answerUrl?)` for a near miss of a known name; empty otherwise. */
function suggest(key: string, known: readonly string[]): string {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of known) {
    const d = distance(key.toLowerCase(), k.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return best !== undefined && bestDistance <= Math.max(1, Math.floor(key.length / 4)) ? ` (did you mean ${best}?)` : "";
}

/** Levenshtein distance. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length];
}
