/**
 * The per-emulator context handed to every resource module: the store, the
 * account identity, the clock, the ledger and a small hook bus that lets
 * resources cooperate without importing each other in both directions.
 */
import type { State, Store, LedgerEntry } from "./store";

/**
 * Events emitted between resource modules. Later modules may add events by
 * augmenting this interface:
 *
 *   declare module "../context" { interface EmulatorEvents { "brand.deleted": { brand_id: string } } }
 */
export interface EmulatorEvents {
  /** A number left the account (unrent). Listeners drop every reference to it. */
  "number.released": { number: string };
  /** An application was deleted. */
  "application.deleted": { app_id: string };
  /** A Powerpack was deleted; `unrent_numbers` asks for its pool numbers to be unrented. */
  "powerpack.deleted": { uuid: string; number_pool_uuid: string; unrent_numbers: boolean };
  /** State was reset to a fresh seeded state. */
  "state.reset": Record<string, never>;
}

/**
 * Guards veto a deletion: they return an error message (→ 400) when the
 * object is still referenced. Known kinds: "profile", "application", "number".
 * Later resources register e.g. `ctx.hooks.guard("profile", …)` for brands.
 */
export type Guard = (state: State, id: string) => string | undefined;

export class Hooks {
  private guards = new Map<string, Guard[]>();
  private listeners = new Map<string, Array<(payload: never) => void>>();

  guard(kind: string, fn: Guard): void {
    const list = this.guards.get(kind) ?? [];
    list.push(fn);
    this.guards.set(kind, list);
  }

  /** First veto message, if any. */
  check(kind: string, state: State, id: string): string | undefined {
    for (const g of this.guards.get(kind) ?? []) {
      const msg = g(state, id);
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

export interface LedgerInput {
  action: string;
  number?: string;
  resource?: string;
  id?: string;
  [extra: string]: unknown;
}

export interface Ctx {
  readonly store: Store;
  readonly authId: string;
  readonly authToken: string;
  readonly hooks: Hooks;
  /** Current state (re-read on every access: reset replaces the object). */
  readonly state: State;
  /** Wall clock + the adjustable offset (POST /__emulator/clock). */
  now(): Date;
  /** `/v1/Account/{authId}/` + suffix */
  uri(suffix: string): string;
  /** Append to the ledger (`seq` and `at` are filled in). */
  record(entry: LedgerInput): LedgerEntry;
}

export function createCtx(store: Store, authId: string, authToken: string): Ctx {
  const hooks = new Hooks();
  const ctx: Ctx = {
    store,
    authId,
    authToken,
    hooks,
    get state() {
      return store.state;
    },
    now() {
      return new Date(Date.now() + (store.state.clock_offset_ms || 0));
    },
    uri(suffix: string) {
      return `/v1/Account/${authId}/${suffix}`;
    },
    record(entry) {
      const s = store.state;
      s.ledger_seq = (s.ledger_seq || 0) + 1;
      const full: LedgerEntry = { seq: s.ledger_seq, at: ctx.now().toISOString(), ...entry };
      full.seq = s.ledger_seq;
      s.ledger.push(full);
      return full;
    },
  };
  return ctx;
}
