/**
 * Every resource's example (schema `example`, rendered in TypeScript and YAML on its reference page) is a declaration
 * its own check accepts: with the references to other resources resolved to ids of the right shape, and with them
 * unknown as in a first preview.
 */
import { describe, expect, it } from "vitest";
import { check } from "../../provider/core/crud";
import { UNKNOWN } from "../../provider/core/unknowns";
import { handlers } from "../../provider/resources";

/** What the examples' references stand for: ids as Plivo gives them. */
const IDS: Record<string, string> = {
  "support.id": "20468599130939380",
  "support-line.id": "14155550100",
  "otp-sender.id": "18005550100",
  "notifications.id": "0b3c2ad4-6a1c-4b8e-9d3c-2f8c9d1e7a11",
  "acme.id": "5ec4c8c9-cd74-42b5-9e41-0d7670d6bb46",
  "acme-brand.id": "BCDEF1G",
  "order-updates.id": "CVWMV6V",
};

/** What the examples' config values stand for. */
const CONFIG: Record<string, string> = { deskPassword: "correct-horse-battery" };

function resolve(v: unknown, ids: (path: string) => unknown): unknown {
  if (typeof v === "object" && v !== null && "$ref" in v) return ids(String((v as { $ref: string }).$ref));
  if (typeof v === "object" && v !== null && "$config" in v) {
    const key = String((v as { $config: string }).$config);
    expect(CONFIG[key], `no value for the config key ${key}: add one to CONFIG`).toBeDefined();
    return CONFIG[key];
  }
  if (Array.isArray(v)) return v.map((x) => resolve(x, ids));
  if (typeof v === "object" && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolve(x, ids)]));
  return v;
}

describe("resource examples", () => {
  for (const [type, h] of Object.entries(handlers)) {
    it(`${type}: the example passes check, with its references known and unknown`, () => {
      const known = resolve(h.schema.example.inputs, (path) => {
        expect(IDS[path], `no id for the reference ${path}: add one to IDS`).toBeDefined();
        return IDS[path];
      }) as Record<string, unknown>;
      expect(check(h, {}, known).failures).toEqual([]);
      const unknown = resolve(h.schema.example.inputs, () => UNKNOWN) as Record<string, unknown>;
      expect(check(h, {}, unknown).failures).toEqual([]);
    });
  }
});
