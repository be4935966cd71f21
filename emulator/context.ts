/**
 * The per-emulator context handed to every resource module: the store, the account identity, the clock, the
 * ledger, the transition engine, the callback sender, the backends (each resource's domain operations) and a small
 * hook bus (events and deletion guards) through which backends cooperate without importing each other both ways.
 */
import type { CallbackSender } from "./callbacks/sender";
import type { TransitionEngine } from "./engine/engine";
import type { Store } from "./store/store";
import type { Table } from "./store/table";

/** One entry of the ledger: every purchase, unrent, create/update/delete, submission, … in order. */
export interface LedgerEntry {
  seq: number;
  at: string;
  action: string;
  number?: string;
  resource?: string;
  id?: string;
  [extra: string]: unknown;
}

export interface LedgerInput {
  action: string;
  number?: string;
  resource?: string;
  id?: string;
  [extra: string]: unknown;
}

/** The whole state as one JSON object (`GET /__emulator/state`): a section per table, plus the scalars. */
export interface State {
  [section: string]: any;
}

/**
 * Events between backends. Backends add events by augmenting this interface:
 *   declare module "../../context" { interface EmulatorEvents { "campaign.expired": { campaign_id: string } } }
 */
export interface EmulatorEvents {
  /** A number was bought into the account (billing charges its setup fee and first month). */
  "number.bought": { number: string };
  /** A number left the account (unrent). Listeners drop every reference to it. */
  "number.released": { number: string };
  /** The transition engine took a submission (a registration, a resubmission, a message): billing charges its fees. */
  "registration.submitted": { kind: string; id: string };
  /**
   * An application was deleted. Its SIP endpoints are deleted too (`cascade`), or move to `new_endpoint_application`
   * (or to no application).
   */
  "application.deleted": { app_id: string; cascade: boolean; new_endpoint_application?: string };
  /** A Powerpack was deleted; `unrent_numbers` asks for its pool numbers to be unrented. */
  "powerpack.deleted": { uuid: string; number_pool_uuid: string; unrent_numbers: boolean };
  /** The state was reset to a fresh seeded one. */
  "state.reset": Record<string, never>;
}

/** The backends of this emulator, by name; each backend module adds itself by augmentation. */
// biome-ignore lint/suspicious/noEmptyInterface: backend modules add their members by declaration merging (a type alias cannot be augmented)
export interface Backends {}

/**
 * Guards veto a deletion: they return an error message (→ 400) while the object is still referenced. Kinds:
 * "profile", "application", "number".
 */
export type Guard = (ctx: Ctx, id: string) => string | undefined;

export class Hooks {
  private guards = new Map<string, Guard[]>();
  private listeners = new Map<string, Array<(payload: never) => void>>();

  guard(kind: string, fn: Guard): void {
    const list = this.guards.get(kind) ?? [];
    list.push(fn);
    this.guards.set(kind, list);
  }

  /** First veto message, if any. */
  check(kind: string, ctx: Ctx, id: string): string | undefined {
    for (const g of this.guards.get(kind) ?? []) {
      const msg = g(ctx, id);
      if (msg) return msg;
    }
    return undefined;
  }

  on<K extends keyof EmulatorEvents>(event: K, fn: (payload: EmulatorEvents[K]) => void): void {
    const list = this.listeners.get(event as string) ?? [];
    list.push(fn as (payload: never) => void);
    this.listeners.set(event as string, list);
  }

  emit<K extends keyof EmulatorEvents>(event: K, payload: EmulatorEvents[K]): void {
    for (const fn of this.listeners.get(event as string) ?? []) (fn as (p: EmulatorEvents[K]) => void)(payload);
  }
}

export interface Ctx {
  readonly store: Store;
  readonly authId: string;
  readonly authToken: string;
  readonly seed: number;
  readonly hooks: Hooks;
  readonly engine: TransitionEngine;
  readonly callbacks: CallbackSender;
  readonly backends: Backends;
  /** The whole state, rendered now (read-only; tests and the control surface). */
  readonly state: State;
  /** Wall clock + the adjustable offset (POST /__emulator/clock). */
  now(): Date;
  /** `/v1/Account/{authId}/` + suffix */
  uri(suffix: string): string;
  /** Append to the ledger (`seq` and `at` are filled in). */
  record(entry: LedgerInput): LedgerEntry;
  readonly ledger: Table<LedgerEntry>;
}
