/**
 * What a preview announces about a planned action before anything happens, shared by both forms of the provider
 * (each logs the warnings on the resource's row, with its URN):
 *
 * - a create that costs money or cannot be taken back (a number bought, a paid or one-shot registration), with its
 *   amounts (provider/cost/, docs/cost.md);
 * - an adoption (`adoptId`, or a PhoneNumber whose `number` is already in the account): looked up read-only, it says
 *   what the adoption will change, and a field that cannot change and differs fails the preview;
 * - an update that resubmits a registration (vetted and billed again);
 * - a replacement: what deleting the old object costs or saves (a number unrented, a campaign deactivated) and what
 *   the new one costs; and, for every replacement, which inputs force it (an info note);
 * - a change of an input used only at create (search criteria, adoptId): kept as recorded, with a note.
 *
 * The engine asks a provider nothing when it plans a plain delete (a resource removed from the program, `pulumi
 * destroy`): those cannot be announced at preview. The delete itself logs what it did ({@link deleteWarning}).
 */
import type { Field } from "../../schema/fields";
import { fail, type CheckFailure } from "../../schema/resource";
import type { TenDlcFees } from "../../schema/fees";
import { TENDLC_FEES } from "../../schema/fees";
import { campaignUpdate, createCost, deleteCost, type Cost } from "../cost/estimate";
import { usd } from "../cost/money";
import type { PriceBook } from "../cost/prices";
import type { ResourceContext } from "./context";
import { deepEqual, diffInputs, type DiffResult } from "./diff";
import type { Props, ResourceHandler } from "./handler";
import { claimsOn, implicitAdoptionRefused, sharedAdoption } from "./claims";
import { canonicalId } from "./ids";
import { readForAdoption } from "./read";
import { gateUpdates } from "./settle";
import { containsUnknown } from "./unknowns";

export interface PreviewNotes {
  /** One line each, shown on the resource's row. */
  warnings: string[];
  /** Lines worth reading that cost nothing (info on the row). */
  notes?: string[];
  /** Refusals found by a look-up (an adoption that cannot work): they fail the preview like bad input. */
  failures: CheckFailure[];
}

const fill = (text: string, id: string) => text.replace(/\{id\}/g, id);

/** A consequence said of an object that has no id yet ("deletes subaccount {id}; …" → "deletes subaccount; …"). */
const withoutId = (text: string) =>
  fill(text, "")
    .replace(/ {2,}/g, " ")
    .replace(/ ([;:,])/g, "$1");

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

/** What a price book and fee table a preview prices with; without a book (offline) numbers are not priced. */
export interface Pricing {
  fees: TenDlcFees;
  book?: PriceBook;
  /** Why there is no book (e.g. an offline preview). */
  whyNoBook?: string;
}

/** `Creating it …`: what the create buys, with its amounts when they can be read (docs/cost.md). */
export async function createLine(h: ResourceHandler, inputs: Props, pricing: Pricing = { fees: TENDLC_FEES }): Promise<string | undefined> {
  const cost = await createCost(h.schema.type, inputs, pricing.fees, pricing.book, pricing.whyNoBook ?? "prices not read");
  if (!cost) return h.schema.consequences?.create ? `Creating it ${h.schema.consequences.create}` : undefined;
  return `Creating it ${cost.says}${cost.unpriced ? ` (amounts unknown: ${cost.unpriced})` : ""}`;
}

/**
 * Notes for a planned create. With `lookup` (a context that may call Plivo) an adoption is checked against the
 * existing object; without (an offline preview) it is only announced. `pricing` states the amounts of what it buys.
 */
