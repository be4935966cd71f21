/**
 * Resuming an interrupted create: find what an earlier create of this resource made that the state never recorded,
 * and take it over instead of paying again. Three sources, in order:
 * - the journal (journal.ts) of this machine, when it holds entries of this resource;
 * - paid registrations (`lookBeforeCreate`): their natural key, one request before each submission;
 * - everything else (`findUnrecorded`): the account itself, through one list walk per process shared by all creates
 *   (snapshot.ts) — the purchase marker of a number, a recent unmarked purchase matching the search, a free object
 *   with the same natural key and the same declared values. This is what a fresh runner (no journal) or a run with
 *   PULUMI_SKIP_CHECKPOINTS (no state of the killed run) relies on; see docs/reliability.md.
 * Whatever the source, an object another stack's state holds (claims.ts) is never taken over.
 */
import { claimsOn, describeClaims } from "./claims";
import type { ResourceContext } from "./context";
import { diffInputs } from "./diff";
import type { Props, ResourceHandler, Unrecorded } from "./handler";
import { liveWriter, type CreateJournal, type StoredEntry } from "./journal";
import { readOutputs } from "./read";
import { gateUpdates } from "./settle";

/** Objects created or taken over by this process, by `type/id` → URN: a look-before-create never takes a sibling's. */
const madeHere = new Map<string, string | undefined>();
/** Objects the state holds (the engine diffed, read, updated or deleted them in this process), by `type/id`. */
const held = new Set<string>();

/** Ids the program declares for resources that adopt an existing object (an exact `number`), by `type/id`. */
const declared = new Set<string>();

/** Records what a create of this process returned. */
export function noteCreated(ctx: ResourceContext, id: string): void {
  madeHere.set(`${ctx.type}/${id}`, ctx.urn);
}

/** Forgets what this process made, held and saw declared (tests that reset the emulator between cases). */
export function forgetTakeovers(): void {
  madeHere.clear();
  held.clear();
  declared.clear();
}

/** The program declares `id` for some resource (seen in its check): no other create may take that object over. */
export function noteDeclared(type: string, id: string): void {
  declared.add(`${type}/${id}`);
}

/**
 * Whether an object found in the account is out of bounds for a takeover by `urn`: another resource of this run
 * made, took over or declares it, or the state holds it.
 */
export function takenElsewhere(type: string, id: string, urn: string | undefined): boolean {
  const key = `${type}/${id}`;
  return (madeHere.has(key) && madeHere.get(key) !== urn) || held.has(key) || declared.has(key);
}

/**
 * The engine holds `id` for the resource (it diffs, reads, updates or deletes it; both forms of the provider call
 * this): its journal entries are done, and no look-before-create may take that object over (a forced replacement
 * creates while the old one exists).
 */
export function stateHolds(journal: CreateJournal | undefined, type: string, urn: string | undefined, id: string): void {
  held.add(`${type}/${id}`);
  if (!journal || !urn) return;
  try {
    journal.settle(urn, id);
  } catch {
    // A stale entry costs one lookup on a later create of this resource; never fail an operation over it.
  }
}

/** How long a create waits for another live provider process (a killed CLI's) to finish the same create. */
export const WRITER_WAIT_MS = 75_000;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * After a SIGKILL of the CLI its provider process may still be finishing this very create (buy, then marker): wait
 * until it exits (it does once idle, or after its grace period) so two processes never race for one object.
 */
async function waitForWriters(ctx: ResourceContext, entries: StoredEntry[], maxMs: number): Promise<void> {
  const deadline = Date.now() + maxMs;
  let told = false;
  while (entries.some(liveWriter) && Date.now() < deadline) {
    ctx.checkNotStopping("waiting for an interrupted create");
    if (!told) {
      const pids = [...new Set(entries.filter(liveWriter).map((e) => e.pid))].join(", ");
      ctx.progress(`an interrupted run's provider process (pid ${pids}) is still finishing this create: waiting for it`);
      told = true;
    }
    await sleep(250);
  }
}

/**
 * The id of the object an interrupted create of this resource made, with its updatable fields set to the declared
 * values; undefined when nothing is pending (or what was made cannot be taken over: a warning says so).
 */
