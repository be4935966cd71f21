/**
 * The shared create/read/update/delete/check/diff flow every resource goes through.
 */
import { checkInputs, type CheckResult } from "./check";
import { diffInputs, type DiffResult } from "./diff";
import { PartialCreateError, ResourceInitError } from "./errors";
import type { Props, ResourceHandler } from "./handler";
import type { ResourceContext } from "./context";
import { inputsFromOutputs, outputsFromWire } from "./wire";
import { containsUnknown } from "./unknowns";

export function check(h: ResourceHandler, olds: Props, news: Props): CheckResult {
  const result = checkInputs(h.schema, news);
  if (result.failures.length === 0 && h.checkMore && !containsUnknown(result.inputs)) {
    result.failures.push(...h.checkMore(result.inputs, olds ?? {}));
  }
  return result;
}

export function diff(h: ResourceHandler, olds: Props, news: Props): DiffResult {
  const base = diffInputs(h.schema, olds, news);
  const refined = h.refineDiff ? h.refineDiff(olds, news, base) : base;
  return h.deleteBeforeReplace && refined.replaces.length > 0 ? { ...refined, deleteBeforeReplace: true } : refined;
}

export function outputs(h: ResourceHandler, wire: Record<string, unknown>, prior: Props): Props {
  const out = outputsFromWire(h.schema, wire, prior);
  return h.refineOutputs ? h.refineOutputs(out, wire, prior) : out;
}

export async function create(h: ResourceHandler, ctx: ResourceContext, inputs: Props): Promise<{ id: string; outs: Props }> {
  let id: string;
  try {
    id = inputs.adoptId !== undefined ? await adopt(h, ctx, inputs) : await h.create(ctx, inputs);
  } catch (err) {
    if (err instanceof PartialCreateError) throw await keepInState(h, ctx, err.id, inputs, err.cause);
    throw err;
  }
  // From here on the resource exists: any failure must keep its id in the state.
  try {
    if (h.settle) await h.settle(ctx, id, inputs);
    const wire = await h.read(ctx, id, inputs);
    if (!wire) throw new Error(`${ctx.type} "${ctx.name}": created ${id} but it cannot be read back`);
    return { id, outs: outputs(h, wire, inputs) };
  } catch (err) {
    throw await keepInState(h, ctx, id, inputs, err);
  }
}

/**
 * Takes over an existing object instead of creating one: it must exist, and every field that cannot change must
 * already match; the fields that can are updated to the declared values.
 */
async function adopt(h: ResourceHandler, ctx: ResourceContext, inputs: Props): Promise<string> {
  const id = h.normalizeId ? h.normalizeId(String(inputs.adoptId)) : String(inputs.adoptId);
  const wire = await h.read(ctx, id, inputs);
  if (!wire) throw new Error(`${ctx.type} "${ctx.name}": adoptId ${id} does not exist in the Plivo account`);
  const current = outputs(h, wire, inputs);
  const d = diff(h, current, inputs);
  if (d.replaces.length > 0) {
    const detail = d.replaces.map((k) => `${k} (existing ${JSON.stringify(current[k])}, declared ${JSON.stringify(inputs[k])})`).join(", ");
    throw new Error(`${ctx.type} "${ctx.name}": cannot adopt ${id}: ${detail} cannot change; declare the existing values`);
  }
  if (d.updates.length > 0) await h.update(ctx, id, current, inputs, d);
  ctx.progress(`adopted existing ${id}`);
  return id;
}

/** A partially created error carrying the freshest outputs we can get, so refresh/diff see real status. */
async function keepInState(h: ResourceHandler, ctx: ResourceContext, id: string, inputs: Props, err: unknown): Promise<ResourceInitError> {
  if (err instanceof ResourceInitError) return err;
  let props = inputs;
  try {
    const wire = await h.read(ctx, id, inputs);
    if (wire) props = outputs(h, wire, inputs);
  } catch {
    // Keep the inputs: the id is what matters for resuming.
  }
  return new ResourceInitError(id, props, err);
}

export async function read(h: ResourceHandler, ctx: ResourceContext, id: string, props: Props): Promise<{ id?: string; props?: Props; inputs?: Props }> {
  const canonical = h.normalizeId ? h.normalizeId(id) : id;
  const wire = await h.read(ctx, canonical, props ?? {});
  // Gone (deleted outside Pulumi): no id tells the engine to drop it; the next `up` recreates it.
  if (!wire) return {};
  const outs = outputs(h, wire, props ?? {});
  // Inputs are reported only for an import-style read (nothing known yet). On refresh the engine keeps the declared
  // inputs: reporting server-filled values as inputs would show them as removed in the next `preview --diff`.
  const known = props !== undefined && Object.keys(props).some((k) => k !== "__provider");
  return known ? { id: canonical, props: outs } : { id: canonical, props: outs, inputs: inputsFromOutputs(h.schema, outs) };
}

export async function update(h: ResourceHandler, ctx: ResourceContext, id: string, olds: Props, news: Props): Promise<{ outs: Props }> {
  const d = diff(h, olds, news);
  if (d.updates.length > 0) await h.update(ctx, id, olds, news, d);
  if (h.settle) {
    try {
      await h.settle(ctx, id, news);
    } catch (err) {
      throw await keepInState(h, ctx, id, news, err);
    }
  }
  const wire = await h.read(ctx, id, news);
  if (!wire) throw new Error(`${ctx.type} "${ctx.name}": ${id} disappeared during the update; run \`pulumi refresh\` and \`pulumi up\` to recreate it`);
  return { outs: outputs(h, wire, news) };
}

export async function remove(h: ResourceHandler, ctx: ResourceContext, id: string, props: Props): Promise<void> {
  await h.delete(ctx, id, props ?? {});
}