export async function createNotes(h: ResourceHandler, inputs: Props, lookup?: ResourceContext, pricing?: Pricing): Promise<PreviewNotes> {
  // What a later delete does depends on an input (a subaccount's cascade): say it now, while the engine asks.
  const later = typeof h.schema.consequences?.delete === "function" && !containsUnknown(inputs) ? [`Deleting it later ${withoutId(deletion(h, inputs)!)}`] : [];
  if (lookup && h.lookupRules && !containsUnknown(inputs)) {
    const failures = await h.lookupRules(lookup, inputs);
    if (failures.length > 0) return { warnings: [], failures };
  }
  const target = adoptionTarget(h, inputs);
  // Priced only when it is a purchase: an adoption buys nothing.
  const creating = async (): Promise<PreviewNotes> => {
    const line = await createLine(h, inputs, pricing);
    return { warnings: [...(line ? [line] : []), ...later], failures: [] };
  };
  if (!target) return creating();
  const what = `${h.schema.type}${containsUnknown(target.id) ? "" : ` ${canonicalId(h.schema, String(target.id))}`}`;
  if (containsUnknown(target.id)) {
    return target.explicit ? { warnings: [`Adopts an existing ${h.schema.type} whose id is known only at up`], failures: [] } : creating();
  }
  const id = canonicalId(h.schema, String(target.id));
  if (!lookup) {
    const notLookedUp = "not looked up: offline preview";
    if (!target.explicit)
      return {
        warnings: (await creating()).warnings.map((w) => `${w}, unless ${what} is already in the account: then it is adopted (${notLookedUp})`),
        failures: [],
      };
    return { warnings: [`Adopts existing ${what} instead of creating one; not compared with the declared fields (${notLookedUp})`], failures: [] };
  }
  // An implicit adoption only changes the note: it is looked up in a recent list of the account, not on its own
  // (the engine runs checks one after the other: a stack of new numbers costs a list page, not a GET per number).
  const current = await readForAdoption(h, lookup, id, inputs, { informational: !target.explicit });
  if (!current) {
    if (!target.explicit) return creating();
    return { warnings: [], failures: [fail("adoptId", `${what} does not exist in the Plivo account: there is nothing to adopt`, target.id)] };
  }
  // Whose it is (claims.ts): never adopted implicitly from another resource, and an explicit adoption says so loudly.
  const owners = await claimsOn(lookup, id, await h.read(lookup, id, {}, { informational: true }));
  if (owners.by.length > 0 && !target.explicit) return { warnings: [], failures: [implicitAdoptionRefused(h, id, owners.by, target.id)] };
  const notes = adoptionNotes(h, id, current, inputs, target.explicit, pricing?.fees ?? TENDLC_FEES);
  const whose = owners.by.length > 0 ? `. ${sharedAdoption(h, owners.by)}` : owners.unreadable ? ` (whose it is was not checked: ${owners.unreadable})` : "";
  return { ...notes, warnings: notes.warnings.map((w) => `${w}${whose}`) };
}

