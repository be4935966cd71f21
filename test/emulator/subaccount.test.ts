/**
 * Subaccounts served as accounts (docs/plivo-api.md §16, emulator/README.md "Subaccounts"): the Subaccount API's
 * shapes and errors, each subaccount's own credentials and objects, what only the main account may do (403 with
 * Plivo's error body), the `subaccount` assignment of numbers and applications, cascade deletes, the shared rate
 * limit, and persistence of it all across a restart.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { API_ID_RE, emulatorClient, startTestEmulator, useTestEmulator, type EmulatorClient } from "../helpers/emulator";
import { PROFILE_BODY } from "./async-fixtures";

const emulator = useTestEmulator();

async function newSub(t: EmulatorClient, name = "team", enabled = true): Promise<{ id: string; token: string; api: EmulatorClient }> {
  const r = await t.post("Subaccount/", { name, enabled });
  expect(r.status).toBe(201);
  const id = r.body.auth_id as string;
  const token = r.body.auth_token as string;
  return { id, token, api: emulatorClient({ url: t.url, authId: id, authToken: token }) };
}

describe("Subaccount API", () => {
  it("create 201 {auth_id, auth_token, message}; get; list newest first; update 202; delete 204", async () => {
    const t = emulator();
    const c = await t.post("Subaccount/", { name: "Wayne", enabled: "True" });
    expect(c.status).toBe(201);
    expect(c.body).toEqual({
      api_id: expect.stringMatching(API_ID_RE),
      auth_id: expect.stringMatching(/^SA[A-Z0-9]{18}$/),
      auth_token: expect.any(String),
      message: "created",
    });
    const second = (await t.post("Subaccount/", { name: "Kent" })).body.auth_id;
    const g = await t.get(`Subaccount/${c.body.auth_id}/`);
    expect(Object.keys(g.body).sort()).toEqual(["account", "api_id", "auth_id", "auth_token", "created", "enabled", "modified", "name", "resource_uri"]);
    expect(g.body).toMatchObject({ name: "Wayne", enabled: true, modified: null, auth_token: c.body.auth_token, account: `/v1/Account/${t.authId}/` });
    expect((await t.get(`Subaccount/${second}/`)).body.enabled).toBe(false);
    const list = await t.get("Subaccount/", { limit: 1 });
    expect(list.body.objects.map((o: any) => o.auth_id)).toEqual([second]);
    expect(list.body.meta).toMatchObject({ total_count: 2, limit: 1, next: `/v1/Account/${t.authId}/Subaccount/?limit=1&offset=1` });

    expect((await t.post(`Subaccount/${second}/`, { name: "Kent 2", enabled: true })).status).toBe(202);
    expect((await t.get(`Subaccount/${second}/`)).body).toMatchObject({
      name: "Kent 2",
      enabled: true,
      modified: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
    });
    expect((await t.del(`Subaccount/${second}/`)).status).toBe(204);
    expect((await t.get(`Subaccount/${second}/`)).status).toBe(404);
    expect((await t.del(`Subaccount/${second}/`)).status).toBe(404);
  });

  it("validation: name required (create and update), unknown update parameters, booleans", async () => {
    const t = emulator();
    expect((await t.post("Subaccount/", {})).body.error).toBe("name parameter is missing");
    expect((await t.post("Subaccount/", { name: "x", enabled: "maybe" })).body.error).toContain("enabled");
    const { id } = await newSub(t);
    expect((await t.post(`Subaccount/${id}/`, { enabled: false })).body.error).toBe("name parameter is missing");
    expect((await t.post(`Subaccount/${id}/`, { name: "x", colour: "red" })).body.error).toBe("unexpected parameter: colour");
    expect((await t.del(`Subaccount/${id}/`, { cascade: "sometimes" })).status).toBe(400);
    expect((await t.post("Subaccount/SANOSUCHSUBACCOUNT01/", { name: "x" })).status).toBe(404);
  });
});

describe("a subaccount's credentials", () => {
  it("work on its own account only; a disabled or deleted subaccount is refused", async () => {
    const t = emulator();
    const s = await newSub(t, "ops");
    const me = await s.api.get("");
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ auth_id: s.id, name: "ops", enabled: true, resource_uri: `/v1/Account/${s.id}/` });
    // the path names the account of the credentials, both ways round
    expect((await s.api.call("GET", `/v1/Account/${t.authId}/Number/`, { absolute: true })).status).toBe(401);
    expect((await t.call("GET", `/v1/Account/${s.id}/Number/`, { absolute: true })).status).toBe(401);
    expect((await s.api.call("GET", "Number/", { auth: [s.id, "wrong-token"] })).status).toBe(401);

    await t.post(`Subaccount/${s.id}/`, { name: "ops", enabled: false });
    const disabled = await s.api.get("Number/");
    expect(disabled.status).toBe(403);
    expect(disabled.body).toEqual({ api_id: expect.stringMatching(API_ID_RE), error: expect.stringContaining("disabled") });
    await t.del(`Subaccount/${s.id}/`);
    expect((await s.api.get("Number/")).status).toBe(401);
  });

  it("main-account-only operations answer 403 {api_id, error} naming what is refused, and change nothing", async () => {
    const t = emulator();
    const s = await newSub(t);
    const primary = (await t.get("Profile/")).body.profiles[0].profile_uuid;
    const cases: Array<[string, string, unknown?]> = [
      ["POST", "Subaccount/", { name: "nested" }],
      ["GET", "Subaccount/"],
      ["GET", "PhoneNumber/?country_iso=US"],
      ["POST", "PhoneNumber/14155550100/"],
      ["POST", "Powerpack/", { name: "pp" }],
      ["GET", `Profile/${primary}/`],
      ["POST", "Profile/", PROFILE_BODY],
      ["GET", "10dlc/Brand/"],
      ["GET", "10dlc/Campaign/"],
      ["GET", "TollfreeVerification/"],
      ["POST", "Message/", { src: "14155550100", dst: "14155550101", text: "hi" }],
      ["GET", "Media/"],
    ];
    const ledgerBefore = (await t.control("GET", "ledger")).body.ledger.length;
    for (const [method, path, body] of cases) {
      const r = await s.api.api(method as "GET", path, body);
      expect({ path, status: r.status }).toEqual({ path, status: 403 });
      expect(r.body).toEqual({
        api_id: expect.stringMatching(API_ID_RE),
        error: expect.stringContaining(`only available to the main account; ${s.id} is a subaccount`),
      });
    }
    expect((await t.control("GET", "ledger")).body.ledger.length).toBe(ledgerBefore);
    // what every account may use
    expect((await s.api.get("Pricing/", { country_iso: "US" })).status).toBe(200);
    expect((await s.api.get("Application/")).status).toBe(200);
    expect((await s.api.get("Endpoint/")).status).toBe(200);
  });

  it("the rate limit is one budget for the account and its subaccounts (docs/plivo-api.md §1.3)", async () => {
    const t = await startTestEmulator({ rateLimit: { limit: 4, windowMs: 60_000 } });
    try {
      const s = await newSub(t); // 1
      expect((await t.get("Number/")).status).toBe(200); // 2
      expect((await s.api.get("Number/")).status).toBe(200); // 3
      expect((await s.api.get("Number/")).status).toBe(200); // 4
      expect((await t.get("Number/")).status).toBe(429);
      expect((await s.api.get("Number/")).status).toBe(429);
    } finally {
      await t.close();
    }
  });
});

describe("objects of the main account and of its subaccounts", () => {
  it("numbers: only the main account assigns them; the main account lists all (marked), a subaccount its own", async () => {
    const t = emulator();
    const s = await newSub(t, "sales");
    const other = await newSub(t, "other");
    const a = await t.buy({ country_iso: "US", pattern: "415" });
    const b = await t.buy({ country_iso: "US", pattern: "212" });
    expect((await t.post(`Number/${b}/`, { subaccount: "SANOSUCHSUBACCOUNT01" })).body.error).toBe(
      "subaccount SANOSUCHSUBACCOUNT01 is not a subaccount of this account",
    );
    expect((await t.post(`Number/${b}/`, { subaccount: s.id })).status).toBe(202);

    const mainList = (await t.get("Number/")).body.objects;
    expect(mainList.map((o: any) => [o.number, o.sub_account, o.sub_account_name])).toEqual([
      [a, null, undefined],
      [b, s.id, "sales"],
    ]);
    const subList = await s.api.get("Number/");
    expect(subList.body.objects.map((o: any) => o.number)).toEqual([b]);
    expect(subList.body.objects[0].resource_uri).toBe(`/v1/Account/${s.id}/Number/${b}/`);
    expect(subList.body.meta.total_count).toBe(1);
    expect((await other.api.get("Number/")).body.objects).toEqual([]);
    expect((await s.api.get(`Number/${a}/`)).status).toBe(404);
    expect((await other.api.post(`Number/${b}/`, { alias: "x" })).status).toBe(404);
    expect((await other.api.del(`Number/${b}/`)).status).toBe(404);

    // the subaccount updates its number but does not move it; it may release it
    expect((await s.api.post(`Number/${b}/`, { alias: "desk" })).status).toBe(202);
    const move = await s.api.post(`Number/${b}/`, { subaccount: other.id });
    expect(move.status).toBe(403);
    expect(move.body.error).toContain("subaccount");
    expect((await t.get(`Number/${b}/`)).body).toMatchObject({ alias: "desk", sub_account: s.id });
    // back to the main account
    expect((await t.post(`Number/${b}/`, { subaccount: "" })).status).toBe(202);
    expect((await t.get(`Number/${b}/`)).body.sub_account).toBeNull();
    await t.post(`Number/${b}/`, { subaccount: s.id });
    expect((await s.api.del(`Number/${b}/`)).status).toBe(204);
    expect((await t.get(`Number/${b}/`)).status).toBe(404);
  });

  it("applications: a subaccount's are its own (defaults per account); numbers and endpoints attach only applications their account sees", async () => {
    const t = emulator();
    const s = await newSub(t);
    const mainApp = (await t.post("Application/", { app_name: "main", answer_url: "https://e.com/a", default_number_app: true, default_endpoint_app: true }))
      .body.app_id;
    const subApp = (await s.api.post("Application/", { app_name: "mine", answer_url: "https://e.com/a", default_number_app: true, default_endpoint_app: true }))
      .body.app_id;
    const assigned = (await t.post("Application/", { app_name: "for_sub", answer_url: "https://e.com/a", subaccount: s.id })).body.app_id;
    expect((await t.post("Application/", { app_name: "x", answer_url: "https://e.com/a", subaccount: "SANOSUCHSUBACCOUNT01" })).status).toBe(400);

    // defaults are per account: the subaccount's default did not clear the main account's
    expect((await t.get(`Application/${mainApp}/`)).body).toMatchObject({ default_app: true, default_endpoint_app: true, sub_account: null });
    expect((await s.api.get(`Application/${subApp}/`)).body).toMatchObject({
      default_app: true,
      sub_account: s.id,
      resource_uri: `/v1/Account/${s.id}/Application/${subApp}/`,
    });
    expect((await t.get("Application/")).body.objects.map((o: any) => o.app_id)).toEqual([mainApp, subApp, assigned]);
    expect((await s.api.get("Application/")).body.objects.map((o: any) => o.app_id)).toEqual([subApp, assigned]);
    expect((await t.get("Application/", { subaccount: s.id })).body.objects.map((o: any) => o.app_id)).toEqual([subApp, assigned]);
    expect((await s.api.get(`Application/${mainApp}/`)).status).toBe(404);
    expect((await s.api.post(`Application/${subApp}/`, { subaccount: "" })).status).toBe(403);
    expect((await t.post(`Application/${assigned}/`, { subaccount: "" })).status).toBe(202);
    expect((await s.api.get(`Application/${assigned}/`)).status).toBe(404);

    // numbers bought take the main account's default; endpoints the default of the account creating them
    const n = await t.buy({ country_iso: "US", pattern: "303" });
    expect((await t.get(`Number/${n}/`)).body.application).toBe(`/v1/Account/${t.authId}/Application/${mainApp}/`);
    await t.post(`Number/${n}/`, { subaccount: s.id });
    expect((await s.api.post(`Number/${n}/`, { app_id: mainApp })).body.error).toBe(`app_id ${mainApp} is not a valid application`);
    expect((await s.api.post(`Number/${n}/`, { app_id: subApp })).status).toBe(202);
    const ep = (await s.api.post("Endpoint/", { username: "desk", password: "s3cret", alias: "desk" })).body.endpoint_id;
    expect((await s.api.get(`Endpoint/${ep}/`)).body.application).toBe(`/v1/Account/${s.id}/Application/${subApp}/`);
    expect((await s.api.post("Endpoint/", { username: "desk", password: "s3cret", alias: "desk", app_id: mainApp })).status).toBe(400);
  });

  it("deleting a subaccount: cascade deletes (numbers unrented, leaving their pools), without cascade everything moves to the main account", async () => {
    const t = emulator();
    const gone = await newSub(t, "gone");
    const moved = await newSub(t, "moved");
    const n1 = await t.buy({ country_iso: "US", pattern: "415" });
    const n2 = await t.buy({ country_iso: "US", pattern: "212" });
    await t.post(`Number/${n1}/`, { subaccount: gone.id });
    await t.post(`Number/${n2}/`, { subaccount: moved.id });
    const pp = (await t.post("Powerpack/", { name: "pool" })).body;
    expect((await t.post(`NumberPool/${pp.number_pool.split("/").slice(-2)[0]}/Number/${n1}/`, {})).status).toBe(200);
    const goneApp = (await gone.api.post("Application/", { app_name: "g", answer_url: "https://e.com/a", default_number_app: true })).body.app_id;
    const movedApp = (await moved.api.post("Application/", { app_name: "m", answer_url: "https://e.com/a", default_number_app: true })).body.app_id;
    const mainApp = (await t.post("Application/", { app_name: "main", answer_url: "https://e.com/a", default_number_app: true })).body.app_id;
    const goneEp = (await gone.api.post("Endpoint/", { username: "g", password: "s3cret", alias: "g" })).body.endpoint_id;
    const movedEp = (await moved.api.post("Endpoint/", { username: "m", password: "s3cret", alias: "m" })).body.endpoint_id;

    expect((await t.del(`Subaccount/${gone.id}/`, { cascade: true })).status).toBe(204);
    expect((await t.get(`Number/${n1}/`)).status).toBe(404);
    expect((await t.get(`Application/${goneApp}/`)).status).toBe(404);
    expect((await t.get(`Endpoint/${goneEp}/`)).status).toBe(404);
    expect((await t.get(`NumberPool/${pp.number_pool.split("/").slice(-2)[0]}/Number/`)).body.objects).toEqual([]);
    const state = await t.state();
    expect(state.ledger.filter((e: any) => e.action === "unrent").map((e: any) => [e.number, e.resource])).toEqual([[n1, "Subaccount"]]);
    expect(state.reserved.map((r: any) => r.number)).toEqual([n1]);

    // ?cascade=false in the query string is read too (DELETE parameters: docs/plivo-api.md §1.1)
    expect((await t.call("DELETE", `Subaccount/${moved.id}/`, { query: { cascade: "false" } })).status).toBe(204);
    expect((await t.get(`Number/${n2}/`)).body).toMatchObject({ sub_account: null, application: null });
    expect((await t.get(`Application/${movedApp}/`)).body).toMatchObject({ sub_account: null, default_app: false }); // the main account keeps its default
    expect((await t.get(`Application/${mainApp}/`)).body.default_app).toBe(true);
    expect((await t.get(`Endpoint/${movedEp}/`)).body.sub_account).toBeNull();
    expect((await t.get("Subaccount/")).body.objects).toEqual([]);
  });

  it("the state page lists subaccounts and endpoints, never their credentials", async () => {
    const t = emulator();
    const s = await newSub(t, "page-team");
    await s.api.post("Endpoint/", { username: "pagephone", password: "hunter22", alias: "pager" });
    const page = await t.call("GET", "/__emulator/", { absolute: true, auth: false });
    expect(page.status).toBe(200);
    expect(page.text).toContain(s.id);
    expect(page.text).toContain("page-team");
    expect(page.text).toContain("pagephone");
    expect(page.text).not.toContain(s.token);
    expect(page.text).not.toContain("hunter22");
  });
});

describe("persistence", () => {
  const dir = mkdtempSync(join(tmpdir(), "emu-sub-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("subaccounts, endpoints and charges are journaled: after a restart the credentials still work and the bill is the same", async () => {
    const dataFile = join(dir, "state.json");
    const first = await startTestEmulator({ dataFile });
    let s: Awaited<ReturnType<typeof newSub>>;
    let before: unknown;
    let ep: string;
    try {
      s = await newSub(first, "durable");
      const n = await first.buy({ country_iso: "US", pattern: "415" });
      await first.post(`Number/${n}/`, { subaccount: s.id });
      ep = (await s.api.post("Endpoint/", { username: "durable", password: "s3cret", alias: "d" })).body.endpoint_id;
      before = (await first.control("GET", "bill")).body;
    } finally {
      await first.close();
    }
    const second = await startTestEmulator({ dataFile });
    try {
      const again = emulatorClient({ url: second.url, authId: s.id, authToken: s.token });
      expect((await again.get(`Endpoint/${ep}/`)).body).toMatchObject({ alias: "d", sub_account: s.id });
      expect((await again.get("Number/")).body.objects).toHaveLength(1);
      expect((await second.control("GET", "bill")).body).toEqual(before);
    } finally {
      await second.close();
    }
  });
});
