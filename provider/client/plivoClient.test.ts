/**
 * PlivoClient against the real emulator over real HTTP (no mocks of Plivo).
 * Faults are injected through the emulator's control surface (`/__emulator/faults`), and the
 * emulator's request log (`/__emulator/requests`) is the ground truth of what reached the server.
 */
import { createServer as createHttpServer, type Server as HttpServer } from "node:http";
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from "node:net";
import { inspect } from "node:util";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startTestEmulator, type TestEmulator } from "../../test/helpers/emulator";
import { renderings } from "../../test/helpers/renderings";
import { PlivoApiError, PlivoError, PlivoNetworkError, PlivoTimeoutError } from "./errors";
import { PlivoClient, type PlivoClientOptions, type RequestLogInfo } from "./plivoClient";
import { closeAllClients, getClient, resolveConfig } from "../config";
import { RateLimiter, _resetAccountRateLimitersForTests } from "./rateLimiter";

const TOKEN = "clientTestToken_9f8e7d6c5b4a39281706f5e4d3c2b1a0";
const AUTH_ID = "MACLIENTTEST00000001";

let emu: TestEmulator;
let connections = 0;
const clients: PlivoClient[] = [];

interface LoggedRequest {
  method: string;
  path: string;
  query?: string;
  status: number;
  at: string;
  body?: Record<string, unknown>;
  fault?: string;
}

async function control(method: string, path: string, body?: unknown): Promise<any> {
  const res = await emu.control(method, path, body);
  if (res.status >= 400) throw new Error(`control ${method} ${path}: ${res.status} ${res.text}`);
  return res.body;
}

interface FaultSpec {
  method?: string;
  path?: string;
  status?: number;
  count?: number;
  retryAfter?: number;
  mode?: "status" | "reset" | "delay" | "after" | "after-reset";
  delayMs?: number;
  error?: string;
}
const fault = (spec: FaultSpec) => control("POST", "faults", spec);
const requestLog = async (): Promise<LoggedRequest[]> => control("GET", "requests");

function client(overrides: Partial<PlivoClientOptions> = {}): { c: PlivoClient; log: RequestLogInfo[] } {
  const log: RequestLogInfo[] = [];
  const c = new PlivoClient({
    authId: emu.authId,
    authToken: emu.authToken,
    baseUrl: `${emu.url}/`,
    rateLimiter: new RateLimiter({ limit: 100_000, windowMs: 1000 }),
    retry: { baseDelayMs: 10, maxDelayMs: 100 },
    timeoutMs: 5000,
    onRequest: (i) => log.push(i),
    ...overrides,
  });
  clients.push(c);
  return { c, log };
}

const appOp = (action: string) => ({ resource: "Application", name: "app", action });

async function createApp(c: PlivoClient, name: string) {
  return c.request<{ app_id: string; api_id: string; message: string }>({
    method: "POST",
    path: "Application/",
    body: { app_name: name, answer_url: "https://example.com/answer" },
    operation: appOp(`create ${name}`),
  });
}

/** Max entries inside any half-open window [t, t + windowMs). */
function maxInWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let lo = 0, hi = 0; hi < sorted.length; hi++) {
    while (sorted[hi]! - sorted[lo]! >= windowMs) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}

async function caught(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error("expected the request to fail");
}

beforeAll(async () => {
  emu = await startTestEmulator({ authId: AUTH_ID, authToken: TOKEN });
  emu.emu.app.server.on("connection", () => connections++);
});

afterAll(async () => {
  await emu?.close();
});

beforeEach(async () => {
  await control("POST", "reset");
  await control("DELETE", "rate-limit");
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.destroy()));
  await closeAllClients();
  _resetAccountRateLimitersForTests();
});

