/**
 * The bad-input corpus (corpus.ts) through `check`: each case fails with exactly one failure naming the field's full
 * path and the rule, and never echoes a credential; every rule a schema declares (of a field, at any depth, or across
 * fields) has a case. Then: every failure of one resource is reported at once, and rules about valid fields still run
 * next to invalid or unknown ones.
 */
import { describe, expect, it } from "vitest";
import { fieldRules } from "../../schema/describe";
import { checkInputs } from "../../provider/core/check";
import { UNKNOWN } from "../../provider/core/unknowns";
import { handlers } from "../../provider/resources";
import { CORPUS, VALID, withValue, type Resource } from "./corpus";

const schemaOf = (r: Resource) => handlers[r].schema;

describe("the bad-input corpus", () => {
  it("has at least 300 cases across every resource of the registry, and every base resource is valid", () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(300);
    expect(new Set(CORPUS.map((c) => c.resource))).toEqual(new Set(Object.keys(handlers)));
    for (const r of Object.keys(VALID) as Resource[]) expect(checkInputs(schemaOf(r), VALID[r]).failures).toEqual([]);
  });

  it.each(CORPUS.map((c) => [`${c.resource} ${c.path}: ${c.what}`, c] as const))("%s", (_name, c) => {
    const { failures } = checkInputs(schemaOf(c.resource), c.inputs);
    expect(failures).toHaveLength(1);
    expect(failures[0].property).toBe(c.path);
    expect(failures[0].reason.startsWith(`${c.path}: ${c.rule}`), `reason: ${failures[0].reason}`).toBe(true);
    expect(failures[0].reason).not.toMatch(/\n/);
    if (c.hidden) expect(failures[0].reason).not.toContain(c.hidden);
  });
});

const unindexed = (path: string) => path.replace(/\.\d+(?=\.|$)/g, "");

describe("every rule of every schema has a case in the corpus", () => {
  it.each(Object.keys(VALID) as Resource[])("%s", (resource) => {
    const schema = schemaOf(resource);
    const cases = CORPUS.filter((c) => c.resource === resource).map((c) => ({ ...c, ...checkInputs(schema, c.inputs) }));
    const missing: string[] = [];
    // A rule of a field is covered by a case failing at that field's path with the rule's words.
    for (const [name, field] of Object.entries(schema.inputs)) {
      for (const [path, rules] of fieldRules(name, field, "")) {
        for (const rule of rules) {
          if (!cases.some((c) => unindexed(c.path) === path && c.failures.some((f) => f.reason.startsWith(`${c.path}: ${rule}`))))
            missing.push(`${path}: ${rule}`);
        }
      }
    }
    // A rule across inputs is covered by a case whose expected failure that rule produces.
    for (const rule of schema.rules ?? []) {
      const produces = (c: (typeof cases)[number]) => {
        try {
          return rule.check(c.inputs).some((f) => f.property === c.path && f.reason.startsWith(`${c.path}: ${c.rule}`));
        } catch {
          return false; // an input the rule reads is missing or invalid in this case: check would not run it
        }
      };
      if (!cases.some(produces)) missing.push(`across inputs: ${rule.says}`);
    }
    expect(missing, `rules without a case:\n${missing.join("\n")}`).toEqual([]);
  });
});

describe("all errors of a resource together", () => {
  it("a profile with five problems at three depths gets five failures", () => {
    let bad = withValue(VALID.Profile, "address.country", "XX");
    bad = withValue(bad, "authorizedContact.email", "nope");
    bad = withValue(bad, "authorizedContact.title", undefined);
    bad = { ...bad, vertical: "space", website: "https://u:pw@x.example.com", colour: "blue" };
    delete (bad.authorizedContact as Record<string, unknown>).title;
    const { failures } = checkInputs(schemaOf("Profile"), bad);
    expect(failures.map((f) => f.property).sort()).toEqual(
      ["address.country", "authorizedContact.email", "authorizedContact.title", "colour", "vertical", "website"].sort(),
    );
  });

  it("a campaign breaking three rules and two fields reports all five", () => {
    const bad = { ...VALID.Campaign, usecase: "starter", subscriberOptin: false, subscriberHelp: false, sample1: "short", vertical: "space" };
    const { failures } = checkInputs(schemaOf("Campaign"), bad);
    expect(failures.map((f) => f.property).sort()).toEqual(["sample1", "subscriberHelp", "subscriberOptin", "usecase", "vertical"]);
  });

  it("rules about known fields run while other inputs are still unknown (the first preview of a new stack)", () => {
    const { failures } = checkInputs(schemaOf("Campaign"), { ...VALID.Campaign, brandId: UNKNOWN, usecase: "starter" });
    expect(failures.map((f) => f.reason)).toEqual([expect.stringMatching(/^usecase: STARTER is only for STARTER brands/)]);
    const link = checkInputs(schemaOf("CampaignNumberLink"), { campaignId: UNKNOWN, number: "+18005550100" });
    expect(link.failures.map((f) => f.property)).toEqual(["number"]);
  });

  it("a rule waits while one of its own inputs is unknown or invalid", () => {
    expect(checkInputs(schemaOf("Campaign"), { ...VALID.Campaign, usecase: UNKNOWN }).failures).toEqual([]);
    const invalid = checkInputs(schemaOf("PhoneNumber"), { number: "nope", search: { countryIso: "US" } });
    // `number` is invalid: the number-xor-search rule does not pile a second message on it.
    expect(invalid.failures.map((f) => f.property)).toEqual(["number"]);
  });
});
