/**
 * One state manager for every asynchronous object of the emulator (moto-style):
 *
 *   brand     PROCESSING → COMPLETED | FAILED (declined_reasons)
 *   campaign  PROCESSING → ACTIVE | FAILED (error_code/…); EXPIRED after deactivation
 *   link      PROCESSING → COMPLETED | FAILED
 *   unlink    PROCESSING → gone (failure: back to COMPLETED)
 *   tfv       SUBMITTED → PROCESSING → APPROVED | REJECTED | UPDATE_REQUIRED
 *             (UPDATE_REQUIRED → REJECTED after six days on the emulator clock)
 *
 * A policy per resource type (the default) and per object id decides when a
 * pending object reaches its outcome:
 *
 *   {mode:"immediate"}                 at submission
 *   {mode:"reads", count:N}            reads 1..N show the pending status, read N+1 the outcome
 *   {mode:"seconds", seconds:T}        T seconds (emulator clock, honours POST /__emulator/clock)
 *   {mode:"manual"}                    only POST /__emulator/resolve
 *   + outcome: "success" | "failure" | "update_required" (tfv only), reason: text of the failure
 *
 * The default for every type is `{mode:"reads", count:1, outcome:"success"}`.
 * The policy in force is looked up whenever the object is evaluated (so it can
 * be changed while an object is pending). Reads (GET of the object, or a list
 * that contains it) are counted per object; "seconds" deadlines are evaluated
 * on every API/control request and by a 500 ms timer. Policies, counters and
 * pending objects live in `state.transitions` and survive restarts.
 *
 * Control surface (module `control` hook, prefix /__emulator):
 *   GET    /transitions    {defaults, overrides, pending}
 *   POST   /transitions    {resource, id?, mode, count?, seconds?, outcome?, reason?} (or a list)
 *   DELETE /transitions    back to the defaults (optional ?resource=&id= drops one override)
 *   POST   /resolve        {resource, id, outcome: success|failure|update_required|expire|processing, reason?}
 *   GET    /callbacks      {callbacks} · DELETE /callbacks
 *
 * CLI / options: `--transition TYPE=MODE[:N][:OUTCOME]` → `parseTransitionFlag`,
 * `EmulatorOptions.transitions` → `applyTransitionOptions(ctx, list)`.
 */
import type { FastifyInstance } from "fastify";
import type { Ctx } from "./context";
import type { State } from "./store";
import { initCallbackState } from "./callbacks";
import { ApiError, badRequest, notFound, type Raw } from "./http";
import { defineResource } from "./resources/registry";

export const ASYNC_KINDS = ["brand", "campaign", "link", "unlink", "tfv"] as const;
export type AsyncKind = (typeof ASYNC_KINDS)[number];
export const TRANSITION_MODES = ["immediate", "reads", "seconds", "manual"] as const;
export type TransitionMode = (typeof TRANSITION_MODES)[number];
export const OUTCOMES = ["success", "failure", "update_required"] as const;
export type Outcome = (typeof OUTCOMES)[number];
/** what POST /__emulator/resolve accepts */
export const RESOLVE_OUTCOMES = ["success", "failure", "update_required", "expire", "processing"] as const;
export type ResolveOutcome = (typeof RESOLVE_OUTCOMES)[number];

export interface TransitionPolicy {
  mode: TransitionMode;
  /** "reads": number of reads that still show the pending status (default 1) */
  count?: number;
  /** "seconds": delay from the submission (default 30) */
  seconds?: number;
  /** default "success"; "update_required" only for tfv */
  outcome?: Outcome;
  /** failure / update-required text (brand declined reason, campaign error description, tfv error_message) */
  reason?: string;
}

export interface TransitionSetting extends TransitionPolicy {
  resource: AsyncKind;
  id?: string;
}

