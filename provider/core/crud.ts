/**
 * The shared create/read/update/delete/check/diff flow every resource goes through, in both forms of the provider.
 */
import { checkInputs, type CheckResult } from "./check";
import type { ResourceContext } from "./context";
import { diffInputs, type DiffResult } from "./diff";
import { ForbiddenChangeError, PartialCreateError, ResourceInitError } from "./errors";
import type { Created, Props, ResourceHandler } from "./handler";
import { canonicalId } from "./ids";
import { deleteWarning, mismatchRule, planAdoption } from "./preview";
import type { TenDlcFees } from "../../schema/fees";
import { outputs, present, readForAdoption, readOutputs, statusOf } from "./read";
import { noteCreated, noteDeclared, resumeInterrupted } from "./resume";
import { gateUpdates, settle } from "./settle";
import { containsUnknown } from "./unknowns";
import { inputsFromOutputs } from "./wire";

export { outputs } from "./read";

export function check(h: ResourceHandler, olds: Props, news: Props): CheckResult {
  const result = checkInputs(h.schema, news);
  if (result.failures.length === 0 && h.checkMore && !containsUnknown(result.inputs)) {
    result.failures.push(...h.checkMore(result.inputs, olds ?? {}));
  }
  // An object the program names (an exact number, an adoptId) is never taken over by another resource's recovery.
  if (result.failures.length === 0) {
    for (const named of [h.adoptsExisting?.(result.inputs), result.inputs.adoptId]) {
      if (typeof named === "string" && !containsUnknown(named)) noteDeclared(h.schema.type, canonicalId(h.schema, named));
    }
  }
  return result;
}

/** Throws ForbiddenChangeError when the lifecycle's state gate refuses the in-place update. */
export function diff(h: ResourceHandler, olds: Props, news: Props): DiffResult {
  const d = diffInputs(h.schema, olds, news);
  gateUpdates(h, olds, news, d);
  return h.deleteBeforeReplace && d.replaces.length > 0 ? { ...d, deleteBeforeReplace: true } : d;
}

export async function create(h: ResourceHandler, ctx: ResourceContext, inputs: Props): Promise<{ id: string; outs: Props }> {
  let created: Created;
  const readBackAnnounced = h.announceRead?.(ctx);
  try {
    let result: string | Created;
    if (inputs.adoptId !== undefined) result = await adopt(h, ctx, inputs);
    else {
      result = (await resumeInterrupted(h, ctx, inputs)) ?? (await createOrFindRefused(h, ctx, inputs));
    }
    created = typeof result === "string" ? { id: result } : result;
  } catch (err) {
    if (err instanceof PartialCreateError) throw await keepInState(h, ctx, err.id, inputs, err.cause);
    throw err;
  } finally {
    readBackAnnounced?.();
  }
  const { id } = created;
  // From here on the resource exists: any failure must keep its id in the state.
  try {
    // A registration's settle reads it; the create response's object needs no read-back either.
    const settled = await settle(h, ctx, id, inputs);
    const outs = settled ?? (created.wire ? present(h, outputs(h, created.wire, inputs)) : await readOutputs(h, ctx, id, inputs));
    if (!outs) throw new Error(`${ctx.type} "${ctx.name}": created ${id} but it cannot be read back`);
    noteCreated(ctx, id);
    return { id, outs };
  } catch (err) {
    throw await keepInState(h, ctx, id, inputs, err);
  }
}

/** The create; refused because an interrupted run made the object (a unique name), that object taken over. */
async function createOrFindRefused(h: ResourceHandler, ctx: ResourceContext, inputs: Props): Promise<string | Created> {
  try {
    return await h.create(ctx, inputs);
  } catch (err) {
    if (!h.findAfterRefusal) throw err;
    // The refusal stands unless the look finds the object (a failed look does not hide why the create failed).
    const id = await resumeInterrupted(h, ctx, inputs, { refused: err }).catch(() => undefined);
    if (id === undefined) throw err;
    return id;
  }
}

/**
 * Takes over an existing object instead of creating one: it must exist, and every field that cannot change must
 * already match; the fields that can are updated to the declared values.
 */
