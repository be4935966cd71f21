/**
 * The transition engine: one per emulator instance, generic over every lifecycle registered with it (no list of
 * kinds, no per-kind code). It keeps, in store tables (so they survive restarts):
 *   - policies: the default per kind and overrides per object (`kind` / `kind:id`);
 *   - pending objects: submitted, waiting for their outcome, with a read counter and the submission time;
 *   - held objects: in a status with a timeout (e.g. UPDATE_REQUIRED → REJECTED after six days).
 *
 * Backends call `submit` when they start a pending phase, `read` when an API read shows the object, `cancel` when
 * it is deleted; `sweep` (every API/control request and a 500 ms timer) applies time-based outcomes. The outcome is
 * applied through the backend's own `apply` operation.
 */
import type { Ctx } from "../context";
import { ApiError, badRequest, notFound } from "../http";
import type { Table } from "../store/table";
import type { LifecycleHandler, LifecycleSpec, Via } from "./lifecycle";
import { DEFAULT_POLICY, DEFAULT_SECONDS, parseKind, parsePolicy, type TransitionPolicy, type TransitionSetting } from "./policy";

interface PolicyRow extends TransitionPolicy {
  key: string;
}

export interface PendingTrack {
  resource: string;
  id: string;
  /** reads counted while pending */
  reads: number;
  /** submission time (emulator clock, ISO) */
  since: string;
  /** forced into the last pending phase by /resolve outcome "processing" */
  late?: boolean;
  /** the pending phase last reported to the backend's `phase` (0 = the first word) */
  shown?: number;
}

/** One status an object took, and how (`submit`, `phase`, `policy`, `control`, `timeout`). */
export interface HistoryRow {
  seq: number;
  at: string;
  resource: string;
  id: string;
  status: string;
  via: string;
}

/** The history kept for the state page: the newest entries, all kinds together. */
export const HISTORY_MAX = 5000;

interface HeldRow {
  resource: string;
  id: string;
  status: string;
  since: string;
}

const keyOf = (kind: string, id: string): string => `${kind}:${id}`;

export class TransitionEngine {
  private readonly specs = new Map<string, LifecycleSpec>();
  private readonly handlers = new Map<string, LifecycleHandler>();
  private readonly policies: Table<PolicyRow>;
  private readonly pending: Table<PendingTrack>;
  private readonly held: Table<HeldRow>;
  private readonly historyLog: Table<HistoryRow>;
  private startup: TransitionSetting[] = [];

  constructor(private readonly ctx: Ctx) {
    this.policies = ctx.store.table<PolicyRow>("transition_policies", (r) => r.key);
    this.pending = ctx.store.table<PendingTrack>("transition_pending", (r) => keyOf(r.resource, r.id));
    this.held = ctx.store.table<HeldRow>("transition_held", (r) => keyOf(r.resource, r.id));
    this.historyLog = ctx.store.table<HistoryRow>("transition_history", (r) => String(r.seq));
  }

  /** The statuses an object took, oldest first (what is left of the last HISTORY_MAX entries). */
  history(kind: string, id: string): HistoryRow[] {
    return this.historyLog.filter((r) => r.resource === kind && r.id === id);
  }

  private remember(kind: string, id: string, status: string | undefined, via: string): void {
    if (status === undefined || this.specs.get(kind)?.history === false) return;
    const seq = (this.ctx.store.getMeta<number>("transition_history_seq") ?? 0) + 1;
    this.ctx.store.setMeta("transition_history_seq", seq);
    this.historyLog.insert({ seq, at: this.ctx.now().toISOString(), resource: kind, id, status, via });
    if (this.historyLog.size > HISTORY_MAX) this.historyLog.delete(String(this.historyLog.values().next().value!.seq));
  }

  /** Register a lifecycle and the backend that implements it. */
  register(spec: LifecycleSpec, handler: LifecycleHandler): void {
    if (spec.defaultPolicy) parsePolicy(spec, { ...spec.defaultPolicy }); // a bad declaration fails at start-up
    this.specs.set(spec.kind, spec);
    this.handlers.set(spec.kind, handler);
  }

  get lifecycles(): ReadonlyMap<string, LifecycleSpec> {
    return this.specs;
  }

  spec(kind: string): LifecycleSpec {
    return parseKind(kind, this.specs);
  }

  private handler(kind: string): LifecycleHandler {
    const h = this.handlers.get(kind);
    if (!h) throw new ApiError(400, `resource ${kind} is not served by this emulator`);
    return h;
  }

  // ---------------------------------------------------------------------------------------------------------
  // policies

  defaultPolicy(kind: string): TransitionPolicy {
    const row = this.policies.get(kind);
    return row ? stripKey(row) : { ...(this.specs.get(kind)?.defaultPolicy ?? DEFAULT_POLICY) };
  }

