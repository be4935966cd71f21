/**
 * The emulator's ledger (`GET /__emulator/ledger`): every buy/unrent, create/update/delete, add/remove,
 * submit/unlink/deactivate, in order. Tests use it to prove what was bought or submitted, and how often.
 */
import { expect } from "vitest";
import type { EmulatorClient } from "./emulator";

export interface LedgerEntry {
  seq: number;
  at: string;
  action: string;
  resource?: string;
  id?: string;
  number?: string;
  [extra: string]: unknown;
}

export interface LedgerFilter {
  action?: string;
  resource?: string;
  id?: string;
  number?: string;
}

/** The ledger entries matching every given field of `filter` (all of them without one). */
export async function ledger(t: EmulatorClient, filter: LedgerFilter = {}): Promise<LedgerEntry[]> {
  const res = await t.control<{ ledger: LedgerEntry[] }>("GET", "ledger");
  if (res.status !== 200) throw new Error(`GET /__emulator/ledger: ${res.status} ${res.text}`);
  return res.body.ledger.filter(
    (e) =>
      (filter.action === undefined || e.action === filter.action) &&
      (filter.resource === undefined || e.resource === filter.resource) &&
      (filter.id === undefined || e.id === filter.id) &&
      (filter.number === undefined || e.number === filter.number),
  );
}

/** How many submissions (paid registrations) of a resource type, or of one object, the emulator received. */
export async function submissions(t: EmulatorClient, resource: string, id?: string): Promise<number> {
  return (await ledger(t, { action: "submit", resource, id })).length;
}

/** Every number bought was bought once and unrented once (nothing bought twice, nothing left rented). */
export async function expectLedgerBalanced(t: EmulatorClient): Promise<Record<string, { buy: number; unrent: number }>> {
  const counts: Record<string, { buy: number; unrent: number }> = {};
  for (const e of await ledger(t)) {
    if ((e.action !== "buy" && e.action !== "unrent") || !e.number) continue;
    counts[e.number] ??= { buy: 0, unrent: 0 };
    counts[e.number]![e.action as "buy" | "unrent"]++;
  }
  expect(Object.keys(counts).length).toBeGreaterThan(0);
  for (const [number, c] of Object.entries(counts)) expect({ number, ...c }).toEqual({ number, buy: 1, unrent: 1 });
  return counts;
}