async function adopt(h: ResourceHandler, ctx: ResourceContext, inputs: Props): Promise<string> {
  const id = canonicalId(h.schema, String(inputs.adoptId));
  const what = `${h.schema.type} ${id}`;
  const current = await readForAdoption(h, ctx, id, inputs);
  if (!current) throw new Error(`${ctx.type} "${ctx.name}": adoptId: ${what} does not exist in the Plivo account: there is nothing to adopt`);
  // The same judgement the preview made (preview.ts), now with every value known.
  const plan = planAdoption(h, current, inputs);
  if (plan.refusal) throw new ForbiddenChangeError(plan.refusal);
  if (plan.mismatches.length > 0) {
    throw new Error(
      `${ctx.type} "${ctx.name}": ${plan.mismatches.map((m) => `${m.field}: ${mismatchRule(what, current[m.field], h.schema.inputs[m.field])}`).join("; ")}`,
    );
  }
  const d = plan.diff;
  if (d.updates.length > 0) await h.update(ctx, id, current, inputs, d);
  ctx.progress(`adopted existing ${id}`);
  return id;
}

/** A partially created error carrying the freshest outputs we can get, so refresh/diff see real status. */
async function keepInState(h: ResourceHandler, ctx: ResourceContext, id: string, inputs: Props, err: unknown): Promise<ResourceInitError> {
  if (err instanceof ResourceInitError) return err;
  let props = inputs;
  try {
    props = (await readOutputs(h, ctx, id, inputs)) ?? inputs;
  } catch {
    // Keep the inputs: the id is what matters for resuming.
  }
  return new ResourceInitError(id, props, err);
}

export async function read(h: ResourceHandler, ctx: ResourceContext, id: string, props: Props): Promise<{ id?: string; props?: Props; inputs?: Props }> {
  const canonical = canonicalId(h.schema, id);
  const outs = await readOutputs(h, ctx, canonical, props ?? {});
  // Gone (deleted outside Pulumi): no id tells the engine to drop it; the next `up` recreates it.
  if (!outs) return {};
  // Inputs are reported only for an import-style read (nothing known yet). On refresh the engine keeps the declared
  // inputs: reporting server-filled values as inputs would show them as removed in the next `preview --diff`.
  const known = props !== undefined && Object.keys(props).some((k) => !k.startsWith("__"));
  return known ? { id: canonical, props: outs } : { id: canonical, props: outs, inputs: inputsFromOutputs(h.schema, outs) };
}

export async function update(h: ResourceHandler, ctx: ResourceContext, id: string, olds: Props, news: Props): Promise<{ outs: Props }> {
  const d = diff(h, olds, news);
  // Updates in flight together read back together (numbers whose alias changed: one list page, not a GET each).
  const readBackAnnounced = h.announceRead?.(ctx);
  let wire: Awaited<ReturnType<ResourceHandler["update"]>>;
  try {
    wire = d.updates.length > 0 ? await h.update(ctx, id, olds, news, d) : undefined;
  } finally {
    readBackAnnounced?.();
  }
  let settled: Props | undefined;
  try {
    settled = await settle(h, ctx, id, news);
  } catch (err) {
    throw await keepInState(h, ctx, id, news, err);
  }
  const outs = settled ?? (wire ? present(h, outputs(h, wire, news)) : await readOutputs(h, ctx, id, news));
  if (!outs) throw new Error(`${ctx.type} "${ctx.name}": ${id} disappeared during the update; run \`pulumi refresh\` and \`pulumi up\` to recreate it`);
  return { outs };
}

/**
 * Deletes. A registration in a status Plivo cannot delete (an APPROVED verification) is only removed from the
 * state, with a warning saying it stays on the account.
 */
export async function remove(h: ResourceHandler, ctx: ResourceContext, id: string, props: Props, fees?: TenDlcFees): Promise<void> {
  const undeletable = h.schema.lifecycle?.undeletableIn;
  if (undeletable) {
    const current = await readOutputs(h, ctx, id, props ?? {});
    if (!current) return;
    const status = statusOf(h, current);
    if (undeletable.includes(status)) {
      ctx.warn(`${h.schema.type} ${id} is ${status} and Plivo does not allow deleting it; removed from the Pulumi state only (it stays on the Plivo account)`);
      return;
    }
  }
  await h.delete(ctx, id, props ?? {});
  const done = deleteWarning(h, id, props ?? {}, fees);
  if (done) ctx.warn(done);
}
