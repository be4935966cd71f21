/** The /__emulator/ control surface: reset, state/ledger, inventory, faults, request log, rate limit, clock. */
import { request } from "undici";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { API_ID_RE, startTestEmulator, type TestEmulator } from "../helpers/emulator";

let t: TestEmulator;
beforeAll(async () => {
  t = await startTestEmulator();
});
afterAll(() => t.close());
beforeEach(async () => {
  await t.control("POST", "reset");
  await t.control("DELETE", "faults");
  await t.control("DELETE", "rate-limit");
});

const appBody = (name: string) => ({ app_name: name, answer_url: "https://e.com/a" });
const appCount = async () => (await t.control("GET", "state")).body.applications.length;

describe("reset and state", () => {
  it("reset returns a fresh seeded state (same inventory, new primary profile, empty ledger)", async () => {
    const before = (await t.control("GET", "state")).body;
    await t.buy({ country_iso: "US", pattern: "415" });
    await t.post("Application/", appBody("a"));
    const dirty = (await t.control("GET", "state")).body;
    // the purchase's two charges (setup fee, first month) follow it
    expect(dirty.ledger.map((e: any) => e.action)).toEqual(["buy", "charge", "charge", "create"]);
    expect(dirty.ledger.map((e: any) => e.seq)).toEqual([1, 2, 3, 4]);
    expect((await t.control("POST", "reset")).body).toEqual({ ok: true });
    const after = (await t.control("GET", "state")).body;
    expect(after.ledger).toEqual([]);
    expect(after.applications).toEqual([]);
    expect(after.numbers).toEqual([]);
    expect(after.inventory).toEqual(before.inventory);
    expect(after.profiles).toHaveLength(1);
  });
});

describe("inventory", () => {
  it("POST /__emulator/inventory adds buyable numbers (inferring fields) and reclaims reserved ones", async () => {
    const add = await t.control("POST", "inventory", {
      numbers: [{ number: "+1 (415) 555-0199" }, { number: "18005550199" }, { number: "447700900123", country_iso: "GB" }],
    });
    expect(add.status).toBe(201);
    expect(add.body).toEqual({ added: ["14155550199", "18005550199", "447700900123"] });
    const s = await t.get("PhoneNumber/", { country_iso: "US", pattern: "4155550199" });
    expect(s.body.objects[0]).toMatchObject({ number: "14155550199", type: "fixed", region: "California", prefix: "415" });
    expect((await t.get("PhoneNumber/", { country_iso: "US", type: "tollfree", pattern: "8005550199" })).body.objects).toHaveLength(1);
    expect((await t.post("PhoneNumber/14155550199/")).status).toBe(201);
    const rented = await t.control("POST", "inventory", { number: "14155550199" });
    expect(rented.status).toBe(400);
    await t.del("Number/14155550199/");
    expect((await t.post("PhoneNumber/14155550199/")).status).toBe(404);
    expect((await t.control("POST", "inventory", { number: "14155550199" })).status).toBe(201);
    expect((await t.post("PhoneNumber/14155550199/")).status).toBe(201);
    const buys = (await t.control("GET", "state")).body.ledger.filter((e: any) => e.action === "buy" && e.number === "14155550199");
    expect(buys).toHaveLength(2);
  });
});

