/**
 * Account snapshots: one list walk per provider process (and scope), shared by every create that asks. A create
 * that may follow an interrupted one — on a runner where no create journal survived — looks in it for what the
 * interrupted run bought or made (provider/resources/unrecorded.ts), so the ordinary path pays one walk per
 * process instead of one look-up per create. What a snapshot shows is the account before this process's own
 * creates; each caller excludes what this process made since.
 */
import type { ResourceContext } from "./context";

type Wire = Record<string, unknown>;

interface Snapshot {
  at: number;
  items: Promise<Wire[]>;
}

/** A long-lived process (the plugin serving several commands) walks again after this long. */
export const SNAPSHOT_MAX_AGE_MS = 10 * 60_000;

let snapshots = new WeakMap<object, Map<string, Snapshot>>();

/**
 * The items `load` lists for `key`, walked once per client and key (concurrent callers share the walk). A failed
 * walk is forgotten, so the next caller tries again.
 */
export function snapshot(ctx: ResourceContext, key: string, load: () => Promise<Wire[]>, now = Date.now()): { at: number; items: Promise<Wire[]> } {
  let byKey = snapshots.get(ctx.client);
  if (!byKey) snapshots.set(ctx.client, (byKey = new Map()));
  const known = byKey.get(key);
  if (known && now - known.at < SNAPSHOT_MAX_AGE_MS) return known;
  const fresh: Snapshot = { at: now, items: load() };
  byKey.set(key, fresh);
  fresh.items.catch(() => {
    if (byKey!.get(key) === fresh) byKey!.delete(key);
  });
  return fresh;
}

/** Forgets every snapshot (tests that reset the emulator between cases). */
export function forgetSnapshots(): void {
  snapshots = new WeakMap();
}
