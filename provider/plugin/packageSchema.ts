/**
 * The Pulumi package schema of the `plivo` provider plugin, derived from `schema/`: one resource per resource schema
 * (`plivo:index:<Resource>`), its inputs and outputs with types, descriptions (the rules `check` enforces, defaults,
 * what replaces), required inputs, and the provider's configuration. The plugin serves it from `GetSchema`; the SDKs
 * and reference docs are generated from the same data (see codegen/).
 */
import type { Field } from "../../schema/fields";
import { CONFIG_KEYS, PREVIEW_OFFLINE } from "../config";
import { JOURNAL_ENV } from "../core/journal";
import { FEES_CONFIG } from "../cost/fees";
import { resourceSchemas } from "../../schema/index";
import { rulesOf, shapeOf, type JsonShape } from "../../schema/describe";
import type { ResourceSchema } from "../../schema/resource";

export const PACKAGE_NAME = "plivo";
/** `plivo:index:PhoneNumber`. */
export const resourceToken = (type: string) => `${PACKAGE_NAME}:index:${type}`;
export const PROVIDER_TOKEN = `pulumi:providers:${PACKAGE_NAME}`;

/** A property of the package schema (the subset this provider uses). */
export interface PropertySpec {
  type?: "string" | "number" | "integer" | "boolean" | "array" | "object";
  items?: PropertySpec;
  $ref?: string;
  description?: string;
  secret?: boolean;
  willReplaceOnChanges?: boolean;
  default?: unknown;
}

export interface ObjectTypeSpec {
  type: "object";
  description: string;
  properties: Record<string, PropertySpec>;
  required?: string[];
}

export interface ResourceSpec {
  description: string;
  properties: Record<string, PropertySpec>;
  required?: string[];
  inputProperties: Record<string, PropertySpec>;
  requiredInputs?: string[];
}

export interface PackageSchema {
  name: string;
  displayName: string;
  version: string;
  description: string;
  keywords: string[];
  license: string;
  publisher: string;
  repository?: string;
  meta: { moduleFormat: string };
  language: Record<string, unknown>;
  config: { variables: Record<string, PropertySpec> };
  provider: { description: string; inputProperties: Record<string, PropertySpec>; properties: Record<string, PropertySpec> };
  types: Record<string, ObjectTypeSpec>;
  resources: Record<string, ResourceSpec>;
}

/**
 * The provider's configuration (`plivo:<key>` in stack config, or the `plivo.Provider` resource's arguments). The
 * plugin resolves them (and their environment fallbacks) with provider/config.ts.
 */
export const PROVIDER_CONFIG: Record<string, PropertySpec & { env: string }> = {
  authId: { type: "string", env: CONFIG_KEYS.authId.env, description: "Auth id of the Plivo account (or subaccount), e.g. MAXXXXXXXXXXXXXXXXXX." },
  authToken: {
    type: "string",
    secret: true,
    env: CONFIG_KEYS.authToken.env,
    description: "Auth token of the account. Kept secret: never in the state in clear text, logs or error messages.",
  },
  baseUrl: {
    type: "string",
    env: CONFIG_KEYS.baseUrl.env,
    description: "Base URL of the Plivo API. Default `https://api.plivo.com`; point it at the plivo-emulator for offline work.",
  },
  rateLimit: {
    type: "string",
    env: CONFIG_KEYS.rateLimit.env,
    description: "Requests allowed per window, e.g. `300/5s` (Plivo's account limit, the default). Requests beyond it queue.",
  },
  timeoutSeconds: {
    type: "number",
    env: CONFIG_KEYS.timeoutSeconds.env,
    description: "How long one API request may take (connect, answer, retries of network failures), in seconds. Default 30.",
  },
  journalDir: {
    type: "string",
    env: JOURNAL_ENV,
    description:
      "Directory of the create journal that lets the next `up` take over what an interrupted run bought or submitted (default `$PULUMI_HOME/plivo-journal`; it covers interruptions on the same machine — point it at a persisted directory in CI).",
  },
  fees: {
    type: "string",
    env: FEES_CONFIG.env,
    description:
      'The 10DLC fees cost estimates use instead of the documented ones, as JSON: `{"campaignMonthly": {"MARKETING": "10.00"}, "campaignVetting": "15.00", "brandRegistration": "4.00"}` (docs/cost.md).',
  },
  previewOffline: {
    type: "boolean",
    env: PREVIEW_OFFLINE.env,
    description:
      "Previews make no API call: no credentials check and no read-only look-ups of adoptions (a pull request built without secrets). Creates, updates, refreshes and deletes still need the API.",
  },
};

