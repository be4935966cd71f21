/** Phone numbers: inventory search + buy (/PhoneNumber/) and account numbers (/Number/). */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { API_ID_RE, startTestEmulator, type TestEmulator } from "../helpers/emulator";

let t: TestEmulator;
beforeAll(async () => {
  t = await startTestEmulator();
});
afterAll(() => t.close());
beforeEach(async () => {
  await t.control("POST", "reset");
});

const A = "MAEMULATORACCOUNT0001";

async function searchAll(query: Record<string, string>): Promise<any[]> {
  const out: any[] = [];
  for (let offset = 0; ; offset += 20) {
    const r = await t.get("PhoneNumber/", { ...query, offset });
    expect(r.status).toBe(200);
    out.push(...r.body.objects);
    if (!r.body.meta.next) return out;
  }
}

describe("inventory search GET /PhoneNumber/", () => {
  it("country_iso is required and must be 2 letters", async () => {
    const r = await t.get("PhoneNumber/");
    expect(r.status).toBe(400);
    expect(r.body.error).toBe("country_iso parameter is missing");
    expect((await t.get("PhoneNumber/", { country_iso: "USA" })).status).toBe(400);
  });

  it("returns inventory objects under `objects` with the documented fields", async () => {
    const r = await t.get("PhoneNumber/", { country_iso: "us", pattern: "415", limit: 1 });
    expect(r.body.meta).toMatchObject({ limit: 1, offset: 0, total_count: 5 });
    const o = r.body.objects[0];
    expect(Object.keys(o).sort()).toEqual(
      [
        "city",
        "country",
        "lata",
        "monthly_rental_rate",
        "mms_enabled",
        "mms_rate",
        "number",
        "prefix",
        "rate_center",
        "region",
        "resource_uri",
        "restriction",
        "restriction_text",
        "setup_rate",
        "sms_enabled",
        "sms_rate",
        "sub_type",
        "type",
        "voice_enabled",
        "voice_rate",
      ].sort(),
    );
    expect(o).toMatchObject({
      prefix: "415",
      city: "San Francisco",
      region: "California",
      country: "UNITED STATES",
      lata: 722,
      type: "fixed",
      sub_type: "local",
    });
    expect(o.number).toMatch(/^1415\d{7}$/);
    expect(o.resource_uri).toBe(`/v1/Account/${A}/PhoneNumber/${o.number}/`);
  });

  it("seeded inventory: ≥30 US area codes, CA locals, all toll-free prefixes, mobiles for GB/DE/IN/AU; deterministic", async () => {
    const us = await searchAll({ country_iso: "US", type: "local" });
    expect(new Set(us.map((o) => o.prefix)).size).toBeGreaterThanOrEqual(30);
    expect(us.every((o) => o.rate_center && o.lata && o.city && o.region)).toBe(true);
    const tf = await searchAll({ country_iso: "US", type: "tollfree" });
    expect(new Set(tf.map((o) => o.prefix))).toEqual(new Set(["800", "833", "844", "855", "866", "877", "888"]));
    expect(tf.every((o) => o.type === "tollfree")).toBe(true);
    expect((await searchAll({ country_iso: "CA" })).length).toBeGreaterThan(0);
    for (const c of ["GB", "DE", "IN", "AU"]) {
      const m = await searchAll({ country_iso: c, type: "mobile" });
      expect(m.length).toBeGreaterThan(0);
      expect(m.every((o) => o.type === "mobile")).toBe(true);
    }
    const other = await startTestEmulator();
    try {
      expect((await other.get("PhoneNumber/", { country_iso: "US" })).body.objects).toEqual((await t.get("PhoneNumber/", { country_iso: "US" })).body.objects);
    } finally {
      await other.close();
    }
  });

  it("filters: type, pattern (with * wildcard), region, services, city; case-insensitive enums", async () => {
    const ca = await searchAll({ country_iso: "US", region: "california" });
    expect(ca.length).toBeGreaterThan(0);
    expect(ca.every((o) => o.region === "California")).toBe(true);
    expect((await searchAll({ country_iso: "US", region: "CA" })).length).toBe(ca.length);
    const wild = await searchAll({ country_iso: "US", pattern: "4*5" });
    expect(wild.every((o) => /^14\d5/.test(o.number))).toBe(true);
    expect(new Set(wild.map((o) => o.prefix)).has("415")).toBe(true);
    const voiceOnly = await searchAll({ country_iso: "US", type: "LOCAL" });
    const smsCapable = await searchAll({ country_iso: "US", type: "local", services: "voice,sms" });
    expect(smsCapable.length).toBeLessThan(voiceOnly.length);
    expect(smsCapable.every((o) => o.sms_enabled && o.voice_enabled)).toBe(true);
    expect((await searchAll({ country_iso: "US", city: "austin" })).every((o) => o.city === "Austin")).toBe(true);
    expect((await t.get("PhoneNumber/", { country_iso: "US", type: "satellite" })).status).toBe(400);
    expect((await t.get("PhoneNumber/", { country_iso: "US", services: "fax" })).status).toBe(400);
  });
});

