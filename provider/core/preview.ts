/**
 * What a preview announces about a planned action before anything happens, shared by both forms of the provider
 * (each logs the warnings on the resource's row, with its URN):
 *
 * - a create that costs money or cannot be taken back (a number bought, a paid or one-shot registration);
 * - an adoption (`adoptId`, or a PhoneNumber whose `number` is already in the account): looked up read-only, it says
 *   what the adoption will change, and a field that cannot change and differs fails the preview;
 * - an update that resubmits a registration (vetted and billed again);
 * - a replacement: what deleting the old object costs (a number unrented, a campaign deactivated) and what the new
 *   one costs.
 *
 * The engine asks a provider nothing when it plans a plain delete (a resource removed from the program, `pulumi
 * destroy`): those cannot be announced at preview. The delete itself logs what it did ({@link deleteWarning}).
 */
import type { Field } from "../../schema/fields";
import { fail, type CheckFailure } from "../../schema/resource";
import type { ResourceContext } from "./context";
import { diffInputs, type DiffResult } from "./diff";
import type { Props, ResourceHandler } from "./handler";
import { claimsOn, implicitAdoptionRefused, sharedAdoption } from "./claims";
import { canonicalId } from "./ids";
import { readForAdoption } from "./read";
import { gateUpdates } from "./settle";
import { containsUnknown } from "./unknowns";

export interface PreviewNotes {
  /** One line each, shown on the resource's row. */
  warnings: string[];
  /** Refusals found by a look-up (an adoption that cannot work): they fail the preview like bad input. */
  failures: CheckFailure[];
}

const fill = (text: string, id: string) => text.replace(/\{id\}/g, id);

/** A consequence said of an object that has no id yet ("deletes subaccount {id}; …" → "deletes subaccount; …"). */
const withoutId = (text: string) => fill(text, "").replace(/ {2,}/g, " ").replace(/ ([;:,])/g, "$1");

/** What deleting the object does, for its props (see Consequences.delete). */
const deletion = (h: ResourceHandler, props: Props): string | undefined => {
  const d = h.schema.consequences?.delete;
  return typeof d === "function" ? d(props) : d;
};