  policyFor(kind: string, id: string): TransitionPolicy {
    const row = this.policies.get(keyOf(kind, id));
    return row ? stripKey(row) : this.defaultPolicy(kind);
  }

  setPolicy(kind: string, id: string | undefined, policy: TransitionPolicy): void {
    this.spec(kind);
    this.policies.put({ key: id === undefined ? kind : keyOf(kind, id), ...policy });
  }

  /** Back to the defaults: everything, one kind (default and overrides), or one override. */
  resetPolicies(kind?: string, id?: string): void {
    if (kind === undefined) this.policies.clear();
    else if (id !== undefined) this.policies.delete(keyOf(kind, id));
    else {
      this.policies.delete(kind);
      this.policies.deleteWhere((r) => r.key.startsWith(`${kind}:`));
    }
  }

  /** Validate settings (options, flags) against the registered lifecycles; throws on the first bad one. */
  validate(settings: TransitionSetting[]): TransitionSetting[] {
    return settings.map((s) => {
      const spec = this.spec(s.resource);
      const { resource: _r, id, ...raw } = s;
      return { resource: spec.kind, ...(id !== undefined ? { id } : {}), ...parsePolicy(spec, raw as never) };
    });
  }

  /** Policies given at start (`--transition`): applied now and again after every reset. */
  setStartupSettings(settings: TransitionSetting[]): void {
    this.startup = this.validate(settings);
    this.applyStartupSettings();
  }

  applyStartupSettings(): void {
    for (const { resource, id, ...policy } of this.startup) this.setPolicy(resource, id, policy);
  }

  // ---------------------------------------------------------------------------------------------------------
  // lifecycle of pending objects

  /**
   * Start (or restart) the pending phase of an object and record the submission in the ledger. With an
   * "immediate" policy the outcome is applied before this returns.
   */
  submit(kind: string, id: string, extra: Record<string, unknown> = {}): void {
    const spec = this.spec(kind);
    this.held.delete(keyOf(kind, id));
    this.pending.put({ resource: kind, id, reads: 0, since: this.ctx.now().toISOString() });
    this.ctx.record({ action: spec.ledger?.action ?? "submit", resource: spec.ledger?.resource ?? kind, id, ...extra });
    this.ctx.hooks.emit("registration.submitted", { kind, id });
    this.remember(kind, id, this.handlers.get(kind)?.status(id), "submit");
    this.evaluate(kind, id);
  }

  /** Forget an object (deleted, deactivated, superseded). */
  cancel(kind: string, id: string): void {
    this.pending.delete(keyOf(kind, id));
    this.held.delete(keyOf(kind, id));
  }

  isPending(kind: string, id: string): boolean {
    return this.pending.has(keyOf(kind, id));
  }

  /** Count one read of the object (a GET of it, or of a list that shows it) and apply its outcome when due. */
  read(kind: string, id: string): void {
    const track = this.pending.edit(keyOf(kind, id));
    if (!track) return;
    track.reads += 1;
    if (!this.evaluate(kind, id)) this.advancePhase(kind, id);
  }

  /**
   * The status to show for a pending object whose lifecycle has several pending words: the first on the first read
   * (or the first half of a "seconds" delay), the last afterwards or once forced by /resolve "processing".
   */
  shownStatus(kind: string, id: string, stored: string): string {
    const spec = this.specs.get(kind);
    const track = this.pending.get(keyOf(kind, id));
    if (!spec || !track || spec.pending.length < 2 || !spec.pending.includes(stored)) return stored;
    return spec.pending[this.phase(track)];
  }

  /** A pending object now shows a later pending word: remember it and tell the backend (when it listens). */
  private advancePhase(kind: string, id: string): boolean {
    const handler = this.handlers.get(kind);
    const spec = this.specs.get(kind);
    const track = this.pending.get(keyOf(kind, id));
    if (!handler || !spec || spec.pending.length < 2 || !track) return false;
    const p = this.phase(track);
    if (p <= (track.shown ?? 0)) return false;
    this.pending.edit(keyOf(kind, id))!.shown = p;
    handler.phase?.(id, spec.pending[p]);
    this.remember(kind, id, spec.pending[p], "phase");
    return true;
  }

  private phase(track: PendingTrack): number {
    const last = this.specs.get(track.resource)!.pending.length - 1;
    if (track.late) return last;
    const policy = this.policyFor(track.resource, track.id);
    if (policy.mode === "reads") return track.reads <= 1 ? 0 : last;
    if (policy.mode === "seconds") {
      const elapsed = this.ctx.now().getTime() - Date.parse(track.since);
      return elapsed * 2 < (policy.seconds ?? DEFAULT_SECONDS) * 1000 ? 0 : last;
    }
    return 0;
  }

