/**
 * The bench stack (1 Powerpack, N numbers, N pool members) through the real CLI against the emulator with its
 * 300/5 s rate limit: `up`, no-change `preview`, `refresh` and `destroy`, each next to its anchor measured in the
 * same run — the same stack shape made of no-op dynamic resources (the engine's floor) and the sequential script
 * with the official `plivo` SDK — at 50 ms and 200 ms of emulator latency.
 */
import { numberPoolMemberSchema } from "../schema/numberPoolMember";
import { phoneNumberSchema } from "../schema/phoneNumber";
import { powerpackSchema } from "../schema/powerpack";
import type { ResourceSchema } from "../schema/resource";
import { byEndpoint, startBenchEmulator, PLIVO_RATE_LIMIT, type BenchEmulator } from "./lib/emulator";
import { benchNumbers, cleanScript, runScript, type ScriptRun } from "./lib/sdkScript";
import { openStack, PROGRAM_ENV, type BenchStack, type CommandRun } from "./lib/stack";
import { round } from "./lib/suite";
import type { BenchOptions, BenchResult } from "./types";

/** Resources per stack (1 Powerpack + N numbers + N members ≈ the size). */
export const SIZES = { ci: [20], full: [50, 200, 400] } as const;
export const LATENCIES = { ci: [50], full: [50, 200] } as const;

const propsOf = (s: ResourceSchema) => Object.keys(s.inputs).length + Object.keys(s.outputs).length + 1;
const NOOP_PROPS = JSON.stringify({ Powerpack: propsOf(powerpackSchema), PhoneNumber: propsOf(phoneNumberSchema), NumberPoolMember: propsOf(numberPoolMemberSchema) });

/** The --parallel of the second up at a real API's latency (the CLI's default is 4 per core: 8 on 2 cores). */
const WIDE_PARALLEL = 32;


export interface StackFigures {
  size: number;
  resources: number;
  latencyMs: number;
  up?: CommandRun;
  /** The same up with `--parallel ${WIDE_PARALLEL}` (at the second latency only). */
  upWide?: CommandRun;
  preview?: CommandRun;
  refresh?: CommandRun;
  destroy?: CommandRun;
  noopUp?: CommandRun;
  noopPreview?: CommandRun;
  noopDestroy?: CommandRun;
  script?: ScriptRun;
}


export async function run(opts: BenchOptions): Promise<BenchResult[]> {
  const sizes = process.env.BENCH_SIZES ? process.env.BENCH_SIZES.split(",").map(Number) : [...SIZES[opts.size]];
  const latencies = process.env.BENCH_LATENCIES ? process.env.BENCH_LATENCIES.split(",").map(Number) : [...LATENCIES[opts.size]];
  const emu = await startBenchEmulator({ latencyMs: latencies[0]! });
  const stacks: BenchStack[] = [];
  const results: BenchResult[] = [];
  try {
    const ours = await openStack({ program: "plivo-stack", stack: "bench", emulator: emu, config: {}, env: PROGRAM_ENV });
    stacks.push(ours);
    const floor = await openStack({ program: "noop-stack", stack: "bench", emulator: emu, config: { "bench:props": NOOP_PROPS }, env: PROGRAM_ENV });
    stacks.push(floor);
    for (const size of sizes) {
      for (const latencyMs of latencies) {
        const figures = await measure(emu, ours, floor, size, latencyMs, latencyMs === latencies[0]);
        results.push(...report(figures));
        process.stderr.write(`[bench stack] size ${size} @${latencyMs} ms: ${JSON.stringify(brief(figures))}\n`);
      }
    }
  } finally {
    for (const s of stacks) await s.close().catch(() => undefined);
    await emu.close();
  }
  return results;
}

