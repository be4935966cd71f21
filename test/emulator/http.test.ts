/** Cross-cutting HTTP behaviour: auth, routing, encodings, pagination, errors. */
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

const app = (name: string) => ({ app_name: name, answer_url: "https://example.com/answer" });

describe("authentication", () => {
  it("accepts the configured Basic credentials", async () => {
    const r = await t.get("");
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ auth_id: "MAEMULATORACCOUNT0001", resource_uri: "/v1/Account/MAEMULATORACCOUNT0001/" });
    expect(r.body.api_id).toMatch(API_ID_RE);
  });

  it("401 for a wrong password, a missing header and a malformed header", async () => {
    const wrong = await t.call("GET", "Application/", { auth: [t.emu.authId, "nope"] });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toEqual({ error: "Authentication credentials invalid" });
    expect(wrong.headers["www-authenticate"]).toContain("Basic");
    expect((await t.call("GET", "Application/", { auth: false })).status).toBe(401);
    const res = await t.call("GET", "/v1/Account/MAEMULATORACCOUNT0001/Application/", { absolute: true, auth: false });
    expect(res.status).toBe(401);
  });

  it("401 when the path names another account than the credentials", async () => {
    const r = await t.call("GET", "/v1/Account/MAOTHERACCOUNT0000001/Application/", { absolute: true });
    expect(r.status).toBe(401);
    expect(r.body.error).toMatch(/Authentication/);
  });

  it("the control surface needs no credentials", async () => {
    expect((await t.control("GET", "health")).body).toEqual({ ok: true, auth_id: t.emu.authId });
  });
});

describe("routing", () => {
  it("trailing slash is optional, duplicate slashes are tolerated", async () => {
    expect((await t.get("Application")).status).toBe(200);
    expect((await t.get("Application/")).status).toBe(200);
    expect((await t.call("GET", `/v1/Account/${t.emu.authId}/Application//`, { absolute: true })).status).toBe(200);
  });

  it("paths are case-sensitive: unknown route → 404 {api_id, error:'not found'}", async () => {
    const r = await t.get("application/");
    expect(r.status).toBe(404);
    expect(r.body.error).toBe("not found");
    expect(r.body.api_id).toMatch(API_ID_RE);
    expect((await t.call("GET", "/nothing-here", { absolute: true, auth: false })).status).toBe(404);
  });

  it("wrong method → 405 with Allow", async () => {
    const r = await t.call("PUT", "Application/");
    expect(r.status).toBe(405);
    expect(r.body.error).toBe("method not allowed");
    expect(String(r.headers.allow)).toContain("POST");
    expect((await t.call("DELETE", "Application/")).status).toBe(405);
  });

  it("unknown ids → 404 not found", async () => {
    expect((await t.get("Application/12345678901234567/")).body).toMatchObject({ error: "not found" });
    expect((await t.get("Application/12345678901234567/")).status).toBe(404);
  });
});

