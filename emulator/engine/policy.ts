/**
 * Transition policies: when a pending object reaches its outcome.
 *
 *   {mode:"immediate"}             at submission
 *   {mode:"reads", count:N}        reads 1..N show the pending status, read N+1 the outcome (default N = 1)
 *   {mode:"seconds", seconds:T}    T seconds after submission on the emulator clock (default 30)
 *   {mode:"manual"}                only POST /__emulator/resolve
 *   + outcome (one of the lifecycle's outcomes, default "success") and reason (the failure text)
 */
import { badRequest, type Raw } from "../http";
import type { LifecycleSpec } from "./lifecycle";

export const TRANSITION_MODES = ["immediate", "reads", "seconds", "manual"] as const;
export type TransitionMode = (typeof TRANSITION_MODES)[number];

export interface TransitionPolicy {
  mode: TransitionMode;
  count?: number;
  seconds?: number;
  outcome?: string;
  reason?: string;
}

export interface TransitionSetting extends TransitionPolicy {
  resource: string;
  id?: string;
}

export const DEFAULT_POLICY: Readonly<TransitionPolicy> = Object.freeze({ mode: "reads", count: 1, outcome: "success" });
export const DEFAULT_SECONDS = 30;

/** The lifecycle named by `v`, from those registered; a 400 naming them otherwise. */
export function parseKind(v: unknown, specs: ReadonlyMap<string, LifecycleSpec>): LifecycleSpec {
  const s = typeof v === "string" ? v.trim().toLowerCase() : "";
  const spec = specs.get(s);
  if (!spec) throw badRequest(`resource must be one of: ${[...specs.keys()].join(", ")}`);
  return spec;
}

/** Validate a policy (control body, option or flag) against the lifecycle it is for; throws a 400 ApiError. */
export function parsePolicy(spec: LifecycleSpec, raw: Raw): TransitionPolicy {
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
  const allowed = Object.keys(spec.outcomes);
  if (!allowed.includes(outcome)) throw badRequest(`outcome must be one of: ${allowed.join(", ")} (for ${spec.kind})`);
  policy.outcome = outcome;
  if (raw.reason !== undefined && raw.reason !== null) {
    if (typeof raw.reason !== "string") throw badRequest("reason must be a string");
    policy.reason = raw.reason;
  }
  return policy;
}
