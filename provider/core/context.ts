/**
 * Per-operation context handed to resource handlers: the client of the provider instance, who the resource is (for
 * messages and diagnostics), where progress and warnings go, how long waits may take, when to give up, and the
 * "create once" rule for non-idempotent POSTs. Both forms of the provider (dynamic resources, the plugin) build it
 * through `makeContext`; handlers never know which form runs them.
 */
import type { PlivoClient } from "../client/plivoClient";
import { PlivoTimeoutError, isAmbiguousError, type OperationContext } from "../client/errors";
import { trackWrites } from "./batch";
import { ProviderStoppingError } from "../process/guard";
import type { CreateJournal, StoredEntry } from "./journal";

/** Where an operation's progress and warnings go (the engine's Log service with the URN, or stderr). */
export interface OperationLog {
  /** A status line while the operation runs (shown on the resource's row; never carries secrets). */
  progress(message: string): void;
  warn(message: string): void;
  /** A lasting note (info) on the resource's row: what a plan does that is worth reading but costs nothing. */
  note?(message: string): void;
}

/** What the form running the operation knows about it. */
export interface Invocation {
  /** The resource's URN when known. */
  readonly urn?: string;
  /** The resource's name for messages; derived from the URN when absent. */
  readonly name?: string;
  readonly log?: OperationLog;
  /** Aborted when the run is cancelled or the engine is gone: waits end early. */
  readonly signal?: AbortSignal;
  /** The engine's custom timeout for this operation, in seconds (`customTimeouts`; plugin only). */
  readonly customTimeoutSeconds?: number;
  /** The create journal of this machine (journal.ts); used only when the URN is known. */
  readonly journal?: CreateJournal;
}

/** The journal entries of one resource (see journal.ts). */
export interface ResourceJournal {
  /** Entries left by earlier, interrupted creates of this resource (newest first). */
  pending(): StoredEntry[];
  /** Records, durably, a create about to be sent. */
  record(key: string, id?: string): JournalMark;
  /** Removes an entry whose object turned out not to exist (or was taken over). */
  discard(entry: StoredEntry): void;
}

export interface JournalMark {
  /** The create made `id` (the entry stays until the state is seen to hold it). */
  resolved(id: string): void;
  /** Nothing was created: forget the entry. */
  discard(): void;
}

export interface ResourceContext {
  readonly client: PlivoClient;
  /** Resource type, e.g. "PhoneNumber". */
  readonly type: string;
  /** Pulumi resource name (or the id when unknown, e.g. during import). */
  readonly name: string;
  readonly urn?: string;
  /** Aborted when the run is cancelled or the engine is gone. */
  readonly signal?: AbortSignal;
  /**
   * The engine's custom timeout for this operation, in seconds, when the user set one (`customTimeouts`); not to be
   * confused with `plivo:timeoutSeconds`, the time budget of one API request.
   */
  readonly customTimeoutSeconds?: number;
  /** This resource's create journal; undefined when the URN is unknown or the journal is off. */
  readonly journal?: ResourceJournal;
  /** Throws {@link ProviderStoppingError} once the process stops taking work: call before each new paid request. */
  checkNotStopping(what: string): void;
  op(action: string): OperationContext;
  progress(message: string): void;
  warn(message: string): void;
  /**
   * Runs a non-idempotent create. If it fails ambiguously (timeout, reset, 5xx after sending) the request may have
   * succeeded: look the object up by its natural key — again for a while when the server may still be processing —
   * and adopt it; when it is proven absent, send the create again (at most `attempts` times in all, default 5).
   */
  createOnce<T>(post: () => Promise<T>, findExisting: () => Promise<T | undefined>, options?: CreateOnceOptions): Promise<T>;
}