export interface PendingTrack {
  resource: AsyncKind;
  id: string;
  /** reads counted while pending */
  reads: number;
  /** submission time (emulator clock, ISO) */
  since: string;
  /** forced into the later pending phase (tfv PROCESSING) by /resolve outcome "processing" */
  late?: boolean;
}

export interface TransitionsState {
  defaults: Partial<Record<AsyncKind, TransitionPolicy>>;
  /** `${kind}:${id}` → policy */
  overrides: Record<string, TransitionPolicy>;
  /** `${kind}:${id}` → pending object */
  pending: Record<string, PendingTrack>;
}

declare module "./store" {
  interface State {
    transitions: TransitionsState;
  }
}

declare module "./server" {
  interface EmulatorOptions {
    /**
     * Initial transition policies (type defaults or per id), e.g.
     * `["brand=reads:2", "campaign=manual", {resource:"tfv", mode:"seconds", seconds:30, outcome:"failure"}]`.
     * They override the policies stored in a data file and are re-applied after POST /__emulator/reset.
     */
    transitions?: Array<string | TransitionSetting>;
  }
}

export const DEFAULT_POLICY: Readonly<TransitionPolicy> = Object.freeze({ mode: "reads", count: 1, outcome: "success" });
export const DEFAULT_SECONDS = 30;
/** UPDATE_REQUIRED turns REJECTED when not updated within six days */
export const UPDATE_REQUIRED_TIMEOUT_MS = 6 * 86400_000;

// ---------------------------------------------------------------------------
// handlers (one per kind, registered by the resource modules)

export interface AsyncHandler {
  kind: AsyncKind;
  /** current status word of the object, undefined when it does not exist */
  status(ctx: Ctx, id: string): string | undefined;
  /**
   * Apply an outcome. `via` is "policy" when the transition policy fired, "control" for /resolve
   * (then the handler throws a 400 ApiError when the outcome does not apply to the current status).
   * Returns the new status word.
   */
  resolve(ctx: Ctx, id: string, outcome: Exclude<ResolveOutcome, "processing">, reason: string | undefined, via: "policy" | "control"): string;
  /** time-based rules besides the policy (tfv UPDATE_REQUIRED timeout); true when something changed */
  sweep?(ctx: Ctx): boolean;
}

const handlers = new Map<AsyncKind, AsyncHandler>();

export function registerAsyncHandler(h: AsyncHandler): void {
  handlers.set(h.kind, h);
}

function handler(kind: AsyncKind): AsyncHandler {
  const h = handlers.get(kind);
  if (!h) throw new ApiError(400, `resource ${kind} is not served by this emulator`);
  return h;
}

// ---------------------------------------------------------------------------
// state

export function initTransitionsState(state: State): void {
  const t = (state.transitions ??= { defaults: {}, overrides: {}, pending: {} });
  t.defaults ??= {};
  t.overrides ??= {};
  t.pending ??= {};
  initCallbackState(state);
}

const keyOf = (kind: AsyncKind, id: string): string => `${kind}:${id}`;

function tstate(ctx: Ctx): TransitionsState {
  initTransitionsState(ctx.state);
  return ctx.state.transitions;
}

/** Reads on GET requests mutate the state: handlers call `persistIfDirty` before replying. */
const dirty = new WeakSet<Ctx>();

export function markDirty(ctx: Ctx): void {
  dirty.add(ctx);
}

/** Commit the state when a read changed it (GET requests are not committed by the server). */
export async function persistIfDirty(ctx: Ctx): Promise<void> {
  if (!dirty.has(ctx)) {
    // a timer tick may have taken the flag: still answer only once its write is durable
    await ctx.store.flush();
    return;
  }
  dirty.delete(ctx);
  await ctx.store.commit();
}

export function defaultPolicy(ctx: Ctx, kind: AsyncKind): TransitionPolicy {
  return { ...(tstate(ctx).defaults[kind] ?? DEFAULT_POLICY) };
}

