/**
 * One account, several stacks at once (CI runs its stages in parallel): 4 stacks of the bench program (1 Powerpack,
 * N numbers, N pool members each), each its own project and CLI, `up` at the same moment against one emulator with
 * Plivo's 300/5 s account limit, then `destroy` at the same moment. Nothing is shared but the account: each CLI
 * starts its own provider processes, each with its own rate limiter. Reported: failed commands, 429s seen by the
 * server, the account's requests per second while the stacks ran, and the wall time next to one stack alone.
 */
import * as os from "node:os";
import { startBenchEmulator, summarize, PLIVO_RATE_LIMIT } from "./lib/emulator";
import { benchNumbers } from "./lib/sdkScript";
import { openStack, PROGRAM_ENV, type BenchStack, type CommandRun } from "./lib/stack";
import { round } from "./lib/suite";
import { twoSizes, type BenchOptions, type BenchResult } from "./types";

const SIZES = { ci: { stacks: 2, numbers: 5 }, full: { stacks: 4, numbers: 50 } } as const;
const LATENCY_MS = 50;

export async function run(opts: BenchOptions): Promise<BenchResult[]> {
  const { stacks: count, numbers } = SIZES[twoSizes(opts.size)];
  const emu = await startBenchEmulator({ latencyMs: LATENCY_MS });
  const stacks: BenchStack[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const stack = await openStack({ program: "plivo-stack", stack: `account${i}`, emulator: emu, config: {}, env: PROGRAM_ENV });
      stacks.push(stack);
      const prefix = `141556${i}`;
      await stack.project.setConfig("bench:numbers", String(numbers));
      await stack.project.setConfig("bench:prefix", prefix);
      await emu.addInventory(benchNumbers(prefix, numbers));
    }
    const resources = count * (1 + 2 * numbers);
    const together = async (args: string[]) => {
      const from = emu.log.length;
      const started = performance.now();
      const runs = await Promise.all(stacks.map((s) => s.run(args, { env: PROGRAM_ENV, allowFailure: true })));
      const seconds = (performance.now() - started) / 1000;
      return { runs, seconds, summary: summarize(emu.log.slice(from)) };
    };
    const up = await together(["up", "--yes", "--skip-preview"]);
    const destroy = await together(["destroy", "--yes", "--skip-preview"]);
    // The anchor: one of the same stacks alone, on the same account (other numbers: unrented ones are held).
    await stacks[0]!.project.setConfig("bench:prefix", "1415569");
    await emu.addInventory(benchNumbers("1415569", numbers));
    const alone = await stacks[0]!.run(["up", "--yes", "--skip-preview"], { env: PROGRAM_ENV });
    await stacks[0]!.run(["destroy", "--yes", "--skip-preview"], { env: PROGRAM_ENV });

    const ceiling = PLIVO_RATE_LIMIT.limit / (PLIVO_RATE_LIMIT.windowMs / 1000);
    const failed = (runs: CommandRun[]) => runs.filter((r) => r.code !== 0);
    const out: BenchResult[] = [];
    const at = `${count} stacks × ${1 + 2 * numbers} resources @${LATENCY_MS} ms`;
    for (const [verb, r] of [
      ["up", up],
      ["destroy", destroy],
    ] as const) {
      const bad = failed(r.runs);
      out.push({
        name: `${verb} failed stacks (${at})`,
        figure: bad.length,
        unit: "stacks",
        target: "0",
        pass: bad.length === 0,
        notes: bad.length
          ? bad
              .map((b) =>
                b.stdout
                  .split("\n")
                  .filter((l) => /error/i.test(l))
                  .slice(0, 3)
                  .join(" / "),
              )
              .join("; ")
          : `${r.summary.total} requests, ${r.summary.tooMany} × 429`,
      });
      out.push({
        name: `${verb} account requests/s (${at})`,
        figure: round(r.summary.perSecond),
        unit: "req/s",
        anchor: { name: "rate-limit ceiling", figure: ceiling },
        ratio: round(r.summary.perSecond / ceiling),
        notes: `${r.summary.total} requests for ${resources} resources in ${round(r.seconds)} s, ${r.summary.tooMany} × 429`,
      });
    }
    out.push({
      name: `up wall time (${at})`,
      figure: round(up.seconds),
      unit: "s",
      anchor: { name: "one stack alone", figure: round(alone.seconds) },
      ratio: round(up.seconds / alone.seconds),
      notes: `${count} CLIs at once on ${os.cpus().length} cores`,
    });
    return out;
  } finally {
    for (const s of stacks) await s.close().catch(() => undefined);
    await emu.close();
  }
}