export interface CreateOnceOptions {
  /** Creates sent in all (default 5: each re-send follows a lookup that proved the previous one made nothing). */
  attempts?: number;
  /** How long a timed-out create is looked for before it counts as absent (default 30 s; 2 s after a reset or a 5xx). */
  recheckMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/** The client's own classification: one definition of "ambiguous" and "not found" for the whole provider. */
export { isAmbiguousError as isAmbiguous, isNotFoundError as isNotFound } from "../client/errors";

/** `urn:pulumi:dev::proj::pulumi-nodejs:dynamic/plivo:PhoneNumber::support-line` → `support-line`. */
export function nameFromUrn(urn: string | undefined): string | undefined {
  if (!urn) return undefined;
  const i = urn.lastIndexOf("::");
  return i >= 0 ? urn.slice(i + 2) : undefined;
}

const stderrLog = (label: string): OperationLog => ({
  progress: (message) => process.stderr.write(`${label}: ${message}\n`),
  warn: (message) => process.stderr.write(`warning: ${label}: ${message}\n`),
});

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function resourceJournal(journal: CreateJournal | undefined, urn: string | undefined, type: string, account: string): ResourceJournal | undefined {
  if (!journal || !urn) return undefined;
  return {
    pending: () => journal.entriesFor(urn).filter((e) => e.account === account && e.type === type),
    record(key, id) {
      let entry = journal.record({ urn, type, account, key, ...(id !== undefined ? { id } : {}) });
      return {
        resolved: (madeId) => {
          if (entry.id !== madeId) entry = journal.resolve(entry, madeId);
        },
        discard: () => journal.remove(entry),
      };
    },
    discard: (entry) => journal.remove(entry),
  };
}

export function makeContext(client: PlivoClient, type: string, invocation: Invocation = {}): ResourceContext {
  const name = invocation.name ?? nameFromUrn(invocation.urn) ?? "(unnamed)";
  const label = `${type} "${name}"`;
  const log = invocation.log ?? stderrLog(label);
  const signal = invocation.signal;
  const checkNotStopping = (what: string) => {
    if (!signal?.aborted) return;
    const reason = signal.reason as { reason?: string } | undefined;
    throw new ProviderStoppingError(what, reason?.reason ?? String(signal.reason));
  };
  return {
    // Writes are noted so that batched reads never answer from a page older than this process's last change.
    client: trackWrites(client),
    type,
    name,
    urn: invocation.urn,
    signal,
    customTimeoutSeconds: invocation.customTimeoutSeconds,
    journal: resourceJournal(invocation.journal, invocation.urn, type, client.authId),
    checkNotStopping,
    op: (action) => ({ resource: type, name, action }),
    progress: (message) => log.progress(message),
    warn: (message) => log.warn(message),
    async createOnce(post, findExisting, options = {}) {
      const attempts = options.attempts ?? 5;
      const recheckMs = options.recheckMs ?? 30_000;
      const sleep = options.sleep ?? realSleep;
      for (let attempt = 1; ; attempt++) {
        let failure: unknown;
        try {
          return await post();
        } catch (err) {
          if (!isAmbiguousError(err)) throw err;
          failure = err;
        }
        // The server may still be working on a request that timed out: look for its result for a while before
        // concluding that nothing was created. After a reset or a 5xx reply a short second look suffices.
        const deadline = Date.now() + (failure instanceof PlivoTimeoutError ? recheckMs : Math.min(recheckMs, 2_000));
        for (let look = 0; ; look++) {
          const found = await findExisting();
          if (found !== undefined) {
            log.progress("the create request failed ambiguously; adopted the object it created");
            return found;
          }
          const left = deadline - Date.now();
          if (left <= 0) break;
          await sleep(Math.min(left, 500 * 2 ** look));
        }
        if (attempt >= attempts) throw failure;
        // The engine is gone or the run was cancelled: leave the rest to the next run (the journal remembers it).
        checkNotStopping(`sending the create again`);
        log.progress(`the create request failed ambiguously and created nothing; sending it again (attempt ${attempt + 1} of ${attempts})`);
      }
    },
  };
}
