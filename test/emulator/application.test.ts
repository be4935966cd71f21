/** Application: /Application/ behaviour. */
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

describe("Application", () => {
  it("create → 201 {api_id, app_id (17 digits), message:'created'}; get returns the full object", async () => {
    const c = await t.post("Application/", { app_name: "inbound-sms_1", answer_url: "https://example.com/answer" });
    expect(c.status).toBe(201);
    expect(Object.keys(c.body).sort()).toEqual(["api_id", "app_id", "message"]);
    expect(c.body.api_id).toMatch(API_ID_RE);
    expect(c.body.app_id).toMatch(/^[1-9]\d{16}$/);
    expect(c.body.message).toBe("created");
    const g = await t.get(`Application/${c.body.app_id}/`);
    expect(g.status).toBe(200);
    expect(g.body).toEqual({
      api_id: expect.stringMatching(API_ID_RE),
      answer_method: "POST",
      answer_url: "https://example.com/answer",
      app_id: c.body.app_id,
      app_name: "inbound-sms_1",
      application_type: "XML",
      default_app: false,
      default_endpoint_app: false,
      enabled: true,
      fallback_answer_url: "",
      fallback_method: "POST",
      hangup_method: "POST",
      hangup_url: "https://example.com/answer",
      log_incoming_messages: true,
      message_method: "POST",
      message_url: "",
      public_uri: false,
      resource_uri: `/v1/Account/${A}/Application/${c.body.app_id}/`,
      sip_uri: `sip:${c.body.app_id}@app.plivo.com`,
      sub_account: null,
    });
  });

  it("validates: app_name required and restricted, answer_url required and a URL, methods GET|POST", async () => {
    const missing = await t.post("Application/", { answer_url: "https://example.com" });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toBe("app_name parameter is missing");
    const noAnswer = await t.post("Application/", { app_name: "x" });
    expect(noAnswer.status).toBe(400);
    expect(noAnswer.body).toEqual({ api_id: expect.stringMatching(API_ID_RE), error: "answer_url parameter is missing" });
    const badName = await t.post("Application/", { app_name: "has space", answer_url: "https://example.com" });
    expect(badName.status).toBe(400);
    expect(badName.body.error).toContain("app_name");
    const badUrl = await t.post("Application/", { app_name: "x", answer_url: "not a url" });
    expect(badUrl.body.error).toContain("answer_url");
    const badMethod = await t.post("Application/", { app_name: "x", answer_url: "https://e.com", answer_method: "PUT" });
    expect(badMethod.status).toBe(400);
    expect(badMethod.body.error).toContain("answer_method");
  });

  it("methods are case-insensitive on input and upper-case on output; booleans are coerced", async () => {
    const sa = (await t.post("Subaccount/", { name: "apps" })).body.auth_id;
    const c = await t.post("Application/", {
      app_name: "m",
      answer_url: "https://e.com/a",
      answer_method: "get",
      message_url: "https://e.com/m",
      message_method: "Get",
      log_incoming_messages: "false",
      public_uri: "True",
      subaccount: sa,
    });
    const g = (await t.get(`Application/${c.body.app_id}/`)).body;
    expect(g).toMatchObject({
      answer_method: "GET",
      message_method: "GET",
      message_url: "https://e.com/m",
      log_incoming_messages: false,
      public_uri: true,
      sub_account: sa,
    });
  });

  it("update → 202 {message:'changed'}; partial; unknown or immutable params → 400", async () => {
    const id = (await t.post("Application/", { app_name: "u", answer_url: "https://e.com/a" })).body.app_id;
    const u = await t.post(`Application/${id}/`, { message_url: "https://e.com/sms", hangup_method: "get", log_incoming_messages: false });
    expect(u.status).toBe(202);
    expect(u.body).toEqual({ api_id: expect.stringMatching(API_ID_RE), message: "changed" });
    const g = (await t.get(`Application/${id}/`)).body;
    expect(g).toMatchObject({ answer_url: "https://e.com/a", message_url: "https://e.com/sms", hangup_method: "GET", log_incoming_messages: false });
    const rename = await t.post(`Application/${id}/`, { app_name: "other" });
    expect(rename.status).toBe(400);
    expect(rename.body.error).toContain("app_name");
    const unknown = await t.post(`Application/${id}/`, { colour: "blue" });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toContain("colour");
    expect((await t.post("Application/99999999999999999/", { message_url: "https://e.com" })).status).toBe(404);
  });

  it("default_number_app: exactly one default; numbers bought without app_id attach to it", async () => {
    const a = (await t.post("Application/", { app_name: "a", answer_url: "https://e.com", default_number_app: true })).body.app_id;
    const b = (await t.post("Application/", { app_name: "b", answer_url: "https://e.com" })).body.app_id;
    expect((await t.get(`Application/${a}/`)).body.default_app).toBe(true);
    const n1 = await t.buy({ country_iso: "US", pattern: "415" });
    expect((await t.get(`Number/${n1}/`)).body.application).toBe(`/v1/Account/${A}/Application/${a}/`);
    await t.post(`Application/${b}/`, { default_number_app: true });
    expect((await t.get(`Application/${a}/`)).body.default_app).toBe(false);
    expect((await t.get(`Application/${b}/`)).body.default_app).toBe(true);
    const n2 = await t.buy({ country_iso: "US", pattern: "212" });
    expect((await t.get(`Number/${n2}/`)).body.application).toBe(`/v1/Account/${A}/Application/${b}/`);
  });

  it("list filters by app_name (exact) and paginates", async () => {
    for (const n of ["alpha", "beta", "gamma"]) await t.post("Application/", { app_name: n, answer_url: "https://e.com" });
    const all = await t.get("Application/");
    expect(all.body.meta.total_count).toBe(3);
    expect(all.body.objects.map((o: any) => o.app_name)).toEqual(["alpha", "beta", "gamma"]);
    const one = await t.get("Application/", { app_name: "beta" });
    expect(one.body.objects).toHaveLength(1);
    expect(one.body.objects[0].app_name).toBe("beta");
    expect((await t.get("Application/", { app_name: "bet" })).body.objects).toHaveLength(0);
  });

  it("delete → 204 (cascade / new_endpoint_application accepted); numbers lose the application", async () => {
    const id = (await t.post("Application/", { app_name: "d", answer_url: "https://e.com" })).body.app_id;
    const other = (await t.post("Application/", { app_name: "o", answer_url: "https://e.com" })).body.app_id;
    const n = await t.buy({ country_iso: "US", pattern: "305" }, { app_id: id });
    expect((await t.get(`Number/${n}/`)).body.application).toContain(id);
    expect((await t.del(`Application/${id}/`, { cascade: "false", new_endpoint_application: "12345678901234567" })).status).toBe(400);
    const d = await t.del(`Application/${id}/`, { cascade: "false", new_endpoint_application: other });
    expect(d.status).toBe(204);
    expect(d.text).toBe("");
    expect((await t.get(`Application/${id}/`)).status).toBe(404);
    expect((await t.get(`Number/${n}/`)).body.application).toBeNull();
    expect((await t.call("DELETE", `Application/${other}/`, { query: { cascade: "maybe" } })).status).toBe(400);
    expect((await t.call("DELETE", `Application/${other}/`, { query: { cascade: "true" } })).status).toBe(204);
    expect((await t.del(`Application/${other}/`)).status).toBe(404);
  });
});
