/**
 * PlivoClient against the real emulator over real HTTP (no mocks of Plivo).
 * Faults are injected through the emulator's control surface (`/__emulator/faults`), and the
 * emulator's request log (`/__emulator/requests`) is the ground truth of what reached the server.
 */
import { inspect } from "node:util";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startTestEmulator, type TestEmulator } from "../../test/helpers/emulator";
import { PlivoApiError, PlivoError, PlivoNetworkError, PlivoTimeoutError } from "./errors";
import { PlivoClient, type PlivoClientOptions, type RequestLogInfo } from "./plivoClient";
import { RateLimiter } from "./rateLimiter";

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

function renderings(err: unknown): string[] {
  const e = err as Error;
  return [String(e), e.message, e.stack ?? "", JSON.stringify(e), inspect(e, { depth: 10 }), inspect(e, { depth: 10, showHidden: true })];
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
    expect(del).toEqual({ status: 204, body: {} });

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
    expect(err).toMatchObject({ sentRequest: false, ambiguous: false, attempts: 3, causeCode: "ECONNREFUSED" });
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
  it("queues a burst through a scaled limiter (30 per 500 ms, 100 requests)", async () => {
    const { c, log } = client({ rateLimiter: new RateLimiter({ limit: 30, windowMs: 500 }) });
    const t0 = Date.now();
    const results = await Promise.all(
      Array.from({ length: 100 }, () => c.request({ method: "GET", path: "Application/", operation: appOp("list") })),
    );
    const elapsed = Date.now() - t0;
    expect(results.every((r) => r.status === 200)).toBe(true);
    const grants = log.map((l) => l.grantedAt);
    expect(grants).toHaveLength(100);
    expect(maxInWindow(grants, 500)).toBe(30);
    // 30 at once, then 30 every 500 ms: the 100th leaves at ~1500 ms, no earlier.
    expect(elapsed).toBeGreaterThanOrEqual(1490);
    expect(elapsed).toBeLessThan(4000);
    const seen = await requestLog();
    expect(seen).toHaveLength(100);
    expect(seen.every((r) => r.status === 200)).toBe(true);
  });

  it("keeps a server that enforces the limit happy; without the limiter the same burst draws 429s", async () => {
    await control("POST", "rate-limit", { limit: 30, windowMs: 500 });
    // Control: no client-side limiting → the emulator refuses some, retries sort it out.
    const { c: unthrottled } = client({ retry: { maxAttempts: 10, baseDelayMs: 100, maxDelayMs: 600 } });
    await Promise.all(Array.from({ length: 60 }, () => unthrottled.request({ method: "GET", path: "Application/", operation: appOp("list") })));
    const refused = (await requestLog()).filter((r) => r.status === 429).length;
    expect(refused).toBeGreaterThan(0);

    await control("DELETE", "requests");
    await new Promise((r) => setTimeout(r, 600)); // let the emulator window roll over
    // A little slack against arrival jitter (the emulator counts arrivals in fixed windows).
    const { c } = client({ rateLimiter: new RateLimiter({ limit: 28, windowMs: 520 }) });
    const results = await Promise.all(
      Array.from({ length: 60 }, () => c.request({ method: "GET", path: "Application/", operation: appOp("list") })),
    );
    expect(results.every((r) => r.status === 200)).toBe(true);
    const seen = await requestLog();
    expect(seen.filter((r) => r.status === 429)).toHaveLength(0);
    expect(seen).toHaveLength(60);
  });

  it("default 300/5 s: the first 300 go at once, the 301st waits for the window", async () => {
    const limiter = new RateLimiter(); // the real defaults
    expect([limiter.limit, limiter.windowMs]).toEqual([300, 5000]);
    const { c, log } = client({ rateLimiter: limiter, maxConnections: 20 });
    const t0 = Date.now();
    const results = await Promise.all(
      Array.from({ length: 320 }, () => c.request({ method: "GET", path: "Application/", operation: appOp("list") })),
    );
    expect(results.every((r) => r.status === 200)).toBe(true);
    const grants = log.map((l) => l.grantedAt).sort((a, b) => a - b);
    const starts = log.map((l) => l.startedAt).sort((a, b) => a - b);
    expect(grants).toHaveLength(320);
    // No window of 5 s holds more than 300 grants.
    expect(maxInWindow(grants, 5000)).toBe(300);
    // The first 300 were not held back...
    expect(starts[299]! - t0).toBeLessThan(2500);
    // ...and the 301st waited until 5 s after the first.
    expect(grants[300]! - grants[0]!).toBeGreaterThanOrEqual(5000);
    expect(grants[300]! - grants[0]!).toBeLessThan(5500);
    expect(starts[300]! - starts[0]!).toBeGreaterThanOrEqual(4990);
    // Same picture from the server's side.
    const arrivals = (await requestLog()).map((r) => Date.parse(r.at)).sort((a, b) => a - b);
    expect(arrivals).toHaveLength(320);
    expect(arrivals[300]! - arrivals[0]!).toBeGreaterThanOrEqual(4950);
  }, 20_000);
});
