/**
 * Attacks on the control surface (each one succeeded against the emulator before this guard): a web page posting
 * cross-origin (CSRF), DNS rebinding, a typo'd fault spec becoming a catch-all fault, a regular expression that
 * hangs the server (ReDoS); plus the optional control token and the warning for non-loopback binds.
 */
import { hostname } from "node:os";
import { request } from "undici";
import { describe, expect, it } from "vitest";
import { startTestEmulator, useTestEmulator } from "../helpers/emulator";
import { ledger } from "../helpers/ledger";

const t = useTestEmulator();

/** A raw request with exactly the given headers (what a browser or a rebinding page would send). */
async function raw(url: string, method: string, headers: Record<string, string>, body?: string) {
  const res = await request(url, { method: method as "POST", headers, body });
  const text = await res.body.text();
  return { status: res.statusCode, body: text ? JSON.parse(text) : undefined };
}

describe("CSRF: a page on another origin cannot change the state", () => {
  it("a text/plain POST to /reset from another origin is refused and the state stays", async () => {
    await t().post("Application/", { app_name: "keep", answer_url: "https://e.com/a" });
    const res = await raw(`${t().url}/__emulator/reset`, "POST", { "content-type": "text/plain", origin: "http://evil.example" }, "{}");
    expect(res.status).toBe(403);
    expect(res.body.error).toContain("cross-origin");
    expect(await ledger(t(), { action: "create" })).toHaveLength(1);
  });

  it("a text/plain POST without Origin (an old browser, a form) is refused: writes must be JSON", async () => {
    await t().post("Application/", { app_name: "keep", answer_url: "https://e.com/a" });
    const res = await raw(`${t().url}/__emulator/reset`, "POST", { "content-type": "text/plain" }, "{}");
    expect(res.status).toBe(415);
    const form = await raw(`${t().url}/__emulator/faults`, "POST", { "content-type": "application/x-www-form-urlencoded" }, "status=500");
    expect(form.status).toBe(415);
    expect((await t().control("GET", "faults")).body).toEqual([]);
    expect(await ledger(t(), { action: "create" })).toHaveLength(1);
  });

  it("Sec-Fetch-Site cross-site is refused even with a JSON body; same-origin requests work", async () => {
    const cross = await raw(`${t().url}/__emulator/reset`, "POST", { "content-type": "application/json", "sec-fetch-site": "cross-site" }, "{}");
    expect(cross.status).toBe(403);
    const host = new URL(t().url).host;
    const same = await raw(
      `${t().url}/__emulator/reset`,
      "POST",
      { "content-type": "application/json", origin: `http://${host}`, "sec-fetch-site": "same-origin" },
      "{}",
    );
    expect(same.status).toBe(200);
  });
});

describe("DNS rebinding: a Host that is not this server is refused", () => {
  it("GET /__emulator/state and the API with Host: evil.example → 403; loopback names work", async () => {
    const port = new URL(t().url).port;
    expect((await raw(`${t().url}/__emulator/state`, "GET", { host: `evil.example:${port}` })).status).toBe(403);
    const auth = `Basic ${Buffer.from(`${t().authId}:${t().authToken}`).toString("base64")}`;
    expect((await raw(`${t().url}/v1/Account/${t().authId}/Application/`, "GET", { host: `evil.example:${port}`, authorization: auth })).status).toBe(403);
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `app.localhost:${port}`]) {
      expect((await raw(`${t().url}/__emulator/health`, "GET", { host })).status, host).toBe(200);
    }
  });

  it("--allowed-host names another host; bound to every interface, the machine's own name is accepted", async () => {
    const e = await startTestEmulator({ host: "0.0.0.0", allowedHosts: ["plivo-emulator"], onWarning: () => undefined });
    try {
      const port = new URL(e.url).port;
      const url = `http://127.0.0.1:${port}/__emulator/health`;
      expect((await raw(url, "GET", { host: `plivo-emulator:${port}` })).status).toBe(200);
      expect((await raw(url, "GET", { host: `${hostname()}:${port}` })).status).toBe(200);
      expect((await raw(url, "GET", { host: `evil.example:${port}` })).status).toBe(403);
    } finally {
      await e.close();
    }
  });
});

describe("fault specs are validated", () => {
  it("an unknown key is a 400, not a catch-all fault", async () => {
    const res = await t().control("POST", "faults", { pth: "/Application/", status: 503 });
    expect(res.status).toBe(400);
    expect(res.body.error).toContain("unexpected parameter: pth");
    expect((await t().control("GET", "faults")).body).toEqual([]);
    expect((await t().get("Application/")).status).toBe(200);
    for (const bad of [{ mode: "explode" }, { status: 99 }, { count: 0 }, { mode: "delay" }, { retryAfter: -1 }]) {
      expect((await t().control("POST", "faults", bad)).status, JSON.stringify(bad)).toBe(400);
    }
  });
});

describe("ReDoS: a user regular expression cannot hang the server", () => {
  it("path (a+)+$ against a long path of a's answers at once", async () => {
    expect((await t().control("POST", "faults", { path: "(a+)+$", status: 503 })).status).toBe(201);
    const t0 = Date.now();
    const res = await t().get(`${"a".repeat(40)}!`);
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(res.status).toBe(404); // no match: the fault stays, the request goes on to routing
    expect((await t().get(`${"a".repeat(40)}`)).status).toBe(503); // a match is still a match
  }, 10_000);

  it("chaos paths use the same engine", async () => {
    expect((await t().control("POST", "chaos", { seed: 1, probability: 1, kinds: ["500"], paths: ["(x+x+)+y"] })).status).toBe(200);
    const t0 = Date.now();
    expect((await t().get(`${"x".repeat(40)}`)).status).toBe(404);
    expect(Date.now() - t0).toBeLessThan(2000);
    await t().control("DELETE", "chaos");
  }, 10_000);
});

describe("control token", () => {
  it("with --control-token every control request needs it; the API does not", async () => {
    const e = await startTestEmulator({ controlToken: "s3cret-token" });
    try {
      expect((await raw(`${e.url}/__emulator/state`, "GET", {})).status).toBe(401);
      expect((await raw(`${e.url}/__emulator/reset`, "POST", { "content-type": "application/json", "x-emulator-token": "wrong" }, "{}")).status).toBe(401);
      expect((await raw(`${e.url}/__emulator/health`, "GET", { "x-emulator-token": "s3cret-token" })).status).toBe(200);
      expect((await raw(`${e.url}/__emulator/health`, "GET", { authorization: "Bearer s3cret-token" })).status).toBe(200);
      expect((await e.get("Application/")).status).toBe(200);
    } finally {
      await e.close();
    }
  });
});

describe("binding", () => {
  it("a non-loopback bind warns loudly; a loopback one does not", async () => {
    const warnings: string[] = [];
    const wide = await startTestEmulator({ host: "0.0.0.0", onWarning: (m) => warnings.push(m) });
    await wide.close();
    const local = await startTestEmulator({ onWarning: (m) => warnings.push(m) });
    await local.close();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^WARNING: .*0\.0\.0\.0.*reachable from other machines/);
  });
});
