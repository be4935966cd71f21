import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  DEFAULT_RATE_LIMIT,
  RateLimiter,
  _resetSharedRateLimiterForTests,
  formatRateLimit,
  parseRateLimit,
  sharedRateLimiter,
} from "./rateLimiter";

/** Max acquisitions inside any half-open window [t, t + windowMs) of the sorted grant times. */
function maxInWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let lo = 0;
  for (let hi = 0; hi < sorted.length; hi++) {
    while (sorted[hi]! - sorted[lo]! >= windowMs) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}

describe("RateLimiter (fake time)", () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const make = (limit: number, windowMs: number) => new RateLimiter({ limit, windowMs, now: () => Date.now() });

  it("defaults to Plivo's 300 requests per 5 s", () => {
    const l = new RateLimiter();
    expect(l.limit).toBe(300);
    expect(l.windowMs).toBe(5000);
    expect(DEFAULT_RATE_LIMIT).toEqual({ limit: 300, windowMs: 5000 });
  });

  it("grants `limit` immediately, queues the rest FIFO and releases them as the window slides", async () => {
    const l = make(10, 1000);
    const grants: Array<{ i: number; t: number }> = [];
    const all = Array.from({ length: 25 }, (_, i) => l.acquire().then(() => grants.push({ i, t: Date.now() })));
    await vi.advanceTimersByTimeAsync(0);
    expect(grants.map((g) => g.i)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(l.pending).toBe(15);

    await vi.advanceTimersByTimeAsync(999);
    expect(grants).toHaveLength(10); // nothing before the window has slid

    await vi.advanceTimersByTimeAsync(1);
    expect(grants).toHaveLength(20);
    await vi.advanceTimersByTimeAsync(1000);
    await Promise.all(all);

    expect(grants.map((g) => g.i)).toEqual(Array.from({ length: 25 }, (_, i) => i)); // FIFO
    expect(grants.map((g) => g.t)).toEqual([...Array(10).fill(0), ...Array(10).fill(1000), ...Array(5).fill(2000)]);
    expect(maxInWindow(grants.map((g) => g.t), 1000)).toBe(10);
    expect(l.pending).toBe(0);
    expect(l.granted).toBe(25);
  });

  it("is a sliding window, not a fixed one", async () => {
    const l = make(10, 1000);
    for (let i = 0; i < 5; i++) await l.acquire(); // t=0
    await vi.advanceTimersByTimeAsync(600);
    for (let i = 0; i < 5; i++) await l.acquire(); // t=600
    await vi.advanceTimersByTimeAsync(100); // t=700: a fixed 1 s window starting at 0 would still be full
    const times: number[] = [];
    const p = Array.from({ length: 8 }, () => l.acquire().then(() => times.push(Date.now())));
    await vi.advanceTimersByTimeAsync(2000);
    await Promise.all(p);
    // The 5 grants of t=0 expire at 1000, those of t=600 at 1600.
    expect(times).toEqual([1000, 1000, 1000, 1000, 1000, 1600, 1600, 1600]);
  });

  it("never lets more than `limit` through in any window under random arrivals", async () => {
    const l = make(7, 300);
    const times: number[] = [];
    let seed = 42;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const pending: Promise<unknown>[] = [];
    for (let step = 0; step < 200; step++) {
      const n = Math.floor(rnd() * 4);
      for (let k = 0; k < n; k++) pending.push(l.acquire().then(() => times.push(Date.now())));
      await vi.advanceTimersByTimeAsync(Math.floor(rnd() * 40));
    }
    await vi.advanceTimersByTimeAsync(60_000);
    await Promise.all(pending);
    expect(times.length).toBe(pending.length);
    expect(times.length).toBeGreaterThan(250);
    expect(maxInWindow(times, 300)).toBeLessThanOrEqual(7);
    // and it is work-conserving: the limit is actually reached
    expect(maxInWindow(times, 300)).toBe(7);
  });

  it("an aborted waiter leaves the queue without consuming a slot", async () => {
    const l = make(1, 1000);
    await l.acquire();
    const ac = new AbortController();
    const order: string[] = [];
    const a = l.acquire(ac.signal).then(
      () => order.push("a"),
      (e: unknown) => order.push(`a:${(e as Error).message}`),
    );
    const b = l.acquire().then(() => order.push(`b@${Date.now()}`));
    expect(l.pending).toBe(2);
    ac.abort(new Error("cancelled"));
    await a;
    expect(l.pending).toBe(1);
    await vi.advanceTimersByTimeAsync(1000);
    await b;
    expect(order).toEqual(["a:cancelled", "b@1000"]);
    await expect(l.acquire(AbortSignal.abort(new Error("already")))).rejects.toThrow("already");
  });

  it("acquireTimed resolves with the grant time on the limiter's clock", async () => {
    const l = make(1, 1000);
    expect(await l.acquireTimed()).toBe(0);
    const p = l.acquireTimed();
    await vi.advanceTimersByTimeAsync(1000);
    expect(await p).toBe(1000);
  });

  it("tryAcquire never waits and respects the queue", async () => {
    const l = make(2, 1000);
    expect(l.tryAcquire()).toBe(true);
    expect(l.tryAcquire()).toBe(true);
    expect(l.tryAcquire()).toBe(false);
    await vi.advanceTimersByTimeAsync(1000);
    expect(l.tryAcquire()).toBe(true);
  });

  it("reconfigure keeps recent history and releases waiters under the new limit", async () => {
    const l = make(2, 1000);
    await l.acquire();
    await l.acquire();
    const times: number[] = [];
    const p = Array.from({ length: 3 }, () => l.acquire().then(() => times.push(Date.now())));
    await vi.advanceTimersByTimeAsync(10);
    expect(times).toEqual([]);
    l.reconfigure({ limit: 4 }); // 2 used in the current window → 2 more now
    await vi.advanceTimersByTimeAsync(0);
    expect(times).toEqual([10, 10]);
    await vi.advanceTimersByTimeAsync(1000);
    await Promise.all(p);
    expect(times).toEqual([10, 10, 1000]);
    expect(l.limit).toBe(4);
    expect(() => l.reconfigure({ limit: 0 })).toThrow(RangeError);
  });

  it("rejects invalid limits", () => {
    expect(() => new RateLimiter({ limit: 0 })).toThrow(RangeError);
    expect(() => new RateLimiter({ limit: 1.5 })).toThrow(RangeError);
    expect(() => new RateLimiter({ windowMs: 0 })).toThrow(RangeError);
  });
});

