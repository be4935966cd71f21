/**
 * Wire mapping derived from the schema: request bodies from checked inputs, outputs from API objects.
 */
import type { Field } from "../../schema/fields";
import { registerSecret } from "../client/redact";
import type { ResourceSchema } from "../../schema/resource";

/** The JSON body for a create or an update. On update only `fields` are sent (all updatable ones if omitted). */
export function requestBody(
  schema: ResourceSchema,
  inputs: Record<string, unknown>,
  phase: "create" | "update",
  fields?: readonly string[],
): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(schema.inputs)) {
    if (!field.wire) continue;
    if (phase === "create" ? !field.sendOnCreate : !field.sendOnUpdate) continue;
    if (fields && !fields.includes(name)) continue;
    const value = inputs[name];
    if (value === undefined) {
      if (phase === "update" && field.clearValue !== undefined) body[field.wire] = field.clearValue;
      continue;
    }
    body[field.wire] = field.toWire(value as never);
  }
  return body;
}

/**
 * Outputs from an API object: every input and output field that the API returns, normalised exactly like
 * `check` normalises inputs, so an unchanged resource reads back equal to what was declared.
 * Fields the API never returns (write-only, provider-only) are taken from `prior` (the inputs at create,
 * the previous state on refresh).
 */
export function outputsFromWire(schema: ResourceSchema, wire: Record<string, unknown>, prior: Record<string, unknown> = {}): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const take = (name: string, field: Field) => {
    const key = field.readWire ?? field.wire;
    if (!key || field.writeOnly) {
      if (prior[name] !== undefined) out[name] = prior[name];
      return;
    }
    const raw = key.includes(".") ? readPath(wire, key) : wire[key];
    if (raw === undefined || raw === null || raw === "") return;
    const value = field.normalize(field.fromWire(raw));
    // A credential Plivo returns (a subaccount's token) is scrubbed from every message from here on.
    if (field.secret && typeof value === "string") registerSecret(value);
    if (value !== undefined) out[name] = value;
  };
  for (const [name, field] of Object.entries(schema.inputs)) take(name, field);
  for (const [name, field] of Object.entries(schema.outputs)) take(name, field);
  return out;
}

/** The input part of a set of outputs (what `read` reports as inputs, e.g. after `pulumi import`). */
export function inputsFromOutputs(schema: ResourceSchema, outputs: Record<string, unknown>): Record<string, unknown> {
  const inputs: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(schema.inputs)) {
    const stored = outputs[name];
    if (stored === undefined) continue;
    // What the program declares for a value Plivo makes from it (a username without its timestamp).
    inputs[name] = field.declaredFrom && stored !== null ? field.declaredFrom(stored) : stored;
  }
  return inputs;
}

/** `a.b` → wire.a.b (Plivo folds some inputs into sub-objects, e.g. `campaign_attributes.embedded_link`). */
function readPath(wire: Record<string, unknown>, path: string): unknown {
  let v: unknown = wire;
  for (const part of path.split(".")) v = v !== null && typeof v === "object" ? (v as Record<string, unknown>)[part] : undefined;
  return v;
}
