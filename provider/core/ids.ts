/**
 * Resource ids, derived from the schema: a compound id (`{powerpackUuid}/{number}`) is its parts joined by `/`, each
 * part normalised by its input's field; a simple id is normalised by the field it comes from (a number given as
 * `+1 (415) 555-0100` is `14155550100`). One parser for every resource, so `pulumi import`, `adoptId` and the ids
 * the provider returns always agree.
 */
import type { ResourceSchema } from "../../schema/resource";

/** An id that does not have the resource's shape. */
export class InvalidIdError extends Error {
  override readonly name = "InvalidIdError";
  constructor(
    readonly type: string,
    readonly id: string,
    readonly expected: string,
  ) {
    super(`${type} id "${id}" is not valid: expected ${expected}`);
  }
}

const SEPARATOR = "/";

function normalizePart(schema: ResourceSchema, name: string, value: string): string {
  const field = schema.inputs[name];
  const v = field ? field.normalize(value.trim()) : value.trim();
  return typeof v === "string" ? v : String(v);
}

/** The parts of a compound id by input name; throws {@link InvalidIdError}. */
export function parseId(schema: ResourceSchema, id: string): Record<string, string> {
  const parts = schema.identity?.parts;
  if (!parts) throw new Error(`${schema.type} has a simple id`);
  const segments = String(id).split(SEPARATOR);
  if (segments.length !== parts.length || segments.some((s) => s.trim() === "")) {
    throw new InvalidIdError(schema.type, String(id), parts.map((p) => `{${p}}`).join(SEPARATOR));
  }
  const out: Record<string, string> = {};
  parts.forEach((p, i) => (out[p] = normalizePart(schema, p, segments[i]!)));
  return out;
}

/** The compound id of a resource from its input values. */
export function formatId(schema: ResourceSchema, values: Record<string, unknown>): string {
  const parts = schema.identity?.parts;
  if (!parts) throw new Error(`${schema.type} has a simple id`);
  return parts.map((p) => normalizePart(schema, p, String(values[p]))).join(SEPARATOR);
}

/** The canonical form of an id given by a user (`pulumi import`, `adoptId`) or stored by an older version. */
export function canonicalId(schema: ResourceSchema, id: string): string {
  if (schema.identity) return formatId(schema, parseId(schema, id));
  const trimmed = String(id).trim();
  if (trimmed === "") throw new InvalidIdError(schema.type, String(id), schema.idDescription);
  const field = schema.idField ? (schema.inputs[schema.idField] ?? schema.outputs[schema.idField]) : undefined;
  const v = field ? field.normalize(trimmed) : trimmed;
  return typeof v === "string" ? v : String(v);
}
