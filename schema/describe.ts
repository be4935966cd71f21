/**
 * What a field accepts, read back from its zod schema: a JSON-Schema shape (types, enums, nested objects) for the
 * package schema and the SDKs, and the rules in words (the same messages `check` fails with) for the docs. Nothing
 * here is written twice: a rule added to a field shows up in every generated artefact.
 */
import { z } from "zod";
import { CUSTOM_RULES, type Field } from "./fields";

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

type ZodInternals = {
  _zod: {
    def: {
      type: string;
      error?: (issue: object) => unknown;
      checks?: ZodInternals[];
      element?: ZodInternals;
      innerType?: ZodInternals;
      shape?: Record<string, ZodInternals>;
    };
  };
};

const messageOf = (def: ZodInternals["_zod"]["def"]): string | undefined => {
  const m = def.error?.({});
  return typeof m === "string" ? m : undefined;
};

/**
 * The rules a value must follow, as `check` words them ("must be at most 255 characters", "must be one of GET,
 * POST"), custom rules included (schema/fields.ts `Problem`). Type mismatches ("must be a string") are left out: the
 * type says it.
 */
export function rulesOf(field: Field): string[] {
  return [...new Set(rulesOfSchema(field.schema as unknown as ZodInternals))];
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
    const m = messageOf(check._zod.def) ?? CUSTOM_RULES.get(check);
    if (m) rules.push(m);
  }
  if (def.type === "array" && def.element) {
    const inner = def.element._zod.def;
    const m = inner.type === "enum" ? messageOf(inner) : undefined;
    if (m) rules.push(m);
  }
  return rules;
}

/**
 * The rules of an input and of every field inside it, by path (`address.state`; an item of a list is `list` +
 * `itemMark` + `.field`, e.g. `numberPriorities[].countryIso`): the rows of a resource's rules table.
 */
export function fieldRules(name: string, field: Field, itemMark = "[]"): [string, string[]][] {
  const rows: [string, string[]][] = [];
  const walk = (path: string, schema: ZodInternals) => {
    const def = schema._zod.def;
    if (def.type === "optional" && def.innerType) return walk(path, def.innerType);
    const rules = [...new Set(rulesOfSchema(schema))];
    if (rules.length) rows.push([path, rules]);
    if (def.type === "object") for (const [k, s] of Object.entries(def.shape ?? {})) walk(`${path}.${k}`, s);
    const item = def.type === "array" ? def.element : undefined;
    if (item?._zod.def.type === "object") for (const [k, s] of Object.entries(item._zod.def.shape ?? {})) walk(`${path}${itemMark}.${k}`, s);
  };
  walk(name, field.schema as unknown as ZodInternals);
  return rows;
}
