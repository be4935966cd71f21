/**
 * Assertions the provider-plugin engine tests add to emulatorFixture.ts: the detailed diff the plugin reports per
 * property, what was imported, and proof that an operation changed nothing on the Plivo account.
 */
import { expect } from "vitest";
import { plivoResources, type ExampleSession } from "./emulatorFixture";
import type { PulumiProject } from "./harness";

/** Property → kind (`update`, `update-replace`, `add`, `delete`, …) of a resource's step in a `preview --json`. */
export function detailedDiffOf(json: any, name: string): Record<string, string> {
  const step = (json.steps ?? []).find((s: any) => String(s.urn).endsWith(`::${name}`));
  expect(step, `no step for ${name}`).toBeDefined();
  return Object.fromEntries(Object.entries(step.detailedDiff ?? {}).map(([k, v]: [string, any]) => [k, v.kind]));
}

/** `Type::name` resources are in the state. */
export async function expectImported(p: PulumiProject, keys: string[]): Promise<void> {
  const have = (await plivoResources(p)).map((r) => `${r.type}::${r.name}`);
  expect(have).toEqual(expect.arrayContaining(keys));
}

/** What changed the account so far: ledger entries and API requests other than GET (the emulator's request log). */
export async function mutations(s: ExampleSession): Promise<{ ledger: number; writes: string[] }> {
  const ledger = ((await s.emulator.control("GET", "ledger")).body as { ledger: unknown[] }).ledger.length;
  const log = (await s.emulator.control("GET", "requests")).body as { method: string; path: string }[];
  return { ledger, writes: log.filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.path}`) };
}

/**
 * Takes resources the program created out of the state and brings them back with `pulumi import <token> <name> <id>`
 * one by one, as a user adopting existing objects would (the program keeps declaring them). Dependents are forgotten
 * first. Returns the ids imported, by `Type::name`.
 */
export async function forgetAndImport(p: PulumiProject, keys: string[]): Promise<Record<string, string>> {
  const all = await plivoResources(p);
  const chosen = all.filter((r) => keys.includes(`${r.type}::${r.name}`));
  expect(chosen.map((r) => `${r.type}::${r.name}`).sort()).toEqual([...keys].sort());
  const stack = ["--stack", p.stack, "--non-interactive"];
  // The state lists dependencies before dependents: forget in reverse.
  await p.run(["state", "delete", ...chosen.map((r) => r.urn).reverse(), "--yes", "--force", ...stack]);
  const ids: Record<string, string> = {};
  for (const r of chosen) {
    await p.run(["import", `plivo:index:${r.type}`, r.name, r.id!, "--yes", "--skip-preview", "--generate-code=false", "--protect=false", ...stack]);
    ids[`${r.type}::${r.name}`] = r.id!;
  }
  return ids;
}
