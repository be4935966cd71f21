/**
 * The anchor users compare us with: the sequential script the provider replaces, written with the official `plivo`
 * SDK. It creates the bench stack's objects one request at a time (Powerpack, then buy every number, then add every
 * number to the pool) and deletes them again.
 */
import type { BenchEmulator } from "./emulator";

// The official SDK is CommonJS without types.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const plivo = require("plivo") as { Client: new (id: string, token: string, opts: { url: string }) => any };

export interface ScriptRun {
  powerpackUuid: string;
  seconds: number;
  requests: number;
  tooMany: number;
}

export function benchNumbers(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}${String(i).padStart(4, "0")}`);
}

/** Buys `numbers`, creates a Powerpack named `name` and adds every number to its pool, sequentially. */
export async function runScript(emu: BenchEmulator, name: string, numbers: string[]): Promise<ScriptRun> {
  const client = new plivo.Client(emu.authId, emu.authToken, { url: `${emu.url}/v1/Account/${emu.authId}` });
  const from = emu.log.length;
  const started = performance.now();
  const created = await client.powerpacks.create(name);
  const pp = await client.powerpacks.get(created.uuid);
  for (const n of numbers) await client.numbers.buy(n);
  for (const n of numbers) await pp.add_number(n);
  const seconds = (performance.now() - started) / 1000;
  const requests = emu.log.slice(from);
  return { powerpackUuid: created.uuid, seconds, requests: requests.length, tooMany: requests.filter((r) => r.status === 429).length };
}

/** Undoes `runScript` (not timed): removes the members, unrents the numbers, deletes the Powerpack. */
export async function cleanScript(emu: BenchEmulator, run: ScriptRun, numbers: string[]): Promise<void> {
  const client = new plivo.Client(emu.authId, emu.authToken, { url: `${emu.url}/v1/Account/${emu.authId}` });
  await (await client.powerpacks.get(run.powerpackUuid)).delete(false);
  for (const n of numbers) {
    try {
      await client.numbers.unrent(n);
    } catch {
      // already unrented
    }
  }
}