/** What adopting `current` as `inputs` changes, or why it cannot. */
function adoptionNotes(h: ResourceHandler, id: string, current: Props, inputs: Props, explicit: boolean, fees: TenDlcFees): PreviewNotes {
  const what = `${h.schema.type} ${id}`;
  const plan = planAdoption(h, current, inputs);
  if (plan.refusal) return { warnings: [], failures: [{ property: "adoptId", reason: `adoptId: ${plan.refusal}` }] };
  const field = (k: string) => h.schema.inputs[k];
  const failures = plan.mismatches.map((m) =>
    fail(m.field, mismatchRule(what, current[m.field], field(m.field)), field(m.field)?.secret ? undefined : m.declared),
  );
  if (failures.length > 0) return { warnings: [], failures };
  const updates = plan.diff.updates;
  let line = `Adopts existing ${what}${explicit ? "" : " (already in the account)"} instead of creating one`;
  if (updates.length === 0) line += "; its fields already match the declaration";
  else {
    line += `, and updates ${updates.map((k) => `${k} (${show(current[k], field(k))} → ${show(inputs[k], field(k))})`).join(", ")}`;
    const billed = h.schema.type === "Campaign" ? campaignUpdate(id, current, fees) : undefined;
    if (billed) line += `; this update ${billed.says}`;
    else if (h.schema.consequences?.update && h.schema.type !== "Campaign") line += `; this update ${fill(h.schema.consequences.update, id)}`;
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

/** What a released object saves each month, as a clause ("; the monthly bill goes down by $0.50"), or "". */
function savingClause(cost: Cost | undefined): string {
  return cost && !cost.unpriced && cost.monthly < 0 ? `; the monthly bill goes down by ${usd(-cost.monthly)}` : "";
}

/**
 * Warnings for a planned update or replacement of the object `id`, whose current outputs are `olds`: what deleting
 * the replaced object costs or loses for good (and what it saves each month), what an update is billed.
 */
export function changeWarnings(h: ResourceHandler, id: string, olds: Props, news: Props, diff: DiffResult, fees: TenDlcFees = TENDLC_FEES): string[] {
  const c = h.schema.consequences;
  if (!c || !diff.changes) return [];
  if (diff.replaces.length > 0) {
    // The engine checks the replacement as a new resource: its cost is announced by the create's own warning.
    if (!c.delete) return [];
    const why = `Replacing it (${diff.replaces.join(", ")} changed)`;
    const lc = h.schema.lifecycle;
    const status = lc ? (olds[lc.statusField] as string | undefined) : undefined;
    const undeletable = status !== undefined && lc?.undeletableIn?.includes(status);
    const del = undeletable
      ? `removes ${id} from the state only (Plivo cannot delete a ${lc!.noun} that is ${status}: it stays on the account)`
      : `${fill(deletion(h, olds)!, id)}${savingClause(deleteCost(h.schema.type, id, olds, fees))}`;
    return [diff.deleteBeforeReplace ? `${why} first ${del}; then creates the new one` : `${why} creates the new one first, then ${del}`];
  }
  const nextDeletion = typeof c.delete === "function" && !containsUnknown(news) ? deletion(h, news) : undefined;
  if (nextDeletion !== undefined && nextDeletion !== deletion(h, olds)) return [`From now on, deleting it ${fill(nextDeletion, id)}`];
  if (c.update && diff.updates.length > 0) {
    const known = diff.updates.filter((k) => !containsUnknown(news[k]));
    const when = known.length === 0 ? " if their values, known only at up, differ" : "";
    if (h.schema.type === "Campaign") {
      const billed = campaignUpdate(id, olds, fees);
      return [
        billed
          ? `This update (${diff.updates.join(", ")}) ${billed.says}${when}`
          : `This update (${diff.updates.join(", ")}) edits campaign ${id} while it is ${String(olds.registrationStatus)}: no new vetting fee`,
      ];
    }
    return [`This update (${diff.updates.join(", ")}) ${fill(c.update, id)}${when}`];
  }
  return [];
}

/**
 * The note of every replacement (info): which inputs force it, from what to what, and which outputs the new object
 * will have only after up (a preview shows them neither as removed nor as kept).
 */
export function replacementNote(h: ResourceHandler, olds: Props, news: Props, diff: DiffResult): string | undefined {
  if (diff.replaces.length === 0) return undefined;
  const forced = diff.replaces.map((k) => `${k} ${show(olds[k], h.schema.inputs[k])} → ${show(news[k], h.schema.inputs[k])}`).join(", ");
  const fresh = Object.keys(h.schema.outputs).filter((k) => olds[k] !== undefined && olds[k] !== null && olds[k] !== "");
  const listed = fresh.length > 5 ? `${fresh.slice(0, 4).join(", ")} and ${fresh.length - 4} more` : fresh.join(", ");
  const after = fresh.length ? `; the new ${h.schema.type}'s outputs (${listed}) are known only after up` : "";
  return `Replaced because ${forced} cannot change in place${after}`;
}

/**
 * Inputs used only to create (search criteria, adoptId) that changed on an object that exists: the recorded values
 * are kept (nothing is planned for them) and each change gets a note saying it has no effect.
 */
export function keepCreateOnly(h: ResourceHandler, olds: Props, inputs: Props): { inputs: Props; notes: string[] } {
  const notes: string[] = [];
  // A replacement creates a new object: it takes the new values.
  if (diffInputs(h.schema, olds, inputs).replaces.length > 0) return { inputs, notes };
  let kept = inputs;
  for (const [name, field] of Object.entries(h.schema.inputs)) {
    if (!field.createOnly || olds[name] === undefined || inputs[name] === undefined) continue;
    if (deepEqual(olds[name], inputs[name])) continue;
    const changes = changedPaths(name, olds[name], inputs[name]).join(", ");
    notes.push(`${changes}: no effect on the existing ${h.schema.type} (${field.createOnly}); the recorded value is kept`);
    kept = { ...kept, [name]: olds[name] };
  }
  return { inputs: kept, notes };
}

/** `search.pattern "415" → "212"` for each leaf that differs. */
function changedPaths(path: string, a: unknown, b: unknown): string[] {
  const objects = a && b && typeof a === "object" && typeof b === "object" && !Array.isArray(a) && !Array.isArray(b);
  if (!objects || containsUnknown(b)) return [`${path} ${show(a)} → ${show(b)}`];
  const ao = a as Props;
  const bo = b as Props;
  return [...new Set([...Object.keys(ao), ...Object.keys(bo)])]
    .filter((k) => !deepEqual(ao[k], bo[k]))
    .flatMap((k) => changedPaths(`${path}.${k}`, ao[k], bo[k]));
}

/** Logged after a delete that cost something or cannot be undone (plain deletes are never announced at preview). */
export function deleteWarning(h: ResourceHandler, id: string, olds: Props = {}, fees: TenDlcFees = TENDLC_FEES): string | undefined {
  const text = deletion(h, olds);
  return text ? `Deleted: ${fill(text, id)}${savingClause(deleteCost(h.schema.type, id, olds, fees))}` : undefined;
}
