/**
 * Waiting through asynchronous registrations (10DLC brands, campaigns, number links, toll-free verification).
 *
 * Polling backs off from a couple of seconds to about a minute with jitter and goes through the shared client
 * (so through the process-wide rate limiter). Every status change is reported while it waits. A timeout or a
 * terminal failure raises a typed error that keeps the last status, so the caller can keep the resource's id
 * in the state and resume on the next `up`.
 */
import type { ResourceContext } from "./context";

export interface PollSchedule {
  /** First delay, in ms. */
  initialMs: number;
  /** Cap of the delay, in ms. */
  maxMs: number;
  /** Growth per poll. */
  factor: number;
}

export const defaultPollSchedule: PollSchedule = { initialMs: 2_000, maxMs: 60_000, factor: 1.6 };

/** Poll schedule from the environment (`PLIVO_POLL_INITIAL_MS`, `PLIVO_POLL_MAX_MS`), e.g. to speed up tests. */
export function pollScheduleFromEnv(env: NodeJS.ProcessEnv = process.env): PollSchedule {
  const num = (v: string | undefined, d: number) => (v !== undefined && /^\d+$/.test(v) ? Number(v) : d);
  const initialMs = num(env.PLIVO_POLL_INITIAL_MS, defaultPollSchedule.initialMs);
  return { initialMs, maxMs: Math.max(initialMs, num(env.PLIVO_POLL_MAX_MS, defaultPollSchedule.maxMs)), factor: defaultPollSchedule.factor };
}

/** Delay before poll number `attempt` (0-based): exponential, capped, with ±20 % jitter. */
export function pollDelay(schedule: PollSchedule, attempt: number, random: () => number = Math.random): number {
  const base = Math.min(schedule.maxMs, schedule.initialMs * schedule.factor ** attempt);
  return Math.round(base * (0.8 + 0.4 * random()));
}

export class WaitTimeoutError extends Error {
  override readonly name = "WaitTimeoutError";
  constructor(
    readonly what: string,
    readonly lastStatus: string,
    readonly timeoutSeconds: number,
  ) {
    super(
      `timed out after ${timeoutSeconds}s waiting for ${what}; last status ${lastStatus}. ` +
        "The resource is kept in the state: the next `pulumi up` resumes waiting without submitting it again " +
        "(raise waitTimeoutSeconds, or set waitUntil to SUBMITTED to stop waiting).",
    );
  }
}

export class RegistrationFailedError extends Error {
  override readonly name = "RegistrationFailedError";
  constructor(
    readonly what: string,
    readonly status: string,
    readonly reason: string,
  ) {
    super(`${what} ended ${status}: ${reason}`);
  }
}

/** The wait ended early because the run was cancelled or the engine is gone; the resource is kept as it is. */
export class WaitCancelledError extends Error {
  override readonly name = "WaitCancelledError";
  constructor(
    readonly what: string,
    readonly lastStatus: string,
    reason: unknown,
  ) {
    super(
      `stopped waiting for ${what} (last status ${lastStatus}): ${reason instanceof Error ? reason.message : String(reason)}. ` +
        "Nothing was submitted twice: the next `pulumi up` resumes waiting.",
    );
  }
}

export interface WaitSpec<T> {
  /** e.g. `campaign CX12345 to become ACTIVE`. */
  what: string;
  poll: () => Promise<T>;
  status: (value: T) => string;
  done: (value: T) => boolean;
  /** A failure reason when the value is a terminal failure. */
  failure?: (value: T) => string | undefined;
  timeoutSeconds: number;
  schedule?: PollSchedule;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** Ends the wait early (run cancelled, engine gone). */
  signal?: AbortSignal;
}

/** Resolves after `ms`, or early when `signal` aborts (the caller checks `signal.aborted`). */
const realSleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });

export async function waitFor<T>(ctx: ResourceContext, spec: WaitSpec<T>): Promise<T> {
  const schedule = spec.schedule ?? pollScheduleFromEnv();
  const signal = spec.signal ?? ctx.signal;
  const sleep = spec.sleep ?? ((ms: number) => realSleep(ms, signal));
  const now = spec.now ?? Date.now;
  const deadline = now() + spec.timeoutSeconds * 1000;
  let last = "";
  for (let attempt = 0; ; attempt++) {
    const value = await spec.poll();
    const status = spec.status(value);
    if (status !== last) {
      ctx.progress(`waiting for ${spec.what}: ${status}`);
      last = status;
    }
    if (spec.done(value)) return value;
    const reason = spec.failure?.(value);
    if (reason !== undefined) throw new RegistrationFailedError(spec.what, status, reason);
    const remaining = deadline - now();
    if (remaining <= 0) throw new WaitTimeoutError(spec.what, status, spec.timeoutSeconds);
    if (signal?.aborted) throw new WaitCancelledError(spec.what, status, signal.reason);
    await sleep(Math.min(pollDelay(schedule, attempt), remaining));
    if (signal?.aborted) throw new WaitCancelledError(spec.what, status, signal.reason);
  }
}