const withEnv = (spec: PropertySpec & { env: string }): PropertySpec => {
  const { env, ...rest } = spec;
  return { ...rest, description: `${rest.description} Falls back to the ${env} environment variable.` };
};

const pascal = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const singular = (s: string) => (s.endsWith("ies") ? `${s.slice(0, -3)}y` : s.endsWith("s") ? s.slice(0, -1) : s);

/** Sentences describing an input beyond its own description: rules, default, how a change acts. */
export function inputNotes(field: Field): string[] {
  const notes: string[] = [];
  const rules = rulesOf(field);
  const shape = shapeOf(field);
  if (rules.length > 0) notes.push(`${capitalize(rules.join("; "))}${isEnumLike(shape) ? " (case-insensitive)" : ""}.`);
  if (field.default !== undefined) notes.push(`Default: \`${JSON.stringify(field.default)}\`.`);
  if (field.onChange === "replace") notes.push("Changing it replaces the resource.");
  if (field.onChange === "ignore") notes.push("Changing it later has no effect on the resource.");
  if (field.computed && field.default === undefined) notes.push("Plivo chooses a value when it is omitted; omitting it later never shows as a change.");
  if (field.writeOnly) notes.push("Plivo never returns it: refresh cannot see changes made to it outside Pulumi.");
  if (field.secret) notes.push("Secret: kept encrypted in the state, shown as [secret] in previews, never in messages.");
  return notes;
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const isEnumLike = (shape: JsonShape) => shape.enum !== undefined || shape.items?.enum !== undefined;

const sentence = (s: string) => (/[.!?]$/.test(s.trim()) ? s.trim() : `${s.trim()}.`);

/** Builds the schema's property for a field; nested objects become named types in `types`. */
function property(shape: JsonShape, typeName: string, description: string, types: Record<string, ObjectTypeSpec>): PropertySpec {
  if (shape.type === "object" && shape.properties) {
    types[typeName] = {
      type: "object",
      description,
      properties: Object.fromEntries(
        Object.entries(shape.properties).map(([k, s]) => [k, property(s, `${typeName}${pascal(k)}`, nestedDescription(k, s), types)]),
      ),
      ...(shape.required?.length ? { required: [...shape.required] } : {}),
    };
    return { $ref: `#/types/${typeName}`, description };
  }
  if (shape.type === "array") {
    const items = property(shape.items ?? {}, singular(typeName), description, types);
    const { description: _, ...itemSpec } = items;
    return { type: "array", items: itemSpec, description };
  }
  const type = shape.type === "integer" || shape.type === "number" || shape.type === "boolean" ? shape.type : "string";
  return { type, description };
}

/** Nested fields carry no descriptions of their own in the JSON shape: say what they accept. */
function nestedDescription(name: string, shape: JsonShape): string {
  if (shape.description) return shape.description;
  if (shape.enum) return `${pascal(name)}: one of ${shape.enum.join(", ")}.`;
  return `${pascal(name)
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .replace(/^./, (c) => c.toUpperCase())}.`;
}

function fieldProperty(schema: ResourceSchema, name: string, field: Field, types: Record<string, ObjectTypeSpec>, asInput: boolean): PropertySpec {
  const typeName = resourceToken(`${schema.type}${pascal(name)}`);
  const description = asInput ? [sentence(field.description), ...inputNotes(field)].join(" ") : sentence(field.description);
  const spec = property(shapeOf(field), typeName, description, types);
  describeNested(types, typeName, field);
  if (asInput && field.onChange === "replace") spec.willReplaceOnChanges = true;
  if (asInput && field.default !== undefined) spec.default = field.default;
  if (field.secret) spec.secret = true;
  return spec;
}

/** Uses the nested fields' own descriptions (and rules) in the object types made for them. */
function describeNested(types: Record<string, ObjectTypeSpec>, typeName: string, field: Field): void {
  const nested = field.nested;
  const name = types[typeName] ? typeName : types[singular(typeName)] ? singular(typeName) : undefined;
  if (!nested || !name) return;
  const type = types[name]!;
  for (const [k, fl] of Object.entries(nested)) {
    const prop = type.properties[k];
    if (!prop) continue;
    prop.description = [sentence(fl.description), ...inputNotes(fl).filter((n) => !n.startsWith("Changing it"))].join(" ");
    describeNested(types, `${name}${pascal(k)}`, fl);
  }
}

function resourceSpec(schema: ResourceSchema, types: Record<string, ObjectTypeSpec>): ResourceSpec {
  const inputProperties: Record<string, PropertySpec> = {};
  const properties: Record<string, PropertySpec> = {};
  for (const [name, field] of Object.entries(schema.inputs)) {
    inputProperties[name] = fieldProperty(schema, name, field, types, true);
    properties[name] = fieldProperty(schema, name, field, types, false);
  }
  for (const [name, field] of Object.entries(schema.outputs)) properties[name] = fieldProperty(schema, name, field, types, false);
  const requiredInputs = Object.entries(schema.inputs)
    .filter(([, fl]) => fl.required)
    .map(([k]) => k);
  // Always present after create or import: the id output, the registration status, the required inputs.
  const alwaysReturned = Object.entries(schema.outputs)
    .filter(([, fl]) => fl.required)
    .map(([k]) => k);
  const required = [schema.idField, schema.lifecycle?.statusField, ...requiredInputs, ...alwaysReturned].filter((k): k is string => !!k && k in properties);
  return {
    description: resourceDescription(schema),
    properties,
    ...(required.length ? { required: [...new Set(required)] } : {}),
    inputProperties,
    ...(requiredInputs.length ? { requiredInputs } : {}),
  };
}

export function resourceDescription(schema: ResourceSchema): string {
  const id = schema.identity ? `\`${schema.identity.parts.map((p) => `{${p}}`).join("/")}\`` : schema.idDescription;
  return `${sentence(schema.description)}\n\nImport: \`pulumi import ${resourceToken(schema.type)} <name> <id>\`, where the id is ${id}.`;
}

/** The names of a resource's secret inputs and outputs (see Field.secret): secret in the state in both forms. */
export function secretNames(schema: ResourceSchema): string[] {
  return Object.entries({ ...schema.inputs, ...schema.outputs })
    .filter(([, field]) => field.secret)
    .map(([name]) => name);
}

export function packageSchema(version: string): PackageSchema {
  const types: Record<string, ObjectTypeSpec> = {};
  const resources: Record<string, ResourceSpec> = {};
  for (const schema of resourceSchemas) resources[resourceToken(schema.type)] = resourceSpec(schema, types);
  const config = Object.fromEntries(Object.entries(PROVIDER_CONFIG).map(([k, v]) => [k, withEnv(v)]));
  return {
    name: PACKAGE_NAME,
    displayName: "Plivo",
    version,
    description: "Plivo phone numbers, applications, Powerpacks and US messaging registrations (10DLC, toll-free verification) as code.",
    keywords: ["pulumi", "plivo", "telephony", "sms", "category/network", "kind/native"],
    license: "Apache-2.0",
    publisher: "pulumi-plivo",
    meta: { moduleFormat: "(.*)" },
    language: {
      // Code generated by Pulumi (`pulumi import`, `pulumi convert`) imports this: the plugin's classes, which live in
      // the `plugin` entry point of the npm package (its root holds the dynamic classes).
      nodejs: { packageName: "pulumi-plivo/plugin", dependencies: { "@pulumi/pulumi": "^3.248.0" } },
      python: { packageName: "pulumi_plivo", requires: { pulumi: ">=3.0.0,<4.0.0" }, pyproject: { enabled: true }, respectSchemaVersion: true },
    },
    config: { variables: config },
    provider: {
      description: "The Plivo provider. Declare one per account (or subaccount) and pass it as `{ provider }` to manage several accounts in one program.",
      inputProperties: config,
      properties: Object.fromEntries(Object.entries(config).filter(([, v]) => v.type === "string")),
    },
    types: Object.fromEntries(Object.entries(types).sort(([a], [b]) => a.localeCompare(b))),
    resources,
  };
}
