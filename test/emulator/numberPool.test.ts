/** NumberPool members: /NumberPool/{pool}/Number|Tollfree|Shortcode/ behaviour and business rules. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { API_ID_RE, startTestEmulator, type TestEmulator } from "../helpers/emulator";

let t: TestEmulator;
beforeAll(async () => {
  t = await startTestEmulator();
});
afterAll(() => t.close());

const A = "MAEMULATORACCOUNT0001";
let pp: any;
let pool: string;
beforeEach(async () => {
  await t.control("POST", "reset");
  pp = (await t.post("Powerpack/", { name: "pool" })).body;
  pool = pp.number_pool.split("/")[5];
});

describe("NumberPool members", () => {
  it("pool object", async () => {
    const r = await t.get(`NumberPool/${pool}/`);
    expect(r.body).toMatchObject({
      uuid: pool,
      numbers: `/v1/Account/${A}/NumberPool/${pool}/Number/`,
      shortcodes: `/v1/Account/${A}/NumberPool/${pool}/Shortcode/`,
    });
    expect((await t.get("NumberPool/00000000-0000-0000-0000-000000000000/")).status).toBe(404);
  });

  it("add long code → 200 member shape (service defaults to sms); GET / list / remove", async () => {
    const n = await t.buy({ country_iso: "US", pattern: "415" });
    const add = await t.post(`NumberPool/${pool}/Number/${n}/`, { rent: "false" });
    expect(add.status).toBe(200);
    expect(add.body).toEqual({
      account_phone_number_resource: `/v1/Account/${A}/Number/${n}/`,
      added_on: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T.*Z$/),
      api_id: expect.stringMatching(API_ID_RE),
      country_iso2: "US",
      number: n,
      number_pool_uuid: pool,
      service: "sms",
      type: "fixed",
    });
    const g = await t.get(`NumberPool/${pool}/Number/${n}/`);
    expect({ ...g.body, api_id: 0 }).toEqual({ ...add.body, api_id: 0 });
    expect((await t.get(`NumberPool/${pool}/${n}/`)).body.number).toBe(n); // documented header path
    const l = await t.get(`NumberPool/${pool}/Number/`);
    expect(l.body.meta).toEqual({ limit: 20, offset: 0, next: "", previous: "", total_count: 1 });
    expect(l.body.objects.map((o: any) => o.number)).toEqual([n]);
    const rm = await t.del(`NumberPool/${pool}/Number/${n}/`, { unrent: false });
    expect(rm.status).toBe(200);
    expect(rm.body).toEqual({ api_id: expect.stringMatching(API_ID_RE), response: "success" });
    expect((await t.get(`NumberPool/${pool}/Number/${n}/`)).status).toBe(404);
    expect((await t.get(`Number/${n}/`)).status).toBe(200);
    expect((await t.del(`NumberPool/${pool}/Number/${n}/`)).status).toBe(404);
  });

  it("rules: must be rented (404), SMS/MMS-enabled, right endpoint for toll-free vs long code", async () => {
    const notMine = (await t.get("PhoneNumber/", { country_iso: "US", pattern: "212", limit: 1 })).body.objects[0].number;
    const r404 = await t.post(`NumberPool/${pool}/Number/${notMine}/`);
    expect(r404.status).toBe(404);
    const voiceOnly = (await t.get("PhoneNumber/", { country_iso: "US", pattern: "206" })).body.objects.find((o: any) => !o.sms_enabled).number;
    await t.post(`PhoneNumber/${voiceOnly}/`);
    const noSms = await t.post(`NumberPool/${pool}/Number/${voiceOnly}/`);
    expect(noSms.status).toBe(400);
    expect(noSms.body.error).toContain("SMS");
    const gb = await t.buy({ country_iso: "GB", type: "mobile" });
    const noMms = await t.post(`NumberPool/${pool}/Number/${gb}/`, { service: "MMS" });
    expect(noMms.status).toBe(400);
    expect(noMms.body.error).toContain("MMS");
    expect((await t.post(`NumberPool/${pool}/Number/${gb}/`, { service: "sms" })).body.type).toBe("mobile");
    const tf = await t.buy({ country_iso: "US", type: "tollfree" });
    const wrong = await t.post(`NumberPool/${pool}/Number/${tf}/`);
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toContain("Tollfree");
    const local = await t.buy({ country_iso: "US", pattern: "512" });
    const wrong2 = await t.post(`NumberPool/${pool}/Tollfree/${local}/`);
    expect(wrong2.status).toBe(400);
    expect(wrong2.body.error).toContain("not a toll-free");
    expect((await t.post(`NumberPool/${pool}/Number/${local}/`, { service: "fax" })).status).toBe(400);
    expect((await t.post(`NumberPool/00000000-0000-0000-0000-000000000000/Number/${local}/`)).status).toBe(404);
  });

  it("at most one toll-free per pool; a number in one pool only", async () => {
    const tf1 = await t.buy({ country_iso: "US", type: "tollfree", pattern: "800" });
    const tf2 = await t.buy({ country_iso: "US", type: "tollfree", pattern: "888" });
    const a = await t.post(`NumberPool/${pool}/Tollfree/${tf1}/`);
    expect(a.status).toBe(200);
    expect(a.body).toMatchObject({ number: tf1, type: "tollfree", service: "sms" });
    const b = await t.post(`NumberPool/${pool}/Tollfree/${tf2}/`);
    expect(b.status).toBe(400);
    expect(b.body.error).toBe(`only one toll-free number can be present in a number pool (pool already has ${tf1})`);
    expect((await t.get(`NumberPool/${pool}/Tollfree/`)).body.objects.map((o: any) => o.number)).toEqual([tf1]);
    expect((await t.get(`NumberPool/${pool}/Tollfree/${tf1}/`)).body.type).toBe("tollfree");

    const other = (await t.post("Powerpack/", { name: "other" })).body.number_pool.split("/")[5];
    expect((await t.post(`NumberPool/${other}/Tollfree/${tf2}/`)).status).toBe(200);
    const n = await t.buy({ country_iso: "US", pattern: "617" });
    await t.post(`NumberPool/${pool}/Number/${n}/`);
    const again = await t.post(`NumberPool/${pool}/Number/${n}/`);
    expect(again.status).toBe(400);
    expect(again.body.error).toContain("already in this number pool");
    const elsewhere = await t.post(`NumberPool/${other}/Number/${n}/`);
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.body.error).toContain("another number pool");
  });

  it("rent:true buys from inventory and adds in one call (buy recorded once)", async () => {
    const n = (await t.get("PhoneNumber/", { country_iso: "US", pattern: "702", limit: 1 })).body.objects[0].number;
    const r = await t.post(`NumberPool/${pool}/Number/${n}/`, { rent: "true" });
    expect(r.status).toBe(200);
    expect((await t.get(`Number/${n}/`)).status).toBe(200);
    const ledger = (await t.control("GET", "state")).body.ledger.filter((e: any) => e.number === n);
    expect(ledger.map((e: any) => e.action)).toEqual(["buy", "charge", "charge", "add"]);
    expect((await t.post(`NumberPool/${pool}/Number/19995550000/`, { rent: true })).status).toBe(404);
  });

  it("the Powerpack's XML application is applied to added numbers", async () => {
    const app = (await t.post("Application/", { app_name: "a", answer_url: "https://e.com" })).body.app_id;
    await t.post(`Powerpack/${pp.uuid}/`, { application_type: "XML", application_id: app });
    const n = await t.buy({ country_iso: "US", pattern: "713" });
    await t.post(`NumberPool/${pool}/Number/${n}/`);
    expect((await t.get(`Number/${n}/`)).body.application).toBe(`/v1/Account/${A}/Application/${app}/`);
  });

  it("remove with unrent (query or body) unrents; unrenting a number drops it from its pool", async () => {
    const a = await t.buy({ country_iso: "US", pattern: "801" });
    const b = await t.buy({ country_iso: "US", pattern: "808" });
    const c = await t.buy({ country_iso: "US", pattern: "816" });
    for (const n of [a, b, c]) await t.post(`NumberPool/${pool}/Number/${n}/`);
    expect((await t.call("DELETE", `NumberPool/${pool}/Number/${a}/`, { query: { unrent: "true" } })).status).toBe(200);
    expect((await t.del(`NumberPool/${pool}/Number/${b}/`, { unrent: "True" })).status).toBe(200);
    expect((await t.get(`Number/${a}/`)).status).toBe(404);
    expect((await t.get(`Number/${b}/`)).status).toBe(404);
    expect((await t.del(`Number/${c}/`)).status).toBe(204);
    expect((await t.get(`NumberPool/${pool}/Number/`)).body.objects).toEqual([]);
    expect((await t.post(`NumberPool/${pool}/Number/${c}/`)).status).toBe(404);
  });

  it("list filters: type, service, starts_with (needs country_iso2, ≤10 prefixes)", async () => {
    const a = await t.buy({ country_iso: "US", pattern: "415" });
    const b = await t.buy({ country_iso: "US", pattern: "212" });
    const gb = await t.buy({ country_iso: "GB", type: "mobile" });
    await t.post(`NumberPool/${pool}/Number/${a}/`, { service: "mms" });
    await t.post(`NumberPool/${pool}/Number/${b}/`);
    await t.post(`NumberPool/${pool}/Number/${gb}/`);
    const nums = async (q: Record<string, string | number>) => (await t.get(`NumberPool/${pool}/Number/`, q)).body.objects.map((o: any) => o.number);
    expect(await nums({ service: "mms" })).toEqual([a]);
    expect(await nums({ type: "mobile" })).toEqual([gb]);
    expect(await nums({ type: "local" })).toEqual([a, b]);
    expect(await nums({ starts_with: "415,999", country_iso2: "US" })).toEqual([a]);
    expect((await t.get(`NumberPool/${pool}/Number/`, { starts_with: "415" })).status).toBe(400);
    expect((await t.get(`NumberPool/${pool}/Number/`, { starts_with: "1,2,3,4,5,6,7,8,9,10,11", country_iso2: "US" })).status).toBe(400);
    const page = await t.get(`NumberPool/${pool}/Number/`, { limit: 2 });
    expect(page.body.meta).toMatchObject({ total_count: 3, previous: "", next: `/v1/Account/${A}/NumberPool/${pool}/Number/?limit=2&offset=2` });
    // the node SDK's list_numbers hack: `Number/?type=fixed&?search=hack` and `Number//?…`
    const hack = await t.call("GET", `/v1/Account/${A}/NumberPool/${pool}/Number//?service=mms&?search=hack`, { absolute: true });
    expect(hack.status).toBe(200);
    expect(hack.body.objects.map((o: any) => o.number)).toEqual([a]);
  });

  it("short codes seeded via the control surface: list, get, remove (never unrented)", async () => {
    expect((await t.control("POST", "shortcodes", { powerpack_uuid: pp.uuid, shortcode: "55555" })).status).toBe(201);
    const l = await t.get(`NumberPool/${pool}/Shortcode/`);
    expect(l.body.objects).toEqual([{ added_on: expect.any(String), country_iso2: "US", number_pool_uuid: pool, shortcode: "55555" }]);
    expect((await t.get(`NumberPool/${pool}/Shortcode/55555/`)).body.shortcode).toBe("55555");
    expect((await t.del(`NumberPool/${pool}/Shortcode/55555/`)).body.response).toBe("success");
    expect((await t.get(`NumberPool/${pool}/Shortcode/`)).body.objects).toEqual([]);
  });
});