describe("requests", () => {
  it("creates, reads, lists and deletes an Application", async () => {
    const { c, log } = client();
    const created = await createApp(c, "client-app");
    expect(created.status).toBe(201);
    expect(created.body.app_id).toMatch(/^\d+$/);
    expect(created.body.api_id).toBeTruthy();

    const got = await c.request({ method: "GET", path: `Application/${created.body.app_id}/`, operation: appOp("read") });
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ app_id: created.body.app_id, app_name: "client-app", answer_url: "https://example.com/answer" });

    const list = await c.request({ method: "GET", path: "Application/", query: { limit: 1, offset: 0, app_name: undefined }, operation: appOp("list") });
    expect(list.body.objects).toHaveLength(1);

    const del = await c.request({ method: "DELETE", path: `Application/${created.body.app_id}/`, body: { cascade: false }, operation: appOp("delete") });
    expect(del).toEqual({ status: 204, body: {}, date: expect.any(String) });

    const seen = await requestLog();
    expect(seen.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      `POST /v1/Account/${AUTH_ID}/Application/ 201`,
      `GET /v1/Account/${AUTH_ID}/Application/${created.body.app_id}/ 200`,
      `GET /v1/Account/${AUTH_ID}/Application/ 200`,
      `DELETE /v1/Account/${AUTH_ID}/Application/${created.body.app_id}/ 204`,
    ]);
    expect(seen[0]!.body).toEqual({ app_name: "client-app", answer_url: "https://example.com/answer" }); // JSON body
    expect(seen[2]!.query).toBe("limit=1&offset=0"); // undefined dropped
    expect(seen[3]!.body).toEqual({ cascade: false }); // DELETE params as a JSON body, like the SDKs

    // The debug hook: one entry per attempt, path without the auth id, never the token.
    expect(log.map((l) => [l.method, l.status, l.attempt])).toEqual([
      ["POST", 201, 1],
      ["GET", 200, 1],
      ["GET", 200, 1],
      ["DELETE", 204, 1],
    ]);
    expect(log[0]!.path).toBe("/v1/Account/…/Application/");
    expect(JSON.stringify(log)).not.toContain(AUTH_ID);
    expect(JSON.stringify(log)).not.toContain(TOKEN);
  });

  it("404 → PlivoApiError.isNotFound with Plivo's text and api_id, not retried", async () => {
    const { c } = client();
    const err = await caught(c.request({ method: "GET", path: "Application/99999999999999999/", operation: appOp("read 99999999999999999") }));
    expect(err).toBeInstanceOf(PlivoApiError);
    const e = err as PlivoApiError;
    expect(e.isNotFound).toBe(true);
    expect(e.status).toBe(404);
    expect(e.plivoError).toBe("not found");
    expect(e.apiId).toMatch(/^[0-9a-f-]{36}$/);
    expect(e.message).toBe(`Application "app": read 99999999999999999 failed: 404 not found (api_id ${e.apiId})`);
    expect(e.retryable).toBe(false);
    expect(e.ambiguous).toBe(false);
    expect(e.path).toBe("/v1/Account/…/Application/99999999999999999/");
    expect(await requestLog()).toHaveLength(1);
  });

  it("accepts listed statuses via `expect`", async () => {
    const { c } = client();
    const res = await c.request({ method: "DELETE", path: "Application/12345/", operation: appOp("delete"), expect: [204, 404] });
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ error: "not found" });
  });

  it("a 2xx body that only carries `error` is an error", async () => {
    const { c } = client();
    await fault({ method: "GET", path: "/Application/", status: 200, error: "something went wrong", count: 1 });
    const err = await caught(c.request({ method: "GET", path: "Application/", operation: appOp("list") }));
    expect(err).toBeInstanceOf(PlivoApiError);
    expect(err).toMatchObject({ status: 200, plivoError: "something went wrong", retryable: false });
  });

  it("rejects malformed paths and GET bodies before sending", async () => {
    const { c } = client();
    await expect(c.request({ method: "GET", path: "../Other/", operation: appOp("x") })).rejects.toBeInstanceOf(PlivoError);
    await expect(c.request({ method: "GET", path: "http://evil.test/", operation: appOp("x") })).rejects.toBeInstanceOf(PlivoError);
    await expect(c.request({ method: "GET", path: "Application/", body: { a: 1 }, operation: appOp("x") })).rejects.toThrow(/query/);
    expect(await requestLog()).toHaveLength(0);
  });
});