export async function resumeInterrupted(
  h: ResourceHandler,
  ctx: ResourceContext,
  inputs: Props,
  opts: { writerWaitMs?: number; refused?: unknown } = {},
): Promise<string | undefined> {
  if (opts.refused !== undefined) {
    const found = h.findAfterRefusal ? await h.findAfterRefusal(ctx, inputs, opts.refused) : undefined;
    return found ? takeOver(h, ctx, inputs, found, []) : undefined;
  }
  const journal = ctx.journal;
  let entries = h.findInterrupted ? (journal?.pending() ?? []) : [];
  if (entries.length > 0) {
    await waitForWriters(ctx, entries, opts.writerWaitMs ?? WRITER_WAIT_MS);
    entries = journal!.pending();
  }
  let found: Unrecorded | undefined;
  if (entries.length > 0 || (h.lookBeforeCreate && h.findInterrupted)) {
    ctx.progress(
      entries.length > 0
        ? `an earlier create of this resource was interrupted (${entries.map((e) => e.key).join("; ")}): looking for what it made`
        : "looking for an earlier submission of this resource before paying for another",
    );
    const id = await h.findInterrupted!(ctx, inputs, entries);
    if (id !== undefined) found = { id, how: entries.length > 0 ? "journal" : "natural key" };
  } else if (h.findUnrecorded) {
    found = await h.findUnrecorded(ctx, inputs);
  }
  if (found === undefined) return undefined;
  return takeOver(h, ctx, inputs, found, entries);
}

/** Takes `found` over for this resource, unless another resource of the run or the state has it, or it differs. */
async function takeOver(h: ResourceHandler, ctx: ResourceContext, inputs: Props, found: Unrecorded, entries: StoredEntry[]): Promise<string | undefined> {
  const journal = ctx.journal;
  const { id } = found;
  const key = `${ctx.type}/${id}`;
  // Never what another resource of this run made, nor (without a journal entry naming it) what the state holds.
  if (madeHere.has(key) && madeHere.get(key) !== ctx.urn) return undefined;
  if (entries.length === 0 && (held.has(key) || declared.has(key))) return undefined;
  // Claimed from here on (before anything is awaited): a sibling create with the same key looks elsewhere.
  madeHere.set(key, ctx.urn);
  const release = () => {
    if (madeHere.get(key) === ctx.urn) madeHere.delete(key);
  };
  // Never what another stack's state (or another resource of this one) holds, when only a name, an unmarked
  // purchase or a submission's key says it is this resource's. What this machine's journal or the object's purchase
  // marker says this resource made is its own: a state that lists it too is stale (released, then bought again).
  const owners = await claimsOn(ctx, id);
  const proven = entries.some((e) => e.id === id) || found.markedForThisResource === true;
  if (owners.by.length > 0 && !proven) {
    ctx.progress(`${id} has this resource's key but belongs to ${describeClaims(ctx.type, owners.by)}: not taken over`);
    release();
    return undefined;
  }
  const current = await readOutputs(h, ctx, id, inputs);
  if (!current) {
    release();
    return undefined;
  }
  const d = diffInputs(h.schema, current, inputs);
  if (found.onlyIfUnchanged && (d.replaces.length > 0 || d.updates.length > 0)) {
    // Nothing but its key says it is this resource's: one that differs may be another stack's, so it is left alone.
    release();
    return undefined;
  }
  if (d.replaces.length > 0) {
    ctx.warn(
      `${id}, made earlier for this resource, differs from the program in ${d.replaces.join(", ")}; it is left in the account ` +
        "(`pulumi-plivo scan` lists it) and a new one is created",
    );
    for (const e of journal?.pending() ?? []) if (e.id === id) journal!.discard(e);
    release();
    return undefined;
  }
  if (d.updates.length > 0) {
    gateUpdates(h, current, inputs, d);
    await h.update(ctx, id, current, inputs, d);
  }
  if (owners.by.length > 0) {
    ctx.warn(`${id} was made for this resource, but ${describeClaims(ctx.type, owners.by)} lists it too (a stale state?): check with \`pulumi-plivo scan\``);
  }
  // Until the state holds it, the taken-over object stays in the journal under its id.
  if (journal && !journal.pending().some((e) => e.id === id)) journal.record(`${ctx.type} ${id} (taken over)`, id);
  if (found.how === "journal") ctx.progress(`took over ${id}, left by an earlier, interrupted create`);
  else if (found.how === "natural key") {
    // No journal says so: it has this resource's natural key, and no other resource of this run made it.
    ctx.warn(
      `took over ${id}, an earlier submission with this resource's natural key that no state records (an interrupted run?), ` +
        "instead of paying for another; if another stack manages it, declare this resource with a different key",
    );
  } else ctx.warn(`took over ${id}, ${found.how}, that no state records (left by an interrupted run)`);
  return id;
}
