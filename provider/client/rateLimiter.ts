/**
 * Client-side pacing for Plivo's account-wide limit (300 API requests per 5 s across every process and
 * subaccount, HTTP 429 beyond). One limiter per account per process ({@link accountRateLimiter}); processes do
 * not talk to each other, they converge through the 429s they see.
 *
 * How it works:
 * 1. **Token bucket, below the ceiling.** Grants are paced at `rate` with at most `burst` at once, so any window
 *    of `windowMs` holds at most `burst + rate × windowMs` grants. The configured ceiling (`limit` per
 *    `windowMs`, from `plivo:rateLimit`) is never reached: `burst` is 5 % of the limit (15 of 300) and the
 *    highest rate is 92 % of it, which leaves 3 % for arrival jitter at the server. A sliding-window log of the
 *    last `limit` grants is a hard guard on top: no window ever holds more than `limit` grants, whatever the
 *    rate or a reconfiguration.
 * 2. **AIMD.** Several processes pacing independently (the CLI's provider processes, stacks run in parallel in
 *    CI) add up to more than the account allows; a 429 is how each of them learns it. On a 429 the rate is
 *    multiplied by 0.7, at most once per half window and only for requests granted after the previous decrease
 *    (the 429s of a burst already sent say nothing new). While callers are queued the rate grows back by 5 % of
 *    the ceiling per window, speeding up to 20 % once 2.5 windows passed without a 429 (the other processes may
 *    have finished). Like TCP flows sharing a link, the processes' sum then oscillates just around the
 *    server's limit instead of each one hammering it.
 * 3. **Pause.** A 429 pauses the whole account, not just the refused request: for its `Retry-After` when the
 *    server sends one, else for a short cool-down (a twentieth of the window) so the queued requests do not run
 *    into the same full window.
 *
 * Callers queue in FIFO order; `priority` callers (retries of refused requests) go first so a refused request
 * keeps its place. Pausing and pacing never drop anything; only an abort signal removes a waiter.
 */

export interface RateLimit {
  /** Ceiling: maximum requests in any window of `windowMs`. */
  limit: number;
  windowMs: number;
}

export interface RateLimiterOptions extends Partial<RateLimit> {
  /** Monotonic clock in ms (default `performance.now()`); inject for tests. */
  now?: () => number;
}

export interface AcquireOptions {
  signal?: AbortSignal;
  /** Served before every non-priority waiter (a retry of a refused request). */
  priority?: boolean;
}

/** What the client tells the limiter about a 429. */
export interface ThrottleSignal {
  /** When the refused request was granted, on this limiter's clock (see {@link RateLimiter.acquireTimed}). */
  grantedAt: number;
  /** The server's `Retry-After`, in ms. */
  retryAfterMs?: number;
}

export interface RateLimiterStats {
  /** Current paced rate, requests per second. */
  ratePerSecond: number;
  /** The highest rate the pacing allows itself, requests per second (92 % of the ceiling). */
  maxRatePerSecond: number;
  burst: number;
  granted: number;
  /** 429s reported. */
  throttled: number;
  /** Multiplicative decreases applied. */
  decreases: number;
  /** Ms until the account pause ends (0 when not paused). */
  pausedForMs: number;
}

export const DEFAULT_RATE_LIMIT: Readonly<RateLimit> = Object.freeze({ limit: 300, windowMs: 5000 });

/** Pacing constants (see the header comment). */
export const PACING = Object.freeze({
  /** Highest paced rate as a fraction of the ceiling. */
  maxRateFraction: 0.92,
  /** Bucket size as a fraction of the limit (at least 1). */
  burstFraction: 0.05,
  /** Multiplicative decrease on a 429. */
  decrease: 0.7,
  /** Additive increase per window while callers are queued, as a fraction of the ceiling. */
  increasePerWindow: 0.05,
  /** After this many windows without a 429 (the hold included), the others may have finished: speed up… */
  boostAfterWindows: 2.5,
  /** …by one more increase per window each window, up to this many. */
  maxIncreaseBoost: 4,
  /** Lowest rate, as a fraction of the ceiling. */
  minRateFraction: 0.01,
  /** Decreases are at least this many windows apart. */
  holdWindows: 0.5,
  /** Pause after a 429 without `Retry-After`, in windows. */
  cooldownWindows: 0.05,
});

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

/** Floating-point slack when comparing token counts. */
const EPSILON = 1e-9;

export class RateLimiter {
  #limit = 0;
  #windowMs = 0;
  #burst = 0;
  /** Rates in requests per ms. */
  #maxRate = 0;
  #minRate = 0;
  #rate = 0;
  #tokens = 0;
  #refilledAt: number;
  #pausedUntil = -Infinity;
  #lastDecreaseAt = -Infinity;
  #lastGrantAt: number;
  /** When the queue last went from empty to waiting: increases count queued time only. */
  #busySince = -Infinity;
  readonly #now: () => number;
  /** Ring buffer of the last `#count` grant times (oldest at `#head`): the hard guard. */
  #log: number[] = [];
  #head = 0;
  #count = 0;
  #queue: Waiter[] = [];
  #priority: Waiter[] = [];
  /** Waiters neither granted nor aborted. */
  #active = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #timerAt = Infinity;
  #granted = 0;
  #throttled = 0;
  #decreases = 0;

