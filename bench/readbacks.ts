/**
 * Read-backs however fast the engine hands out creates: numbers checked first (as the program registers them), then
 * created at a fixed rate with at most 8 in flight (the CLI's default `--parallel` on 2 cores), driven through the
 * provider in this process against the emulator (50 ms latency, 300/5 s). A large stack's checkpoints make the engine
 * hand out a few creates a second; a small stack's, as fast as slots free. Measured per rate: the read requests per
 * number bought (each number must be read back for its outputs: the buy's answer carries none) and the time next to
 * the rate's own (what the engine's pace allows).
 */
import * as runtime from "../provider/runtime";
import { startBenchEmulator } from "./lib/emulator";
import { benchNumbers } from "./lib/sdkScript";
import { round } from "./lib/suite";
import { twoSizes, type BenchOptions, type BenchResult } from "./types";

const SCENARIOS = { ci: { numbers: 20, rates: [5, 1000] }, full: { numbers: 100, rates: [3, 10, 30, 1000] } } as const;
const SLOTS = 8;
const LATENCY_MS = 50;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function run(opts: BenchOptions): Promise<BenchResult[]> {
  const { numbers: count, rates } = SCENARIOS[twoSizes(opts.size)];
  const emu = await startBenchEmulator({ latencyMs: LATENCY_MS });
  // Without an engine the provider prints its progress on stderr: one line per number.
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]) =>
    /^(warning: )?PhoneNumber "/.test(String(chunk)) || write(chunk as string, ...(rest as []))) as typeof process.stderr.write;
  const out: BenchResult[] = [];
  try {
    const config: Record<string, string> = { "plivo:authId": emu.authId, "plivo:authToken": emu.authToken, "plivo:baseUrl": emu.url };
    await runtime.configure({ config: { get: (k: string) => config[k], require: (k: string) => config[k] } } as never);
    for (const [i, rate] of rates.entries()) {
      const numbers = benchNumbers(`141559${i}`, count);
      await emu.addInventory(numbers);
      const checked = [];
      for (const [j, n] of numbers.entries()) checked.push(await runtime.check("PhoneNumber", `rate${rate}-${j}`, {}, { number: n }));
      const from = emu.log.length;
      let inFlight = 0;
      const started = performance.now();
      const creates: Promise<unknown>[] = [];
      for (const [j, c] of checked.entries()) {
        while (inFlight >= SLOTS) await sleep(2);
        inFlight++;
        creates.push(runtime.create("PhoneNumber", `rate${rate}-${j}`, c.inputs as Record<string, unknown>).finally(() => inFlight--));
        await sleep(1000 / rate);
      }
      await Promise.all(creates);
      const seconds = (performance.now() - started) / 1000;
      const reads = emu.log.slice(from).filter((r) => r.method === "GET" && /\/Number\//.test(r.path)).length;
      const paced = count / rate;
      const label = rate >= 1000 ? "as fast as slots free" : `${rate} creates/s`;
      out.push({
        name: `read-back requests per number (${label})`,
        figure: round(reads / count),
        unit: "req/number",
        target: "≤ 0.3",
        pass: reads / count <= 0.3,
        notes: `${count} numbers, ${SLOTS} in flight at most, ${LATENCY_MS} ms latency; ${reads} reads`,
      });
      if (rate < 1000) {
        out.push({
          name: `time of ${count} creates (${label})`,
          figure: round(seconds),
          unit: "s",
          anchor: { name: "the rate's own pace", figure: round(paced) },
          ratio: round(seconds / paced),
          target: "≤ 1.15 × the pace",
          pass: seconds <= 1.15 * paced,
          notes: "read-backs wait for numbers of their page still to come, never longer than the engine's pace allows",
        });
      }
    }
  } finally {
    process.stderr.write = write;
    await emu.close();
  }
  return out;
}
