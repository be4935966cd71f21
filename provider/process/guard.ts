/**
 * What the provider process may still start, and when it stops.
 *
 * Once the engine is gone (the CLI was killed), the run was cancelled, or the process was told to stop (SIGINT,
 * SIGTERM), nothing new starts: no purchase, no submission, no delete. Operations already under way finish — a
 * number whose buy was sent still gets its marker, so the next `up` finds it — while waits for asynchronous
 * registrations end early through `signal` (the resource is then kept in the state as partially created when the
 * engine can still record it). With `exitWhenIdle`, the process exits once the last operation has finished.
 */
import type { EngineConnection } from "./engineConnection";

/** Raised by `begin` once the process stops taking new operations. */
export class ProviderStoppingError extends Error {
  override readonly name = "ProviderStoppingError";
  constructor(
    readonly what: string,
    readonly reason: string,
  ) {
    super(`not starting ${what}: ${reason}`);
  }
}

export interface Ticket {
  /** Marks the operation finished (idempotent). */
  end(): void;
}

export class OperationGuard {
  #inflight = 0;
  #stopReason: string | undefined;
  readonly #controller = new AbortController();
  #idle: Array<() => void> = [];

  /** Aborted when the process stops taking new operations: waits end early. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  get stopping(): boolean {
    return this.#stopReason !== undefined;
  }

  get stopReason(): string | undefined {
    return this.#stopReason;
  }

  get inflight(): number {
    return this.#inflight;
  }

  /** Registers an operation; throws {@link ProviderStoppingError} once stopping. */
  begin(what: string): Ticket {
    if (this.#stopReason !== undefined) throw new ProviderStoppingError(what, this.#stopReason);
    this.#inflight++;
    let ended = false;
    return {
      end: () => {
        if (ended) return;
        ended = true;
        this.#inflight--;
        if (this.#inflight === 0) this.#flushIdle();
      },
    };
  }

  /** Runs `fn` as one operation. */
  async run<T>(what: string, fn: () => Promise<T>): Promise<T> {
    const ticket = this.begin(what);
    try {
      return await fn();
    } finally {
      ticket.end();
    }
  }

  /** Stops taking new operations (the first reason wins) and ends waits. */
  stop(reason: string): void {
    if (this.#stopReason !== undefined) return;
    this.#stopReason = reason;
    this.#controller.abort(new ProviderStoppingError("waiting", reason));
    if (this.#inflight === 0) this.#flushIdle();
  }

  /** Resolves when no operation is running (at once when none is). */
  whenIdle(): Promise<void> {
    if (this.#inflight === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  #flushIdle(): void {
    const waiters = this.#idle;
    this.#idle = [];
    for (const w of waiters) w();
  }
}

/** The guard of this process: every operation of every resource and provider instance goes through it. */
export const processGuard = new OperationGuard();

/**
 * Once the CLI is gone, a write to stdout/stderr (its pipes) fails with EPIPE. Without a listener that is an
 * uncaught error: it kills the process (the plugin) while it finishes work under way, or — in the dynamic-provider
 * host, whose uncaught-error handler writes to stderr again — loops forever at full CPU (measured). Provider
 * processes only.
 */
export function ignoreBrokenPipes(): void {
  for (const stream of [process.stdout, process.stderr]) if (stream.listenerCount("error") === 0) stream.on("error", () => {});
}

export interface WatchOptions {
  /** How often the engine is probed (default 1 s). */
  intervalMs?: number;
  /** Consecutive failed probes before the engine counts as gone (default 2). */
  failures?: number;
  /** Exit the process once stopping and idle (provider processes: yes; tests: no). */
  exitWhenIdle?: boolean;
  /** Exit anyway after this long once stopping (default 60 s; the client's timeouts bound every request). */
  graceMs?: number;
  log?: (message: string) => void;
}

/**
 * Watches the engine and this process's signals: the guard stops when the engine stops answering, or on SIGINT /
 * SIGTERM. Returns a function that undoes it. Meant for provider processes only (the dynamic-provider host, the
 * plugin), never for a process that hosts other work.
 */
export function watchProcess(guard: OperationGuard, engine: EngineConnection | undefined, opts: WatchOptions = {}): () => void {
  const log = opts.log ?? ((m: string) => process.stderr.write(`pulumi-plivo: ${m}\n`));
  const intervalMs = opts.intervalMs ?? 1_000;
  const maxFailures = opts.failures ?? 2;
  let failures = 0;
  let probing = false;
  let exitTimer: NodeJS.Timeout | undefined;
  let exiting = false;

  const onStop = (reason: string) => {
    if (!guard.stopping) {
      guard.stop(reason);
      if (guard.inflight > 0) log(`${reason}; finishing ${guard.inflight} operation(s) already under way, starting nothing new`);
    }
    // Whoever stopped the guard first: the engine's Cancel comes just before the CLI's SIGINT when it closes the
    // plugin at the end of every command, and the CLI waits up to 5 s for the process to exit before killing it.
    if (opts.exitWhenIdle && !exiting) {
      exiting = true;
      exitTimer = setTimeout(() => process.exit(1), opts.graceMs ?? 60_000);
      exitTimer.unref();
      void guard.whenIdle().then(() => process.exit(0));
    }
  };

  const timer = engine
    ? setInterval(() => {
        if (probing || guard.stopping) return;
        probing = true;
        void engine.alive(Math.max(500, intervalMs)).then((ok) => {
          probing = false;
          failures = ok ? 0 : failures + 1;
          if (failures >= maxFailures) onStop("the Pulumi engine is gone (the CLI exited or was killed)");
        });
      }, intervalMs)
    : undefined;
  timer?.unref();

  const onSignal = (sig: NodeJS.Signals) => () => onStop(`the provider process received ${sig}`);
  const handlers = { SIGINT: onSignal("SIGINT"), SIGTERM: onSignal("SIGTERM") };
  process.on("SIGINT", handlers.SIGINT);
  process.on("SIGTERM", handlers.SIGTERM);

  return () => {
    if (timer) clearInterval(timer);
    if (exitTimer) clearTimeout(exitTimer);
    process.off("SIGINT", handlers.SIGINT);
    process.off("SIGTERM", handlers.SIGTERM);
  };
}