describe("buy POST /PhoneNumber/{number}/", () => {
  it("201 {api_id, message, numbers:[{number,status:'Success'}], status:'fulfilled'}; removed from inventory; second buy → 404", async () => {
    const n = (await t.get("PhoneNumber/", { country_iso: "US", pattern: "212", limit: 1 })).body.objects[0].number;
    const r = await t.post(`PhoneNumber/${n}/`);
    expect(r.status).toBe(201);
    expect(r.body).toEqual({
      api_id: expect.stringMatching(API_ID_RE),
      message: "created",
      numbers: [{ number: n, status: "Success" }],
      status: "fulfilled",
    });
    expect((await searchAll({ country_iso: "US", pattern: "212" })).map((o) => o.number)).not.toContain(n);
    const again = await t.post(`PhoneNumber/${n}/`);
    expect(again.status).toBe(404);
    expect(again.body).toEqual({ api_id: expect.stringMatching(API_ID_RE), error: "not found" });
    expect((await t.post("PhoneNumber/19995550123/")).status).toBe(404);
    const buys = (await t.control("GET", "state")).body.ledger.filter((e: any) => e.action === "buy");
    expect(buys).toEqual([expect.objectContaining({ action: "buy", number: n, seq: expect.any(Number), at: expect.any(String) })]);
  });

  it("accepts +E.164 in the path; app_id / cnam_lookup at buy time", async () => {
    const app = (await t.post("Application/", { app_name: "a", answer_url: "https://e.com" })).body.app_id;
    const n = (await t.get("PhoneNumber/", { country_iso: "US", pattern: "617", limit: 1 })).body.objects[0].number;
    expect((await t.post(`PhoneNumber/${encodeURIComponent(`+${n}`)}/`, { app_id: app, cnam_lookup: "Enabled" })).status).toBe(201);
    const g = (await t.get(`Number/${n}/`)).body;
    expect(g).toMatchObject({ application: `/v1/Account/${A}/Application/${app}/`, cnam_lookup: "enabled" });
    const bad = (await t.get("PhoneNumber/", { country_iso: "GB", limit: 1 })).body.objects[0].number;
    const r = await t.post(`PhoneNumber/${bad}/`, { cnam_lookup: "enabled" });
    expect(r.status).toBe(400);
    expect(r.body.error).toContain("cnam_lookup");
    const missingApp = await t.post(`PhoneNumber/${bad}/`, { app_id: "11111111111111111" });
    expect(missingApp.status).toBe(400);
    expect(missingApp.body.error).toContain("app_id");
  });
});

