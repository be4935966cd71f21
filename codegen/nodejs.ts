/**
 * The typed Node SDK, generated from `schema/` through the package schema:
 *
 * - `sdk/types.ts`: per resource, `<R>Args` (inputs; required ones required) and `<R>Outputs` (what the resource
 *   holds after create or import), with TSDoc from every field's description and rules — used by both forms;
 * - `sdk/index.ts`: the dynamic-resource classes (`pulumi-plivo`), typed with those interfaces;
 * - `sdk/plugin/*.ts`: classes extending `pulumi.CustomResource` with `plivo:index:<R>` tokens and a `Provider`
 *   extending `pulumi.ProviderResource`, served by the pulumi-resource-plivo plugin (`pulumi-plivo/plugin`).
 */
import { resourceSchemas } from "../schema/index";
import { shapeOf, type JsonShape } from "../schema/describe";
import type { ResourceSchema } from "../schema/resource";
import { inputNotes, packageSchema, PROVIDER_CONFIG, resourceDescription, resourceToken, secretNames } from "../provider/plugin/packageSchema";
import { GENERATED_NOTE } from "./note";

const header = `// ${GENERATED_NOTE}\n`;
const pascal = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const singular = (s: string) => (s.endsWith("ies") ? `${s.slice(0, -3)}y` : s.endsWith("s") ? s.slice(0, -1) : s);
const camel = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

