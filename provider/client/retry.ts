/**
 * Retry policy: exponential backoff with full jitter, `Retry-After` honoured, and a hard rule
 * that a non-idempotent request (a POST create: Plivo has no idempotency keys) which may already
 * have been applied is never re-sent blindly — it fails with `ambiguous: true` so the caller can
 * look the resource up by its natural key first.
 *
 * | failure                                   | idempotent (GET, DELETE, …) | non-idempotent (POST)      |
 * |-------------------------------------------|-----------------------------|----------------------------|
 * | 429 (server refused, never processed)      | retry, by time budget       | retry, by time budget      |
 * | 408                                        | retry                       | retry                      |
 * | 5xx (except 501, 505)                      | retry                       | stop, `ambiguous`          |
 * | network error before the request was sent | retry                       | retry                      |
 * | network error / timeout after it was sent | retry                       | stop, `ambiguous`          |
 * | other 4xx, 501, 505                        | stop                        | stop                       |
 *
 * A 429 is retried for as long as the account keeps refusing, up to `throttleBudgetMs` (10 minutes) after the
 * request's first 429, however many attempts that takes: the rate limiter (rateLimiter.ts) paces and pauses
 * the retries, so they cost the account nothing it does not allow. Every other transient failure is retried
 * up to `maxAttempts` attempts (429s not counted), and stops early when the next wait would not fit in what is
 * left of the request's time budget (`plivo:timeoutSeconds`, see plivoClient.ts).
 */

export interface RetryOptions {
  /** Attempts that failed with something other than 429, the first one included (default 6; 1 disables retries of those). */
  maxAttempts?: number;
  /** How long 429s are retried after a request's first 429 (default 600 000 = 10 min; 0 disables). */
  throttleBudgetMs?: number;
  /** Backoff base: the n-th retry waits `random() * min(maxDelayMs, baseDelayMs * 2^(n-1))` (default 250). */
  baseDelayMs?: number;
  /** Backoff cap (default 20 000). */
  maxDelayMs?: number;
  /** A server `Retry-After` is honoured up to this many ms (default 60 000). */
  maxRetryAfterMs?: number;
  /** Uniform [0, 1) source (default `Math.random`); inject for deterministic tests. */
  random?: () => number;
  /** Delay implementation (default: a timer that rejects with `signal.reason` on abort). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Wall clock used to resolve an HTTP-date `Retry-After` (default `Date.now`). */
  now?: () => number;
}

/** How one attempt failed, as seen by the policy. */
export type AttemptFailure = { kind: "status"; status: number; retryAfter?: string | null } | { kind: "network"; sentRequest: boolean; timeout?: boolean };

export interface AttemptContext {
  /** 1-based number of the attempt that just failed (every attempt counted). */
  attempt: number;
  method: string;
  /** Safe to repeat? Default for the client: GET/DELETE true, POST false. */
  idempotent: boolean;
  /** Attempts so far that failed with something other than 429, this one included (default: `attempt`). */
  failedAttempts?: number;
  /** Ms since this request's first 429 (429s only). */
  throttledForMs?: number;
  /** Ms left of the request's time budget (`plivo:timeoutSeconds`; not for 429s; unbounded when absent). */
  budgetLeftMs?: number;
}

export interface RetryDecision {
  retry: boolean;
  /** Wait before the next attempt (0 when not retrying). */
  delayMs: number;
  /** The failure is of a transient kind (429, 5xx, network). */
  transient: boolean;
  /** Not retrying, and the request may have been applied by the server. */
  ambiguous: boolean;
  /** Parsed `Retry-After` of the failed response, in ms. */
  retryAfterMs?: number;
  reason: string;
}

export const DEFAULT_RETRY = Object.freeze({
  maxAttempts: 6,
  throttleBudgetMs: 600_000,
  baseDelayMs: 250,
  maxDelayMs: 20_000,
  maxRetryAfterMs: 60_000,
});

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException("This operation was aborted", "AbortError");
}