describe("account numbers /Number/", () => {
  it("GET returns the full AccountPhoneNumber object", async () => {
    const n = await t.buy({ country_iso: "US", pattern: "512" });
    const g = await t.get(`Number/${n}/`);
    expect(g.status).toBe(200);
    expect(g.body).toMatchObject({
      api_id: expect.stringMatching(API_ID_RE),
      number: n,
      alias: null,
      sub_account: null,
      added_on: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      renewal_date: expect.stringMatching(/^\d{4}-\d{2}-01$/),
      application: null,
      carrier: "Plivo",
      region: "Texas, UNITED STATES",
      number_type: "local",
      monthly_rental_rate: "0.50000",
      sms_enabled: true,
      mms_enabled: true,
      voice_enabled: true,
      cnam_lookup: "disabled",
      tendlc_registration_status: "UNREGISTERED",
      tendlc_campaign_id: null,
      toll_free_sms_verification: null,
      caller_reputation_status: null,
      profile_uuid: null,
      resource_uri: `/v1/Account/${A}/Number/${n}/`,
    });
    for (const k of ["sms_rate", "mms_rate", "voice_rate", "cnam", "compliance_application_id", "compliance_status"]) {
      expect(g.body).toHaveProperty(k);
    }
    const tf = await t.buy({ country_iso: "US", type: "tollfree", pattern: "855" });
    expect((await t.get(`Number/${tf}/`)).body).toMatchObject({
      number_type: "tollfree",
      toll_free_sms_verification: "UNVERIFIED",
      tendlc_registration_status: null,
    });
    const gb = await t.buy({ country_iso: "GB", type: "mobile" });
    expect((await t.get(`Number/${gb}/`)).body).toMatchObject({ number_type: "mobile", cnam_lookup: null, toll_free_sms_verification: null });
    expect((await t.get("Number/14155550000/")).status).toBe(404);
  });

  it("update → 202 changed: app_id (''/'none' detach), alias, subaccount, cnam, caller reputation", async () => {
    const app = (await t.post("Application/", { app_name: "a", answer_url: "https://e.com" })).body.app_id;
    const n = await t.buy({ country_iso: "US", pattern: "303" });
    const sa = (await t.post("Subaccount/", { name: "team", enabled: true })).body.auth_id;
    const u = await t.post(`Number/${n}/`, { app_id: app, alias: "main line", subaccount: sa, cnam_lookup: "enabled", cnam: "ACME INC" });
    expect(u.status).toBe(202);
    expect(u.body).toEqual({ api_id: expect.stringMatching(API_ID_RE), message: "changed" });
    expect((await t.get(`Number/${n}/`)).body).toMatchObject({
      application: `/v1/Account/${A}/Application/${app}/`,
      alias: "main line",
      sub_account: sa,
      sub_account_name: "team",
      cnam_lookup: "enabled",
      cnam: "ACME INC",
    });
    await t.post(`Number/${n}/`, { app_id: "" });
    expect((await t.get(`Number/${n}/`)).body.application).toBeNull();
    await t.post(`Number/${n}/`, { app_id: app });
    await t.post(`Number/${n}/`, { app_id: "none" });
    expect((await t.get(`Number/${n}/`)).body.application).toBeNull();

    const noProfile = await t.post(`Number/${n}/`, { caller_reputation: "enabled" });
    expect(noProfile.status).toBe(400);
    expect(noProfile.body.error).toContain("profile_uuid");
    const primary = (await t.get("Profile/", { type: "primary" })).body.profiles[0].profile_uuid;
    expect((await t.post(`Number/${n}/`, { caller_reputation: "enabled", profile_uuid: primary })).status).toBe(202);
    expect((await t.get(`Number/${n}/`)).body).toMatchObject({ caller_reputation_status: "ACTIVE", profile_uuid: primary });
  });

  it("update rejects unknown parameters, bad values, missing apps and unknown numbers", async () => {
    const n = await t.buy({ country_iso: "US", pattern: "404" });
    const unknown = await t.post(`Number/${n}/`, { alias: "x", number_type: "mobile" });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toContain("number_type");
    expect((await t.get(`Number/${n}/`)).body.alias).toBeNull(); // nothing applied
    expect((await t.post(`Number/${n}/`, { cnam_lookup: "sometimes" })).body.error).toContain("cnam_lookup");
    expect((await t.post(`Number/${n}/`, { app_id: "123" })).status).toBe(400);
    expect((await t.post(`Number/${n}/`, { profile_uuid: "00000000-0000-0000-0000-000000000000" })).status).toBe(400);
    expect((await t.post("Number/14155550000/", { alias: "x" })).status).toBe(404);
  });

  it("list with filters: type, number_startswith, alias, subaccount, services", async () => {
    const a = await t.buy({ country_iso: "US", pattern: "415" });
    const b = await t.buy({ country_iso: "US", pattern: "212" });
    const tf = await t.buy({ country_iso: "US", type: "tollfree" });
    const voice = (await searchAll({ country_iso: "US", pattern: "206" })).find((o) => !o.sms_enabled).number;
    await t.post(`PhoneNumber/${voice}/`);
    const sa = (await t.post("Subaccount/", { name: "sales" })).body.auth_id;
    expect((await t.post(`Number/${a}/`, { alias: "sales", subaccount: sa })).status).toBe(202);
    const all = await t.get("Number/");
    expect(all.body.objects.map((o: any) => o.number)).toEqual([a, b, tf, voice]);
    expect(all.body.meta.total_count).toBe(4);
    const nums = async (q: Record<string, string>) => (await t.get("Number/", q)).body.objects.map((o: any) => o.number);
    expect(await nums({ type: "tollfree" })).toEqual([tf]);
    expect(await nums({ type: "local" })).toEqual([a, b, voice]);
    expect(await nums({ number_startswith: "1415" })).toEqual([a]);
    expect(await nums({ alias: "sales" })).toEqual([a]);
    expect(await nums({ subaccount: sa })).toEqual([a]);
    expect(await nums({ services: "sms" })).toEqual([a, b, tf]);
    expect(await nums({ tendlc_registration_status: "unregistered" })).toEqual([a, b, voice]);
    expect((await t.get("Number/", { type: "pager" })).status).toBe(400);
  });

  it("unrent → 204; 10-day reserve: not searchable, not buyable; ledger records it", async () => {
    const n = await t.buy({ country_iso: "US", pattern: "602" });
    const d = await t.del(`Number/${n}/`);
    expect(d.status).toBe(204);
    expect(d.text).toBe("");
    expect((await t.get(`Number/${n}/`)).status).toBe(404);
    expect((await t.del(`Number/${n}/`)).status).toBe(404);
    expect((await searchAll({ country_iso: "US", pattern: "602" })).map((o) => o.number)).not.toContain(n);
    expect((await t.post(`PhoneNumber/${n}/`)).status).toBe(404);
    const state = (await t.control("GET", "state")).body;
    const reserved = state.reserved.find((r: any) => r.number === n);
    const days = (Date.parse(reserved.reserved_until) - Date.parse(reserved.unrented_at)) / 86400_000;
    expect(days).toBe(10);
    expect(state.ledger.filter((e: any) => e.number === n).map((e: any) => e.action)).toEqual(["buy", "charge", "charge", "unrent"]);
  });
});