  /** Apply the outcome when the policy's condition holds; true when it did. */
  private evaluate(kind: string, id: string): boolean {
    const track = this.pending.get(keyOf(kind, id));
    if (!track) return false;
    const policy = this.policyFor(kind, id);
    let due = false;
    switch (policy.mode) {
      case "immediate":
        due = true;
        break;
      case "reads":
        due = track.reads > (policy.count ?? 1);
        break;
      case "seconds":
        due = this.ctx.now().getTime() >= Date.parse(track.since) + (policy.seconds ?? DEFAULT_SECONDS) * 1000;
        break;
      case "manual":
        break;
    }
    if (!due) return false;
    this.pending.delete(keyOf(kind, id));
    this.settle(kind, id, policy.outcome ?? "success", policy.reason, "policy");
    return true;
  }

  private settle(kind: string, id: string, outcome: string, reason: string | undefined, via: Via): string {
    const status = this.handler(kind).apply(id, outcome, reason, via);
    this.remember(kind, id, status, via);
    const timeout = this.specs.get(kind)?.timeouts?.find((t) => t.status === status);
    if (timeout) this.held.put({ resource: kind, id, status, since: this.ctx.now().toISOString() });
    else this.held.delete(keyOf(kind, id));
    return status;
  }

  /** Apply every time-based rule that is due: "seconds"/"immediate" policies and status timeouts. */
  sweep(): boolean {
    let changed = false;
    if (this.pending.size) {
      for (const track of this.pending.all()) {
        const mode = this.policyFor(track.resource, track.id).mode;
        if ((mode === "seconds" || mode === "immediate") && this.evaluate(track.resource, track.id)) changed = true;
        else if (mode === "seconds" && this.advancePhase(track.resource, track.id)) changed = true;
      }
    }
    if (this.held.size) {
      const now = this.ctx.now().getTime();
      for (const h of this.held.all()) {
        const spec = this.specs.get(h.resource);
        const rule = spec?.timeouts?.find((t) => t.status === h.status);
        if (!rule) continue;
        if (this.handlers.get(h.resource)?.status(h.id) !== h.status) {
          this.held.delete(keyOf(h.resource, h.id));
          continue;
        }
        if (now - Date.parse(h.since) >= rule.afterMs) {
          this.held.delete(keyOf(h.resource, h.id));
          this.settle(h.resource, h.id, rule.outcome, undefined, "timeout");
          changed = true;
        }
      }
    }
    return changed;
  }

  /** POST /__emulator/resolve: an outcome by hand, or "processing" (into the last pending phase). */
  resolve(kind: string, givenId: string, outcome: string, reason?: string): string {
    const spec = this.spec(kind);
    const h = this.handler(kind);
    const id = h.canonicalId ? h.canonicalId(givenId) : givenId;
    const status = h.status(id);
    if (status === undefined) throw notFound(`${kind} ${id} not found`);
    const track = this.pending.get(keyOf(kind, id));
    if (outcome === "processing") {
      if (spec.pending.length < 2) throw badRequest(`outcome processing does not apply to ${kind} (one pending status)`);
      if (!track) throw badRequest(`${kind} ${id} is not pending (status ${status})`);
      this.pending.edit(keyOf(kind, id))!.late = true;
      this.advancePhase(kind, id);
      return this.shownStatus(kind, id, status);
    }
    if (!(outcome in spec.outcomes)) {
      throw badRequest(`outcome ${outcome} does not apply to ${kind} (use ${Object.keys(spec.outcomes).join(", ")})`);
    }
    const isPending = track !== undefined && spec.pending.includes(status);
    const fromOther = spec.resolvableFrom?.[outcome]?.includes(status) ?? false;
    if (!isPending && !fromOther) throw badRequest(`${kind} ${id} is not pending (status ${status}); no transition applies`);
    this.pending.delete(keyOf(kind, id));
    return this.settle(kind, id, outcome, reason, "control");
  }

  /** GET /__emulator/transitions */
  view(): Record<string, unknown> {
    const defaults: Record<string, TransitionPolicy> = {};
    for (const k of this.specs.keys()) defaults[k] = this.defaultPolicy(k);
    const overrides: Record<string, TransitionPolicy> = {};
    for (const r of this.policies.values()) if (r.key.includes(":")) overrides[r.key] = stripKey(r);
    const pending = this.pending.all().map((p) => ({
      ...p,
      status: this.handlers.get(p.resource)?.status(p.id),
      policy: this.policyFor(p.resource, p.id),
    }));
    const lifecycles = [...this.specs.values()].map(({ kind, statusField, pending: words, outcomes }) => ({ kind, statusField, pending: words, outcomes }));
    return { defaults, overrides, pending, lifecycles };
  }
}

function stripKey(row: PolicyRow): TransitionPolicy {
  const { key: _k, ...policy } = row;
  return { ...policy };
}
