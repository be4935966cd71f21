/**
 * Reference docs, one Markdown page per resource (`docs/resources/<Resource>.md`), generated from `schema/`: inputs
 * with their rules and defaults, outputs, what updates in place and what replaces, the asynchronous lifecycle, what
 * destroy does, and how to import. Checked by the drift test like every generated file.
 */
import { resourceSchemas } from "../schema/index";
import { fieldRules, shapeOf, type JsonShape } from "../schema/describe";
import type { Field } from "../schema/fields";
import type { ExampleConfig, ExampleRef, ResourceSchema } from "../schema/resource";
import { stringify } from "yaml";
import { resourceToken } from "../provider/plugin/packageSchema";
import { GENERATED_NOTE } from "./note";

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");
const code = (s: string) => `\`${s}\``;

function typeOf(shape: JsonShape): string {
  if (shape.enum) return shape.enum.map((v) => code(v)).join(" | ");
  if (shape.type === "array") return `list of ${typeOf(shape.items ?? {})}`;
  if (shape.type === "object") return "object (below)";
  return shape.type ?? "any";
}

function change(field: Field): string {
  if (field.onChange === "replace") return "**replaces**";
  if (field.onChange === "ignore") return "create only";
  return "in place";
}

function inputRow(name: string, field: Field): string {
  const notes = [field.description];
  if (field.default !== undefined && !/\bdefault\b/i.test(field.description)) notes.push(`Default ${code(JSON.stringify(field.default))}.`);
  if (field.computed && field.default === undefined) notes.push("Plivo fills it when omitted.");
  if (field.writeOnly) notes.push("Never returned by Plivo: refresh cannot see outside changes.");
  if (field.secret) notes.push("Secret: encrypted in the state, `[secret]` in previews, never in messages.");
  return `| ${code(name)} | ${cell(typeOf(shapeOf(field)))} | ${field.required ? "yes" : ""} | ${change(field)} | ${cell(notes.join(" "))} |`;
}

/** Nested objects (address, search criteria, priorities), one table each. */
function nestedTables(prefix: string, fields: Record<string, Field>): string[] {
  const out: string[] = [];
  for (const [name, field] of Object.entries(fields)) {
    const shape = shapeOf(field);
    const object = shape.type === "object" ? shape : shape.type === "array" && shape.items?.type === "object" ? shape.items : undefined;
    if (!object?.properties) continue;
    const path = `${prefix}${name}${shape.type === "array" ? "[]" : ""}`;
    const required = new Set(object.required ?? []);
    out.push(`### ${code(path)}`, "", "| field | type | required | description |", "|---|---|---|---|");
    for (const [k, s] of Object.entries(object.properties)) {
      const nested = field.nested?.[k];
      const description = nested?.description ?? s.description ?? "";
      out.push(`| ${code(k)} | ${cell(typeOf(s))} | ${required.has(k) ? "yes" : ""} | ${cell(description)} |`);
    }
    out.push("");
    if (field.nested) out.push(...nestedTables(`${path}.`, field.nested));
  }
  return out;
}

/**
 * Every input rule of the resource in one table, derived from its schema file: the rules of each field (at any depth)
 * and the rules across inputs. The bad-input corpus (test/schema/corpus.ts) has a case for each.
 */
function rulesSection(schema: ResourceSchema): string[] {
  const rows: string[] = [];
  for (const [name, field] of Object.entries(schema.inputs)) {
    for (const [path, rules] of fieldRules(name, field)) {
      const worded = rules.filter((r) => !r.startsWith("must be one of") && !r.startsWith("items must be one of"));
      if (worded.length) rows.push(`| ${code(path)} | ${cell(worded.join("; "))} |`);
    }
  }
  for (const rule of schema.rules ?? []) rows.push(`| ${rule.reads.map(code).join(", ")} | ${cell(rule.says)} |`);
  return [
    "## Rules",
    "",
    "Checked at preview, before any call to Plivo: each failure is one line naming the input and the rule, and every failure of the resource is reported at once. Enum values are case-insensitive; required inputs and allowed values are in the table above.",
    "",
    "| input | rule |",
    "|---|---|",
    ...rows,
    "",
  ];
}

