/**
 * Asynchronous registrations, driven by the schema's `lifecycle`: what create and update wait for (`waitUntil`),
 * how long (`waitTimeoutSeconds`, or the engine's custom timeout when the user set one), which statuses end a wait
 * and with what advice, and the state gate that refuses an in-place edit Plivo would refuse (decided at preview).
 */
import type { Lifecycle } from "../../schema/resource";
import type { ResourceContext } from "./context";
import type { DiffResult } from "./diff";
import { ForbiddenChangeError } from "./errors";
import type { Props, ResourceHandler } from "./handler";
import { readOutputs, statusOf } from "./read";
import { containsUnknown } from "./unknowns";
import { RegistrationFailedError, waitFor } from "./wait";

const DEFAULT_TIMEOUT_SECONDS = 3600;

function lifecycleOf(h: ResourceHandler): Lifecycle {
  const lc = h.schema.lifecycle;
  if (!lc) throw new Error(`${h.schema.type} has no lifecycle`);
  return lc;
}

/** A custom timeout the user gave the engine wins over `waitTimeoutSeconds` (it is the more explicit of the two). */
export function waitSeconds(ctx: ResourceContext, inputs: Props): number {
  return ctx.customTimeoutSeconds ?? (inputs.waitTimeoutSeconds as number | undefined) ?? DEFAULT_TIMEOUT_SECONDS;
}

/** Why a wait must end without success, or undefined while it may go on. */
function failureOf(h: ResourceHandler, outs: Props | undefined): string | undefined {
  if (!outs) return "it no longer exists";
  const lc = lifecycleOf(h);
  const advice = lc.failures[statusOf(h, outs)];
  if (advice === undefined) return undefined;
  const reason = lc.reason?.(outs);
  if (advice.includes("{reason}")) return advice.replace("{reason}", reason ?? "no detail given");
  return reason ? `${reason}. ${advice}` : advice;
}

const noun = (h: ResourceHandler) => h.schema.lifecycle?.noun ?? h.schema.type;

export interface AwaitOptions {
  timeoutSeconds: number;
  /** e.g. `campaign C123 to become ACTIVE before linking 1415…` (default: `<noun> <id> to be <target>`). */
  what?: string;
  prior?: Props;
}

/** Waits until `id` reaches `target`; throws when it fails, disappears, times out or the run is cancelled. */
export async function awaitStatus(h: ResourceHandler, ctx: ResourceContext, id: string, target: string, opts: AwaitOptions): Promise<Props> {
  const outs = await waitFor(ctx, {
    what: opts.what ?? (target === h.schema.lifecycle?.success ? `${noun(h)} ${id} to ${h.schema.lifecycle.goal}` : `${noun(h)} ${id} to be ${target}`),
    poll: (since) => readOutputs(h, ctx, id, opts.prior ?? {}, since === undefined ? {} : { since }),
    wake: (arrived) => h.watch?.(ctx, id, opts.prior ?? {}, arrived),
    status: (o) => statusOf(h, o),
    done: (o) => statusOf(h, o) === target,
    failure: (o) => failureOf(h, o),
    timeoutSeconds: opts.timeoutSeconds,
  });
  return outs!;
}

/** Waits until `id` no longer exists (an unlink, a deactivation). */
export async function awaitGone(h: ResourceHandler, ctx: ResourceContext, id: string, opts: AwaitOptions): Promise<void> {
  await waitFor(ctx, {
    what: opts.what ?? `${noun(h)} ${id} to be gone`,
    poll: (since) => readOutputs(h, ctx, id, opts.prior ?? {}, since === undefined ? {} : { since }),
    wake: (arrived) => h.watch?.(ctx, id, opts.prior ?? {}, arrived),
    status: (o) => (o ? `still ${statusOf(h, o)}` : "gone"),
    done: (o) => o === undefined,
    timeoutSeconds: opts.timeoutSeconds,
  });
}

/**
 * After a create or an update (including the update the engine issues to resume a partially created resource):
 * with `waitUntil` at the lifecycle's verdict, wait for it; with SUBMITTED, read once and fail if it already failed.
 * Returns the outputs it read last (the caller needs no second read), if any.
 */
export async function settle(h: ResourceHandler, ctx: ResourceContext, id: string, inputs: Props): Promise<Props | undefined> {
  const lc = h.schema.lifecycle;
  if (!lc) return undefined;
  if (inputs.waitUntil === lc.success) {
    return awaitStatus(h, ctx, id, lc.success, { timeoutSeconds: waitSeconds(ctx, inputs), prior: inputs });
  }
  const outs = await readOutputs(h, ctx, id, inputs);
  const reason = failureOf(h, outs);
  if (reason !== undefined) throw new RegistrationFailedError(`${noun(h)} ${id}`, statusOf(h, outs), reason);
  return outs;
}

/**
 * The state gate: an in-place update of a registration in a status that does not accept edits is refused at
 * preview with what Plivo allows instead (never a silent paid replacement). Values still unknown at preview (they
 * depend on a resource being updated) are judged at `up`, once known.
 */
export function gateUpdates(h: ResourceHandler, olds: Props, news: Props, diff: DiffResult): void {
  const lc = h.schema.lifecycle;
  if (!lc?.editableIn) return;
  const status = olds[lc.statusField] as string | undefined;
  const changed = diff.updates.filter((k) => !containsUnknown(news[k]));
  if (changed.length === 0 || status === undefined || lc.editableIn.includes(status)) return;
  const id = h.schema.idField ? olds[h.schema.idField] : undefined;
  throw new ForbiddenChangeError(
    `${h.schema.type}${id ? ` ${id}` : ""}: ${changed.join(", ")} cannot be changed while the ${lc.noun} is ${status}; ${lc.editAdvice?.(status) ?? ""}`.trim(),
  );
}
