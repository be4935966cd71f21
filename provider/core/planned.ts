/**
 * What a preview predicts a create or an in-place update will produce, without calling Plivo (the plugin answers
 * the engine's preview Create/Update with it). Values the API decides are unknown; everything else is known, so
 * dependents of an unchanged id never preview as changed.
 */
import type { Props, ResourceHandler } from "./handler";
import { UNKNOWN } from "./unknowns";

/** After a create: the checked inputs, and every output (and omitted server-filled input) unknown. */
export function plannedCreate(h: ResourceHandler, inputs: Props): Props {
  const outs: Props = { ...inputs };
  for (const [name, field] of Object.entries(h.schema.inputs)) {
    // Server-filled when omitted, or stored as Plivo makes it from the declared value (a username's timestamp).
    if ((outs[name] === undefined && field.computed) || (outs[name] !== undefined && field.declaredFrom)) outs[name] = UNKNOWN;
  }
  for (const name of Object.keys(h.schema.outputs)) outs[name] = UNKNOWN;
  return outs;
}

/**
 * After an update: the previous outputs with the new inputs applied (an omitted server-filled input keeps its
 * value, an omitted plain one is cleared). A registration's update is a resubmission, so its status and every
 * other output but the id is unknown until it is read back.
 */
export function plannedUpdate(h: ResourceHandler, olds: Props, news: Props): Props {
  const outs: Props = { ...olds };
  for (const [name, field] of Object.entries(h.schema.inputs)) {
    // A stored value that still is the declared one stays (Plivo's form of it, e.g. a username with its timestamp).
    const kept = field.declaredFrom && olds[name] !== undefined && olds[name] !== null && field.declaredFrom(olds[name]) === news[name];
    if (news[name] !== undefined && !kept) outs[name] = news[name];
    else if (news[name] === undefined && !field.computed) delete outs[name];
  }
  if (h.schema.lifecycle) {
    for (const name of Object.keys(h.schema.outputs)) if (name !== h.schema.idField) outs[name] = UNKNOWN;
  }
  return outs;
}
