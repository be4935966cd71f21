/**
 * Reading a resource back as outputs: the handler's API read, mapped through the schema, with the lifecycle's "gone"
 * statuses (a deactivated campaign) reading as absent.
 */
import type { ResourceContext } from "./context";
import type { Props, ReadOptions, ResourceHandler } from "./handler";
import { outputsFromWire } from "./wire";

/** Outputs of an API object: the schema's mapping plus the handler's refinements. */
export function outputs(h: ResourceHandler, wire: Record<string, unknown>, prior: Props): Props {
  const out = outputsFromWire(h.schema, wire, prior);
  return h.refineOutputs ? h.refineOutputs(out, wire, prior) : out;
}

/** The status of a registration from its outputs (`NOT_FOUND` when absent). */
export function statusOf(h: ResourceHandler, outs: Props | undefined): string {
  const field = h.schema.lifecycle?.statusField;
  if (!outs || !field) return "NOT_FOUND";
  return String(outs[field] ?? "UNKNOWN");
}

/** The resource's current outputs, or undefined when it no longer exists. */
export async function readOutputs(h: ResourceHandler, ctx: ResourceContext, id: string, prior: Props, opts: ReadOptions = {}): Promise<Props | undefined> {
  const wire = await h.read(ctx, id, prior, opts);
  return wire ? present(h, outputs(h, wire, prior)) : undefined;
}

/** The outputs, or undefined when the lifecycle counts the object as gone. */
export function present(h: ResourceHandler, outs: Props): Props | undefined {
  const gone = h.schema.lifecycle?.gone;
  return gone?.includes(statusOf(h, outs)) ? undefined : outs;
}

/**
 * An existing object's outputs as an adoption compares them with the declared inputs: what Plivo never returns
 * (`writeOnly`: a password, a CNAM) is unknown on an object this program did not make, so it counts as different
 * and the adoption applies the declared value.
 */
export function readForAdoption(h: ResourceHandler, ctx: ResourceContext, id: string, inputs: Props, opts: ReadOptions = {}): Promise<Props | undefined> {
  const prior = Object.fromEntries(Object.entries(inputs).filter(([k]) => !h.schema.inputs[k]?.writeOnly));
  return readOutputs(h, ctx, id, prior, opts);
}