describe("retries", () => {
  it("retries a 429 after the server's Retry-After", async () => {
    const { c, log } = client();
    await fault({ method: "GET", path: "/Application/", status: 429, retryAfter: 1, count: 1 });
    const t0 = performance.now();
    const res = await c.request({ method: "GET", path: "Application/", operation: appOp("list") });
    const elapsed = performance.now() - t0;
    expect(res.status).toBe(200);
    expect(elapsed).toBeGreaterThanOrEqual(1000);
    expect(elapsed).toBeLessThan(3000);
    expect((await requestLog()).map((r) => r.status)).toEqual([429, 200]);
    expect(log[0]).toMatchObject({ status: 429, attempt: 1 });
    expect(log[0]!.retryInMs).toBeGreaterThanOrEqual(1000);
    expect(log[1]!.startedAt - log[0]!.startedAt).toBeGreaterThanOrEqual(1000);
  });

  it("retries a 429 on a POST create (refused, so never ambiguous) and creates exactly once", async () => {
    const { c } = client();
    await fault({ method: "POST", path: "/Application/", status: 429, count: 2 });
    const res = await createApp(c, "after-429");
    expect(res.status).toBe(201);
    expect((await requestLog()).map((r) => `${r.method} ${r.status}`)).toEqual(["POST 429", "POST 429", "POST 201"]);
    const list = await c.request({ method: "GET", path: "Application/", operation: appOp("list") });
    expect(list.body.objects.filter((a: { app_name: string }) => a.app_name === "after-429")).toHaveLength(1);
  });

  it.each([
    [500, undefined],
    [503, undefined],
    [503, 0],
    [502, undefined],
  ])("retries GET on %d (Retry-After %s) then succeeds", async (status, retryAfter) => {
    const { c } = client();
    await fault({ method: "GET", path: "/Application/", status, count: 2, ...(retryAfter !== undefined ? { retryAfter } : {}) });
    const res = await c.request({ method: "GET", path: "Application/", operation: appOp("list") });
    expect(res.status).toBe(200);
    expect((await requestLog()).map((r) => r.status)).toEqual([status, status, 200]);
  });

  it("honours Retry-After on 503", async () => {
    const { c } = client();
    await fault({ method: "GET", path: "/Application/", status: 503, retryAfter: 1, count: 1 });
    const t0 = performance.now();
    await c.request({ method: "GET", path: "Application/", operation: appOp("list") });
    expect(performance.now() - t0).toBeGreaterThanOrEqual(1000);
  });

  it("retries a GET whose connection was reset", async () => {
    const { c, log } = client();
    await fault({ method: "GET", path: "/Application/", mode: "reset", count: 2 });
    const res = await c.request({ method: "GET", path: "Application/", operation: appOp("list") });
    expect(res.status).toBe(200);
    const seen = await requestLog();
    expect(seen.map((r) => r.fault ?? r.status)).toEqual(["reset", "reset", 200]);
    expect(log.map((l) => l.status ?? l.error)).toEqual(["UND_ERR_SOCKET", "UND_ERR_SOCKET", 200]);
  });

  it("retries a DELETE on 500 (idempotent)", async () => {
    const { c } = client();
    const app = await createApp(c, "del-me");
    await fault({ method: "DELETE", path: "/Application/", status: 500, count: 1 });
    const res = await c.request({ method: "DELETE", path: `Application/${app.body.app_id}/`, operation: appOp("delete") });
    expect(res.status).toBe(204);
  });

  it("retries a GET that timed out", async () => {
    const { c } = client({ timeoutMs: 200 });
    await fault({ method: "GET", path: "/Application/", mode: "delay", delayMs: 600, count: 1 });
    const res = await c.request({ method: "GET", path: "Application/", operation: appOp("list") });
    expect(res.status).toBe(200);
  });

  it("gives up after maxAttempts with a retryable, non-ambiguous GET error", async () => {
    const { c } = client({ retry: { maxAttempts: 3, baseDelayMs: 5 } });
    await fault({ method: "GET", path: "/Application/", status: 503, count: 10 });
    const err = await caught(c.request({ method: "GET", path: "Application/", operation: appOp("list") }));
    expect(err).toBeInstanceOf(PlivoApiError);
    expect(err).toMatchObject({ status: 503, attempts: 3, retryable: true, ambiguous: false });
    expect((err as Error).message).toContain("503 service unavailable");
    expect((err as Error).message).toContain("after 3 attempts");
    expect(await requestLog()).toHaveLength(3);
  });

  it("does not retry 400", async () => {
    const { c } = client();
    const err = await caught(c.request({ method: "POST", path: "Application/", body: { app_name: "x" }, operation: appOp("create x") }));
    expect(err).toMatchObject({ status: 400, retryable: false, ambiguous: false });
    expect((err as PlivoApiError).plivoError).toMatch(/answer_url/);
    expect(await requestLog()).toHaveLength(1);
  });
});

