import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DEFAULT_RATE_LIMIT, PACING, RateLimiter, _resetAccountRateLimitersForTests, accountRateLimiter, formatRateLimit, parseRateLimit } from "./rateLimiter";

/** Max acquisitions inside any half-open window [t, t + windowMs) of the grant times. */
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

/** Deterministic [0, 1) source. */
function seeded(seed: number): () => number {
  return () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

describe("RateLimiter (fake time)", () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const make = (limit: number, windowMs: number) => new RateLimiter({ limit, windowMs, now: () => Date.now() });

  it("defaults to Plivo's 300 requests per 5 s as the ceiling, paced at 92 % of it in bursts of 15", () => {
    const l = new RateLimiter();
    expect([l.limit, l.windowMs, l.burst]).toEqual([300, 5000, 15]);
    expect(DEFAULT_RATE_LIMIT).toEqual({ limit: 300, windowMs: 5000 });
    expect(l.stats.maxRatePerSecond).toBeCloseTo(55.2, 6);
    expect(l.stats.ratePerSecond).toBeCloseTo(55.2, 6); // starts at its highest rate
  });

  it("releases a small burst at once, then paces the queue evenly, FIFO", async () => {
    const l = make(60, 1000); // burst 3, 55.2/s → one every 18.1 ms
    const grants: Array<{ i: number; t: number }> = [];
    const all = Array.from({ length: 20 }, (_, i) => l.acquire().then(() => grants.push({ i, t: Date.now() })));
    await vi.advanceTimersByTimeAsync(0);
    expect(grants.map((g) => g.i)).toEqual([0, 1, 2]);
    expect(l.pending).toBe(17);
    await vi.advanceTimersByTimeAsync(1000);
    await Promise.all(all);
    expect(grants.map((g) => g.i)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    const gaps = grants.slice(3).map((g, k) => g.t - grants[k + 2]!.t);
    expect(gaps[0]).toBeGreaterThanOrEqual(18);
    for (const gap of gaps.slice(1)) {
      expect(gap).toBeGreaterThanOrEqual(17);
      expect(gap).toBeLessThanOrEqual(20);
    }
    expect(l.granted).toBe(20);
  });

  it("never exceeds the limit in any window, and uses ≥ 0.9 of it while requests are queued", async () => {
    const l = make(300, 5000);
    const times: number[] = [];
    const rnd = seeded(42);
    const pending: Promise<unknown>[] = [];
    // Random arrivals averaging ~100/s for 20 s (more than the limit allows), then nothing.
    for (let step = 0; step < 1000; step++) {
      const n = Math.floor(rnd() * 5);
      for (let k = 0; k < n; k++) pending.push(l.acquire().then(() => times.push(Date.now())));
      await vi.advanceTimersByTimeAsync(20);
    }
    await vi.advanceTimersByTimeAsync(60_000);
    await Promise.all(pending);
    expect(times.length).toBe(pending.length);
    expect(times.length).toBeGreaterThan(1500);
    const worst = maxInWindow(times, 5000);
    expect(worst).toBeLessThanOrEqual(300);
    expect(worst).toBeLessThanOrEqual(15 + 276 + 1); // burst + 92 % of the limit: 3 % left for jitter
    // Throughput while the queue was never empty (from the first wait to the last grant).
    const span = (times[times.length - 1]! - times[0]!) / 1000;
    expect(times.length / span / 60).toBeGreaterThanOrEqual(0.9);
  });

  it("a 429 with Retry-After pauses the whole account, then pacing resumes", async () => {
    const l = make(60, 1000);
    const granted = await l.acquireTimed();
    await l.acquire();
    await l.acquire(); // the burst is spent: the next callers queue
    const times: number[] = [];
    const all = Array.from({ length: 5 }, () => l.acquire().then(() => times.push(Date.now())));
    l.throttled({ grantedAt: granted, retryAfterMs: 2000 });
    expect(l.stats.pausedForMs).toBe(2000);
    await vi.advanceTimersByTimeAsync(1999);
    expect(times).toEqual([]); // the queued callers never got the 429, yet they wait
    expect(l.tryAcquire()).toBe(false);
    await vi.advanceTimersByTimeAsync(1000);
    await Promise.all(all);
    expect(times[0]).toBeGreaterThanOrEqual(2000);
    // After the pause: no burst, paced at the decreased rate (55.2 × 0.7 = 38.6/s → 26 ms apart).
    for (let k = 1; k < times.length; k++) expect(times[k]! - times[k - 1]!).toBeGreaterThanOrEqual(25);
    // A shorter pause never shortens a running one.
    l.pause(10_000);
    l.pause(10);
    expect(l.stats.pausedForMs).toBe(10_000);
  });

  it("a 429 without Retry-After pauses the account for a twentieth of the window", async () => {
    const l = make(60, 1000);
    const g = await l.acquireTimed();
    l.throttled({ grantedAt: g });
    expect(l.stats.pausedForMs).toBe(PACING.cooldownWindows * 1000);
    const p = l.acquireTimed();
    await vi.advanceTimersByTimeAsync(200);
    expect(await p).toBeGreaterThanOrEqual(50);
  });

  it("AIMD: ×0.7 once per burst of 429s, back up by 5 % of the ceiling per window while queued, faster when calm", async () => {
    const l = make(60, 1000);
    const g1 = await l.acquireTimed();
    const g2 = await l.acquireTimed();
    l.throttled({ grantedAt: g1 });
    expect(l.stats.ratePerSecond).toBeCloseTo(55.2 * 0.7, 6);
    l.throttled({ grantedAt: g2 }); // same burst: no second decrease
    expect(l.stats).toMatchObject({ throttled: 2, decreases: 1 });
    await vi.advanceTimersByTimeAsync(300);
    const g3 = await l.acquireTimed();
    l.throttled({ grantedAt: g3 }); // a new request, but within half a window of the decrease
    expect(l.stats.decreases).toBe(1);
    await vi.advanceTimersByTimeAsync(300);
    const g4 = await l.acquireTimed();
    l.throttled({ grantedAt: g4 });
    expect(l.stats.decreases).toBe(2);
    expect(l.stats.ratePerSecond).toBeCloseTo(55.2 * 0.49, 6);

    // Many refusals in a row: never below 1 % of the ceiling.
    for (let k = 0; k < 30; k++) {
      await vi.advanceTimersByTimeAsync(600);
      l.throttled({ grantedAt: Date.now() });
    }
    expect(l.stats.ratePerSecond).toBeCloseTo(0.6, 6);

    // Keep it busy: +3 requests/s per second of queueing (5 % of 60) until 2.5 s after the last 429 (which was
    // 1 s ago), then one more +3 per second each second, up to 4 × 3: over these 5 s,
    // 3 × 1.5 + 3 × (3 + 4.5) + 12 × 0.5 = 33, then up to 55.2.
    await vi.advanceTimersByTimeAsync(1000);
    let done = false;
    const busy = (async () => {
      while (!done) await l.acquire();
    })();
    const before = l.stats.ratePerSecond;
    await vi.advanceTimersByTimeAsync(5000);
    expect(l.stats.ratePerSecond - before).toBeGreaterThan(31.5);
    expect(l.stats.ratePerSecond - before).toBeLessThan(33.5);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(l.stats.ratePerSecond).toBeCloseTo(55.2, 6);
    done = true;
    await vi.advanceTimersByTimeAsync(100);
    await busy;
  });

  it("right after a decrease the increase is slow: nothing for half a window, then 5 % of the ceiling per window", async () => {
    const l = make(60, 1000);
    l.throttled({ grantedAt: await l.acquireTimed() });
    const decreased = l.stats.ratePerSecond;
    let done = false;
    const busy = (async () => {
      while (!done) await l.acquire();
    })();
    await vi.advanceTimersByTimeAsync(500); // the hold: no increase
    expect(l.stats.ratePerSecond).toBeCloseTo(decreased, 6);
    await vi.advanceTimersByTimeAsync(1500); // +3 per second
    expect(l.stats.ratePerSecond - decreased).toBeGreaterThan(4.3);
    expect(l.stats.ratePerSecond - decreased).toBeLessThan(4.6);
    done = true;
    await vi.advanceTimersByTimeAsync(100);
    await busy;
  });

  it("an idle limiter does not creep up", async () => {
    const l = make(60, 1000);
    l.throttled({ grantedAt: await l.acquireTimed() });
    for (let k = 0; k < 50; k++) {
      await vi.advanceTimersByTimeAsync(1000);
      await l.acquire(); // one request per second: never queued behind the pacing
    }
    expect(l.stats.ratePerSecond).toBeCloseTo(55.2 * 0.7, 6);
  });

  it("priority waiters (retries) are served before the queue", async () => {
    const l = make(10, 1000); // burst 1
    await l.acquire();
    const order: string[] = [];
    const a = l.acquire().then(() => order.push("a"));
    const b = l.acquire().then(() => order.push("b"));
    const r = l.acquireTimed({ priority: true }).then(() => order.push("retry"));
    await vi.advanceTimersByTimeAsync(2000);
    await Promise.all([a, b, r]);
    expect(order).toEqual(["retry", "a", "b"]);
  });

  it("an aborted waiter leaves the queue without consuming a slot", async () => {
    const l = make(1, 1000); // burst 1, one per 2 s (half the limit: the hard guard allows 1 per window)
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
    await vi.advanceTimersByTimeAsync(2000);
    await b;
    expect(order).toEqual(["a:cancelled", "b@2000"]);
    await expect(l.acquire(AbortSignal.abort(new Error("already")))).rejects.toThrow("already");
  });

  it("acquireTimed resolves with the grant time on the limiter's clock", async () => {
    const l = make(10, 1000); // burst 1, 9/s
    expect(await l.acquireTimed()).toBe(0);
    const p = l.acquireTimed();
    await vi.advanceTimersByTimeAsync(200);
    expect(await p).toBe(112); // ceil(1000 / 9)
  });

  it("tryAcquire never waits and respects the queue", async () => {
    const l = make(40, 1000); // burst 2
    expect(l.tryAcquire()).toBe(true);
    expect(l.tryAcquire()).toBe(true);
    expect(l.tryAcquire()).toBe(false);
    await vi.advanceTimersByTimeAsync(100);
    expect(l.tryAcquire()).toBe(true);
  });

  it("the hard guard holds across reconfiguration to a lower ceiling", async () => {
    const l = make(100, 1000); // burst 5, 92/s
    const times: number[] = [];
    const all = Array.from({ length: 150 }, () => l.acquire().then(() => times.push(Date.now())));
    await vi.advanceTimersByTimeAsync(500);
    const before = times.length;
    expect(before).toBeGreaterThan(40);
    l.reconfigure({ limit: 50 }); // the last second already holds `before` grants
    await vi.advanceTimersByTimeAsync(10_000);
    await Promise.all(all);
    expect(l.limit).toBe(50);
    expect(l.burst).toBe(2);
    // Windows that end before the change hold what the old ceiling allowed; every later one ≤ 50.
    expect(maxInWindow(times, 1000)).toBeLessThanOrEqual(Math.max(50, before));
    expect(
      maxInWindow(
        times.filter((t) => t >= 500),
        1000,
      ),
    ).toBeLessThanOrEqual(50);
    expect(() => l.reconfigure({ limit: 0 })).toThrow(RangeError);
  });

  it("rejects invalid limits", () => {
    expect(() => new RateLimiter({ limit: 0 })).toThrow(RangeError);
    expect(() => new RateLimiter({ limit: 1.5 })).toThrow(RangeError);
    expect(() => new RateLimiter({ windowMs: 0 })).toThrow(RangeError);
  });
});

/**
 * Several processes' limiters against a server that counts like the emulator (a fixed window that starts at the
 * first request after the previous one ended, refused requests counted too) or like a sliding log. Each process
 * keeps 10 requests in flight, retries every 429 first, and reports it to its own limiter; nobody coordinates.
 */
describe("AIMD convergence (fake time, simulated server)", () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  type Server = (t: number) => boolean;
  const fixedWindow = (limit: number, windowMs: number): Server => {
    let start = -Infinity;
    let count = 0;
    return (t) => {
      if (t - start >= windowMs) {
        start = t;
        count = 0;
      }
      return ++count <= limit;
    };
  };
  const slidingLog = (limit: number, windowMs: number): Server => {
    const log: number[] = [];
    return (t) => {
      while (log.length > 0 && log[0]! <= t - windowMs) log.shift();
      if (log.length >= limit) return false;
      log.push(t);
      return true;
    };
  };

  async function simulate(server: Server, processes: number, durationMs: number) {
    const rnd = seeded(7);
    const limiters = Array.from({ length: processes }, () => new RateLimiter({ limit: 60, windowMs: 1000, now: () => Date.now() }));
    let ok = 0;
    let refused = 0;
    let stop = false;
    const workers = limiters.flatMap((l) =>
      Array.from({ length: 10 }, async () => {
        let retry = false;
        while (!stop) {
          const grantedAt = await l.acquireTimed({ priority: retry });
          await new Promise((r) => setTimeout(r, 2 + Math.floor(rnd() * 6)));
          const accepted = server(Date.now());
          await new Promise((r) => setTimeout(r, 3));
          if (accepted && Date.now() <= durationMs) ok++;
          else {
            refused++;
            l.throttled({ grantedAt });
          }
          retry = !accepted;
        }
      }),
    );
    await vi.advanceTimersByTimeAsync(durationMs);
    const rates = limiters.map((l) => l.stats.ratePerSecond);
    stop = true;
    await vi.advanceTimersByTimeAsync(10_000);
    await Promise.all(workers);
    return { goodput: ok / (durationMs / 1000) / 60, refused, rates };
  }

  // 429s grow with the number of processes: each one adds its own increase (AIMD's price for needing no
  // coordination); most of them come from the first seconds, when every process starts at its highest rate.
  it.each([
    ["fixed window (emulator)", 4, 0.1],
    ["fixed window (emulator)", 8, 0.2],
    ["sliding log", 4, 0.1],
  ])("%s, %i processes: ≥ 0.85 of the limit, 429s on < %d of requests", async (kind, n, maxRefused) => {
    const server = kind.startsWith("fixed") ? fixedWindow(60, 1000) : slidingLog(60, 1000);
    const { goodput, refused, rates } = await simulate(server, n, 30_000);
    expect(goodput).toBeGreaterThanOrEqual(0.85);
    expect(goodput).toBeLessThanOrEqual(1);
    expect(refused / (goodput * 60 * 30 + refused)).toBeLessThan(maxRefused);
    // Converged: the processes' rates add up to about the server's limit, not to n × 55.
    const sum = rates.reduce((a, b) => a + b, 0);
    expect(sum).toBeGreaterThan(40);
    expect(sum).toBeLessThan(80);
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

describe("accountRateLimiter", () => {
  afterEach(() => _resetAccountRateLimitersForTests());

  it("is one limiter per account (base URL + auth id) in a process, reconfigurable in place", () => {
    const a = accountRateLimiter("https://api.plivo.com", "MAONE");
    expect(accountRateLimiter("https://api.plivo.com", "MAONE")).toBe(a);
    expect(accountRateLimiter("https://api.plivo.com", "MATWO")).not.toBe(a);
    expect(accountRateLimiter("http://127.0.0.1:8787", "MAONE")).not.toBe(a);
    expect(a.limit).toBe(300);
    expect(accountRateLimiter("https://api.plivo.com", "MAONE", parseRateLimit("50/1s"))).toBe(a);
    expect([a.limit, a.windowMs]).toEqual([50, 1000]);
  });
});
