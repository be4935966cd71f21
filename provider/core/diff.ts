/**
 * `diff`: compare the previous outputs (which keep the input names with normalised values) with the new
 * checked inputs. Which changed fields update in place and which replace comes from the schema; the lifecycle's
 * state gate is applied on top (settle.ts).
 */
import type { Field } from "../../schema/fields";
import type { ResourceSchema } from "../../schema/resource";
import { containsUnknown } from "./unknowns";

export interface DiffResult {
  changes: boolean;
  replaces: string[];
  /** Fields that update in place. */
  updates: string[];
  deleteBeforeReplace?: boolean;
}

export function diffInputs(schema: ResourceSchema, olds: Record<string, unknown>, news: Record<string, unknown>): DiffResult {
  const replaces: string[] = [];
  const updates: string[] = [];
  for (const [name, field] of Object.entries(schema.inputs)) {
    if (field.onChange === "ignore") continue;
    const next = news[name];
    // The provider's own inputs (no wire: a subaccount's cascade) are absent from what an import read: the default.
    const prev = olds[name] === undefined && field.wire === undefined ? field.default : olds[name];
    if (next === undefined) {
      // Leaving out a server-computed field keeps whatever the server chose; other fields are cleared.
      if (field.computed || prev === undefined || prev === null) continue;
    }
    if (!containsUnknown(next) && deepEqual(declaredPart(field, prev, next), next)) continue;
    (field.onChange === "replace" ? replaces : updates).push(name);
  }
  return { changes: replaces.length + updates.length > 0, replaces, updates };
}

/**
 * What of the previous value the program declares: for a list the server completes (`partialKey`), the entries whose
 * key the program declares; for a value Plivo makes from the declared one (`declaredFrom`), what it was made from.
 */
function declaredPart(field: Field, prev: unknown, next: unknown): unknown {
  if (field.declaredFrom && prev !== undefined && prev !== null) return field.declaredFrom(prev);
  if (!field.partialKey || !Array.isArray(prev) || !Array.isArray(next)) return prev;
  const key = field.partialKey;
  const declared = new Set(next.map((item) => key(item as Record<string, unknown>)));
  return prev.filter((item) => declared.has(key(item as Record<string, unknown>)));
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || a === undefined || b === undefined) return (a ?? null) === (b ?? null);
  if (typeof a !== typeof b || typeof a !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => deepEqual(x, bb[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(ao), ...Object.keys(bo)]);
  for (const k of keys) if (!deepEqual(ao[k], bo[k])) return false;
  return true;
}

/** How one property changes, in the names of Pulumi's PropertyDiff.Kind. */
export type PropertyDiffKind = "ADD" | "ADD_REPLACE" | "DELETE" | "DELETE_REPLACE" | "UPDATE" | "UPDATE_REPLACE";

/**
 * The detailed diff both forms send the engine (the plugin directly, the dynamic form through its host,
 * process/hostDiff.ts): only the inputs that change, each marked as replacing or not. With it the CLI shows exactly
 * those inputs, never the old outputs as removed, and names what forces a replacement.
 */
export function detailedDiff(d: DiffResult, olds: Record<string, unknown>, news: Record<string, unknown>): Record<string, PropertyDiffKind> {
  const out: Record<string, PropertyDiffKind> = {};
  const mark = (key: string, replace: boolean) => {
    const added = olds[key] === undefined || olds[key] === null;
    const removed = news[key] === undefined || news[key] === null;
    const kind = added ? "ADD" : removed ? "DELETE" : "UPDATE";
    out[key] = replace ? (`${kind}_REPLACE` as PropertyDiffKind) : kind;
  };
  for (const k of d.replaces) mark(k, true);
  for (const k of d.updates) mark(k, false);
  return out;
}