/** A value as messages show it: JSON, shortened; unknown values say so; a credential (`field.secret`) never. */
export function show(value: unknown, field?: Field): string {
  if (field?.secret && value !== undefined) return "[secret]";
  if (containsUnknown(value)) return "(known at up)";
  if (value === undefined) return "(unset)";
  const s = JSON.stringify(value);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/** The id an adoption takes over: `adoptId`, or what the handler adopts by itself (a number already rented). */
function adoptionTarget(h: ResourceHandler, inputs: Props): { id: unknown; explicit: boolean } | undefined {
  if (inputs.adoptId !== undefined) return { id: inputs.adoptId, explicit: true };
  const implicit = h.adoptsExisting?.(inputs);
  return implicit !== undefined ? { id: implicit, explicit: false } : undefined;
}

/**
 * Notes for a planned create. With `lookup` (a context that may call Plivo) an adoption is checked against the
 * existing object; without (an offline preview) it is only announced.
 */
export async function createNotes(h: ResourceHandler, inputs: Props, lookup?: ResourceContext): Promise<PreviewNotes> {
  const created: PreviewNotes = { warnings: h.schema.consequences?.create ? [`Creating it ${h.schema.consequences.create}`] : [], failures: [] };
  // What a later delete does depends on an input (a subaccount's cascade): say it now, while the engine asks.
  if (typeof h.schema.consequences?.delete === "function" && !containsUnknown(inputs)) created.warnings.push(`Deleting it later ${withoutId(deletion(h, inputs)!)}`);
  if (lookup && h.lookupRules && !containsUnknown(inputs)) {
    const failures = await h.lookupRules(lookup, inputs);
    if (failures.length > 0) return { warnings: [], failures };
  }
  const target = adoptionTarget(h, inputs);
  if (!target) return created;
  const what = `${h.schema.type}${containsUnknown(target.id) ? "" : ` ${canonicalId(h.schema, String(target.id))}`}`;
  if (containsUnknown(target.id)) {
    return target.explicit ? { warnings: [`Adopts an existing ${h.schema.type} whose id is known only at up`], failures: [] } : created;
  }
  const id = canonicalId(h.schema, String(target.id));
  if (!lookup) {
    const notLookedUp = "not looked up: offline preview";
    if (!target.explicit) return { warnings: created.warnings.map((w) => `${w}, unless ${what} is already in the account: then it is adopted (${notLookedUp})`), failures: [] };
    return { warnings: [`Adopts existing ${what} instead of creating one; not compared with the declared fields (${notLookedUp})`], failures: [] };
  }
  // An implicit adoption only changes the note: it is looked up in a recent list of the account, not on its own
  // (the engine runs checks one after the other: a stack of new numbers costs a list page, not a GET per number).
  const current = await readForAdoption(h, lookup, id, inputs, { informational: !target.explicit });
  if (!current) {
    if (!target.explicit) return created;
    return { warnings: [], failures: [fail("adoptId", `${what} does not exist in the Plivo account: there is nothing to adopt`, target.id)] };
  }
  // Whose it is (claims.ts): never adopted implicitly from another resource, and an explicit adoption says so loudly.
  const owners = await claimsOn(lookup, id, await h.read(lookup, id, {}, { informational: true }));
  if (owners.by.length > 0 && !target.explicit) return { warnings: [], failures: [implicitAdoptionRefused(h, id, owners.by, target.id)] };
  const notes = adoptionNotes(h, id, current, inputs, target.explicit);
  const whose = owners.by.length > 0 ? `. ${sharedAdoption(h, owners.by)}` : owners.unreadable ? ` (whose it is was not checked: ${owners.unreadable})` : "";
  return { ...notes, warnings: notes.warnings.map((w) => `${w}${whose}`) };
}

/** What adopting `current` as `inputs` changes, or why it cannot. */
function adoptionNotes(h: ResourceHandler, id: string, current: Props, inputs: Props, explicit: boolean): PreviewNotes {
  const what = `${h.schema.type} ${id}`;
  const plan = planAdoption(h, current, inputs);
  if (plan.refusal) return { warnings: [], failures: [{ property: "adoptId", reason: `adoptId: ${plan.refusal}` }] };
  const field = (k: string) => h.schema.inputs[k];
  const failures = plan.mismatches.map((m) => fail(m.field, mismatchRule(what, current[m.field], field(m.field)), field(m.field)?.secret ? undefined : m.declared));
  if (failures.length > 0) return { warnings: [], failures };
  const updates = plan.diff.updates;
  let line = `Adopts existing ${what}${explicit ? "" : " (already in the account)"} instead of creating one`;
  if (updates.length === 0) line += "; its fields already match the declaration";
  else {
    line += `, and updates ${updates.map((k) => `${k} (${show(current[k], field(k))} → ${show(inputs[k], field(k))})`).join(", ")}`;
    if (h.schema.consequences?.update) line += `; this update ${fill(h.schema.consequences.update, id)}`;
  }
  return { warnings: [line], failures: [] };
}

export interface AdoptionPlan {
  diff: DiffResult;
  /** Fields that cannot change and differ, with the declared value (unknown declared values are judged at up). */
  mismatches: { field: string; declared: unknown }[];
  /** Why the existing object cannot take the declared values at all (a state gate), or undefined. */
  refusal?: string;
}

/** Compares an existing object with the declared inputs, as an adoption applies them. */
export function planAdoption(h: ResourceHandler, current: Props, inputs: Props): AdoptionPlan {
  const diff = diffInputs(h.schema, current, inputs);
  const mismatches = diff.replaces.filter((k) => !containsUnknown(inputs[k])).map((field) => ({ field, declared: inputs[field] }));
  try {
    gateUpdates(h, current, inputs, diff);
  } catch (err) {
    return { diff, mismatches, refusal: err instanceof Error ? err.message : String(err) };
  }
  return { diff, mismatches };
}

/** The rule an adoption mismatch breaks (after `<field>: `). */
export const mismatchRule = (what: string, existing: unknown, field?: Field) =>
  `cannot change on the existing ${what}, which has ${show(existing, field)}; declare that value, or drop adoptId to create a new one`;

/** Warnings for a planned update or replacement of the object `id`, whose current outputs are `olds`. */
export function changeWarnings(h: ResourceHandler, id: string, olds: Props, news: Props, diff: DiffResult): string[] {
  const c = h.schema.consequences;
  if (!c || !diff.changes) return [];
  if (diff.replaces.length > 0) {
    // The engine checks the replacement as a new resource: its cost is announced by the create's own warning.
    if (!c.delete) return [];
    const why = `Replacing it (${diff.replaces.join(", ")} changed)`;
    const lc = h.schema.lifecycle;
    const status = lc ? (olds[lc.statusField] as string | undefined) : undefined;
    const del =
      status !== undefined && lc?.undeletableIn?.includes(status)
        ? `removes ${id} from the state only (Plivo cannot delete a ${lc.noun} that is ${status}: it stays on the account)`
        : fill(deletion(h, olds)!, id);
    return [diff.deleteBeforeReplace ? `${why} first ${del}; then creates the new one` : `${why} creates the new one first, then ${del}`];
  }
  const nextDeletion = typeof c.delete === "function" && !containsUnknown(news) ? deletion(h, news) : undefined;
  if (nextDeletion !== undefined && nextDeletion !== deletion(h, olds)) return [`From now on, deleting it ${fill(nextDeletion, id)}`];
  if (c.update && diff.updates.length > 0) {
    const known = diff.updates.filter((k) => !containsUnknown(news[k]));
    const when = known.length === 0 ? " if their values, known only at up, differ" : "";
    return [`This update (${diff.updates.join(", ")}) ${fill(c.update, id)}${when}`];
  }
  return [];
}

/** Logged after a delete that cost something or cannot be undone (plain deletes are never announced at preview). */
export function deleteWarning(h: ResourceHandler, id: string, props: Props = {}): string | undefined {
  const text = deletion(h, props);
  return text ? `Deleted: ${fill(text, id)}` : undefined;
}