/** A TSDoc block at `indent`. */
export function doc(text: string, indent = ""): string {
  const lines = text.trim().replace(/\*\//g, "*\\/").split("\n");
  if (lines.length === 1 && lines[0]!.length < 100) return `${indent}/** ${lines[0]} */\n`;
  return `${indent}/**\n${lines.map((l) => `${indent} *${l ? ` ${l}` : ""}`).join("\n")}\n${indent} */\n`;
}

interface TypeContext {
  /** Named interfaces for nested objects: name → body (inputs and outputs variants). */
  interfaces: Map<string, string>;
}

type Mode = "input" | "output";

/** The TypeScript type of a JSON shape; nested objects become named interfaces (`<Name>Args` for inputs). */
function tsType(shape: JsonShape, name: string, mode: Mode, ctx: TypeContext, nestedDocs: Record<string, string> = {}): string {
  const wrap = (t: string) => (mode === "input" ? `pulumi.Input<${t}>` : t);
  if (shape.enum)
    return mode === "input" ? `Enum<${shape.enum.map((v) => JSON.stringify(v)).join(" | ")}>` : shape.enum.map((v) => JSON.stringify(v)).join(" | ");
  switch (shape.type) {
    case "boolean":
      return "boolean";
    case "integer":
    case "number":
      return "number";
    case "array": {
      const item = tsType(shape.items ?? {}, singular(name), mode, ctx, nestedDocs);
      return mode === "input" ? `${wrap(item)}[]` : `${item}[]`;
    }
    case "object": {
      const iface = mode === "input" ? `${name}Args` : name;
      if (!ctx.interfaces.has(iface)) {
        ctx.interfaces.set(iface, ""); // reserve (recursion)
        const required = new Set(shape.required ?? []);
        const members = Object.entries(shape.properties ?? {}).map(([k, s]) => {
          const t = tsType(s, `${name}${pascal(k)}`, mode, ctx, nestedDocs);
          const text = nestedDocs[`${name}.${k}`] ?? s.description ?? pascal(k);
          return `${doc(text, "  ")}  ${mode === "output" ? "readonly " : ""}${k}${required.has(k) ? "" : "?"}: ${mode === "input" ? wrap(t) : t};`;
        });
        ctx.interfaces.set(iface, `export interface ${iface} {\n${members.join("\n")}\n}\n`);
      }
      return iface;
    }
    default:
      return "string";
  }
}

/** Docs of nested fields (`PhoneNumberSearch.countryIso`) from the package schema's object types. */
function nestedDocs(): Record<string, string> {
  const docs: Record<string, string> = {};
  for (const [token, type] of Object.entries(packageSchema("0").types)) {
    const name = token.split(":")[2]!;
    for (const [k, p] of Object.entries(type.properties)) if (p.description) docs[`${name}.${k}`] = p.description;
  }
  return docs;
}

interface ResourceTypes {
  args: string;
  outputs: string;
  /** Property name → [TS output type, required, description] for the plugin class. */
  members: [string, string, boolean, string][];
}

function resourceTypes(schema: ResourceSchema, ctx: TypeContext, docs: Record<string, string>): ResourceTypes {
  const spec = packageSchema("0").resources[resourceToken(schema.type)]!;
  const required = new Set(spec.required ?? []);
  const args = Object.entries(schema.inputs).map(([k, field]) => {
    const t = tsType(shapeOf(field), `${schema.type}${pascal(k)}`, "input", ctx, docs);
    return `${doc([field.description, ...inputNotes(field)].join(" "), "  ")}  ${k}${field.required ? "" : "?"}: pulumi.Input<${t}>;`;
  });
  const members: ResourceTypes["members"] = [];
  const outs = Object.entries({ ...schema.inputs, ...schema.outputs }).map(([k, field]) => {
    const t = tsType(shapeOf(field), `${schema.type}${pascal(k)}`, "output", ctx, docs);
    members.push([k, t, required.has(k), field.description]);
    return `${doc(field.description, "  ")}  readonly ${k}${required.has(k) ? "" : "?"}: ${t};`;
  });
  return {
    args: `${doc(`Arguments of {@link ${schema.type}}.`)}export interface ${schema.type}Args {\n${args.join("\n")}\n}\n`,
    outputs: `${doc(`What ${/^[AEIOU]/.test(schema.type) ? "an" : "a"} ${schema.type} holds once created or imported: its inputs as stored and everything Plivo reports.`)}export interface ${schema.type}Outputs {\n${outs.join("\n")}\n}\n`,
    members,
  };
}

function typesFile(all: Map<string, ResourceTypes>, ctx: TypeContext): string {
  const parts = [
    header,
    doc("Argument and output types of every resource, shared by the dynamic classes and the plugin's classes.") +
      'import type * as pulumi from "@pulumi/pulumi";\n',
    doc('Enum values are case-insensitive: `"sms"` and `"SMS"` are both accepted (and normalised by the provider).') +
      "export type Enum<T extends string> = T | Lowercase<T>;\n",
  ];
  for (const t of all.values()) parts.push(t.args, t.outputs);
  for (const [name, body] of [...ctx.interfaces].sort(([a], [b]) => a.localeCompare(b)))
    parts.push(doc(`Part of a resource's ${name.endsWith("Args") ? "arguments" : "outputs"}.`) + body);
  return parts.map((p) => p.replace(/\n+$/, "\n")).join("\n");
}

function dynamicIndex(): string {
  const lines = [
    header,
    doc(
      [
        "pulumi-plivo: declare Plivo phone numbers, applications, Powerpacks, number pools and US messaging registrations",
        "in a Pulumi program, as dynamic resources (nothing to install besides this package).",
        "",
        '    import * as plivo from "pulumi-plivo";',
        '    const app = new plivo.Application("inbound", { appName: "inbound", answerUrl: "https://example.com/answer" });',
        "",
        "Credentials come from stack config `plivo:authId` / `plivo:authToken` (secret) / `plivo:baseUrl`, or the",
        "environment (`PLIVO_AUTH_ID`, `PLIVO_AUTH_TOKEN`, `PLIVO_BASE_URL`); they are never resource inputs. The same",
        "resources served by the provider plugin (`plivo:index:*` tokens, `pulumi import`, explicit providers) are in",
        '`import * as plivo from "pulumi-plivo/plugin"`.',
      ].join("\n"),
    ),
    ...resourceSchemas.map((s) => `import { ${camel(s.type)}Schema } from "../schema/${camel(s.type)}";`),
    'import { resourceClass, type DynamicResource } from "./resourceClass";',
    `import type { ${resourceSchemas.map((s) => `${s.type}Args, ${s.type}Outputs`).join(", ")} } from "./types";`,
    "",
  ];
  for (const s of resourceSchemas) {
    lines.push(
      `${doc(resourceDescription(s))}export const ${s.type} = resourceClass<typeof ${camel(s.type)}Schema, ${s.type}Args, ${s.type}Outputs>(${camel(s.type)}Schema);`,
      `export type ${s.type} = DynamicResource<${s.type}Outputs>;`,
      "",
    );
  }
  lines.push('export type * from "./types";', 'export type { DynamicResource, DynamicResourceClass, OutputProperties } from "./resourceClass";', "");
  return lines.join("\n");
}

function pluginClass(schema: ResourceSchema, t: ResourceTypes, ctx: TypeContext): string {
  const outputsOnly = Object.keys(schema.outputs);
  const used = [...ctx.interfaces.keys()].filter((name) => t.members.some(([, type]) => new RegExp(`\\b${name}\\b`).test(type)));
  const inputs = Object.keys(schema.inputs);
  const secret = secretNames(schema);
  const members = t.members.map(
    ([k, type, required, description]) => `${doc(description, "  ")}  declare readonly ${k}: pulumi.Output<${type}${required ? "" : " | undefined"}>;`,
  );
  return `${header}import * as pulumi from "@pulumi/pulumi";
import type { ${[`${schema.type}Args`, ...used].join(", ")} } from "../types";

${doc(resourceDescription(schema))}export class ${schema.type} extends pulumi.CustomResource {
  /** @internal */
  static readonly __pulumiType = "${resourceToken(schema.type)}";

  /**
   * An existing ${schema.type} by its id, read from Plivo (the resource is not managed by this program).
   */
  static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): ${schema.type} {
    return new ${schema.type}(name, undefined as unknown as ${schema.type}Args, { ...opts, id });
  }

  /** True when \`obj\` is a ${schema.type} of this package (also across copies of it). */
  static override isInstance(obj: unknown): obj is ${schema.type} {
    return obj !== undefined && obj !== null && (obj as { __pulumiType?: string }).__pulumiType === ${schema.type}.__pulumiType;
  }

${members.join("\n")}

  constructor(name: string, args: ${schema.type}Args, opts?: pulumi.CustomResourceOptions) {
    const props: pulumi.Inputs = {};
    // A required input left out is not refused here: the provider's check reports every missing or invalid input of
    // the resource at once, on its row and on one line each, as for the dynamic classes (a throw from a constructor
    // reaches the user as an unhandled exception with a stack trace).
    if (!opts?.id) {
${inputs.map((k) => (secret.includes(k) ? `      props.${k} = args?.${k} === undefined ? undefined : pulumi.secret(args.${k});` : `      props.${k} = args?.${k};`)).join("\n")}
    }
${outputsOnly.map((k) => `    props.${k} = undefined;`).join("\n")}
    // No plugin version: the default provider is the same one \`pulumi import\` and YAML programs use.
    super(${schema.type}.__pulumiType, name, props, ${secret.length > 0 ? `pulumi.mergeOptions(opts, { additionalSecretOutputs: ${JSON.stringify(secret)} })` : "opts"});
  }
}
`;
}

function providerClass(): string {
  const names = Object.keys(PROVIDER_CONFIG);
  const args = Object.entries(PROVIDER_CONFIG).map(
    ([k, v]) =>
      `${doc(`${v.description} Falls back to the ${v.env} environment variable.`, "  ")}  ${k}?: pulumi.Input<${v.type === "number" ? "number" : "string"}>;`,
  );
  const outputs = Object.entries(PROVIDER_CONFIG)
    .filter(([, v]) => v.type === "string")
    .map(([k, v]) => `${doc(v.description ?? k, "  ")}  declare readonly ${k}: pulumi.Output<string | undefined>;`);
  const secret = names.filter((k) => PROVIDER_CONFIG[k]!.secret);
  return `${header}import * as pulumi from "@pulumi/pulumi";

${doc("Arguments of {@link Provider}: one Plivo account (or subaccount).")}export interface ProviderArgs {
${args.join("\n")}
}

${doc(`${packageSchema("0").provider.description}\n\nWithout an explicit provider, resources use the default one, configured by the stack's \`plivo:*\` settings.`)}export class Provider extends pulumi.ProviderResource {
  /** @internal */
  static readonly __pulumiType = "plivo";

  /** True when \`obj\` is a plivo Provider (also across copies of this package). */
  static override isInstance(obj: unknown): obj is Provider {
    return obj !== undefined && obj !== null && (obj as { __pulumiType?: string }).__pulumiType === "pulumi:providers:" + Provider.__pulumiType;
  }

${outputs.join("\n")}

  constructor(name: string, args: ProviderArgs = {}, opts?: pulumi.ResourceOptions) {
    const props: pulumi.Inputs = {
${names.map((k) => (secret.includes(k) ? `      ${k}: args.${k} === undefined ? undefined : pulumi.secret(args.${k}),` : `      ${k}: args.${k},`)).join("\n")}
    };
    super(Provider.__pulumiType, name, props, pulumi.mergeOptions(opts, { additionalSecretOutputs: ${JSON.stringify(secret)} }));
  }
}
`;
}

function pluginIndex(): string {
  return `${header}${doc(
    [
      "pulumi-plivo/plugin: the Plivo resources served by the pulumi-resource-plivo provider plugin — type tokens",
      "`plivo:index:<Resource>`, `pulumi import`, explicit `Provider`s for several accounts, custom timeouts.",
      "The plugin must be installed for the Pulumi CLI (see the README): e.g. in Pulumi.yaml",
      "",
      "    plugins:",
      "      providers:",
      "        - name: plivo",
      "          path: ./node_modules/pulumi-plivo/bin",
    ].join("\n"),
  )}// Without it @pulumi/pulumi formats a stack trace for every promise of every property (see ../promiseDiagnostics).
import "../promiseDiagnostics";

export { Provider, type ProviderArgs } from "./provider";
${resourceSchemas.map((s) => `export { ${s.type} } from "./${camel(s.type)}";`).join("\n")}
export type * from "../types";
`;
}

/** Every file of the Node SDK, by path. */
export function nodejsFiles(): Map<string, string> {
  const ctx: TypeContext = { interfaces: new Map() };
  const docs = nestedDocs();
  const all = new Map<string, ResourceTypes>();
  for (const s of resourceSchemas) all.set(s.type, resourceTypes(s, ctx, docs));
  const files = new Map<string, string>();
  files.set("sdk/types.ts", typesFile(all, ctx));
  files.set("sdk/index.ts", dynamicIndex());
  for (const s of resourceSchemas) files.set(`sdk/plugin/${camel(s.type)}.ts`, pluginClass(s, all.get(s.type)!, ctx));
  files.set("sdk/plugin/provider.ts", providerClass());
  files.set("sdk/plugin/index.ts", pluginIndex());
  return files;
}