export function policyFor(ctx: Ctx, kind: AsyncKind, id: string): TransitionPolicy {
  return tstate(ctx).overrides[keyOf(kind, id)] ?? defaultPolicy(ctx, kind);
}

export function pendingTrack(ctx: Ctx, kind: AsyncKind, id: string): PendingTrack | undefined {
  return tstate(ctx).pending[keyOf(kind, id)];
}

export function isPending(ctx: Ctx, kind: AsyncKind, id: string): boolean {
  return pendingTrack(ctx, kind, id) !== undefined;
}

// ---------------------------------------------------------------------------
// lifecycle

/**
 * Start (or restart) the pending phase of an object and record it in the ledger:
 * `{action:"submit", resource, id}` (`{action:"unlink", resource:"link", id}` for unlinks).
 * With an "immediate" policy the outcome is applied before this returns.
 */
export function submit(ctx: Ctx, kind: AsyncKind, id: string, extra: Record<string, unknown> = {}): void {
  const t = tstate(ctx);
  t.pending[keyOf(kind, id)] = { resource: kind, id, reads: 0, since: ctx.now().toISOString() };
  if (kind === "unlink") ctx.record({ action: "unlink", resource: "link", id, ...extra });
  else ctx.record({ action: "submit", resource: kind, id, ...extra });
  markDirty(ctx);
  evaluate(ctx, kind, id);
}

/** Forget a pending object (deleted, deactivated, superseded). */
export function cancel(ctx: Ctx, kind: AsyncKind, id: string): void {
  const t = tstate(ctx);
  const k = keyOf(kind, id);
  if (t.pending[k]) {
    delete t.pending[k];
    markDirty(ctx);
  }
}

/** Count one read of the object and apply its outcome when the policy says so. */
export function countRead(ctx: Ctx, kind: AsyncKind, id: string): void {
  const track = pendingTrack(ctx, kind, id);
  if (!track) return;
  track.reads += 1;
  markDirty(ctx);
  evaluate(ctx, kind, id);
}

/** Apply the outcome when the policy's condition holds; true when it did. */
export function evaluate(ctx: Ctx, kind: AsyncKind, id: string): boolean {
  const track = pendingTrack(ctx, kind, id);
  if (!track) return false;
  const policy = policyFor(ctx, kind, id);
  let due = false;
  switch (policy.mode) {
    case "immediate":
      due = true;
      break;
    case "reads":
      due = track.reads > (policy.count ?? 1);
      break;
    case "seconds":
      due = ctx.now().getTime() >= Date.parse(track.since) + (policy.seconds ?? DEFAULT_SECONDS) * 1000;
      break;
    case "manual":
      due = false;
      break;
  }
  if (!due) return false;
  settle(ctx, kind, id, policy.outcome ?? "success", policy.reason);
  return true;
}

function settle(ctx: Ctx, kind: AsyncKind, id: string, outcome: Exclude<ResolveOutcome, "processing">, reason: string | undefined): string {
  delete tstate(ctx).pending[keyOf(kind, id)];
  markDirty(ctx);
  return handler(kind).resolve(ctx, id, outcome, reason, "policy");
}

/**
 * "early" / "late" part of the pending phase (tfv: SUBMITTED / PROCESSING):
 * reads mode: the first read is early, later pending reads are late;
 * seconds mode: the first half of the delay is early; manual/immediate: early
 * unless /resolve forced "processing".
 */
export function pendingPhase(ctx: Ctx, kind: AsyncKind, id: string): "early" | "late" | undefined {
  const track = pendingTrack(ctx, kind, id);
  if (!track) return undefined;
  if (track.late) return "late";
  const policy = policyFor(ctx, kind, id);
  if (policy.mode === "reads") return track.reads <= 1 ? "early" : "late";
  if (policy.mode === "seconds") {
    const elapsed = ctx.now().getTime() - Date.parse(track.since);
    return elapsed * 2 < (policy.seconds ?? DEFAULT_SECONDS) * 1000 ? "early" : "late";
  }
  return "early";
}

