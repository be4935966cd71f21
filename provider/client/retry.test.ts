import { describe, expect, it } from "vitest";
import { DEFAULT_RETRY, RetryPolicy, defaultSleep, parseRetryAfter, type AttemptFailure } from "./retry";

const status = (s: number, retryAfter?: string): AttemptFailure => ({ kind: "status", status: s, retryAfter });
const net = (sentRequest: boolean, timeout = false): AttemptFailure => ({ kind: "network", sentRequest, timeout });

describe("backoff (exponential, full jitter)", () => {
  it("has the documented defaults", () => {
    const p = new RetryPolicy();
    expect([p.maxAttempts, p.baseDelayMs, p.maxDelayMs, p.throttleBudgetMs]).toEqual([6, 250, 20_000, 600_000]);
    expect(DEFAULT_RETRY.maxAttempts).toBe(6);
  });

  it("doubles the ceiling per retry and caps it", () => {
    const p = new RetryPolicy();
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => p.backoffCeilingMs(n))).toEqual([250, 500, 1000, 2000, 4000, 8000, 16_000, 20_000, 20_000]);
  });

  it("draws uniformly in [0, ceiling)", () => {
    expect(new RetryPolicy({ random: () => 0 }).backoffMs(3)).toBe(0);
    expect(new RetryPolicy({ random: () => 0.5 }).backoffMs(3)).toBe(500);
    expect(new RetryPolicy({ random: () => 0.999999 }).backoffMs(3)).toBe(999);
    const p = new RetryPolicy();
    const samples = Array.from({ length: 2000 }, () => p.backoffMs(4));
    expect(Math.min(...samples)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...samples)).toBeLessThan(2000);
    const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
    expect(mean).toBeGreaterThan(850);
    expect(mean).toBeLessThan(1150);
  });

  it("validates options", () => {
    expect(() => new RetryPolicy({ maxAttempts: 0 })).toThrow(RangeError);
    expect(() => new RetryPolicy({ baseDelayMs: -1 })).toThrow(RangeError);
  });
});

describe("parseRetryAfter", () => {
  const now = Date.parse("2025-01-01T00:00:00Z");
  it.each([
    ["3", 3000],
    ["0", 0],
    [" 1.5 ", 1500],
    ["Wed, 01 Jan 2025 00:00:07 GMT", 7000],
    ["Tue, 31 Dec 2024 23:59:00 GMT", 0],
  ])("%j → %d ms", (v, ms) => {
    expect(parseRetryAfter(v, now)).toBe(ms);
  });
  it.each([undefined, null, "", "soon", "-1", "1e3"])("%j → undefined", (v) => {
    expect(parseRetryAfter(v as string | undefined, now)).toBeUndefined();
  });
});

