/**
 * The read-only state page `GET /__emulator/` over HTTP: what it shows, that every value is escaped and no script
 * can run in it (Content-Security-Policy), and that it sits behind the control surface's guards (Host check,
 * control token). The browser test (state-page.browser.test.ts) renders it in Chromium.
 */
import { describe, expect, it } from "vitest";
import { startTestEmulator, useTestEmulator } from "../helpers/emulator";
import { HOSTILE, demoAccount } from "./message-fixtures";

const emulator = useTestEmulator();

const page = (headers: Record<string, string> = {}) => emulator().call("GET", "/__emulator/", { absolute: true, auth: false, headers });

describe("state page", () => {
  it("shows the account objects, numbers with pool and campaign, registrations with history, ledger, requests, messages", async () => {
    const e = emulator();
    const d = await demoAccount(e);
    const res = await page();
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("text/html; charset=utf-8");
    const html = res.text;
    for (const id of ["account", "numbers", "registrations", "ledger", "requests", "messages"]) expect(html).toContain(`<section id="${id}">`);
    expect(html).toContain(`<td>support (${d.app})</td>`); // a number's application
    const sfRow = new RegExp(`<tr><td>${d.sf}</td>.*?</tr>`).exec(html)?.[0] ?? "";
    expect(sfRow).toContain("<td>support-pool</td>");
    expect(sfRow).toContain('<span class="badge good">COMPLETED</span>');
    expect(sfRow).toContain(`<td>${d.campaign}</td>`);
    const brandRow = new RegExp(`<tr><td>${d.brand}</td>.*?</tr>`).exec(html)?.[0] ?? "";
    expect(brandRow).toMatch(/PROCESSING<\/span> <small>\(submit\)<\/small> → <span title="[^"]+">COMPLETED<\/span> <small>\(control\)<\/small>/);
    const tfvRow = new RegExp(`<tr><td>${d.tfv}</td>.*?</tr>`).exec(html)?.[0] ?? "";
    expect(tfvRow).toContain('<span class="badge good">APPROVED</span>');
    expect(html).toMatch(/<td>buy<\/td><td>PhoneNumber<\/td>/);
    expect(html).toMatch(/<td>send<\/td><td>message<\/td>/);
    expect(html).toContain(`<td>POST</td><td>/v1/Account/${e.authId}/Message/</td><td>202</td>`);
    expect(html).toContain("<td>Your order shipped</td>");
    expect(html).toContain("priority 3 (longcode), local connect: area code 415");
    expect(html).toContain(`<td>40 source ${d.austin}: US long code not linked to a 10DLC campaign (tendlc_registration_status UNREGISTERED)</td>`);
  });

  it("escapes everything and forbids scripts; never shows the auth token", async () => {
    const e = emulator();
    await demoAccount(e);
    const res = await page();
    const escaped = HOSTILE.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
    expect(res.text.split(escaped).length - 1).toBe(2); // the number's alias and the message text
    expect(res.text).not.toContain("<script");
    expect(res.text).not.toContain("<img");
    expect(res.text).not.toContain(e.authToken);
    expect(res.headers["content-security-policy"]).toBe(
      "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    );
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
  });

  it("GET / sends a browser to the page", async () => {
    const res = await emulator().call("GET", "/", { absolute: true, auth: false });
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe("/__emulator/");
  });

  it("respects the control surface's guards: Host check and control token", async () => {
    expect((await page({ host: "evil.example" })).status).toBe(403);
    const guarded = await startTestEmulator({ controlToken: "s3cret-token" });
    try {
      const get = (headers: Record<string, string>) => guarded.call("GET", "/__emulator/", { absolute: true, auth: false, headers });
      const refused = await get({});
      expect(refused.status).toBe(401);
      expect(refused.text).not.toContain("<html");
      expect((await get({ "x-emulator-token": "wrong-token!" })).status).toBe(401);
      const ok = await get({ "x-emulator-token": "s3cret-token" });
      expect(ok.status).toBe(200);
      expect(ok.text).toContain("<h1>Plivo emulator</h1>");
      expect(ok.text).not.toContain("s3cret-token");
      expect((await get({ authorization: "Bearer s3cret-token", host: "rebound.example" })).status).toBe(403);
    } finally {
      await guarded.close();
    }
  });
});
