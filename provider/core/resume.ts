/**
 * Resuming an interrupted create: when the journal (journal.ts) holds entries of earlier creates of this resource
 * that the state never recorded, find what they made and take it over instead of paying again. Costs nothing when
 * the journal holds nothing for the resource (the happy path sends no "is it mine" request).
 */
import type { ResourceContext } from "./context";
import { diffInputs } from "./diff";
import type { Props, ResourceHandler } from "./handler";
import { liveWriter, type CreateJournal, type StoredEntry } from "./journal";
import { readOutputs } from "./read";
import { gateUpdates } from "./settle";

/** Objects created or taken over by this process, by `type/id` → URN: a look-before-create never takes a sibling's. */
const madeHere = new Map<string, string | undefined>();
/** Objects the state holds (the engine diffed, read, updated or deleted them in this process), by `type/id`. */
const held = new Set<string>();

/** Records what a create of this process returned. */
export function noteCreated(ctx: ResourceContext, id: string): void {
  madeHere.set(`${ctx.type}/${id}`, ctx.urn);
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
export async function resumeInterrupted(h: ResourceHandler, ctx: ResourceContext, inputs: Props, opts: { writerWaitMs?: number } = {}): Promise<string | undefined> {
  if (!h.findInterrupted) return undefined;
  const journal = ctx.journal;
  let entries = journal?.pending() ?? [];
  if (entries.length > 0) {
    await waitForWriters(ctx, entries, opts.writerWaitMs ?? WRITER_WAIT_MS);
    entries = journal!.pending();
  }
  if (entries.length === 0 && !h.lookBeforeCreate) return undefined;
  ctx.progress(
    entries.length > 0
      ? `an earlier create of this resource was interrupted (${entries.map((e) => e.key).join("; ")}): looking for what it made`
      : "looking for an earlier submission of this resource before paying for another",
  );
  const id = await h.findInterrupted(ctx, inputs, entries);
  if (id === undefined) return undefined;
  const key = `${ctx.type}/${id}`;
  // Never what another resource of this run made, nor (without a journal entry naming it) what the state holds.
  if (madeHere.has(key) && madeHere.get(key) !== ctx.urn) return undefined;
  if (entries.length === 0 && held.has(key)) return undefined;
  const current = await readOutputs(h, ctx, id, inputs);
  if (!current) return undefined;
  const d = diffInputs(h.schema, current, inputs);
  if (d.replaces.length > 0) {
    ctx.warn(
      `${id}, made earlier for this resource, differs from the program in ${d.replaces.join(", ")}; it is left in the account ` +
        "(`pulumi-plivo scan` lists it) and a new one is created",
    );
    for (const e of journal?.pending() ?? []) if (e.id === id) journal!.discard(e);
    return undefined;
  }
  if (d.updates.length > 0) {
    gateUpdates(h, current, inputs, d);
    await h.update(ctx, id, current, inputs, d);
  }
  // Until the state holds it, the taken-over object stays in the journal under its id.
  if (journal && !journal.pending().some((e) => e.id === id)) journal.record(`${ctx.type} ${id} (taken over)`, id);
  if (entries.length > 0) ctx.progress(`took over ${id}, left by an earlier, interrupted create`);
  else {
    // No journal says so: it has this resource's natural key, and no other resource of this run made it.
    ctx.warn(
      `took over ${id}, an earlier submission with this resource's natural key that no state records (an interrupted run?), ` +
        "instead of paying for another; if another stack manages it, declare this resource with a different key",
    );
  }
  return id;
}