/** Timer-based sleep that rejects with `signal.reason` when aborted. */
export function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(abortReason(signal));
  if (ms <= 0) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortReason(signal!));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * Parses a `Retry-After` header value: delay-seconds (`"2"`, `"1.5"`) or an HTTP-date.
 * Returns ms (≥ 0), or `undefined` when absent or unparsable.
 */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined || value === null) return undefined;
  const text = value.trim();
  if (text === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  if (!/[a-z]/i.test(text)) return undefined; // "-1", "1e3": not a date either
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

export class RetryPolicy {
  readonly maxAttempts: number;
  readonly throttleBudgetMs: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly maxRetryAfterMs: number;
  readonly #random: () => number;
  readonly #sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly #now: () => number;

  constructor(options: RetryOptions = {}) {
    this.maxAttempts = options.maxAttempts ?? DEFAULT_RETRY.maxAttempts;
    this.throttleBudgetMs = options.throttleBudgetMs ?? DEFAULT_RETRY.throttleBudgetMs;
    this.baseDelayMs = options.baseDelayMs ?? DEFAULT_RETRY.baseDelayMs;
    this.maxDelayMs = options.maxDelayMs ?? DEFAULT_RETRY.maxDelayMs;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? DEFAULT_RETRY.maxRetryAfterMs;
    if (!Number.isInteger(this.maxAttempts) || this.maxAttempts < 1) throw new RangeError(`maxAttempts must be an integer ≥ 1, got ${this.maxAttempts}`);
    for (const [k, v] of Object.entries({
      throttleBudgetMs: this.throttleBudgetMs,
      baseDelayMs: this.baseDelayMs,
      maxDelayMs: this.maxDelayMs,
      maxRetryAfterMs: this.maxRetryAfterMs,
    })) {
      if (!Number.isFinite(v) || v < 0) throw new RangeError(`${k} must be a finite number ≥ 0, got ${v}`);
    }
    this.#random = options.random ?? Math.random;
    this.#sleep = options.sleep ?? defaultSleep;
    this.#now = options.now ?? Date.now;
  }

  /** Upper bound of the full-jitter delay before retry number `retry` (1-based). */
  backoffCeilingMs(retry: number): number {
    return Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** Math.max(0, retry - 1));
  }

  /** Full jitter: uniform in [0, backoffCeilingMs(retry)). */
  backoffMs(retry: number): number {
    return Math.floor(this.#random() * this.backoffCeilingMs(retry));
  }

  parseRetryAfter(value: string | null | undefined): number | undefined {
    return parseRetryAfter(value, this.#now());
  }

  /** 429, 408, 5xx other than 501/505, and every network failure. */
  static isTransient(failure: AttemptFailure): boolean {
    if (failure.kind === "network") return true;
    const s = failure.status;
    return s === 429 || s === 408 || (s >= 500 && s <= 599 && s !== 501 && s !== 505);
  }

  /** Could the server have applied the request? (GET never changes anything; 429/408 were refused.) */
  static mayHaveBeenApplied(failure: AttemptFailure, method: string): boolean {
    if (method.toUpperCase() === "GET" || method.toUpperCase() === "HEAD") return false;
    if (failure.kind === "network") return failure.sentRequest;
    return failure.status >= 500;
  }

  /** The `Retry-After` wait, capped, plus a little jitter so a herd does not return in lockstep. */
  #retryAfterDelay(retryAfterMs: number): number {
    const wait = Math.min(retryAfterMs, this.maxRetryAfterMs);
    return Math.ceil(wait) + Math.floor(this.#random() * Math.min(this.baseDelayMs, wait * 0.1));
  }

  decide(failure: AttemptFailure, ctx: AttemptContext): RetryDecision {
    const transient = RetryPolicy.isTransient(failure);
    const applied = RetryPolicy.mayHaveBeenApplied(failure, ctx.method);
    const retryAfterMs = failure.kind === "status" ? this.parseRetryAfter(failure.retryAfter) : undefined;
    const base = { transient, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
    const stop = (reason: string, ambiguous: boolean): RetryDecision => ({ ...base, retry: false, delayMs: 0, ambiguous, reason });
    if (!transient) return stop("not a transient failure", false);
    if (failure.kind === "status" && failure.status === 429) {
      // Refused, never processed: safe for every method. The limiter paces the retry (and is paused for
      // Retry-After too); only a refusal that outlasts the time budget fails the request.
      const delayMs = retryAfterMs !== undefined ? this.#retryAfterDelay(retryAfterMs) : 0;
      if (this.throttleBudgetMs === 0 || (ctx.throttledForMs ?? 0) + delayMs > this.throttleBudgetMs)
        return stop(`refused (429) for longer than ${this.throttleBudgetMs} ms`, false);
      return { ...base, retry: true, delayMs, ambiguous: false, reason: "refused (429)" };
    }
    if (applied && !ctx.idempotent) return stop("non-idempotent request may have been applied", true);
    const failed = ctx.failedAttempts ?? ctx.attempt;
    if (failed >= this.maxAttempts) return stop(`gave up after ${ctx.attempt} attempts`, applied);
    const delayMs = retryAfterMs !== undefined ? this.#retryAfterDelay(retryAfterMs) : this.backoffMs(failed);
    if (ctx.budgetLeftMs !== undefined && delayMs >= ctx.budgetLeftMs) {
      return stop("the request's time budget is spent", applied);
    }
    return { ...base, retry: true, delayMs, ambiguous: false, reason: "transient failure" };
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return this.#sleep(ms, signal);
  }
}
