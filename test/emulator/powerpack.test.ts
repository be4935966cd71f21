/** Powerpack: /Powerpack/ behaviour. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { API_ID_RE, UUID_RE, startTestEmulator, type TestEmulator } from "../helpers/emulator";

let t: TestEmulator;
beforeAll(async () => {
  t = await startTestEmulator();
});
afterAll(() => t.close());
beforeEach(async () => {
  await t.control("POST", "reset");
});

const A = "MAEMULATORACCOUNT0001";
const poolOf = (pp: { number_pool: string }) => pp.number_pool.split("/")[5];

describe("Powerpack", () => {
  it("create → 200 full object with defaults (sticky/local true, console number_priority, empty app)", async () => {
    const r = await t.post("Powerpack/", { name: "marketing" });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      api_id: expect.stringMatching(API_ID_RE),
      application_id: "",
      application_type: "",
      created_on: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/),
      local_connect: true,
      name: "marketing",
      number_pool: expect.stringMatching(new RegExp(`^/v1/Account/${A}/NumberPool/[0-9a-f-]{36}/$`)),
      number_priority: [
        { country_iso: "US", priority: { priority1: "shortcode", priority2: "tollfree", priority3: "longcode" }, service_type: "SMS" },
        { country_iso: "US", priority: { priority1: "shortcode", priority2: "tollfree", priority3: "longcode" }, service_type: "MMS" },
        { country_iso: "CA", priority: { priority1: "shortcode", priority2: "longcode", priority3: "tollfree" }, service_type: "SMS" },
        { country_iso: "CA", priority: { priority1: "shortcode", priority2: "longcode", priority3: "tollfree" }, service_type: "MMS" },
      ],
      sticky_sender: true,
      uuid: expect.stringMatching(UUID_RE),
    });
    expect(poolOf(r.body)).toMatch(UUID_RE);
    expect(poolOf(r.body)).not.toBe(r.body.uuid);
    const g = await t.get(`Powerpack/${r.body.uuid}/`);
    expect({ ...g.body, api_id: undefined }).toEqual({ ...r.body, api_id: undefined });
  });

  it("name is required and unique (400)", async () => {
    expect((await t.post("Powerpack/", {})).body.error).toBe("name parameter is missing");
    await t.post("Powerpack/", { name: "dup" });
    const d = await t.post("Powerpack/", { name: "dup" });
    expect(d.status).toBe(400);
    expect(d.body.error).toContain("unique");
  });

  it("application: type is required with an id, upper-case on output, XML id must exist, 'none' detaches", async () => {
    const app = (await t.post("Application/", { app_name: "a", answer_url: "https://e.com" })).body.app_id;
    const noType = await t.post("Powerpack/", { name: "p", application_id: app });
    expect(noType.status).toBe(400);
    expect(noType.body.error).toContain("application_type");
    const missing = await t.post("Powerpack/", { name: "p", application_type: "xml", application_id: "11111111111111111" });
    expect(missing.status).toBe(400);
    const ok = await t.post("Powerpack/", { name: "p", application_type: "xml", application_id: app });
    expect(ok.body).toMatchObject({ application_type: "XML", application_id: app });
    const phlo = await t.post("Powerpack/", { name: "q", application_type: "Phlo", application_id: "some-phlo-id" });
    expect(phlo.body).toMatchObject({ application_type: "PHLO", application_id: "some-phlo-id" });
    const none = await t.post("Powerpack/", { name: "r", application_id: "none" });
    expect(none.body).toMatchObject({ application_type: "", application_id: "none" });
    expect((await t.post("Powerpack/", { name: "s", application_type: "json" })).status).toBe(400);
  });

  it("number_priority: validated, case-insensitive, merged over the defaults", async () => {
    const r = await t.post("Powerpack/", {
      name: "p",
      number_priority: [{ country_iso: "us", service_type: "sms", priority: { priority1: "LONGCODE", priority2: "tollfree", priority3: "shortcode" } }],
    });
    expect(r.status).toBe(200);
    expect(r.body.number_priority).toHaveLength(4);
    expect(r.body.number_priority[0]).toEqual({
      country_iso: "US",
      service_type: "SMS",
      priority: { priority1: "longcode", priority2: "tollfree", priority3: "shortcode" },
    });
    const dup = await t.post("Powerpack/", {
      name: "q",
      number_priority: [{ country_iso: "US", service_type: "SMS", priority: { priority1: "longcode", priority2: "longcode", priority3: "shortcode" } }],
    });
    expect(dup.status).toBe(400);
    const badCountry = await t.post("Powerpack/", {
      name: "q",
      number_priority: [{ country_iso: "GB", service_type: "SMS", priority: { priority1: "longcode", priority2: "tollfree", priority3: "shortcode" } }],
    });
    expect(badCountry.body.error).toContain("country_iso");
  });

  it("update POST /Powerpack/{uuid}/ → 200 full object; booleans can be turned off; unknown params → 400", async () => {
    const pp = (await t.post("Powerpack/", { name: "p" })).body;
    const u = await t.post(`Powerpack/${pp.uuid}/`, { name: "renamed", sticky_sender: false, local_connect: "false" });
    expect(u.status).toBe(200);
    expect(u.body).toMatchObject({
      uuid: pp.uuid,
      name: "renamed",
      sticky_sender: false,
      local_connect: false,
      number_pool: pp.number_pool,
      created_on: pp.created_on,
    });
    expect((await t.get(`Powerpack/${pp.uuid}/`)).body).toMatchObject({ name: "renamed", sticky_sender: false });
    await t.post("Powerpack/", { name: "other" });
    expect((await t.post(`Powerpack/${pp.uuid}/`, { name: "other" })).status).toBe(400);
    const unk = await t.post(`Powerpack/${pp.uuid}/`, { number_pool: "x" });
    expect(unk.status).toBe(400);
    expect(unk.body.error).toContain("number_pool");
    expect((await t.post("Powerpack/00000000-0000-0000-0000-000000000000/", { name: "x" })).status).toBe(404);
  });

  it("attaching an XML application re-points the numbers already in the pool", async () => {
    const app = (await t.post("Application/", { app_name: "a", answer_url: "https://e.com" })).body.app_id;
    const pp = (await t.post("Powerpack/", { name: "p" })).body;
    const n = await t.buy({ country_iso: "US", pattern: "312" });
    await t.post(`NumberPool/${poolOf(pp)}/Number/${n}/`);
    expect((await t.get(`Number/${n}/`)).body.application).toBeNull();
    await t.post(`Powerpack/${pp.uuid}/`, { application_type: "xml", application_id: app });
    expect((await t.get(`Number/${n}/`)).body.application).toBe(`/v1/Account/${A}/Application/${app}/`);
  });

  it("list under `objects` with meta; delete → 200 {response:'success'}, numbers kept unless unrent_numbers", async () => {
    for (const name of ["a", "b", "c"]) await t.post("Powerpack/", { name });
    const l = await t.get("Powerpack/", { limit: 2 });
    expect(l.body.meta).toMatchObject({ limit: 2, offset: 0, total_count: 3 });
    expect(l.body.objects.map((o: any) => o.name)).toEqual(["a", "b"]);
    const [a, b] = l.body.objects;
    const n1 = await t.buy({ country_iso: "US", pattern: "773" });
    const n2 = await t.buy({ country_iso: "US", pattern: "786" });
    await t.post(`NumberPool/${poolOf(a)}/Number/${n1}/`);
    await t.post(`NumberPool/${poolOf(b)}/Number/${n2}/`);
    const d = await t.del(`Powerpack/${a.uuid}/`, { unrent_numbers: false });
    expect(d.status).toBe(200);
    expect(d.body).toEqual({ api_id: expect.stringMatching(API_ID_RE), response: "success" });
    expect((await t.get(`Powerpack/${a.uuid}/`)).status).toBe(404);
    expect((await t.get(`Number/${n1}/`)).status).toBe(200);
    expect((await t.get(`NumberPool/${poolOf(a)}/Number/${n1}/`)).status).toBe(404);
    await t.del(`Powerpack/${b.uuid}/`, { unrent_numbers: true });
    expect((await t.get(`Number/${n2}/`)).status).toBe(404);
    const ledger = (await t.control("GET", "state")).body.ledger;
    expect(ledger.filter((e: any) => e.action === "unrent").map((e: any) => e.number)).toEqual([n2]);
    expect((await t.del(`Powerpack/${b.uuid}/`)).status).toBe(404);
  });
});
