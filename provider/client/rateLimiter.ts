/**
 * Client-side throttle for Plivo's account-wide limit (300 API requests per 5 s, HTTP 429 beyond).
 *
 * Sliding-window log: the limiter remembers the time of the last `limit` grants. A new grant is
 * allowed at time `t` only if the grant `limit` places back happened at or before `t - windowMs`,
 * i.e. no half-open window of `windowMs` ever contains more than `limit` grants. Bursts are not
 * rejected: callers queue in FIFO order and are released as the window slides.
 */

export interface RateLimit {
  /** Maximum acquisitions in any window of `windowMs`. */
  limit: number;
  windowMs: number;
}

export interface RateLimiterOptions extends Partial<RateLimit> {
  /** Monotonic clock in ms (default `performance.now()`); inject for tests. */
  now?: () => number;
}

export const DEFAULT_RATE_LIMIT: Readonly<RateLimit> = Object.freeze({ limit: 300, windowMs: 5000 });

interface Waiter {
  resolve: (grantedAt: number) => void;
  reject: (reason: unknown) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
  done: boolean;
}

function validate(limit: number, windowMs: number): void {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`rate limit must be a positive integer, got ${limit}`);
  if (!Number.isFinite(windowMs) || windowMs <= 0) throw new RangeError(`rate limit window must be a positive number of ms, got ${windowMs}`);
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException("This operation was aborted", "AbortError");
}

export class RateLimiter {
  #limit: number;
  #windowMs: number;
  readonly #now: () => number;
  /** Ring buffer of the last `#count` grant times (oldest at `#head`). */
  #grants: number[];
  #head = 0;
  #count = 0;
  #queue: Waiter[] = [];
  #queueHead = 0;
  /** Waiters neither granted nor aborted. */
  #active = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #granted = 0;

  constructor(options: RateLimiterOptions = {}) {
    const limit = options.limit ?? DEFAULT_RATE_LIMIT.limit;
    const windowMs = options.windowMs ?? DEFAULT_RATE_LIMIT.windowMs;
    validate(limit, windowMs);
    this.#limit = limit;
    this.#windowMs = windowMs;
    this.#now = options.now ?? (() => performance.now());
    this.#grants = new Array<number>(limit);
  }

  get limit(): number {
    return this.#limit;
  }

  get windowMs(): number {
    return this.#windowMs;
  }

  /** Callers currently waiting. */
  get pending(): number {
    return this.#active;
  }

  /** Total acquisitions granted since construction. */
  get granted(): number {
    return this.#granted;
  }

  /**
   * Resolves when the caller may send one request. FIFO: a caller never overtakes an earlier one.
   * Rejects with `signal.reason` if `signal` aborts first (the slot is then not consumed).
   */
  acquire(signal?: AbortSignal): Promise<void> {
    // Same promise as acquireTimed (resolved with the grant time, which void callers ignore).
    return this.acquireTimed(signal) as Promise<unknown> as Promise<void>;
  }