describe("decide", () => {
  const p = new RetryPolicy({ random: () => 0.5 });
  const GET = { attempt: 1, method: "GET", idempotent: true };
  const DELETE = { attempt: 1, method: "DELETE", idempotent: true };
  const POST = { attempt: 1, method: "POST", idempotent: false };

  it("always retries 429, even a POST (the server refused it), honouring Retry-After", () => {
    const d = p.decide(status(429, "2"), POST);
    expect(d).toMatchObject({ retry: true, ambiguous: false, transient: true, retryAfterMs: 2000 });
    expect(d.delayMs).toBeGreaterThanOrEqual(2000);
    expect(d.delayMs).toBeLessThan(2000 + 250);
    // Without Retry-After no wait of its own: the rate limiter paces (and pauses) the retry.
    expect(p.decide(status(429), POST)).toMatchObject({ retry: true, delayMs: 0 });
  });

  it("retries 429 by time, not by attempts: 100 attempts in, still retried; stops after the budget", () => {
    expect(p.decide(status(429), { ...POST, attempt: 100, failedAttempts: 0, throttledForMs: 599_000 })).toMatchObject({ retry: true });
    expect(p.decide(status(429), { ...GET, attempt: 6, throttledForMs: 600_001 })).toMatchObject({ retry: false, ambiguous: false, transient: true });
    // A Retry-After that would end beyond the budget stops now instead of sleeping first.
    expect(p.decide(status(429, "30"), { ...POST, throttledForMs: 580_000 })).toMatchObject({ retry: false, ambiguous: false });
    const short = new RetryPolicy({ throttleBudgetMs: 1000 });
    expect(short.decide(status(429), { ...POST, throttledForMs: 1001 }).retry).toBe(false);
    expect(new RetryPolicy({ throttleBudgetMs: 0 }).decide(status(429), { ...POST, throttledForMs: 0 }).retry).toBe(false);
  });

  it("429s do not use up the attempts of other failures", () => {
    // 10 attempts, 9 of them 429: the 503 is only the first real failure.
    expect(p.decide(status(503), { ...GET, attempt: 10, failedAttempts: 1 })).toMatchObject({ retry: true, delayMs: 125 });
    expect(p.decide(status(503), { ...GET, attempt: 10, failedAttempts: 6 })).toMatchObject({ retry: false });
  });

  it("failures stop when the next wait would not fit in the time budget", () => {
    expect(p.decide(net(false), { ...POST, budgetLeftMs: 5000 })).toMatchObject({ retry: true, delayMs: 125 });
    expect(p.decide(net(false), { ...POST, budgetLeftMs: 100 })).toMatchObject({ retry: false, ambiguous: false });
    expect(p.decide(net(true, true), { ...GET, budgetLeftMs: 0 })).toMatchObject({ retry: false, ambiguous: false });
    expect(p.decide(net(true), { ...DELETE, budgetLeftMs: 0 })).toMatchObject({ retry: false, ambiguous: true });
    expect(p.decide(status(503, "5"), { ...GET, budgetLeftMs: 4000 })).toMatchObject({ retry: false, ambiguous: false, transient: true });
    expect(p.decide(status(503), { ...GET, budgetLeftMs: 4000 })).toMatchObject({ retry: true });
  });

  it("retries 5xx on idempotent requests, with Retry-After on 503", () => {
    expect(p.decide(status(500), GET)).toMatchObject({ retry: true, ambiguous: false });
    expect(p.decide(status(502), DELETE)).toMatchObject({ retry: true });
    expect(p.decide(status(503, "1"), GET).delayMs).toBeGreaterThanOrEqual(1000);
    expect(p.decide(status(504), { ...GET, attempt: 3 })).toMatchObject({ retry: true, delayMs: 500 }); // 0.5 × 1000
  });

  it("never re-sends a non-idempotent POST that may have been applied", () => {
    for (const s of [500, 502, 503, 504]) {
      expect(p.decide(status(s, "1"), POST)).toMatchObject({ retry: false, ambiguous: true, transient: true });
    }
    expect(p.decide(net(true), POST)).toMatchObject({ retry: false, ambiguous: true });
    expect(p.decide(net(true, true), POST)).toMatchObject({ retry: false, ambiguous: true });
  });

  it("retries a POST that provably never left (refused, DNS, queued timeout)", () => {
    expect(p.decide(net(false), POST)).toMatchObject({ retry: true, ambiguous: false });
    expect(p.decide(net(false, true), POST)).toMatchObject({ retry: true, ambiguous: false });
  });

  it("retries network failures of idempotent requests", () => {
    expect(p.decide(net(true), GET)).toMatchObject({ retry: true });
    expect(p.decide(net(true, true), DELETE)).toMatchObject({ retry: true });
  });

  it("retries a POST marked idempotent", () => {
    expect(p.decide(status(500), { ...POST, idempotent: true })).toMatchObject({ retry: true });
  });

  it("does not retry other 4xx, 501 or 505", () => {
    for (const s of [400, 401, 403, 404, 405, 409, 422, 501, 505]) {
      expect(p.decide(status(s), GET)).toMatchObject({ retry: false, ambiguous: false, transient: false });
    }
  });

  it("gives up after maxAttempts; only a non-GET that may have been applied is ambiguous", () => {
    const last = { attempt: 6 };
    expect(p.decide(status(503), { ...GET, ...last })).toMatchObject({ retry: false, ambiguous: false, transient: true });
    expect(p.decide(net(true), { ...GET, ...last })).toMatchObject({ retry: false, ambiguous: false });
    expect(p.decide(status(500), { ...DELETE, ...last })).toMatchObject({ retry: false, ambiguous: true });
    expect(p.decide(status(429), { ...POST, ...last })).toMatchObject({ retry: true, ambiguous: false }); // by time, see above
    expect(p.decide(net(false), { ...POST, ...last })).toMatchObject({ retry: false, ambiguous: false });
  });

  it("caps a huge Retry-After", () => {
    const q = new RetryPolicy({ maxRetryAfterMs: 5000, random: () => 0 });
    expect(q.decide(status(429, "3600"), GET).delayMs).toBe(5000);
  });

  it("maxAttempts 1 disables retries of everything but 429 (throttleBudgetMs 0 disables those)", () => {
    expect(new RetryPolicy({ maxAttempts: 1 }).decide(status(503), GET).retry).toBe(false);
    expect(new RetryPolicy({ maxAttempts: 1 }).decide(net(false), GET).retry).toBe(false);
    expect(new RetryPolicy({ maxAttempts: 1 }).decide(status(429), GET).retry).toBe(true);
    expect(new RetryPolicy({ maxAttempts: 1, throttleBudgetMs: 0 }).decide(status(429), { ...GET, throttledForMs: 0 }).retry).toBe(false);
  });
});

describe("sleep", () => {
  it("uses the injected sleep", async () => {
    const calls: number[] = [];
    const p = new RetryPolicy({ sleep: async (ms) => void calls.push(ms) });
    await p.sleep(1234);
    expect(calls).toEqual([1234]);
  });

  it("default sleep waits and can be aborted", async () => {
    const t0 = performance.now();
    await defaultSleep(30);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(29);
    const ac = new AbortController();
    const p = defaultSleep(10_000, ac.signal);
    ac.abort(new Error("stop"));
    await expect(p).rejects.toThrow("stop");
  });
});
