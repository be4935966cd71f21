/**
 * SIP endpoints over HTTP (docs/plivo-api.md §17): shapes and status codes, the validation of username, password,
 * alias and app_id, the username's timestamp on the emulator clock, the password kept only as a digest, and what
 * deleting an application does to its endpoints (cascade, new_endpoint_application).
 */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { API_ID_RE, useTestEmulator } from "../helpers/emulator";
import { ledger } from "../helpers/ledger";

const emulator = useTestEmulator();
const app = async (name: string) => (await emulator().post("Application/", { app_name: name, answer_url: "https://e.com/a" })).body.app_id as string;

describe("Endpoint", () => {
  it("create 201 {alias, endpoint_id, message, username}; get; list; update 202; delete 204; ledger", async () => {
    const t = emulator();
    await t.control("POST", "clock", { offsetMs: Date.UTC(2030, 0, 5, 7, 8, 9, 100) - Date.now() });
    const c = await t.post("Endpoint/", { username: "alice", password: "s3cret", alias: "Alice_Desk" });
    expect(c.status).toBe(201);
    expect(c.body).toEqual({
      api_id: expect.stringMatching(API_ID_RE),
      alias: "Alice_Desk",
      endpoint_id: expect.stringMatching(/^\d{14}$/),
      message: "created",
      username: expect.stringMatching(/^alice3001050708(09|10)$/),
    });
    const id = c.body.endpoint_id;
    const g = await t.get(`Endpoint/${id}/`);
    expect(Object.keys(g.body).sort()).toEqual([
      "alias",
      "api_id",
      "application",
      "endpoint_id",
      "resource_uri",
      "sip_registered",
      "sip_uri",
      "sub_account",
      "username",
    ]);
    expect(g.body).toMatchObject({ application: null, sip_registered: "false", sip_uri: `sip:${c.body.username}@phone.plivo.com`, sub_account: null });

    for (let i = 0; i < 3; i++) await t.post("Endpoint/", { username: `bob${i}`, password: "s3cret", alias: "bob" });
    const page = await t.get("Endpoint/", { limit: 2, offset: 2 });
    expect(page.body.objects).toHaveLength(2);
    expect(page.body.meta).toMatchObject({ total_count: 4, limit: 2, offset: 2, next: null });

    const u = await t.post(`Endpoint/${id}/`, { alias: "alice-2", password: "another" });
    expect(u.status).toBe(202);
    expect(u.body).toEqual({ api_id: expect.stringMatching(API_ID_RE), message: "changed" });
    expect((await t.get(`Endpoint/${id}/`)).body.alias).toBe("alice-2");
    expect((await t.del(`Endpoint/${id}/`)).status).toBe(204);
    expect((await t.get(`Endpoint/${id}/`)).status).toBe(404);
    expect((await t.del(`Endpoint/${id}/`)).status).toBe(404);
    expect((await ledger(t, { resource: "Endpoint", id })).map((e) => e.action)).toEqual(["create", "update", "delete"]);
  });

  it("validation: each rule named, nothing created or changed on a 400", async () => {
    const t = emulator();
    const bad: Array<[Record<string, unknown>, string]> = [
      [{ password: "s3cret", alias: "a" }, "username parameter is missing"],
      [{ username: "1abc", password: "s3cret", alias: "a" }, "username must start with a letter"],
      [{ username: "ab_c", password: "s3cret", alias: "a" }, "username must start with a letter"],
      [{ username: "a".repeat(26), password: "s3cret", alias: "a" }, "1 to 25 characters"],
      [{ username: "abc", alias: "a" }, "password parameter is missing"],
      [{ username: "abc", password: "1234", alias: "a" }, "password must be at least 5 characters long"],
      [{ username: "abc", password: "s3cret" }, "alias parameter is missing"],
      [{ username: "abc", password: "s3cret", alias: "Test Account" }, "alias may only contain letters, digits, hyphens (-) and underscores (_)"],
      [{ username: "abc", password: "s3cret", alias: "a", app_id: "12345" }, "app_id 12345 is not a valid application"],
    ];
    for (const [body, error] of bad) {
      const r = await t.post("Endpoint/", body);
      expect({ status: r.status, error: r.body.error }).toEqual({ status: 400, error: expect.stringContaining(error) });
    }
    expect((await t.get("Endpoint/")).body.objects).toEqual([]);
    const id = (await t.post("Endpoint/", { username: "abc", password: "s3cret", alias: "a" })).body.endpoint_id;
    expect((await t.post(`Endpoint/${id}/`, { alias: "ok", username: "other" })).body.error).toBe("unexpected parameter: username");
    expect((await t.post(`Endpoint/${id}/`, { alias: "ok", password: "x" })).status).toBe(400);
    expect((await t.get(`Endpoint/${id}/`)).body.alias).toBe("a");
    expect((await t.post(`Endpoint/${id}/`, { alias: "ok", callback_url: "https://e.com/cb" })).status).toBe(202);
    expect((await t.post("Endpoint/99999999999999/", { alias: "x" })).status).toBe(404);
  });

  it("the password is stored as its MD5 only: never in a response, the state or the request log's answer", async () => {
    const t = emulator();
    const id = (await t.post("Endpoint/", { username: "carol", password: "correct-horse", alias: "c" })).body.endpoint_id;
    const state = await t.state();
    expect(state.endpoints[0]).toMatchObject({ endpoint_id: id, password_md5: createHash("md5").update("correct-horse").digest("hex") });
    expect(JSON.stringify(state.endpoints)).not.toContain("correct-horse");
    expect(JSON.stringify((await t.get("Endpoint/")).body)).not.toContain("correct-horse");
    await t.post(`Endpoint/${id}/`, { password: "battery-staple" });
    const logged = (await t.control("GET", "requests")).body as { path: string; body?: Record<string, unknown> }[];
    expect(logged.filter((r) => r.path.includes("/Endpoint/") && r.body).map((r) => r.body!.password)).toEqual(["[not logged]", "[not logged]"]);
    expect(JSON.stringify(logged)).not.toMatch(/correct-horse|battery-staple/);
  });

  it("app_id: attached, detached with '' or 'none'; the account's default endpoint application when none is given", async () => {
    const t = emulator();
    const a = await app("sip");
    const id = (await t.post("Endpoint/", { username: "dave", password: "s3cret", alias: "d", app_id: a })).body.endpoint_id;
    expect((await t.get(`Endpoint/${id}/`)).body.application).toBe(`/v1/Account/${t.authId}/Application/${a}/`);
    await t.post(`Endpoint/${id}/`, { app_id: "none" });
    expect((await t.get(`Endpoint/${id}/`)).body.application).toBeNull();
    const def = (await t.post("Application/", { app_name: "def", answer_url: "https://e.com/a", default_endpoint_app: true })).body.app_id;
    const e2 = (await t.post("Endpoint/", { username: "erin", password: "s3cret", alias: "e" })).body.endpoint_id;
    expect((await t.get(`Endpoint/${e2}/`)).body.application).toBe(`/v1/Account/${t.authId}/Application/${def}/`);
  });

  it("deleting an application: its endpoints are deleted (cascade, the default), or move to new_endpoint_application, or keep none", async () => {
    const t = emulator();
    const [a1, a2, a3, next] = [await app("a1"), await app("a2"), await app("a3"), await app("next")];
    const ep = async (name: string, appId: string) =>
      (await t.post("Endpoint/", { username: name, password: "s3cret", alias: name, app_id: appId })).body.endpoint_id;
    const [e1, e2, e3] = [await ep("one", a1), await ep("two", a2), await ep("three", a3)];

    expect((await t.del(`Application/${a1}/`)).status).toBe(204); // cascade defaults to true
    expect((await t.get(`Endpoint/${e1}/`)).status).toBe(404);
    expect((await t.del(`Application/${a2}/`, { cascade: false, new_endpoint_application: next })).status).toBe(204);
    expect((await t.get(`Endpoint/${e2}/`)).body.application).toBe(`/v1/Account/${t.authId}/Application/${next}/`);
    expect((await t.del(`Application/${a3}/`, { cascade: "false" })).status).toBe(204);
    expect((await t.get(`Endpoint/${e3}/`)).body.application).toBeNull();
    expect((await t.del(`Application/${next}/`, { cascade: false, new_endpoint_application: "123" })).status).toBe(400);
    expect((await ledger(t, { resource: "Endpoint", id: e1 })).map((e) => [e.action, e.via])).toEqual([
      ["create", undefined],
      ["delete", "Application"],
    ]);
  });
});