  constructor(options: RateLimiterOptions = {}) {
    this.#now = options.now ?? (() => performance.now());
    this.#refilledAt = this.#now();
    this.#lastGrantAt = this.#refilledAt;
    this.#configure(options.limit ?? DEFAULT_RATE_LIMIT.limit, options.windowMs ?? DEFAULT_RATE_LIMIT.windowMs);
    this.#rate = this.#maxRate;
    this.#tokens = this.#burst;
  }

  /** The ceiling: requests per `windowMs` (from `plivo:rateLimit`). */
  get limit(): number {
    return this.#limit;
  }

  get windowMs(): number {
    return this.#windowMs;
  }

  get burst(): number {
    return this.#burst;
  }

  /** Callers currently waiting. */
  get pending(): number {
    return this.#active;
  }

  /** Total acquisitions granted since construction. */
  get granted(): number {
    return this.#granted;
  }

  get stats(): RateLimiterStats {
    const now = this.#now();
    return {
      ratePerSecond: this.#rate * 1000,
      maxRatePerSecond: this.#maxRate * 1000,
      burst: this.#burst,
      granted: this.#granted,
      throttled: this.#throttled,
      decreases: this.#decreases,
      pausedForMs: Math.max(0, this.#pausedUntil - now),
    };
  }

  /** Resolves when the caller may send one request. Rejects with `signal.reason` if `signal` aborts first. */
  acquire(signal?: AbortSignal): Promise<void> {
    return this.acquireTimed({ signal }) as Promise<unknown> as Promise<void>;
  }

  /** Like {@link acquire}, resolving with the grant time on this limiter's clock (`now()`). */
  acquireTimed(options: AcquireOptions | AbortSignal = {}): Promise<number> {
    const { signal, priority } = options instanceof AbortSignal ? { signal: options, priority: false } : options;
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    const now = this.#now();
    if (this.pending === 0 && this.#waitMs(now) <= 0) {
      this.#grant(now, false);
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
      if (this.#active === 0) this.#busySince = now;
      (priority ? this.#priority : this.#queue).push(waiter);
      this.#active++;
      this.#pump();
    });
  }

  /** Takes a slot if one is free right now and nobody is queued; never waits. */
  tryAcquire(): boolean {
    const now = this.#now();
    if (this.pending > 0 || this.#waitMs(now) > 0) return false;
    this.#grant(now, false);
    return true;
  }

  /**
   * Reports a 429: decreases the rate (AIMD) and pauses the account, for `retryAfterMs` when the server gave
   * one, else for the cool-down.
   */
  throttled(signal: ThrottleSignal): void {
    const now = this.#now();
    this.#throttled++;
    this.#refill(now);
    const hold = PACING.holdWindows * this.#windowMs;
    if (signal.grantedAt >= this.#lastDecreaseAt && now - this.#lastDecreaseAt >= hold) {
      this.#rate = Math.max(this.#minRate, this.#rate * PACING.decrease);
      this.#lastDecreaseAt = now;
      this.#decreases++;
    }
    const pauseMs = signal.retryAfterMs ?? PACING.cooldownWindows * this.#windowMs;
    this.pause(pauseMs);
  }

  /** Holds every grant of this account for `ms` (extends a running pause, never shortens it). */
  pause(ms: number): void {
    if (!(ms > 0)) return;
    const now = this.#now();
    this.#refill(now);
    const until = now + ms;
    if (until <= this.#pausedUntil) return;
    this.#pausedUntil = until;
    // What the bucket held is spent on the refused burst; it refills from the end of the pause.
    this.#tokens = 0;
    this.#refilledAt = until;
    this.#clearTimer();
    this.#pump();
  }

  /** Changes the ceiling, keeping the queue, the pause and the recent grant history (the hard guard). */
  reconfigure(options: Partial<RateLimit>): void {
    const limit = options.limit ?? this.#limit;
    const windowMs = options.windowMs ?? this.#windowMs;
    validate(limit, windowMs);
    if (limit === this.#limit && windowMs === this.#windowMs) return;
    const now = this.#now();
    this.#refill(now);
    const fraction = this.#rate / this.#maxRate;
    this.#configure(limit, windowMs);
    this.#rate = Math.max(this.#minRate, Math.min(this.#maxRate, fraction * this.#maxRate));
    this.#tokens = Math.min(this.#tokens, this.#burst);
    this.#clearTimer();
    this.#pump();
  }

  #configure(limit: number, windowMs: number): void {
    validate(limit, windowMs);
    const history: number[] = [];
    for (let i = 0; i < this.#count; i++) history.push(this.#log[(this.#head + i) % this.#log.length]!);
    const kept = history.slice(Math.max(0, history.length - limit));
    this.#limit = limit;
    this.#windowMs = windowMs;
    this.#burst = Math.max(1, Math.floor(limit * PACING.burstFraction));
    const perWindow = Math.min(limit * PACING.maxRateFraction, Math.max(limit - this.#burst, limit * 0.5));
    this.#maxRate = perWindow / windowMs;
    this.#minRate = (limit * PACING.minRateFraction) / windowMs;
    this.#log = new Array<number>(limit);
    kept.forEach((t, i) => (this.#log[i] = t));
    this.#head = 0;
    this.#count = kept.length;
  }

  #refill(now: number): void {
    const from = Math.max(this.#refilledAt, this.#pausedUntil);
    if (now <= from) return;
    this.#tokens = Math.min(this.#burst, this.#tokens + (now - from) * this.#rate);
    this.#refilledAt = now;
  }

  /** Ms until a grant is allowed (0 if now), ignoring queued callers. */
  #waitMs(now: number): number {
    this.#refill(now);
    let wait = 0;
    if (now < this.#pausedUntil) wait = this.#pausedUntil - now + (this.#tokens >= 1 - EPSILON ? 0 : (1 - this.#tokens) / this.#rate);
    else if (this.#tokens < 1 - EPSILON) wait = (1 - this.#tokens) / this.#rate;
    if (this.#count >= this.#limit) wait = Math.max(wait, this.#log[this.#head]! + this.#windowMs - now);
    return wait;
  }

  #grant(now: number, queued: boolean): void {
    this.#granted++;
    this.#tokens = Math.max(0, this.#tokens - 1);
    // Additive increase, only while callers wait for the pacing and not right after a decrease.
    if (queued && now - this.#lastDecreaseAt >= PACING.holdWindows * this.#windowMs) {
      const dt = Math.min(now - Math.max(this.#lastGrantAt, this.#busySince, this.#pausedUntil), this.#windowMs);
      const calm = (now - this.#lastDecreaseAt) / this.#windowMs - PACING.boostAfterWindows;
      const boost = Math.min(PACING.maxIncreaseBoost, 1 + Math.max(0, calm));
      this.#rate = Math.min(this.#maxRate, this.#rate + (boost * PACING.increasePerWindow * this.#limit * dt) / (this.#windowMs * this.#windowMs));
    }
    this.#lastGrantAt = now;
    if (this.#count < this.#limit) {
      this.#log[(this.#head + this.#count) % this.#limit] = now;
      this.#count++;
    } else {
      this.#log[this.#head] = now;
      this.#head = (this.#head + 1) % this.#limit;
    }
  }

  /** Drops aborted waiters from the front of both queues. */
  #compact(): void {
    for (const q of [this.#priority, this.#queue]) {
      let i = 0;
      while (i < q.length && q[i]!.done) i++;
      if (i > 0) q.splice(0, i);
    }
  }

  #next(): Waiter | undefined {
    this.#compact();
    return this.#priority[0] ?? this.#queue[0];
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
      this.#timerAt = Infinity;
    }
  }

  #pump(): void {
    for (;;) {
      const waiter = this.#next();
      if (!waiter) {
        this.#clearTimer();
        return;
      }
      const now = this.#now();
      const wait = this.#waitMs(now);
      if (wait > 0) {
        // Timers may fire a fraction of a ms early relative to the clock: round up and re-check.
        const at = now + Math.max(1, Math.ceil(wait));
        if (this.#timer !== undefined && this.#timerAt <= at) return;
        this.#clearTimer();
        this.#timerAt = at;
        this.#timer = setTimeout(() => {
          this.#timer = undefined;
          this.#timerAt = Infinity;
          this.#pump();
        }, at - now);
        return;
      }
      waiter.done = true;
      this.#active--;
      (this.#priority[0] === waiter ? this.#priority : this.#queue).shift();
      if (waiter.signal && waiter.onAbort) waiter.signal.removeEventListener("abort", waiter.onAbort);
      this.#grant(now, true);
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

const accounts = new Map<string, RateLimiter>();

/**
 * The limiter of one Plivo account in this process: every client of the same base URL and auth id shares it
 * (Plivo counts requests per account). Passing a ceiling reconfigures it in place.
 */
export function accountRateLimiter(baseUrl: string, authId: string, ceiling?: Partial<RateLimit>): RateLimiter {
  const key = `${baseUrl}\n${authId}`;
  let limiter = accounts.get(key);
  if (!limiter) {
    limiter = new RateLimiter(ceiling);
    accounts.set(key, limiter);
  } else if (ceiling) {
    limiter.reconfigure(ceiling);
  }
  return limiter;
}

/** Test helper: forget every account's limiter. */
export function _resetAccountRateLimitersForTests(): void {
  accounts.clear();
}
