/** The suite runner: runs the benchmark modules (bench/<name>.ts), prints each figure with its anchor and ratio. */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { machine } from "./processes";
import type { BenchModule, BenchOptions, BenchResult } from "../types";

/** A figure rounded for the report (2 decimals unless told). */
export const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

/** The suite, in order. A module that does not exist (yet) is reported as skipped. */
export const MODULES = ["stack", "stacks", "readbacks", "waits", "rateLimit", "emulator"];

export interface SuiteResult {
  size: BenchOptions["size"];
  startedAt: string;
  /** The commit measured (`+changes` when the work tree differed from it). */
  commit: string;
  /** The BENCH_* variables that narrowed the run. */
  narrowed: Record<string, string>;
  seconds: number;
  machine: ReturnType<typeof machine> & { loadAverageAfter: number[] };
  modules: Record<string, { results: BenchResult[]; seconds: number; error?: string; skipped?: string }>;
}

export async function runSuite(opts: BenchOptions & { only?: string[]; log?: (line: string) => void }): Promise<SuiteResult> {
  const log = opts.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const started = Date.now();
  const narrowed = Object.fromEntries(Object.entries(process.env).filter(([k, v]) => k.startsWith("BENCH_") && v !== undefined)) as Record<string, string>;
  const suite: SuiteResult = {
    size: opts.size,
    startedAt: new Date(started).toISOString(),
    commit: commitOf(),
    narrowed,
    seconds: 0,
    machine: { ...machine(), loadAverageAfter: [] },
    modules: {},
  };
  log(
    `commit ${suite.commit}${
      Object.keys(narrowed).length
        ? `; ${Object.entries(narrowed)
            .map(([k, v]) => `${k}=${v}`)
            .join(" ")}`
        : ""
    }`,
  );
  for (const name of MODULES) {
    if (opts.only && !opts.only.includes(name)) continue;
    const file = path.join(__dirname, "..", `${name}.ts`);
    if (!fs.existsSync(file)) {
      suite.modules[name] = { results: [], seconds: 0, skipped: `bench/${name}.ts does not exist` };
      log(`\n## ${name}: skipped (bench/${name}.ts does not exist)`);
      continue;
    }
    const t0 = Date.now();
    log(`\n## ${name} (size ${opts.size})`);
    try {
      const mod = (await import(`../${name}`)) as BenchModule;
      const results = await mod.run({ size: opts.size });
      suite.modules[name] = { results, seconds: (Date.now() - t0) / 1000 };
      for (const line of table(results)) log(line);
    } catch (err) {
      const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
      suite.modules[name] = { results: [], seconds: (Date.now() - t0) / 1000, error: message };
      log(`FAILED: ${message}`);
    }
  }
  suite.seconds = (Date.now() - started) / 1000;
  suite.machine.loadAverageAfter = machine().loadAverage;
  return suite;
}

function commitOf(): string {
  const git = (...args: string[]) => execFileSync("git", args, { cwd: path.join(__dirname, "..", ".."), encoding: "utf8" }).trim();
  try {
    return `${git("rev-parse", "--short", "HEAD")}${git("status", "--porcelain", "--untracked-files=no") ? "+changes" : ""}`;
  } catch {
    return "unknown";
  }
}

export function table(results: BenchResult[]): string[] {
  const rows = results.map((r) => [
    r.name,
    `${r.figure} ${r.unit}`,
    r.anchor ? `${r.anchor.figure} (${r.anchor.name})` : "",
    r.ratio !== undefined ? `${r.ratio}×` : "",
    r.target ?? "",
    r.pass === undefined ? "" : r.pass ? "pass" : "MISS",
    r.notes ?? "",
  ]);
  const head = ["measure", "figure", "anchor", "ratio", "target", "", "notes"];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join(" | ")
      .trimEnd();
  return [line(head), widths.map((w) => "-".repeat(w)).join("-|-"), ...rows.map(line)];
}

/** Writes the suite as bench/results/<size>-<timestamp>.json and returns the path. */
export function writeResults(suite: SuiteResult, dir = path.join(__dirname, "..", "results")): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${suite.size}-${suite.startedAt.replace(/[:.]/g, "-")}.json`);
  fs.writeFileSync(file, `${JSON.stringify(suite, null, 2)}\n`);
  return file;
}
