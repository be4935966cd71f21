/** Profile: /Profile/ behaviour. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { API_ID_RE, UUID_RE, startTestEmulator, type TestEmulator } from "../helpers/emulator";
import type { Ctx } from "../../emulator/context";

let t: TestEmulator;
beforeAll(async () => {
  t = await startTestEmulator();
});
afterAll(() => t.close());
beforeEach(async () => {
  await t.control("POST", "reset");
});

const valid = {
  profile_alias: "acme",
  customer_type: "direct",
  entity_type: "private",
  company_name: "Acme Inc",
  vertical: "Technology",
  ein: "123456789",
  ein_issuing_country: "us",
  address: { street: "1 Main St", city: "Austin", state: "TX", postal_code: "73301", country: "us" },
  authorized_contact: { first_name: "Ada", last_name: "Lovelace", email: "ada@acme.test", title: "CTO", seniority: "cfo", phone: "+15125550100" },
};

async function primaryUuid(): Promise<string> {
  return (await t.get("Profile/", { type: "PRIMARY" })).body.profiles[0].profile_uuid;
}

describe("Profile", () => {
  it("a PRIMARY profile is seeded", async () => {
    const l = await t.get("Profile/");
    expect(l.body.profiles).toHaveLength(1);
    expect(l.body.profiles[0]).toMatchObject({ profile_type: "PRIMARY" });
    expect(l.body.profiles[0].primary_profile).toBe(l.body.profiles[0].profile_uuid);
  });

  it("create → 200 {api_id, message, profile_uuid}; GET {api_id, profile}: upper-case enums, PRIVATE → PRIVATE_PROFIT", async () => {
    const c = await t.post("Profile/", valid);
    expect(c.status).toBe(200);
    expect(c.body).toEqual({
      api_id: expect.stringMatching(API_ID_RE),
      message: "Profile created successfully.",
      profile_uuid: expect.stringMatching(UUID_RE),
    });
    const g = await t.get(`Profile/${c.body.profile_uuid}/`);
    expect(Object.keys(g.body).sort()).toEqual(["api_id", "profile"]);
    expect(g.body.profile).toMatchObject({
      profile_uuid: c.body.profile_uuid,
      profile_type: "SECONDARY",
      primary_profile: await primaryUuid(),
      profile_alias: "acme",
      customer_type: "DIRECT",
      entity_type: "PRIVATE_PROFIT",
      vertical: "TECHNOLOGY",
      ein_issuing_country: "US",
      address: { street: "1 Main St", city: "Austin", state: "TX", postal_code: "73301", country: "US" },
      authorized_contact: { first_name: "Ada", seniority: "CFO", email: "ada@acme.test" },
      created_at: expect.any(String),
    });
  });

  it("validation: required fields, enums, PUBLIC needs stock_symbol + stock_exchange", async () => {
    for (const k of ["profile_alias", "customer_type", "entity_type", "company_name", "vertical", "address", "authorized_contact"]) {
      const body: Record<string, unknown> = { ...valid };
      delete body[k];
      const r = await t.post("Profile/", body);
      expect(r.status).toBe(400);
      expect(r.body.error).toBe(`${k} parameter is missing`);
    }
    expect((await t.post("Profile/", { ...valid, vertical: "SPACE" })).body.error).toContain("vertical");
    expect((await t.post("Profile/", { ...valid, customer_type: "partner" })).body.error).toContain("customer_type");
    // seniority is free text (recorded responses show "admin", "Mr."): docs/plivo-api.md §6.2
    const sen = await t.post("Profile/", { ...valid, authorized_contact: { ...valid.authorized_contact, seniority: "boss" } });
    expect(sen.status).toBe(200);
    const addr = await t.post("Profile/", { ...valid, address: { ...valid.address, city: undefined } });
    expect(addr.body.error).toBe("address.city parameter is missing");
    const pub = await t.post("Profile/", { ...valid, entity_type: "PUBLIC" });
    expect(pub.status).toBe(400);
    expect(pub.body.error).toContain("stock_symbol");
    const pub2 = await t.post("Profile/", { ...valid, entity_type: "public", stock_symbol: "ACME" });
    expect(pub2.body.error).toContain("stock_exchange");
    const ok = await t.post("Profile/", { ...valid, entity_type: "public", stock_symbol: "ACME", stock_exchange: "nasdaq" });
    expect(ok.status).toBe(200);
    const g = (await t.get(`Profile/${ok.body.profile_uuid}/`)).body.profile;
    expect(g).toMatchObject({ entity_type: "PUBLIC_PROFIT", stock_symbol: "ACME", stock_exchange: "NASDAQ" });
    const ind = await t.post("Profile/", { ...valid, entity_type: "individual", ein: undefined, ein_issuing_country: undefined });
    expect(ind.status).toBe(200);
  });

  it("list key `profiles`, meta without total_count, filters entity_type/type/vertical", async () => {
    await t.post("Profile/", valid);
    await t.post("Profile/", { ...valid, profile_alias: "b", vertical: "retail", entity_type: "non_profit" });
    const l = await t.get("Profile/", { limit: 1 });
    expect(l.body.meta).toEqual({ limit: 1, offset: 0, next: `/v1/Account/${t.emu.authId}/Profile/?limit=1&offset=1`, previous: null });
    expect(l.body.profiles).toHaveLength(1);
    expect((await t.get("Profile/", { type: "secondary" })).body.profiles).toHaveLength(2);
    expect((await t.get("Profile/", { vertical: "RETAIL" })).body.profiles.map((p: any) => p.profile_alias)).toEqual(["b"]);
    expect((await t.get("Profile/", { entity_type: "PRIVATE" })).body.profiles.map((p: any) => p.profile_alias)).toEqual(["primary", "acme"]);
    expect((await t.get("Profile/", { entity_type: "non_profit" })).body.profiles.map((p: any) => p.profile_alias)).toEqual(["b"]);
  });

  it("update: partial, only the documented set (else 400), returns {api_id, profile}", async () => {
    const id = (await t.post("Profile/", valid)).body.profile_uuid;
    const u = await t.post(`Profile/${id}/`, { company_name: "Acme Holdings", address: { city: "Dallas" }, vertical: "retail", website: "https://acme.test" });
    expect(u.status).toBe(200);
    expect(u.body.api_id).toMatch(API_ID_RE);
    expect(u.body.profile).toMatchObject({
      company_name: "Acme Holdings",
      vertical: "RETAIL",
      website: "https://acme.test",
      address: { city: "Dallas", street: "1 Main St" },
      profile_alias: "acme",
    });
    for (const bad of [{ profile_alias: "x" }, { customer_type: "RESELLER" }, { stock_symbol: "X" }, { stock_exchange: "NYSE" }]) {
      const r = await t.post(`Profile/${id}/`, bad);
      expect(r.status).toBe(400);
      expect(r.body.error).toContain(Object.keys(bad)[0]);
    }
    expect((await t.post(`Profile/${id}/`, { entity_type: "public" })).status).toBe(400);
    expect((await t.post(`Profile/${id}/`, { entity_type: "government" })).body.profile.entity_type).toBe("GOVERNMENT");
    expect((await t.post(`Profile/${id}/`, {})).status).toBe(400);
    expect((await t.post("Profile/00000000-0000-0000-0000-000000000000/", { website: "x" })).status).toBe(404);
  });

  it("delete → 200 message; primary cannot be deleted; in-use profiles cannot be deleted", async () => {
    const id = (await t.post("Profile/", valid)).body.profile_uuid;
    const prim = await t.del(`Profile/${await primaryUuid()}/`);
    expect(prim.status).toBe(400);
    expect(prim.body.error).toContain("primary");
    // a number using the profile (caller reputation) blocks deletion
    const n = await t.buy({ country_iso: "US", pattern: "415" });
    await t.post(`Number/${n}/`, { profile_uuid: id });
    const inUse = await t.del(`Profile/${id}/`);
    expect(inUse.status).toBe(400);
    expect(inUse.body.error).toContain("in use");
    await t.post(`Number/${n}/`, { profile_uuid: "" });
    // guards registered by other resource modules (how Brand/TFV plug in)
    const ctx: Ctx = t.emu.ctx;
    let blocked = true;
    ctx.hooks.guard("profile", (_s, uuid) => (blocked && uuid === id ? "profile is used by brand BEMU001" : undefined));
    expect((await t.del(`Profile/${id}/`)).body.error).toBe("profile is used by brand BEMU001");
    blocked = false;
    const d = await t.del(`Profile/${id}/`);
    expect(d.status).toBe(200);
    expect(d.body).toEqual({ api_id: expect.stringMatching(API_ID_RE), message: "Profile deleted successfully." });
    expect((await t.get(`Profile/${id}/`)).status).toBe(404);
  });
});