describe("non-idempotent creates fail ambiguously instead of being re-sent", () => {
  it("POST answered 500 after processing → ambiguous PlivoApiError, sent once, and the app really exists", async () => {
    const { c } = client();
    await fault({ method: "POST", path: "/Application/", mode: "after", status: 500, count: 1 });
    const err = await caught(createApp(c, "ambiguous-500"));
    expect(err).toBeInstanceOf(PlivoApiError);
    const e = err as PlivoApiError;
    expect(e).toMatchObject({ status: 500, ambiguous: true, retryable: true, attempts: 1 });
    expect(e.message).toContain("may have been applied");
    const posts = (await requestLog()).filter((r) => r.method === "POST");
    expect(posts).toHaveLength(1);
    // ... which is exactly why it must not be re-sent: the create went through.
    const list = await c.request({ method: "GET", path: "Application/", operation: appOp("list") });
    expect(list.body.objects.map((a: { app_name: string }) => a.app_name)).toContain("ambiguous-500");
  });

  it("POST whose connection is reset after processing → ambiguous PlivoNetworkError, sent once", async () => {
    const { c } = client();
    await fault({ method: "POST", path: "/Application/", mode: "after-reset", count: 1 });
    const err = await caught(createApp(c, "ambiguous-reset"));
    expect(err).toBeInstanceOf(PlivoNetworkError);
    expect(err).toMatchObject({ sentRequest: true, ambiguous: true, attempts: 1 });
    expect((await requestLog()).filter((r) => r.method === "POST")).toHaveLength(1);
  });

  it("POST that times out → ambiguous PlivoTimeoutError, sent once", async () => {
    const { c, log } = client({ timeoutMs: 200 });
    await fault({ method: "POST", path: "/Application/", mode: "delay", delayMs: 500, count: 1 });
    const err = await caught(createApp(c, "ambiguous-timeout"));
    expect(err).toBeInstanceOf(PlivoTimeoutError);
    expect(err).toMatchObject({ sentRequest: true, ambiguous: true, timeoutMs: 200 });
    expect(log.map((l) => [l.method, l.error])).toEqual([["POST", "TIMEOUT"]]);
    await new Promise((r) => setTimeout(r, 600)); // let the server finish the delayed request
    // Not re-sent. (The emulator drops a delayed request whose client went away, so it logs at most one.)
    expect(c.stats.attempts).toBe(1);
    expect((await requestLog()).filter((r) => r.method === "POST").length).toBeLessThanOrEqual(1);
  });

  it("a POST marked idempotent (an update) is retried on 500", async () => {
    const { c } = client();
    const app = await createApp(c, "upd");
    await fault({ method: "POST", path: `/Application/${app.body.app_id}/`, status: 500, count: 1 });
    const res = await c.request({
      method: "POST",
      path: `Application/${app.body.app_id}/`,
      body: { answer_url: "https://example.com/v2" },
      idempotent: true,
      operation: appOp("update"),
    });
    expect(res.status).toBe(202);
  });

  it("a POST that never reached a server (connection refused) is retried, not ambiguous", async () => {
    const { c, log } = client({ baseUrl: "http://127.0.0.1:1", retry: { maxAttempts: 3, baseDelayMs: 5 } });
    const err = await caught(createApp(c, "nowhere"));
    expect(err).toBeInstanceOf(PlivoNetworkError);
    expect(err).toMatchObject({ sentRequest: false, ambiguous: false, attempts: 3, causeCode: "ECONNREFUSED", baseUrl: "http://127.0.0.1:1" });
    expect((err as Error).message).toMatch(
      /^Application "app": create nowhere failed: cannot reach the Plivo API at http:\/\/127\.0\.0\.1:1 \(connection refused\) after 3 attempts in \d+\.\d s; check plivo:baseUrl/,
    );
    expect(log).toHaveLength(3);
  });
});

