/**
 * How an asynchronous model declares its lifecycle (moto's "managed state" idea): which field moves, which status
 * words mean "pending" (several = successive phases, e.g. SUBMITTED then PROCESSING), and which outcomes exist with
 * the status each one leads to. The backend that owns the records implements the two operations the engine needs.
 * The transition engine (engine.ts) knows nothing else about any resource.
 */
import type { TransitionPolicy } from "./policy";
export interface LifecycleSpec {
  /** the name used by policies, /resolve and the ledger (`brand`, `campaign`, …) */
  kind: string;
  /** the record field that carries the status (documentation and the pending view) */
  statusField: string;
  /** status words while pending; the first is shown first, the last in the late phase */
  pending: readonly string[];
  /** outcome → the status it leads to (what policies and /resolve may choose from) */
  outcomes: Readonly<Record<string, string>>;
  /** outcomes /resolve may also apply when the object is not pending, with the statuses they apply from */
  resolvableFrom?: Readonly<Record<string, readonly string[]>>;
  /** a status held longer than `afterMs` (emulator clock) takes `outcome`, e.g. UPDATE_REQUIRED → REJECTED */
  timeouts?: ReadonlyArray<{ status: string; afterMs: number; outcome: string }>;
  /** ledger action of a submission (default "submit"); the ledger resource (default `kind`) */
  ledger?: { action?: string; resource?: string };
  /** the kind's own default policy, when the engine's (`reads:1`) does not suit it (messages move on by time) */
  defaultPolicy?: Readonly<TransitionPolicy>;
  /** keep each object's status history (default true; messages carry their own times and would crowd it out) */
  history?: boolean;
}

export type Via = "policy" | "control" | "timeout";

/** What the owning backend implements. */
export interface LifecycleHandler {
  /** the current status word, undefined when the object does not exist */
  status(id: string): string | undefined;
  /** the canonical form of an id given by hand (/resolve), e.g. a link's `{campaign}/+1415…` → `{campaign}/1415…` */
  canonicalId?(id: string): string;
  /** apply an outcome (a key of `outcomes`) and return the new status; throw an ApiError when it cannot apply */
  apply(id: string, outcome: string, reason: string | undefined, via: Via): string;
  /** the object moved on to a later pending status word (e.g. queued → sent): a backend that reports each status
   * (callbacks) implements it */
  phase?(id: string, status: string): void;
}

export function defineLifecycle<S extends LifecycleSpec>(spec: S): S {
  return spec;
}