describe("request encodings", () => {
  it("accepts JSON, JSON with charset, and form-encoded bodies", async () => {
    expect((await t.post("Application/", app("json_app"))).status).toBe(201);
    const charset = await t.call("POST", "Application/", { body: app("charset_app"), contentType: "application/json; charset=utf-8" });
    expect(charset.status).toBe(201);
    const form = await t.call("POST", "Application/", {
      rawBody: new URLSearchParams(app("form_app")).toString(),
      contentType: "application/x-www-form-urlencoded",
    });
    expect(form.status).toBe(201);
    const names = (await t.get("Application/")).body.objects.map((o: any) => o.app_name);
    expect(names).toEqual(["json_app", "charset_app", "form_app"]);
  });

  it("an empty body with a JSON content type is an empty parameter set", async () => {
    const r = await t.call("POST", "Application/", { contentType: "application/json" });
    expect(r.status).toBe(400);
    expect(r.body.error).toBe("app_name parameter is missing");
    const del = await t.call("DELETE", "Number/14155550000/", { contentType: "application/json" });
    expect(del.status).toBe(404);
  });

  it("invalid JSON → 400", async () => {
    const r = await t.call("POST", "Application/", { rawBody: "{nope", contentType: "application/json" });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatch(/JSON/);
  });

  it("DELETE parameters are read from the query string or from a JSON body", async () => {
    const pp1 = (await t.post("Powerpack/", { name: "p1" })).body;
    const pp2 = (await t.post("Powerpack/", { name: "p2" })).body;
    const n1 = await t.buy({ country_iso: "US", pattern: "212" });
    const n2 = await t.buy({ country_iso: "US", pattern: "213" });
    const pool = (pp: any) => pp.number_pool.split("/")[5];
    expect((await t.post(`NumberPool/${pool(pp1)}/Number/${n1}/`)).status).toBe(200);
    expect((await t.post(`NumberPool/${pool(pp2)}/Number/${n2}/`)).status).toBe(200);
    // query string
    const q = await t.call("DELETE", `Powerpack/${pp1.uuid}/`, { query: { unrent_numbers: "true" } });
    expect(q.status).toBe(200);
    expect((await t.get(`Number/${n1}/`)).status).toBe(404);
    // JSON body with a string boolean, capitalised like the seed's curl
    const b = await t.del(`Powerpack/${pp2.uuid}/`, { unrent_numbers: "True" });
    expect(b.status).toBe(200);
    expect((await t.get(`Number/${n2}/`)).status).toBe(404);
  });

  it("booleans: true/false/'true'/'false'/'True'/'False'; anything else → 400 naming the parameter", async () => {
    for (const v of [true, "true", "True"]) {
      await t.control("POST", "reset");
      const r = await t.post("Powerpack/", { name: `pp-${String(v)}`, sticky_sender: v === true ? false : "False", local_connect: v });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ sticky_sender: false, local_connect: true });
    }
    const bad = await t.post("Powerpack/", { name: "bad", sticky_sender: "yes" });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toContain("sticky_sender");
  });
});

describe("pagination", () => {
  beforeEach(async () => {
    for (let i = 0; i < 25; i++) await t.post("Application/", app(`app_${String(i).padStart(2, "0")}`));
  });

  it("default limit 20, meta with relative next/previous URLs and total_count", async () => {
    const r = await t.get("Application/");
    expect(r.body.objects).toHaveLength(20);
    expect(r.body.meta).toEqual({
      limit: 20,
      offset: 0,
      next: `/v1/Account/${t.emu.authId}/Application/?limit=20&offset=20`,
      previous: null,
      total_count: 25,
    });
    const next = await t.call("GET", r.body.meta.next, { absolute: true });
    expect(next.body.objects.map((o: any) => o.app_name)).toEqual(["app_20", "app_21", "app_22", "app_23", "app_24"]);
    expect(next.body.meta).toMatchObject({ offset: 20, next: null, previous: `/v1/Account/${t.emu.authId}/Application/?limit=20&offset=0` });
  });

  it("offset is an item offset and filters are repeated in next", async () => {
    const r = await t.get("Application/", { limit: 3, offset: 5 });
    expect(r.body.objects.map((o: any) => o.app_name)).toEqual(["app_05", "app_06", "app_07"]);
    const f = await t.get("Application/", { app_name: "app_07", limit: 1 });
    expect(f.body.meta).toMatchObject({ total_count: 1, next: null });
    const nums = await t.get("PhoneNumber/", { country_iso: "US", type: "tollfree", limit: 2 });
    expect(nums.body.meta.next).toBe(`/v1/Account/${t.emu.authId}/PhoneNumber/?country_iso=US&type=tollfree&limit=2&offset=2`);
  });

  it("limit must be 1..20 and offset ≥ 0 (400 naming the parameter)", async () => {
    for (const limit of [0, 21, "abc", -1]) {
      const r = await t.get("Application/", { limit });
      expect(r.status).toBe(400);
      expect(r.body.error).toContain("limit");
    }
    const o = await t.get("Application/", { offset: -1 });
    expect(o.status).toBe(400);
    expect(o.body.error).toContain("offset");
    expect((await t.get("Application/", { limit: 1 })).body.objects).toHaveLength(1);
    expect((await t.get("Application/", { offset: 100 })).body.objects).toEqual([]);
  });
});