/** Evaluate every time-based rule: "seconds"/"immediate" policies and the handlers' own sweeps. */
export function sweep(ctx: Ctx): boolean {
  const t = tstate(ctx);
  let changed = false;
  for (const track of Object.values(t.pending)) {
    const mode = policyFor(ctx, track.resource, track.id).mode;
    if ((mode === "seconds" || mode === "immediate") && evaluate(ctx, track.resource, track.id)) changed = true;
  }
  for (const h of handlers.values()) if (h.sweep?.(ctx)) changed = true;
  if (changed) markDirty(ctx);
  return changed;
}

/** POST /__emulator/resolve */
export function resolveManually(ctx: Ctx, kind: AsyncKind, id: string, outcome: ResolveOutcome, reason?: string): string {
  const h = handler(kind);
  const status = h.status(ctx, id);
  if (status === undefined) throw notFound(`${kind} ${id} not found`);
  if (outcome === "processing") {
    if (kind !== "tfv") throw badRequest(`outcome processing only applies to tfv`);
    const track = pendingTrack(ctx, kind, id);
    if (!track) throw badRequest(`tfv ${id} is not pending (status ${status})`);
    track.late = true;
    markDirty(ctx);
    return h.status(ctx, id) as string;
  }
  if (outcome === "update_required" && kind !== "tfv") throw badRequest("outcome update_required only applies to tfv");
  const track = pendingTrack(ctx, kind, id);
  const result = h.resolve(ctx, id, outcome, reason, "control");
  if (track) delete tstate(ctx).pending[keyOf(kind, id)];
  markDirty(ctx);
  return result;
}

// ---------------------------------------------------------------------------
// policies

function isKind(v: unknown): v is AsyncKind {
  return typeof v === "string" && (ASYNC_KINDS as readonly string[]).includes(v);
}

export function parseKind(v: unknown): AsyncKind {
  const s = typeof v === "string" ? v.trim().toLowerCase() : v;
  if (!isKind(s)) throw badRequest(`resource must be one of: ${ASYNC_KINDS.join(", ")}`);
  return s;
}

/** Validate a policy object (control body or options); throws a 400 ApiError. */
export function parsePolicy(kind: AsyncKind, raw: Raw): TransitionPolicy {
  const mode = typeof raw.mode === "string" ? raw.mode.trim().toLowerCase() : raw.mode;
  if (!(TRANSITION_MODES as readonly unknown[]).includes(mode)) throw badRequest(`mode must be one of: ${TRANSITION_MODES.join(", ")}`);
  const policy: TransitionPolicy = { mode: mode as TransitionMode };
  if (raw.count !== undefined && raw.count !== null) {
    const n = Number(raw.count);
    if (!Number.isInteger(n) || n < 0) throw badRequest("count must be a non-negative integer");
    if (policy.mode !== "reads") throw badRequest("count only applies to mode reads");
    policy.count = n;
  } else if (policy.mode === "reads") policy.count = 1;
  if (raw.seconds !== undefined && raw.seconds !== null) {
    const n = Number(raw.seconds);
    if (!Number.isFinite(n) || n < 0) throw badRequest("seconds must be a non-negative number");
    if (policy.mode !== "seconds") throw badRequest("seconds only applies to mode seconds");
    policy.seconds = n;
  } else if (policy.mode === "seconds") policy.seconds = DEFAULT_SECONDS;
  const outcome = raw.outcome === undefined || raw.outcome === null ? "success" : String(raw.outcome).trim().toLowerCase();
  if (!(OUTCOMES as readonly string[]).includes(outcome)) throw badRequest(`outcome must be one of: ${OUTCOMES.join(", ")}`);
  if (outcome === "update_required" && kind !== "tfv") throw badRequest("outcome update_required only applies to tfv");
  policy.outcome = outcome as Outcome;
  if (raw.reason !== undefined && raw.reason !== null) {
    if (typeof raw.reason !== "string") throw badRequest("reason must be a string");
    policy.reason = raw.reason;
  }
  return policy;
}