describe("secrets", () => {
  it("401 with a wrong token: an error without the token in any rendering", async () => {
    const wrong = "wrongToken_0123456789abcdef0123456789abcd";
    const { c, log } = client({ authToken: wrong });
    const err = await caught(createApp(c, "x"));
    expect(err).toBeInstanceOf(PlivoApiError);
    expect(err).toMatchObject({ status: 401, retryable: false, ambiguous: false });
    expect((err as Error).message).toContain("401 Authentication credentials invalid");
    const basic = Buffer.from(`${AUTH_ID}:${wrong}`).toString("base64");
    for (const text of [...renderings(err), JSON.stringify(log)]) {
      expect(text).not.toContain(wrong);
      expect(text).not.toContain(basic);
      expect(text).not.toContain(TOKEN);
    }
    expect(await requestLog()).toHaveLength(1);
  });

  it("network and timeout errors of a client never carry its token", async () => {
    const { c } = client({ baseUrl: "http://127.0.0.1:1", retry: { maxAttempts: 1 } });
    const refused = await caught(c.request({ method: "GET", path: "Application/", operation: appOp("list") }));
    const { c: slow } = client({ timeoutMs: 100, retry: { maxAttempts: 1 } });
    await fault({ method: "GET", path: "/Application/", mode: "delay", delayMs: 300, count: 1 });
    const timeout = await caught(slow.request({ method: "GET", path: "Application/", operation: appOp("list") }));
    expect(timeout).toBeInstanceOf(PlivoTimeoutError);
    for (const err of [refused, timeout]) {
      for (const text of renderings(err)) expect(text).not.toContain(TOKEN);
    }
    expect(inspect(c, { depth: 10 })).not.toContain(TOKEN);
    expect(JSON.stringify(c)).not.toContain(TOKEN);
  });
});

describe("connections", () => {
  it("reuses keep-alive connections for sequential requests", async () => {
    const { c } = client();
    const before = connections;
    for (let i = 0; i < 50; i++) await c.request({ method: "GET", path: "Application/", operation: appOp("list") });
    const opened = connections - before;
    expect(opened).toBeGreaterThanOrEqual(1);
    expect(opened).toBeLessThanOrEqual(2);
    expect(c.stats.connectionsOpened).toBe(opened);
    expect(c.stats.attempts).toBe(50);
  });

  it("bounds concurrent connections", async () => {
    const { c } = client({ maxConnections: 4 });
    const before = connections;
    await Promise.all(Array.from({ length: 40 }, () => c.request({ method: "GET", path: "Application/", operation: appOp("list") })));
    expect(connections - before).toBeLessThanOrEqual(4);
  });

  it("an AbortSignal cancels a request waiting for the rate limiter or in flight", async () => {
    const { c } = client({ rateLimiter: new RateLimiter({ limit: 1, windowMs: 60_000 }) });
    await c.request({ method: "GET", path: "Application/", operation: appOp("list") });
    const waiting = c.request({ method: "GET", path: "Application/", operation: appOp("list"), signal: AbortSignal.timeout(50) });
    await expect(waiting).rejects.toMatchObject({ name: "TimeoutError" });

    const { c: c2 } = client();
    await fault({ method: "GET", path: "/Application/", mode: "delay", delayMs: 400, count: 1 });
    const ac = new AbortController();
    const inflight = c2.request({ method: "GET", path: "Application/", operation: appOp("list"), signal: ac.signal });
    setTimeout(() => ac.abort(new Error("user cancelled")), 50);
    await expect(inflight).rejects.toThrow("user cancelled");
    expect(c.stats.attempts + c2.stats.attempts).toBe(2); // neither was retried
  });

  it("close() rejects further requests", async () => {
    const { c } = client();
    await c.close();
    await expect(c.request({ method: "GET", path: "Application/", operation: appOp("list") })).rejects.toThrow(/closed/);
  });
});

