/**
 * The package schema the plugin serves: every reference resolves, required names exist, the tokens and config are
 * the ones the SDKs and docs promise, descriptions carry the rules `check` enforces, and it is deterministic.
 * (test/engine/plugin-schema.test.ts has the Pulumi CLI itself load and bind it through the plugin.)
 */
import { describe, expect, it } from "vitest";
import { resourceSchemas } from "../../schema/index";
import { CONFIG_KEYS } from "../../provider/config";
import { packageSchema, PROVIDER_CONFIG, type PropertySpec } from "../../provider/plugin/packageSchema";

const schema = packageSchema("1.2.3");

function refsOf(spec: PropertySpec): string[] {
  return [...(spec.$ref ? [spec.$ref] : []), ...(spec.items ? refsOf(spec.items) : [])];
}

describe("package schema", () => {
  it("has one plivo:index resource per resource schema", () => {
    expect(Object.keys(schema.resources)).toEqual(resourceSchemas.map((s) => `plivo:index:${s.type}`));
    expect(schema.name).toBe("plivo");
    expect(schema.version).toBe("1.2.3");
  });

  it("every $ref resolves and every required property exists", () => {
    const props: PropertySpec[] = [];
    for (const r of Object.values(schema.resources)) {
      props.push(...Object.values(r.properties), ...Object.values(r.inputProperties));
      for (const k of r.required ?? []) expect(r.properties, k).toHaveProperty(k);
      for (const k of r.requiredInputs ?? []) expect(r.inputProperties, k).toHaveProperty(k);
    }
    for (const t of Object.values(schema.types)) {
      props.push(...Object.values(t.properties));
      for (const k of t.required ?? []) expect(t.properties, k).toHaveProperty(k);
    }
    const refs = props.flatMap(refsOf);
    expect(refs.length).toBeGreaterThan(5);
    for (const ref of refs) expect(Object.keys(schema.types)).toContain(ref.replace("#/types/", ""));
    for (const p of props) expect(p.description, JSON.stringify(p)).toMatch(/\S/);
  });

  it("inputs carry their rules, defaults and replace marks; required inputs match the schema", () => {
    const app = schema.resources["plivo:index:Application"]!;
    expect(app.inputProperties.appName).toMatchObject({ type: "string", willReplaceOnChanges: true });
    expect(app.inputProperties.appName!.description).toContain("may contain only letters, digits, '-' and '_'");
    expect(app.inputProperties.appName!.description).toContain("Changing it replaces the resource.");
    expect(app.inputProperties.answerMethod).toMatchObject({ default: "POST" });
    expect(app.inputProperties.answerMethod!.description).toContain("Must be one of GET, POST (case-insensitive).");
    expect(app.requiredInputs).toEqual(["appName", "answerUrl"]);
    expect(app.required).toContain("appId");

    const campaign = schema.resources["plivo:index:Campaign"]!;
    // The five registry attributes without a default must be declared; the three that must be true default to it.
    expect(campaign.requiredInputs).toEqual(expect.arrayContaining(["embeddedLink", "embeddedPhone", "ageGated", "directLending", "affiliateMarketing"]));
    expect(campaign.requiredInputs).not.toContain("subscriberOptin");
    expect(campaign.required).toEqual(expect.arrayContaining(["campaignId", "registrationStatus"]));
    expect(schema.resources["plivo:index:PhoneNumber"]!.inputProperties.search!.description).toContain("Changing it later has no effect");
    expect(schema.resources["plivo:index:Brand"]!.properties.vettingScore).toMatchObject({ type: "number" });
    expect(schema.resources["plivo:index:PhoneNumber"]!.properties.smsEnabled).toMatchObject({ type: "boolean" });
    expect(schema.resources["plivo:index:NumberPoolMember"]!.description).toContain(
      "pulumi import plivo:index:NumberPoolMember <name> <id>, where the id is `{powerpackId}/{number}`".replace("<name> <id>, where", "<name> <id>`, where"),
    );
  });

  it("declares the provider's configuration, the token secret", () => {
    expect(Object.keys(schema.config.variables)).toEqual([
      "authId",
      "authToken",
      "baseUrl",
      "rateLimit",
      "timeoutSeconds",
      "journalDir",
      "fees",
      "previewOffline",
    ]);
    expect(schema.config.variables.authToken).toMatchObject({ type: "string", secret: true });
    expect(schema.config.variables.timeoutSeconds).toMatchObject({ type: "number" });
    expect(schema.provider.inputProperties).toEqual(schema.config.variables);
    expect(schema.provider.inputProperties.authId!.description).toContain("PLIVO_AUTH_ID");
  });

  it("declares every setting provider/config.ts resolves, with the same environment variable", () => {
    for (const [name, { key, env }] of Object.entries(CONFIG_KEYS)) {
      expect(key).toBe(`plivo:${name}`);
      expect(PROVIDER_CONFIG[name]?.env, name).toBe(env);
    }
  });

  it("is deterministic", () => {
    expect(JSON.stringify(packageSchema("1.2.3"))).toBe(JSON.stringify(schema));
  });
});
