/**
 * The account budget: how much of Plivo's account limit (300 requests per 5 s, the emulator enforcing it)
 * the provider's client uses, alone and as 4 independent OS processes sharing the account (the Pulumi CLI's
 * provider processes, stacks run in parallel in CI). Each process has its own client and rate limiter and
 * sends a fixed number of requests (one in four an application create, the rest list calls) with 10 in
 * flight; nothing but the server is shared. Reported per run: requests/s the server accepted (from "go" to
 * the last process finishing) and its ratio to the limit, 429s seen, failed requests.
 *
 * Targets (issue 12): ≥ 0.9 × the limit for one process (the pacing leaves 8 % for jitter), ≥ 0.8 × the limit
 * and 0 failures for 4 processes. A run's throughput includes its start (the first burst) and its end
 * (processes that finish early); with the emulator's fixed windows (see SIZES) small sizes are approximate.
 *
 * Standalone: `PLIVO_BENCH_RATE_LIMIT=ci npx vite-node bench/rateLimit.ts` (or `=full`).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { startEmulator } from "../emulator/server";
import { runAccountLoad, type AccountLoadResult } from "../test/helpers/accountLoad";
import { twoSizes, type BenchOptions, type BenchResult } from "./types";

const LIMIT = { limit: 300, windowMs: 5000 };
const LIMIT_PER_SECOND = LIMIT.limit / (LIMIT.windowMs / 1000);

// Several windows per run: the emulator counts in fixed 5 s windows (each starting at the first request after
// the previous one), so a run of T s may be served up to ceil(T / 5) × 300 requests; short runs read high.
const SIZES = {
  ci: { single: 600, perProcess: 250 },
  full: { single: 1800, perProcess: 900 },
};

function results(label: string, processes: number, r: AccountLoadResult, minRatio: number): BenchResult[] {
  const ratio = r.requestsPerSecond / LIMIT_PER_SECOND;
  const total = r.ok + r.failed;
  const windows = Math.ceil(r.elapsedMs / LIMIT.windowMs);
  const notes =
    `${processes} process${processes > 1 ? "es" : ""} × ${total / processes} requests (${r.creates} creates) in ${(r.elapsedMs / 1000).toFixed(1)} s ` +
    `(${windows} emulator windows of 300/5 s: at most ${windows * LIMIT.limit} could be served); ${r.attempts} HTTP attempts`;
  return [
    {
      name: `rateLimit.${label}.throughput`,
      figure: Math.round(r.requestsPerSecond * 10) / 10,
      unit: "requests/s",
      anchor: { name: "account limit (300 per 5 s)", figure: LIMIT_PER_SECOND },
      ratio: Math.round(ratio * 1000) / 1000,
      target: `≥ ${minRatio} × limit`,
      pass: ratio >= minRatio && r.failed === 0,
      notes,
    },
    { name: `rateLimit.${label}.429s`, figure: r.throttled, unit: "responses", notes: `429s seen by the clients (all retried); ${notes}` },
    { name: `rateLimit.${label}.failed`, figure: r.failed, unit: "requests", target: "0", pass: r.failed === 0, notes },
  ];
}

export async function run(opts: BenchOptions): Promise<BenchResult[]> {
  const size = SIZES[twoSizes(opts.size)];
  const out: BenchResult[] = [];
  for (const [label, processes, perProcess, minRatio] of [
    ["1process", 1, size.single, 0.9],
    ["4processes", 4, size.perProcess, 0.8],
  ] as const) {
    // A fresh emulator per run, so one run's window does not spill into the next.
    const emu = await startEmulator({ port: 0, rateLimit: LIMIT });
    try {
      const r = await runAccountLoad({
        baseUrl: emu.url,
        authId: emu.authId,
        authToken: emu.authToken,
        processes,
        requestsPerProcess: perProcess,
        postEvery: 4,
        tag: `bench-${label}`,
      });
      out.push(...results(label, processes, r, minRatio));
    } finally {
      await emu.close();
    }
  }
  return out;
}

const standalone = process.env.PLIVO_BENCH_RATE_LIMIT;
if (standalone === "ci" || standalone === "full") {
  run({ size: standalone }).then(
    (res) => {
      for (const r of res) {
        const ratio = r.ratio !== undefined ? `  ${r.ratio} × ${r.anchor!.name}` : "";
        const verdict = r.pass === undefined ? "" : r.pass ? "  pass" : "  FAIL";
        console.log(`${r.name.padEnd(32)} ${String(r.figure).padStart(8)} ${r.unit}${ratio}${r.target ? `  (target ${r.target})` : ""}${verdict}`);
      }
      const dir = path.join(__dirname, "results");
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, `rateLimit-${standalone}.json`), `${JSON.stringify(res, null, 2)}\n`);
    },
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