describe("faults", () => {
  it("mode status: replies with the status + Plivo error body + Retry-After, without touching state, `count` times", async () => {
    const f = await t.control("POST", "faults", { method: "post", path: "/Application/", status: 503, count: 2, retryAfter: 3 });
    expect(f.status).toBe(201);
    expect(f.body).toMatchObject({ id: expect.any(Number), mode: "status", status: 503, count: 2 });
    expect((await t.control("GET", "faults")).body).toHaveLength(1);
    for (let i = 0; i < 2; i++) {
      const r = await t.post("Application/", appBody(`x${i}`));
      expect(r.status).toBe(503);
      expect(r.headers["retry-after"]).toBe("3");
      expect(r.body).toEqual({ api_id: expect.stringMatching(API_ID_RE), error: "service unavailable" });
    }
    expect((await t.get("Application/")).status).toBe(200); // method does not match
    expect(await appCount()).toBe(0);
    expect((await t.post("Application/", appBody("ok"))).status).toBe(201); // exhausted
    expect((await t.control("GET", "faults")).body).toEqual([]);
  });

  it("path may be a regular expression; DELETE /__emulator/faults clears", async () => {
    await t.control("POST", "faults", { path: "PhoneNumber/1\\d+/$", status: 500, count: 5 });
    expect((await t.get("PhoneNumber/", { country_iso: "US" })).status).toBe(200);
    expect((await t.post("PhoneNumber/14155550000/")).status).toBe(500);
    await t.control("DELETE", "faults");
    expect((await t.post("PhoneNumber/14155550000/")).status).toBe(404);
  });

  it("mode reset destroys the socket before processing", async () => {
    await t.control("POST", "faults", { path: "/Application/", mode: "reset", count: 1 });
    await expect(t.post("Application/", appBody("lost"))).rejects.toThrow();
    expect(await appCount()).toBe(0);
    expect((await t.post("Application/", appBody("ok"))).status).toBe(201);
  });

  it("mode delay waits, then processes normally", async () => {
    await t.control("POST", "faults", { path: "/Application/", mode: "delay", delayMs: 300, count: 1 });
    const start = Date.now();
    const r = await t.post("Application/", appBody("slow"));
    expect(Date.now() - start).toBeGreaterThanOrEqual(280);
    expect(r.status).toBe(201);
    expect(await appCount()).toBe(1);
  });

  it("mode delay: a request whose client gave up meanwhile is still processed (a late-completing create)", async () => {
    await t.control("POST", "faults", { method: "POST", path: "/Application/", mode: "delay", delayMs: 400, count: 1 });
    const url = new URL(`/v1/Account/${t.emu.authId}/Application/`, t.emu.url);
    const auth = `Basic ${Buffer.from(`${t.emu.authId}:${t.emu.authToken}`).toString("base64")}`;
    await expect(
      request(url, {
        method: "POST",
        headers: { authorization: auth, "content-type": "application/json" },
        body: JSON.stringify(appBody("late")),
        signal: AbortSignal.timeout(100),
      }),
    ).rejects.toThrow();
    expect(await appCount()).toBe(0);
    await new Promise((r) => setTimeout(r, 500));
    expect(await appCount()).toBe(1);
  });

  it("mode after: the request is processed (state changes) and then answered 500 — an ambiguous create", async () => {
    await t.control("POST", "faults", { method: "POST", path: "/Application/", mode: "after", count: 1 });
    const r = await t.post("Application/", appBody("ghost"));
    expect(r.status).toBe(500);
    expect(r.body).toEqual({ api_id: expect.stringMatching(API_ID_RE), error: "internal server error" });
    const list = await t.get("Application/", { app_name: "ghost" });
    expect(list.body.objects).toHaveLength(1);
  });

  it("mode after-reset: processed, then the socket is destroyed (buy happened exactly once)", async () => {
    const n = (await t.get("PhoneNumber/", { country_iso: "US", pattern: "212", limit: 1 })).body.objects[0].number;
    await t.control("POST", "faults", { path: `/PhoneNumber/${n}/`, mode: "after-reset", count: 1 });
    await expect(t.post(`PhoneNumber/${n}/`)).rejects.toThrow();
    expect((await t.get(`Number/${n}/`)).status).toBe(200);
    expect((await t.post(`PhoneNumber/${n}/`)).status).toBe(404); // a blind retry cannot buy twice
    const buys = (await t.control("GET", "state")).body.ledger.filter((e: any) => e.action === "buy");
    expect(buys).toHaveLength(1);
  });

  it("rejects invalid fault specs", async () => {
    expect((await t.control("POST", "faults", { mode: "explode" })).status).toBe(400);
    expect((await t.control("POST", "faults", { count: 0 })).status).toBe(400);
    expect((await t.control("POST", "faults", { mode: "delay" })).status).toBe(400);
    expect((await t.control("POST", "faults", { status: 1000 })).status).toBe(400);
  });
});

describe("request log", () => {
  it("records API calls (method, path, query, status, body) and never the Authorization header", async () => {
    await t.control("DELETE", "requests");
    await t.post("Application/", appBody("logged"));
    await t.get("Application/", { limit: 5 });
    await t.call("GET", "Application/", { auth: [t.emu.authId, "secret-wrong-token"] });
    await t.control("GET", "state"); // control calls are not logged
    const log = (await t.control("GET", "requests")).body;
    expect(log).toEqual([
      { method: "POST", path: `/v1/Account/${t.emu.authId}/Application/`, status: 201, at: expect.any(String), body: appBody("logged") },
      { method: "GET", path: `/v1/Account/${t.emu.authId}/Application/`, query: "limit=5", status: 200, at: expect.any(String) },
      { method: "GET", path: `/v1/Account/${t.emu.authId}/Application/`, status: 401, at: expect.any(String) },
    ]);
    const text = JSON.stringify(log);
    expect(text).not.toMatch(/authorization|Basic |emulator-auth-token|secret-wrong-token/i);
  });

  it("is bounded to the last 2000 entries", async () => {
    await t.control("DELETE", "requests");
    const url = `${t.emu.url}/v1/Account/${t.emu.authId}/Powerpack/?limit=1`;
    const auth = `Basic ${Buffer.from(`${t.emu.authId}:${t.emu.authToken}`).toString("base64")}`;
    for (let i = 0; i < 2010; i += 30) {
      await Promise.all(Array.from({ length: 30 }, () => request(url, { headers: { authorization: auth } }).then((r) => r.body.text())));
    }
    const log = (await t.control("GET", "requests")).body;
    expect(log).toHaveLength(2000);
  });
});

describe("rate limit", () => {
  it("429 above N requests per window; configurable at runtime and via the start option", async () => {
    expect((await t.control("POST", "rate-limit", { limit: 3, windowMs: 60_000 })).body).toEqual({ rateLimit: { limit: 3, windowMs: 60_000 } });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await t.get("Application/")).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const r = await t.get("Application/");
    expect(r.body).toEqual({ api_id: expect.stringMatching(API_ID_RE), error: "too many requests" });
    await t.control("DELETE", "rate-limit");
    expect((await t.get("Application/")).status).toBe(200);

    const limited = await startTestEmulator({ rateLimit: { limit: 2, windowMs: 200 } });
    try {
      expect([(await limited.get("")).status, (await limited.get("")).status, (await limited.get("")).status]).toEqual([200, 200, 429]);
      await new Promise((r) => setTimeout(r, 250));
      expect((await limited.get("")).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});

describe("clock", () => {
  it("advanceMs shifts the emulator clock used for timestamps", async () => {
    const r = await t.control("POST", "clock", { advanceMs: 2 * 86400_000 });
    expect(r.body.clock_offset_ms).toBe(2 * 86400_000);
    const n = await t.buy({ country_iso: "US", pattern: "303" });
    const addedOn = (await t.get(`Number/${n}/`)).body.added_on;
    expect(addedOn).toBe(new Date(Date.now() + 2 * 86400_000).toISOString().slice(0, 10));
    expect((await t.control("POST", "clock", {})).status).toBe(400);
  });
});