  /** Like {@link acquire}, resolving with the grant time on this limiter's clock (`now()`). */
  acquireTimed(signal?: AbortSignal): Promise<number> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    const now = this.#now();
    if (this.pending === 0 && this.#waitMs(now) <= 0) {
      this.#grant(now);
      return Promise.resolve(now);
    }
    return new Promise<number>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, signal, done: false };
      if (signal) {
        waiter.onAbort = () => {
          if (waiter.done) return;
          waiter.done = true;
          this.#active--;
          reject(abortReason(signal));
          this.#compact();
          if (this.pending === 0) this.#clearTimer();
        };
        signal.addEventListener("abort", waiter.onAbort, { once: true });
      }
      this.#queue.push(waiter);
      this.#active++;
      this.#schedule();
    });
  }

  /** Takes a slot if one is free right now and nobody is queued; never waits. */
  tryAcquire(): boolean {
    if (this.pending > 0 || this.#waitMs(this.#now()) > 0) return false;
    this.#grant(this.#now());
    return true;
  }

  /** Changes limit and window, keeping the most recent grant history and the queue. */
  reconfigure(options: Partial<RateLimit>): void {
    const limit = options.limit ?? this.#limit;
    const windowMs = options.windowMs ?? this.#windowMs;
    validate(limit, windowMs);
    if (limit === this.#limit && windowMs === this.#windowMs) return;
    const history: number[] = [];
    for (let i = 0; i < this.#count; i++) history.push(this.#grants[(this.#head + i) % this.#limit]!);
    const kept = history.slice(Math.max(0, history.length - limit));
    this.#limit = limit;
    this.#windowMs = windowMs;
    this.#grants = new Array<number>(limit);
    kept.forEach((t, i) => (this.#grants[i] = t));
    this.#head = 0;
    this.#count = kept.length;
    this.#clearTimer();
    this.#pump();
  }

  /** Ms until the next slot frees up (0 if one is free now), ignoring queued callers. */
  #waitMs(now: number): number {
    if (this.#count < this.#limit) return 0;
    return this.#grants[this.#head]! + this.#windowMs - now;
  }

  #grant(now: number): void {
    this.#granted++;
    if (this.#count < this.#limit) {
      this.#grants[(this.#head + this.#count) % this.#limit] = now;
      this.#count++;
    } else {
      this.#grants[this.#head] = now;
      this.#head = (this.#head + 1) % this.#limit;
    }
  }

  #compact(): void {
    while (this.#queueHead < this.#queue.length && this.#queue[this.#queueHead]!.done) this.#queueHead++;
    if (this.#queueHead > 1024 && this.#queueHead * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#queueHead);
      this.#queueHead = 0;
    } else if (this.#queueHead === this.#queue.length) {
      this.#queue = [];
      this.#queueHead = 0;
    }
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
  }

  #schedule(): void {
    if (this.#timer === undefined) this.#pump();
  }

  #pump(): void {
    this.#timer = undefined;
    for (;;) {
      this.#compact();
      if (this.pending === 0) return;
      const now = this.#now();
      const wait = this.#waitMs(now);
      if (wait > 0) {
        // Timers may fire a fraction of a ms early relative to the clock: round up and re-check.
        this.#timer = setTimeout(() => this.#pump(), Math.max(1, Math.ceil(wait)));
        return;
      }
      const waiter = this.#queue[this.#queueHead]!;
      waiter.done = true;
      this.#active--;
      this.#queueHead++;
      if (waiter.signal && waiter.onAbort) waiter.signal.removeEventListener("abort", waiter.onAbort);
      this.#grant(now);
      waiter.resolve(now);
    }
  }
}

const UNITS: Record<string, number> = {
  ms: 1,
  s: 1000,
  sec: 1000,
  second: 1000,
  seconds: 1000,
  m: 60_000,
  min: 60_000,
  minute: 60_000,
  minutes: 60_000,
};

/**
 * Parses `plivo:rateLimit` / `PLIVO_RATE_LIMIT`: `"300/5s"`, `"300/5000ms"`, `"100/1m"`, `"10/s"`,
 * `"300/5"` (bare number = seconds) or `"300"` (per 5 s, Plivo's window). Throws `RangeError`.
 */
export function parseRateLimit(text: string): RateLimit {
  const m = /^\s*(\d+)\s*(?:\/\s*(\d+(?:\.\d+)?)?\s*([a-z]+)?)?\s*$/i.exec(text);
  if (!m) throw new RangeError(`invalid rate limit "${text}": expected e.g. "300/5s"`);
  const limit = Number(m[1]);
  let windowMs: number = DEFAULT_RATE_LIMIT.windowMs;
  if (m[2] !== undefined || m[3] !== undefined) {
    const unit = (m[3] ?? "s").toLowerCase();
    const factor = UNITS[unit];
    if (factor === undefined) throw new RangeError(`invalid rate limit "${text}": unknown unit "${m[3]}" (use ms, s or m)`);
    windowMs = Number(m[2] ?? "1") * factor;
  }
  validate(limit, windowMs);
  return { limit, windowMs };
}

/** `{limit: 300, windowMs: 5000}` → `"300/5000ms"`. */
export function formatRateLimit(rate: RateLimit): string {
  return `${rate.limit}/${rate.windowMs}ms`;
}

let shared: RateLimiter | undefined;

/**
 * The process-wide limiter every `PlivoClient` uses by default (Plivo counts requests per account,
 * across all clients of a process). Passing options reconfigures the one instance in place.
 */
export function sharedRateLimiter(options?: Partial<RateLimit>): RateLimiter {
  if (!shared) shared = new RateLimiter(options);
  else if (options) shared.reconfigure(options);
  return shared;
}

/** Test helper: drop the process-wide limiter. */
export function _resetSharedRateLimiterForTests(): void {
  shared = undefined;
}