function lifecycleSection(schema: ResourceSchema): string[] {
  const lc = schema.lifecycle;
  if (!lc) return [];
  const out = [
    "## Lifecycle",
    "",
    `Asynchronous: the ${lc.noun}'s ${code(lc.statusField)} moves from ${lc.pending.map(code).join(" / ")} to ${code(lc.success)} or ${Object.keys(lc.failures).map(code).join(" / ")}.`,
    `${code("waitUntil")} chooses what create waits for (${code("SUBMITTED")} or ${code(lc.success)}); the wait lasts ${code("waitTimeoutSeconds")}, or the plugin's ${code("customTimeouts")} when set. A wait that times out or ends in a failure fails the ${code("up")} but keeps the ${lc.noun} in the state: the next ${code("up")} resumes, never submitting twice.`,
    "",
    "| status | what it means |",
    "|---|---|",
    ...lc.pending.map((s) => `| ${code(s)} | still being reviewed |`),
    `| ${code(lc.success)} | done |`,
    ...Object.entries(lc.failures).map(([s, advice]) => `| ${code(s)} | ${cell(advice.replace("{reason}", "(the reason Plivo gives)"))} |`),
    ...(lc.gone ?? []).map((s) => `| ${code(s)} | gone for good: refresh drops it and the next \`up\` creates a new one |`),
    "",
  ];
  if (lc.editableIn) {
    out.push(
      `In-place updates are accepted only while the ${lc.noun} is ${lc.editableIn.map(code).join(" or ")}; in any other status the preview fails with what Plivo allows instead${lc.editAdvice ? `: ${lc.editAdvice(lc.success)}` : "."}`,
      "",
    );
  }
  return out;
}

const isRef = (v: unknown): v is ExampleRef => typeof v === "object" && v !== null && "$ref" in v;
const isConfig = (v: unknown): v is ExampleConfig => typeof v === "object" && v !== null && "$config" in v;
/** `support-line` → `supportLine`: a program's variable for a resource. */
const variable = (name: string) => name.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());

/** A value as TypeScript source: identifier keys unquoted, references to other resources as `variable.output`. */
function tsValue(v: unknown): string {
  if (isRef(v)) {
    const [name, ...rest] = v.$ref.split(".");
    return [variable(name!), ...rest].join(".");
  }
  if (isConfig(v)) return `config.${v.secret ? "requireSecret" : "require"}(${JSON.stringify(v.$config)})`;
  if (Array.isArray(v)) return `[${v.map(tsValue).join(", ")}]`;
  if (typeof v === "object" && v !== null)
    return `{ ${Object.entries(v)
      .map(([k, x]) => `${k}: ${tsValue(x)}`)
      .join(", ")} }`;
  return JSON.stringify(v);
}

/** The same value for Pulumi YAML: references become interpolations. */
function yamlValue(v: unknown): unknown {
  if (isRef(v)) return `\${${v.$ref}}`;
  if (isConfig(v)) return `\${${v.$config}}`;
  if (Array.isArray(v)) return v.map(yamlValue);
  if (typeof v === "object" && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, yamlValue(x)]));
  return v;
}

