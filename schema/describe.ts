/**
 * What a field accepts, read back from its zod schema: a JSON-Schema shape (types, enums, nested objects) for the
 * package schema and the SDKs, and the rules in words (the same messages `check` fails with) for the docs. Nothing
 * here is written twice: a rule added to a field shows up in every generated artefact.
 */
import { z } from "zod";
import type { Field } from "./fields";

/** The subset of JSON Schema that `z.toJSONSchema` produces for our fields. */
export interface JsonShape {
  description?: string;
  type?: "string" | "number" | "integer" | "boolean" | "array" | "object";
  enum?: string[];
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  items?: JsonShape;
  properties?: Record<string, JsonShape>;
  required?: string[];
}

/** The JSON-Schema shape of a field's accepted values (`{}` for anything). */
export function shapeOf(field: Field): JsonShape {
  const { $schema: _, ...shape } = z.toJSONSchema(field.schema, { unrepresentable: "any", io: "input" }) as JsonShape & { $schema?: string };
  return shape;
}

type ZodInternals = { _zod: { def: { type: string; error?: (issue: object) => unknown; checks?: ZodInternals[]; element?: ZodInternals; innerType?: ZodInternals } } };

const messageOf = (def: ZodInternals["_zod"]["def"]): string | undefined => {
  const m = def.error?.({});
  return typeof m === "string" ? m : undefined;
};

/**
 * The rules a value must follow, as `check` words them ("must be at most 255 characters", "must be one of GET,
 * POST"). Type mismatches ("must be a string") are left out: the type says it.
 */
export function rulesOf(field: Field): string[] {
  return rulesOfSchema(field.schema as unknown as ZodInternals);
}

function rulesOfSchema(schema: ZodInternals): string[] {
  const def = schema._zod.def;
  const rules: string[] = [];
  if (def.type === "optional" && def.innerType) return rulesOfSchema(def.innerType);
  // Enums and formats (URL) carry their rule as the schema's own message.
  if (def.type === "enum" || (def.type === "string" && (def as { format?: string }).format)) {
    const m = messageOf(def);
    if (m) rules.push(m);
  }
  for (const check of def.checks ?? []) {
    const m = messageOf(check._zod.def);
    if (m) rules.push(m);
  }
  if (def.type === "array" && def.element) {
    const inner = def.element._zod.def;
    const m = inner.type === "enum" ? messageOf(inner) : undefined;
    if (m) rules.push(m);
  }
  return rules;
}