export function setPolicy(ctx: Ctx, kind: AsyncKind, id: string | undefined, policy: TransitionPolicy): void {
  const t = tstate(ctx);
  if (id === undefined) t.defaults[kind] = policy;
  else t.overrides[keyOf(kind, id)] = policy;
  markDirty(ctx);
}

export function resetPolicies(ctx: Ctx): void {
  const t = tstate(ctx);
  t.defaults = {};
  t.overrides = {};
  markDirty(ctx);
}

/**
 * Parse a CLI `--transition` value: `TYPE=MODE[:N][:OUTCOME]`, e.g. `brand=reads:2`,
 * `campaign=manual`, `tfv=seconds:30:failure`, `link=immediate:failure`. N is the read
 * count (reads) or the delay in seconds (seconds). Throws an Error on bad syntax.
 */
export function parseTransitionFlag(text: string): TransitionSetting {
  const m = /^\s*([A-Za-z]+)\s*=\s*(.+?)\s*$/.exec(text);
  if (!m) throw new Error(`invalid --transition "${text}": expected TYPE=MODE[:N][:OUTCOME]`);
  const parts = m[2].split(":").map((s) => s.trim());
  const raw: Raw = { mode: parts[0] };
  let i = 1;
  if (i < parts.length && /^\d+(\.\d+)?$/.test(parts[i])) {
    const mode = parts[0].toLowerCase();
    if (mode === "reads") raw.count = parts[i];
    else if (mode === "seconds") raw.seconds = parts[i];
    else throw new Error(`invalid --transition "${text}": a number only follows reads or seconds`);
    i++;
  }
  if (i < parts.length) raw.outcome = parts[i++];
  if (i < parts.length) throw new Error(`invalid --transition "${text}": expected TYPE=MODE[:N][:OUTCOME]`);
  try {
    const resource = parseKind(m[1]);
    return { resource, ...parsePolicy(resource, raw) };
  } catch (err) {
    throw new Error(`invalid --transition "${text}": ${(err as Error).message}`);
  }
}

function settingFrom(v: string | TransitionSetting): TransitionSetting {
  if (typeof v === "string") return parseTransitionFlag(v);
  const resource = parseKind(v.resource);
  return { resource, ...(v.id !== undefined ? { id: String(v.id) } : {}), ...parsePolicy(resource, v as unknown as Raw) };
}

const startupSettings = new WeakMap<Ctx, TransitionSetting[]>();

/**
 * Apply `EmulatorOptions.transitions` (CLI `--transition`). They win over the policies of a
 * loaded data file and are re-applied after POST /__emulator/reset. Throws on an invalid entry.
 */
export function applyTransitionOptions(ctx: Ctx, list: Array<string | TransitionSetting> | undefined): void {
  if (!list || list.length === 0) return;
  const settings = list.map(settingFrom);
  const first = !startupSettings.has(ctx);
  startupSettings.set(ctx, settings);
  const apply = (): void => {
    for (const s of startupSettings.get(ctx) ?? []) {
      const { resource, id, ...policy } = s;
      setPolicy(ctx, resource, id, policy);
    }
  };
  apply();
  if (first) ctx.hooks.on("state.reset", apply);
}

// ---------------------------------------------------------------------------
// control surface

function view(ctx: Ctx): Record<string, unknown> {
  const t = tstate(ctx);
  const defaults: Record<string, TransitionPolicy> = {};
  for (const k of ASYNC_KINDS) defaults[k] = defaultPolicy(ctx, k);
  const pending = Object.values(t.pending).map((p) => ({
    ...p,
    status: handlers.get(p.resource)?.status(ctx, p.id),
    policy: policyFor(ctx, p.resource, p.id),
  }));
  return { defaults, overrides: t.overrides, pending };
}