/** The resource's example declaration, in TypeScript and in Pulumi YAML (schema `example`). */
function exampleSection(schema: ResourceSchema): string[] {
  const { name, inputs } = schema.example;
  const refs = [
    ...new Set(
      JSON.stringify(inputs)
        .match(/"\$ref":"([\w-]+)\./g)
        ?.map((m) => m.slice(8, -1)) ?? [],
    ),
  ];
  const configs = [
    ...new Set(
      JSON.stringify(inputs)
        .match(/"\$config":"(\w+)"/g)
        ?.map((m) => m.slice(11, -1)) ?? [],
    ),
  ];
  const ts = [
    `const ${variable(name)} = new plivo.${schema.type}(${JSON.stringify(name)}, {`,
    ...Object.entries(inputs).map(([k, v]) => `  ${k}: ${tsValue(v)},`),
    "});",
  ];
  const yaml = stringify({ resources: { [name]: { type: resourceToken(schema.type), properties: yamlValue(inputs) } } }, { lineWidth: 0 }).trimEnd();
  return [
    "## Example",
    "",
    `TypeScript (\`import * as plivo from "pulumi-plivo"\` for the dynamic classes, \`"pulumi-plivo/plugin"\` for the plugin's)${refs.length ? `, where ${refs.map((r) => code(variable(r))).join(", ")} ${refs.length > 1 ? "are" : "is"} declared elsewhere in the program` : ""}${configs.length ? `; ${configs.map((c) => code(c)).join(", ")} ${configs.length > 1 ? "come" : "comes"} from the stack's config (\`pulumi config set --secret\` for a credential)` : ""}:`,
    "",
    "```ts",
    ...ts,
    "```",
    "",
    "Pulumi YAML (the plugin):",
    "",
    "```yaml",
    yaml,
    "```",
    "",
  ];
}

/** What an import cannot read: required inputs Plivo never returns (a password), which the first `up` then sets. */
function importNote(schema: ResourceSchema): string[] {
  const unread = Object.entries(schema.inputs)
    .filter(([, f]) => f.writeOnly && f.required)
    .map(([k]) => code(k));
  if (unread.length === 0) return [];
  return [
    "",
    `Plivo never returns ${unread.join(", ")}: the import cannot read ${unread.length === 1 ? "it" : "them"}, so the preview after it shows ${unread.length === 1 ? "it" : "them"} as an in-place update, and the next \`up\` sets the declared value.`,
  ];
}

function page(schema: ResourceSchema): string {
  const t = schema.type;
  const inputs = Object.entries(schema.inputs);
  const updates = inputs.filter(([, f]) => f.onChange === "update").map(([k]) => code(k));
  const replaces = inputs.filter(([, f]) => f.onChange === "replace").map(([k]) => code(k));
  const once = inputs.filter(([, f]) => f.onChange === "ignore").map(([k]) => code(k));
  const id = schema.identity ? schema.identity.parts.map((p) => `{${p}}`).join("/") : "<id>";
  const idWords = schema.identity ? `${code(id)}` : schema.idDescription;
  return [
    `<!-- ${GENERATED_NOTE} -->`,
    `# ${t}`,
    "",
    schema.description,
    "",
    `| form | type token | import |`,
    `|---|---|---|`,
    `| provider plugin (\`pulumi-plivo/plugin\`) | ${code(resourceToken(t))} | \`pulumi import ${resourceToken(t)} <name> ${id}\`, or the \`import\` resource option |`,
    `| dynamic classes (\`pulumi-plivo\`) | ${code(`pulumi-nodejs:dynamic/plivo:${t}`)} | \`adoptId: "${id}"\` (Pulumi cannot import dynamic resources) |`,
    "",
    ...exampleSection(schema),
    "## Inputs",
    "",
    "| input | type | required | on change | description |",
    "|---|---|---|---|---|",
    ...inputs.map(([k, f]) => inputRow(k, f)),
    "",
    ...nestedTables("", schema.inputs),
    ...rulesSection(schema),
    "## Outputs",
    "",
    "Every input, as stored (normalised the way Plivo returns it), and:",
    "",
    "| output | type | description |",
    "|---|---|---|",
    ...Object.entries(schema.outputs).map(
      ([k, f]) =>
        `| ${code(k)} | ${cell(typeOf(shapeOf(f)))} | ${cell(f.description)}${k === schema.idField ? " The resource id." : ""}${f.secret ? " Secret: encrypted in the state, `[secret]` in previews." : ""} |`,
    ),
    "",
    ...nestedTables("", schema.outputs),
    "## Update or replace",
    "",
    `- **In place:** ${updates.length ? updates.join(", ") : "nothing (Plivo has no update for it)"}.`,
    `- **Replace** (a new ${t} replaces the old one${schema.lifecycle ? ", submitted and paid for again" : ""}): ${replaces.length ? replaces.join(", ") : "nothing"}.`,
    `- **Used at create time only** (a later change does nothing): ${once.length ? once.join(", ") : "nothing"}.`,
    "",
    ...lifecycleSection(schema),
    "## Delete",
    "",
    schema.deletion,
    "",
    "## Import",
    "",
    `The id is ${idWords}.`,
    "",
    "```sh",
    `pulumi import ${resourceToken(t)} my${t} '${id}'`,
    "```",
    "",
    `The import reads every input Plivo returns and prints the resource's declaration in the program's language (TypeScript or YAML); pasted into the program, the next preview shows no changes (fields Plivo never returns, such as wait options, take their defaults).`,
    ...importNote(schema),
    "",
  ].join("\n");
}

export function docsFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const s of resourceSchemas) files.set(`docs/resources/${s.type}.md`, page(s));
  const list = (names: string[]) => (names.length ? names.map(code).join(", ") : "—");
  const inputs = (s: ResourceSchema, change: string) =>
    Object.entries(s.inputs)
      .filter(([, f]) => f.onChange === change)
      .map(([k]) => k);
  const id = (s: ResourceSchema) => (s.identity ? code(s.identity.parts.map((p) => `{${p}}`).join("/")) : s.idDescription.replace(/ \(.*$/, ""));
  const index = [
    `<!-- ${GENERATED_NOTE} -->`,
    "# Resource reference",
    "",
    "Every resource, from its schema: what it is, its id (what `pulumi import` and `adoptId` take), what updates in place and what replaces it, and whether it is asynchronous. Each page has the inputs with their rules, the outputs, what destroy does, import, and a TypeScript and a YAML example.",
    "",
    "| resource | what it is | id | updates in place | replaces | asynchronous |",
    "|---|---|---|---|---|---|",
    ...resourceSchemas.map((s) => {
      const lc = s.lifecycle;
      const async = lc ? `${lc.pending.join(" \\| ")} → ${[lc.success, ...Object.keys(lc.failures)].join(" \\| ")}` : "—";
      return `| [${s.type}](${s.type}.md) | ${cell(s.description.split(". ")[0]!.replace(/\.$/, ""))}. | ${cell(id(s))} | ${list(inputs(s, "update"))} | ${list(inputs(s, "replace"))} | ${async} |`;
    }),
    "",
  ].join("\n");
  files.set("docs/resources/README.md", index);
  return files;
}