describe("rate limiting", () => {
  it("paces a burst through a scaled limiter (30 per 500 ms, 100 requests): 1 at once, then 55/s", async () => {
    const { c, log } = client({ rateLimiter: new RateLimiter({ limit: 30, windowMs: 500 }) });
    const t0 = Date.now();
    const results = await Promise.all(Array.from({ length: 100 }, () => c.request({ method: "GET", path: "Application/", operation: appOp("list") })));
    const elapsed = Date.now() - t0;
    expect(results.every((r) => r.status === 200)).toBe(true);
    const grants = log.map((l) => l.grantedAt);
    expect(grants).toHaveLength(100);
    // burst 1 + 92 % of 30 per window: never more than 28 (the old sliding window released all 30 at once).
    expect(maxInWindow(grants, 500)).toBeLessThanOrEqual(28);
    // 99 paced grants at 27.6 per 500 ms: ~1.79 s (more on a busy machine: with a burst of 1, a late timer
    // cannot catch up).
    expect(elapsed).toBeGreaterThanOrEqual(1750);
    expect(elapsed).toBeLessThan(6000);
    const seen = await requestLog();
    expect(seen).toHaveLength(100);
    expect(seen.every((r) => r.status === 200)).toBe(true);
  });

  it("a server that enforces the same limit refuses nothing; without the limiter the same burst draws 429s", async () => {
    await control("POST", "rate-limit", { limit: 30, windowMs: 500 });
    // Control: no client-side limiting → the emulator refuses some, retries sort it out.
    const { c: unthrottled } = client({ retry: { maxAttempts: 10, baseDelayMs: 100, maxDelayMs: 600 } });
    await Promise.all(Array.from({ length: 60 }, () => unthrottled.request({ method: "GET", path: "Application/", operation: appOp("list") })));
    const refused = (await requestLog()).filter((r) => r.status === 429).length;
    expect(refused).toBeGreaterThan(0);

    await control("DELETE", "requests");
    await new Promise((r) => setTimeout(r, 600)); // let the emulator window roll over
    // The limiter configured with exactly the server's limit: its pacing leaves the margin.
    const { c } = client({ rateLimiter: new RateLimiter({ limit: 30, windowMs: 500 }) });
    const results = await Promise.all(Array.from({ length: 60 }, () => c.request({ method: "GET", path: "Application/", operation: appOp("list") })));
    expect(results.every((r) => r.status === 200)).toBe(true);
    const seen = await requestLog();
    expect(seen.filter((r) => r.status === 429)).toHaveLength(0);
    expect(seen).toHaveLength(60);
  });

  it("default 300/5 s against the emulator's 300/5 s: ≥ 0.9 of the limit while queued, never over it, 0 × 429", async () => {
    await control("POST", "rate-limit", { limit: 300, windowMs: 5000 });
    const limiter = new RateLimiter(); // the real defaults
    expect([limiter.limit, limiter.windowMs]).toEqual([300, 5000]);
    const { c, log } = client({ rateLimiter: limiter, maxConnections: 20 });
    const results = await Promise.all(Array.from({ length: 330 }, () => c.request({ method: "GET", path: "Application/", operation: appOp("list") })));
    expect(results.every((r) => r.status === 200)).toBe(true);
    const grants = log.map((l) => l.grantedAt).sort((a, b) => a - b);
    expect(grants).toHaveLength(330);
    expect(maxInWindow(grants, 5000)).toBeLessThanOrEqual(15 + 276 + 1);
    // Achieved rate while requests were queued (all 330 were queued at once).
    const rate = (grants.length - 1) / ((grants[grants.length - 1]! - grants[0]!) / 1000);
    expect(rate / 60).toBeGreaterThanOrEqual(0.9);
    expect(rate / 60).toBeLessThan(1);
    // The server's view: nothing refused, and no 5 s window over the limit.
    const seen = await requestLog();
    expect(seen.filter((r) => r.status === 429)).toHaveLength(0);
    expect(
      maxInWindow(
        seen.map((r) => Date.parse(r.at)),
        5000,
      ),
    ).toBeLessThanOrEqual(300);
  }, 20_000);

  it("a 429 with Retry-After pauses the whole account: other requests of other clients wait too", async () => {
    // Two clients of one account in one process share its limiter (no explicit rateLimiter).
    const a = new PlivoClient({ authId: emu.authId, authToken: emu.authToken, baseUrl: emu.url, retry: { baseDelayMs: 10 } });
    const b = new PlivoClient({ authId: emu.authId, authToken: emu.authToken, baseUrl: `${emu.url}/` });
    clients.push(a, b);
    expect(a.rateLimiter).toBe(b.rateLimiter);
    await fault({ method: "GET", path: "/Application/", status: 429, retryAfter: 1, count: 1 });
    const refusedOnce = a.request({ method: "GET", path: "Application/", operation: appOp("list") });
    await new Promise((r) => setTimeout(r, 100)); // the 429 has arrived: the account is paused
    const t0 = performance.now();
    const others = await Promise.all(
      Array.from({ length: 5 }, () => b.request({ method: "GET", path: "Number/", operation: { resource: "PhoneNumber", action: "list" } })),
    );
    const waited = performance.now() - t0;
    expect((await refusedOnce).status).toBe(200);
    expect(others.every((r) => r.status === 200)).toBe(true);
    expect(waited).toBeGreaterThanOrEqual(800); // the rest of the 1 s pause
    const seen = await requestLog();
    const refusedAt = Date.parse(seen.find((r) => r.status === 429)!.at);
    const numbers = seen.filter((r) => r.path.includes("/Number/"));
    expect(numbers).toHaveLength(5);
    for (const r of numbers) expect(Date.parse(r.at) - refusedAt).toBeGreaterThanOrEqual(990);
    expect(a.rateLimiter.stats.throttled).toBe(1);
  });

  it("a 429 storm longer than 6 attempts does not fail a POST create: it is created exactly once", async () => {
    const { c, log } = client({ rateLimiter: new RateLimiter({ limit: 100, windowMs: 1000 }) });
    await fault({ method: "POST", path: "/Application/", status: 429, count: 12 });
    const res = await createApp(c, "after-storm");
    expect(res.status).toBe(201);
    const posts = (await requestLog()).filter((r) => r.method === "POST");
    expect(posts.map((r) => r.status)).toEqual([...Array(12).fill(429), 201]);
    expect(log.filter((l) => l.status === 429)).toHaveLength(12);
    // Every retry went through the limiter, first in line: 12 cool-downs of 50 ms.
    expect(log[12]!.startedAt - log[0]!.startedAt).toBeGreaterThanOrEqual(12 * 50 - 20);
    const list = await c.request({ method: "GET", path: "Application/", query: { app_name: "after-storm" }, operation: appOp("list") });
    expect(list.body.objects).toHaveLength(1);
  });

  it("a 429 storm that outlasts the retry budget fails, not ambiguous, saying what to do", async () => {
    const { c } = client({ retry: { throttleBudgetMs: 400, baseDelayMs: 10 }, rateLimiter: new RateLimiter({ limit: 100, windowMs: 1000 }) });
    await fault({ method: "POST", path: "/Application/", status: 429, count: 1000 });
    const t0 = performance.now();
    const err = await caught(createApp(c, "never"));
    expect(performance.now() - t0).toBeLessThan(1500);
    expect(err).toBeInstanceOf(PlivoApiError);
    expect(err).toMatchObject({ status: 429, retryable: true, ambiguous: false });
    expect((err as PlivoApiError).attempts).toBeGreaterThan(6);
    expect((err as Error).message).toMatch(
      /429 too many requests \(api_id [^)]+\), after \d+ attempts in \d\.\d s; Plivo kept refusing requests of this account/,
    );
    await control("DELETE", "faults");
  });
});