async function measure(emu: BenchEmulator, ours: BenchStack, floor: BenchStack, size: number, latencyMs: number, full: boolean): Promise<StackFigures> {
  const count = Math.max(1, Math.floor(size / 2));
  const f: StackFigures = { size, resources: 1 + 2 * count, latencyMs };
  await emu.setLatency(latencyMs);
  const stackPrefix = `1415${latencyMs === 200 ? "552" : "551"}`;
  const scriptPrefix = `1415${latencyMs === 200 ? "554" : "553"}`;
  const config = async (s: BenchStack, prefix: string) => {
    await s.project.setConfig("bench:numbers", String(count));
    await s.project.setConfig("bench:prefix", prefix);
  };

  // While working on one figure, BENCH_ANCHORS=0 skips the anchors (the no-op stack and the script).
  const anchors = process.env.BENCH_ANCHORS !== "0";
  // The engine's floor first (it makes no API call, so latency does not matter to it).
  if (full && anchors) {
    await config(floor, stackPrefix);
    f.noopUp = await floor.run(["up", "--yes", "--skip-preview"], { env: PROGRAM_ENV });
    f.noopPreview = await floor.run(["preview", "--expect-no-changes"], { env: PROGRAM_ENV });
  }

  await config(ours, stackPrefix);
  await emu.addInventory(benchNumbers(stackPrefix, count));
  f.up = await ours.run(["up", "--yes", "--skip-preview"], { env: PROGRAM_ENV });
  if (full) {
    f.preview = await ours.run(["preview", "--expect-no-changes"], { env: PROGRAM_ENV });
    f.refresh = await ours.run(["refresh", "--yes", "--skip-preview"], { env: PROGRAM_ENV });
  }
  f.destroy = await ours.run(["destroy", "--yes", "--skip-preview"], { env: PROGRAM_ENV });
  // At a real API's latency the CLI's default --parallel (4 per core) bounds the run: the same up with 32 slots.
  if (!full) {
    const widePrefix = "1415556";
    await config(ours, widePrefix);
    await emu.addInventory(benchNumbers(widePrefix, count));
    f.upWide = await ours.run(["up", "--yes", "--skip-preview", "--parallel", String(WIDE_PARALLEL)], { env: PROGRAM_ENV });
    await ours.run(["destroy", "--yes", "--skip-preview"], { env: PROGRAM_ENV });
  }
  // The floor's destroy is an anchor of the full run only (the CI run keeps to what it asserts).
  if (full && anchors && size >= 50) f.noopDestroy = await floor.run(["destroy", "--yes", "--skip-preview"], { env: PROGRAM_ENV });
  if (!anchors) return f;

  const numbers = benchNumbers(scriptPrefix, count);
  await emu.addInventory(numbers);
  f.script = await runScript(emu, `script-${size}-${latencyMs}`, numbers);
  await cleanScript(emu, f.script, numbers);
  return f;
}

function brief(f: StackFigures) {
  const c = (r?: CommandRun) =>
    r && {
      s: round(r.seconds),
      req: r.summary.total,
      429: r.summary.tooMany,
      first: r.firstRequestSeconds && round(r.firstRequestSeconds),
      rss: r.peaks.peakRssMb,
      procs: r.peaks.count,
      started: r.peaks.startedAfter,
      rps: round(r.summary.perSecond),
      endpoints: byEndpoint(r.requests),
    };
  return { size: f.size, latencyMs: f.latencyMs, up: c(f.up), upWide: c(f.upWide), preview: c(f.preview), refresh: c(f.refresh), destroy: c(f.destroy), noopUp: c(f.noopUp), noopPreview: c(f.noopPreview), noopDestroy: c(f.noopDestroy), script: f.script };
}