function registerControl(app: FastifyInstance, ctx: Ctx): void {
  // time-based transitions also happen on control requests (e.g. after POST /clock, GET /state)
  app.addHook("onRequest", async () => {
    if (sweep(ctx)) await persistIfDirty(ctx);
  });

  app.get("/transitions", async () => view(ctx));

  app.post("/transitions", async (req) => {
    const body = req.body as unknown;
    const list = Array.isArray(body) ? body : [body];
    const out = list.map((raw) => {
      if (!raw || typeof raw !== "object") throw badRequest("send {resource, id?, mode, count?, seconds?, outcome?, reason?}");
      const r = raw as Raw;
      const resource = parseKind(r.resource);
      const id = r.id === undefined || r.id === null || r.id === "" ? undefined : String(r.id);
      const policy = parsePolicy(resource, r);
      setPolicy(ctx, resource, id, policy);
      return { resource, ...(id !== undefined ? { id } : {}), policy };
    });
    // a new "immediate"/"seconds" policy may already apply to pending objects
    sweep(ctx);
    return Array.isArray(body) ? { transitions: out } : out[0];
  });

  app.delete("/transitions", async (req) => {
    const q = { ...((req.query as Raw) ?? {}), ...((req.body && typeof req.body === "object" ? req.body : {}) as Raw) };
    if (q.resource !== undefined) {
      const resource = parseKind(q.resource);
      const t = tstate(ctx);
      if (q.id !== undefined && q.id !== "") delete t.overrides[keyOf(resource, String(q.id))];
      else {
        delete t.defaults[resource];
        for (const k of Object.keys(t.overrides)) if (k.startsWith(`${resource}:`)) delete t.overrides[k];
      }
      markDirty(ctx);
    } else {
      resetPolicies(ctx);
    }
    return view(ctx);
  });

  app.post("/resolve", async (req) => {
    const b = (req.body ?? {}) as Raw;
    if (typeof b !== "object" || Array.isArray(b)) throw badRequest("send {resource, id, outcome, reason?}");
    const resource = parseKind(b.resource);
    if (b.id === undefined || b.id === null || b.id === "") throw badRequest("id parameter is missing");
    const outcome = typeof b.outcome === "string" ? b.outcome.trim().toLowerCase() : b.outcome;
    if (!(RESOLVE_OUTCOMES as readonly unknown[]).includes(outcome)) {
      throw badRequest(`outcome must be one of: ${RESOLVE_OUTCOMES.join(", ")}`);
    }
    if (b.reason !== undefined && b.reason !== null && typeof b.reason !== "string") throw badRequest("reason must be a string");
    const id = String(b.id);
    const status = resolveManually(ctx, resource, id, outcome as ResolveOutcome, (b.reason as string | undefined) ?? undefined);
    return { resource, id, status };
  });

  app.get("/callbacks", async () => ({ callbacks: ctx.state.callbacks ?? [] }));
  app.delete("/callbacks", async () => {
    ctx.state.callbacks = [];
    return { ok: true };
  });
}

/**
 * The resource module carrying the shared pieces: state sections, the sweep on
 * every API request, the 500 ms timer and the control routes. Register it
 * before the asynchronous resource modules.
 */
export default defineResource({
  name: "transitions",
  initState(state) {
    initTransitionsState(state);
  },
  routes(api, ctx) {
    api.addHook("onRequest", async () => {
      if (sweep(ctx)) await persistIfDirty(ctx);
    });
    const timer = setInterval(() => {
      try {
        if (sweep(ctx)) void persistIfDirty(ctx).catch(() => undefined);
      } catch {
        // never let a timer tick crash the process
      }
    }, 500);
    timer.unref();
    api.addHook("onClose", async () => {
      clearInterval(timer);
    });
  },
  control: registerControl,
});