describe("time budget (plivo:timeoutSeconds) and unreachable APIs", () => {
  const servers: Array<HttpServer | TcpServer> = [];
  const sockets: Socket[] = [];
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.destroy();
    await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
  });

  async function listen<T extends HttpServer | TcpServer>(server: T): Promise<string> {
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const { port } = server.address() as { port: number };
    return `http://127.0.0.1:${port}`;
  }

  /** A port that accepts connections and never answers. */
  const hungServer = () =>
    listen(
      createTcpServer((socket) => {
        sockets.push(socket);
        socket.on("error", () => {});
      }),
    );

  /** A port nobody listens on (bound, then closed). */
  async function refusedUrl(): Promise<string> {
    const server = createTcpServer();
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const { port } = server.address() as { port: number };
    await new Promise((r) => server.close(r));
    return `http://127.0.0.1:${port}`;
  }

  /** The provider's way: stack config → resolveConfig → getClient. */
  function configured(baseUrl: string, timeoutSeconds: string): PlivoClient {
    return getClient(
      resolveConfig({
        get: (k) => ({ "plivo:authId": AUTH_ID, "plivo:authToken": TOKEN, "plivo:baseUrl": baseUrl, "plivo:timeoutSeconds": timeoutSeconds })[k],
      }),
    );
  }

  async function timed(p: Promise<unknown>): Promise<{ err: unknown; ms: number }> {
    const t0 = performance.now();
    const err = await caught(p);
    return { err, ms: performance.now() - t0 };
  }

  it("a hung port fails a GET within the configured timeout, naming the base URL (two attempts of half)", async () => {
    const url = await hungServer();
    const c = configured(url, "1.5");
    expect(c.timeoutMs).toBe(1500);
    const { err, ms } = await timed(c.request({ method: "GET", path: "Application/", operation: appOp("list") }));
    expect(ms).toBeGreaterThanOrEqual(1400);
    expect(ms).toBeLessThan(1500 + 400);
    expect(err).toBeInstanceOf(PlivoTimeoutError);
    expect(err).toMatchObject({ attempts: 2, sentRequest: true, ambiguous: false, timeoutMs: 1500, baseUrl: url });
    expect((err as Error).message).toMatch(
      new RegExp(
        `^Application "app": list failed: no response from the Plivo API at ${url.replace(/\./g, "\\.")} within 1\\.5 s \\(plivo:timeoutSeconds\\), after 2 attempts in 1\\.\\d s; check plivo:baseUrl \\(PLIVO_BASE_URL\\) or raise plivo:timeoutSeconds`,
      ),
    );
    for (const text of renderings(err)) expect(text).not.toContain(TOKEN);
  });

  it("a hung port fails a POST create within the configured timeout: one attempt, ambiguous", async () => {
    const url = await hungServer();
    const c = configured(url, "1");
    const { err, ms } = await timed(createApp(c, "hung"));
    expect(ms).toBeGreaterThanOrEqual(950);
    expect(ms).toBeLessThan(1000 + 400);
    expect(err).toBeInstanceOf(PlivoTimeoutError);
    expect(err).toMatchObject({ attempts: 1, sentRequest: true, ambiguous: true });
    expect((err as Error).message).toContain(`no response from the Plivo API at ${url} within 1 s (plivo:timeoutSeconds)`);
    expect((err as Error).message).toContain("the request may have been applied by Plivo, so it was not re-sent");
  });

  it("a refused port fails within the configured timeout after the retries that fit, naming the base URL", async () => {
    const url = await refusedUrl();
    const c = configured(url, "2");
    const { err, ms } = await timed(c.request({ method: "GET", path: "Application/", operation: appOp("list") }));
    expect(ms).toBeLessThan(2000 + 300);
    expect(err).toBeInstanceOf(PlivoNetworkError);
    expect(err).not.toBeInstanceOf(PlivoTimeoutError);
    expect(err).toMatchObject({ sentRequest: false, ambiguous: false, causeCode: "ECONNREFUSED", baseUrl: url });
    expect((err as PlivoNetworkError).attempts).toBeGreaterThanOrEqual(2);
    expect((err as Error).message).toMatch(
      new RegExp(
        `^Application "app": list failed: cannot reach the Plivo API at ${url.replace(/\./g, "\\.")} \\(connection refused\\) after \\d attempts in \\d\\.\\d s; check plivo:baseUrl`,
      ),
    );
    expect((err as Error).message).not.toContain("\n");
  });

  it("a slow server that answers within the budget succeeds", async () => {
    const url = await listen(
      createHttpServer((_req, res) => {
        setTimeout(() => res.writeHead(200, { "content-type": "application/json" }).end('{"objects":[]}'), 400);
      }),
    );
    const c = configured(url, "1");
    const res = await c.request({ method: "GET", path: "Application/", operation: appOp("list") });
    expect(res).toEqual({ status: 200, body: { objects: [] }, date: expect.any(String) });
  });

  it("a connection reset on every attempt: idempotent retries stop within the budget", async () => {
    const url = await listen(createTcpServer((socket) => socket.destroy()));
    const c = configured(url, "1");
    const { err, ms } = await timed(c.request({ method: "GET", path: "Application/", operation: appOp("list") }));
    expect(ms).toBeLessThan(1000 + 300);
    expect(err).toBeInstanceOf(PlivoNetworkError);
    expect((err as Error).message).toContain(`the Plivo API at ${url}`);
  });
});