function report(f: StackFigures): BenchResult[] {
  const at = `${f.resources} resources @${f.latencyMs} ms`;
  const out: BenchResult[] = [];
  const push = (r: BenchResult) => out.push({ ...r, ratio: r.ratio !== undefined ? round(r.ratio) : undefined, figure: round(r.figure) });
  const big = f.size >= 400;
  if (f.up && f.noopUp) {
    const ratio = f.up.seconds / f.noopUp.seconds;
    push({ name: `up (${at})`, figure: f.up.seconds, unit: "s", anchor: { name: "no-op stack up", figure: round(f.noopUp.seconds) }, ratio, target: "≤ 1.5 × no-op up at 400 @50 ms", pass: big && f.latencyMs === 50 ? ratio <= 1.5 : undefined });
  }
  if (f.up && f.script) {
    const speedup = f.script.seconds / f.up.seconds;
    push({ name: `up vs script (${at})`, figure: f.up.seconds, unit: "s", anchor: { name: "sequential SDK script", figure: round(f.script.seconds) }, ratio: speedup, target: "script / up ≥ 2.5 at 400 @200 ms", pass: big && f.latencyMs === 200 ? speedup >= 2.5 : undefined, notes: "ratio = how many times faster than the script" });
  }
  if (f.upWide && f.script) {
    const speedup = f.script.seconds / f.upWide.seconds;
    push({ name: `up --parallel ${WIDE_PARALLEL} vs script (${at})`, figure: f.upWide.seconds, unit: "s", anchor: { name: "sequential SDK script", figure: round(f.script.seconds) }, ratio: speedup, target: "script / up ≥ 2.5 at 400 @200 ms", pass: big && f.latencyMs === 200 ? speedup >= 2.5 : undefined, notes: `ratio = how many times faster than the script; ${f.upWide.summary.total} requests, ${f.upWide.summary.tooMany} × 429` });
  }
  if (f.up) {
    const perResource = f.up.summary.total / f.resources;
    push({ name: `up API requests per resource (${at})`, figure: perResource, unit: "req/resource", anchor: f.script && { name: "sequential SDK script", figure: round(f.script.requests / f.resources) }, ratio: f.script ? perResource / (f.script.requests / f.resources) : undefined, target: "≤ 1.25", pass: perResource <= 1.25, notes: `${f.up.summary.total} requests, ${f.up.summary.tooMany} × 429` });
    push({ name: `up requests/s (${at})`, figure: f.up.summary.perSecond, unit: "req/s", anchor: { name: "rate-limit ceiling", figure: PLIVO_RATE_LIMIT.limit / (PLIVO_RATE_LIMIT.windowMs / 1000) }, ratio: f.up.summary.perSecond / (PLIVO_RATE_LIMIT.limit / (PLIVO_RATE_LIMIT.windowMs / 1000)) });
    if (f.up.firstRequestSeconds !== undefined) push({ name: `up first API request (${at})`, figure: f.up.firstRequestSeconds, unit: "s", target: "≤ 5 s", pass: f.up.firstRequestSeconds <= 5 });
    const rss = f.up.peaks.peakRssMb.program;
    if (rss !== undefined) push({ name: `up program peak RSS (${at})`, figure: rss, unit: "MB", anchor: f.noopUp?.peaks.peakRssMb.program !== undefined ? { name: "no-op stack program", figure: round(f.noopUp.peaks.peakRssMb.program) } : undefined, ratio: f.noopUp?.peaks.peakRssMb.program ? rss / f.noopUp.peaks.peakRssMb.program : undefined, target: "≤ 250 MB", pass: rss <= 250 });
  }
  if (f.preview && f.noopPreview) {
    const ratio = f.preview.seconds / f.noopPreview.seconds;
    push({ name: `no-change preview (${at})`, figure: f.preview.seconds, unit: "s", anchor: { name: "no-op stack preview", figure: round(f.noopPreview.seconds) }, ratio, target: "≤ 1.2 × no-op preview", pass: big ? ratio <= 1.2 : undefined, notes: `${f.preview.summary.total} API requests (the credentials check)` });
  }
  if (f.refresh) {
    const perResource = f.refresh.summary.total / f.resources;
    push({ name: `refresh API requests per resource (${at})`, figure: perResource, unit: "req/resource", target: "≤ 0.2, 0 × 429", pass: perResource <= 0.2 && f.refresh.summary.tooMany === 0, notes: `${f.refresh.summary.total} requests, ${f.refresh.summary.tooMany} × 429, ${round(f.refresh.seconds)} s, ${f.refresh.peaks.count.provider ?? "?"} provider process(es)` });
  }
  if (f.destroy) {
    push({ name: `destroy (${at})`, figure: f.destroy.seconds, unit: "s", anchor: f.noopDestroy && { name: "no-op stack destroy", figure: round(f.noopDestroy.seconds) }, ratio: f.noopDestroy ? f.destroy.seconds / f.noopDestroy.seconds : undefined, notes: `${f.destroy.summary.total} requests (${round(f.destroy.summary.total / f.resources)} per resource), ${f.destroy.summary.tooMany} × 429` });
  }
  return out;
}