describe("parseRateLimit", () => {
  it.each([
    ["300/5s", 300, 5000],
    ["300/5000ms", 300, 5000],
    [" 300 / 5 s ", 300, 5000],
    ["100/1m", 100, 60_000],
    ["10/s", 10, 1000],
    ["300/5", 300, 5000],
    ["300", 300, 5000],
    ["30/0.5s", 30, 500],
    ["300/5seconds", 300, 5000],
  ])("%s", (text, limit, windowMs) => {
    expect(parseRateLimit(text)).toEqual({ limit, windowMs });
  });

  it.each(["", "abc", "0/5s", "300/0s", "300/5h", "-1/5s", "300/5s/1", "3e2/5s"])("rejects %j", (text) => {
    expect(() => parseRateLimit(text)).toThrow(RangeError);
  });

  it("formats", () => {
    expect(formatRateLimit({ limit: 300, windowMs: 5000 })).toBe("300/5000ms");
    expect(parseRateLimit(formatRateLimit({ limit: 7, windowMs: 1234 }))).toEqual({ limit: 7, windowMs: 1234 });
  });
});

describe("sharedRateLimiter", () => {
  afterEach(() => _resetSharedRateLimiterForTests());

  it("is one process-wide instance, reconfigurable in place", () => {
    const a = sharedRateLimiter();
    const b = sharedRateLimiter();
    expect(a).toBe(b);
    expect(a.limit).toBe(300);
    const c = sharedRateLimiter(parseRateLimit("50/1s"));
    expect(c).toBe(a);
    expect(a.limit).toBe(50);
    expect(a.windowMs).toBe(1000);
  });
});
