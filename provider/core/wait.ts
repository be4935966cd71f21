/**
 * Waiting through asynchronous registrations (10DLC brands, campaigns, number links, toll-free verification).
 *
 * A wait polls again after a tenth of the time it has waited so far (between a couple of seconds and a minute,
 * with jitter), so a verdict is noticed within about 10 % of the wait. Polls of every wait in the process go in
 * rounds (see `PollRounds`): their reads are batched into one list call per campaign or one GET per object, and
 * polling costs at most about one request per second however many resources wait. Every status change is reported.
 * A timeout or a terminal failure raises a typed error that keeps the last status, so the caller can keep the
 * resource's id in the state and resume on the next `up`.
 */
import { countRequests, type RequestCounter } from "./batch";
import type { ResourceContext } from "./context";

export interface PollSchedule {
  /** Shortest delay between two polls of a wait, in ms (also the shortest gap between poll rounds). */
  initialMs: number;
  /** Longest delay, in ms. */
  maxMs: number;
}

export const defaultPollSchedule: PollSchedule = { initialMs: 2_000, maxMs: 60_000 };

/** Poll schedule from the environment (`PLIVO_POLL_INITIAL_MS`, `PLIVO_POLL_MAX_MS`), e.g. to speed up tests. */
export function pollScheduleFromEnv(env: NodeJS.ProcessEnv = process.env): PollSchedule {
  const num = (v: string | undefined, d: number) => (v !== undefined && /^\d+$/.test(v) ? Number(v) : d);
  const initialMs = num(env.PLIVO_POLL_INITIAL_MS, defaultPollSchedule.initialMs);
  return { initialMs, maxMs: Math.max(initialMs, num(env.PLIVO_POLL_MAX_MS, defaultPollSchedule.maxMs)) };
}

/** Delay before the next poll after waiting `elapsedMs`: a tenth of it, within the schedule, with ±20 % jitter. */
export function pollDelay(schedule: PollSchedule, elapsedMs: number, random: () => number = Math.random): number {
  const base = Math.min(schedule.maxMs, Math.max(schedule.initialMs, elapsedMs / 10));
  return Math.round(base * (0.8 + 0.4 * random()));
}

/**
 * Poll rounds. Every wait that is due polls in the next round, all at once, so the batched reader answers them
 * together (and the waits that are not due look at what it brought, see `WaitSpec.wake`). A round starts at least
 * 1.1 × `gapMs` after the previous one, and n × 1.1 × `gapMs` after one that cost n requests: with a gap of one
 * second, polling costs less than one request per second however many resources wait.
 */
export class PollRounds {
  private queue: ((counter: RequestCounter) => Promise<void>)[] = [];
  private active = false;
  private earliest = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly gapMs: () => number) {}

  /** Runs `poll` in the next round. */
  poll<T>(poll: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push((counter) => countRequests(counter, poll).then(resolve, reject));
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.timer || this.active || this.queue.length === 0) return;
    this.timer = setTimeout(() => this.start(), Math.max(0, this.earliest - Date.now()));
  }

  private start(): void {
    this.timer = undefined;
    const jobs = this.queue;
    this.queue = [];
    const counter: RequestCounter = { requests: 0 };
    const started = Date.now();
    this.active = true;
    void Promise.allSettled(jobs.map((job) => job(counter))).then(() => {
      this.active = false;
      // 10 % of slack keeps the average under the budget whatever window one looks at.
      this.earliest = started + Math.max(1, counter.requests) * this.gapMs() * 1.1;
      this.schedule();
    });
  }
}

/** The process's poll rounds: one second apart by default (never more than the shortest poll delay). */
export const pollRounds = new PollRounds(() => Math.min(1_000, pollScheduleFromEnv().initialMs));

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
  /**
   * Reads the current value: the first look as any read may be answered (`since` undefined); later polls from a
   * request started at or after `since` (a `performance.now()` time): now, or when another reader's request
   * brought the value (see `wake`).
   */
  poll: (since?: number) => Promise<T>;
  /**
   * Subscribes to reads of the value made for others (a list page another wait's poll brought): `arrived(at)` with
   * the start time of that request. The wait then looks at it instead of polling on its own. Returns the
   * unsubscribe function, or undefined when the value cannot be watched.
   */
  wake?: (arrived: (at: number) => void) => (() => void) | undefined;
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
  /** Where polls after the first run (default: the process's rounds). */
  rounds?: PollRounds;
}

/** Sleepers per signal: one abort listener per signal however many waits sleep on it (a hundred waiting links). */
const sleepers = new WeakMap<AbortSignal, Set<() => void>>();

function onAbort(signal: AbortSignal, wake: () => void): () => void {
  let set = sleepers.get(signal);
  if (!set) {
    const woken = new Set<() => void>();
    sleepers.set(signal, (set = woken));
    signal.addEventListener("abort", () => woken.forEach((w) => w()), { once: true });
  }
  set.add(wake);
  return () => set!.delete(wake);
}

/** Resolves after `ms`, or early when `signal` aborts (the caller checks `signal.aborted`). */
const realSleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      forget?.();
      resolve();
    };
    const timer = setTimeout(done, ms);
    const forget = signal ? onAbort(signal, done) : undefined;
  });

/**
 * Sleeps `ms` unless the watched value arrives first, newer than `after`: resolves with that request's start time,
 * or undefined when the sleep ran out.
 */
function sleepUntilArrival(sleep: (ms: number) => Promise<void>, ms: number, after: number, wake: WaitSpec<unknown>["wake"]): Promise<number | undefined> {
  if (!wake) return sleep(ms).then(() => undefined);
  return new Promise((resolve) => {
    let settled = false;
    const finish = (at: number | undefined) => {
      if (settled) return;
      settled = true;
      unsubscribe?.();
      resolve(at);
    };
    const unsubscribe = wake((at) => {
      if (at > after) finish(at);
    });
    void sleep(ms).then(() => finish(undefined));
  });
}

export async function waitFor<T>(ctx: ResourceContext, spec: WaitSpec<T>): Promise<T> {
  const schedule = spec.schedule ?? pollScheduleFromEnv();
  const signal = spec.signal ?? ctx.signal;
  const sleep = spec.sleep ?? ((ms: number) => realSleep(ms, signal));
  const now = spec.now ?? Date.now;
  const rounds = spec.rounds ?? pollRounds;
  const started = now();
  const deadline = started + spec.timeoutSeconds * 1000;
  let last = "";
  let arrived: number | undefined;
  let dueAt = started;
  for (let attempt = 0; ; attempt++) {
    const polledAt = performance.now();
    // The first look goes in the next round too (a hundred links submitted together are looked at in one list
    // walk, not a GET each) and may be answered by a read of that round; a value another reader's request brought
    // is looked at as it is; otherwise the next round asks the API again.
    const value =
      attempt === 0
        ? await rounds.poll(() => spec.poll())
        : arrived !== undefined
          ? await spec.poll(arrived)
          : await rounds.poll(() => spec.poll(performance.now()));
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
    // The next poll of its own is due on its schedule; values that others' polls bring meanwhile do not move it.
    if (arrived === undefined) dueAt = now() + Math.min(pollDelay(schedule, now() - started), remaining);
    arrived = await sleepUntilArrival(sleep, Math.max(0, dueAt - now()), polledAt, spec.wake);
    if (signal?.aborted) throw new WaitCancelledError(spec.what, status, signal.reason);
  }
}
