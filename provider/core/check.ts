/**
 * `check`: normalise and validate inputs against the schema before any API call. Every failure names the
 * field (camelCase, as the user wrote it) and the rule it broke.
 */
import type { Field } from "../../schema/fields";
import type { CheckFailure, ResourceSchema } from "../../schema/resource";
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
  let anyUnknown = false;

  for (const key of Object.keys(news)) {
    if (isHiddenKey(key)) continue;
    if (!(key in schema.inputs)) {
      // Outputs seeded as undefined by the SDK arrive as null or are absent; anything else is a typo.
      if (news[key] === undefined || news[key] === null) continue;
      failures.push({ property: key, reason: `${key}: is not an input of plivo.${schema.type} (inputs: ${Object.keys(schema.inputs).join(", ")})` });
    }
  }

  for (const [name, field] of Object.entries(schema.inputs)) {
    let value = news[name];
    if (value === null) value = undefined;
    if (containsUnknown(value)) {
      // Known only after dependencies are created: keep the sentinel, validate at `up`.
      inputs[name] = value;
      anyUnknown = true;
      continue;
    }
    if (value === undefined) {
      if (field.default !== undefined) inputs[name] = field.default;
      else if (field.required) failures.push({ property: name, reason: `${name}: is required` });
      continue;
    }
    const normalized = field.normalize(value);
    const failure = validate(name, field, normalized);
    if (failure) failures.push(failure);
    else inputs[name] = normalized;
  }

  if (failures.length === 0 && !anyUnknown && schema.rules) {
    failures.push(...schema.rules(inputs as never));
  }
  return { inputs, failures };
}

function validate(name: string, field: Field, value: unknown): CheckFailure | undefined {
  const result = field.schema.safeParse(value);
  if (result.success) return undefined;
  const reasons = result.error.issues.map((issue) => {
    const path = issue.path.length ? `${name}.${issue.path.join(".")}` : name;
    return `${path}: ${issue.message}${describeValue(value, issue.path)}`;
  });
  return { property: name, reason: reasons.join("; ") };
}

function describeValue(root: unknown, path: PropertyKey[]): string {
  let v: unknown = root;
  for (const p of path) v = v && typeof v === "object" ? (v as Record<PropertyKey, unknown>)[p] : undefined;
  if (v === undefined || typeof v === "object") return "";
  const s = JSON.stringify(v);
  return ` (got ${s.length > 60 ? s.slice(0, 57) + "..." : s})`;
}
