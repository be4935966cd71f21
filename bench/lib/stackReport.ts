/**
 * The figures of the stack benchmark (bench/stack.ts) as report rows: each command next to its anchor measured in
 * the same run (the no-op floor in the same checkpoint mode, the sequential script), with the targets of issue 19,
 * and how the cost per resource grows from the smallest size measured to the largest.
 */
import type { BenchResult } from "../types";
import { PLIVO_RATE_LIMIT } from "./emulator";
import type { ScriptRun } from "./sdkScript";
import type { Checkpoints, CommandRun, Form } from "./stack";
import { round } from "./suite";

export interface FloorFigures {
  up: CommandRun;
  preview: CommandRun;
  refresh?: CommandRun;
  update?: CommandRun;
  destroy: CommandRun;
  stateBytes: number;
}

export interface StackFigures {
  size: number;
  resources: number;
  latencyMs: number;
  form: Form;
  mode: Checkpoints;
  up?: CommandRun;
  /** The same up with `--parallel 32` (at the second latency only). */
  upWide?: CommandRun;
  preview?: CommandRun;
  refresh?: CommandRun;
  /** An in-place update of a tenth of the resources (an alias on every fifth number). */
  update?: CommandRun;
  destroy?: CommandRun;
  /** Bytes of the checkpoint after `up`. */
  stateBytes?: number;
  /** The no-op stack of the same shape, in the same checkpoint mode. */
  floor?: FloorFigures;
  script?: ScriptRun;
}

/** The rows' label: size, latency, form and checkpoint mode. */
export function labelOf(f: Pick<StackFigures, "resources" | "latencyMs" | "form" | "mode">): string {
  return `${f.resources} resources @${f.latencyMs} ms${f.form === "plugin" ? ", plugin" : ""}${f.mode === "skip" ? ", PULUMI_SKIP_CHECKPOINTS" : ""}`;
}

const LIMIT_PER_SECOND = PLIVO_RATE_LIMIT.limit / (PLIVO_RATE_LIMIT.windowMs / 1000);
/** Sizes from which the time targets apply (smaller stacks are dominated by the CLI's start). */
const TARGET_FROM = 400;
/** The size from which the up with checkpoints skipped must beat the sequential script at 50 ms. */
const LARGE = 4000;

const cpu = (r: CommandRun) =>
  `CPU s: CLI ${round(r.peaks.cpuSeconds.cli ?? 0, 1)}, program ${round(r.peaks.cpuSeconds.program ?? 0, 1)}, provider ${round(r.peaks.cpuSeconds.provider ?? 0, 1)}`;

export function report(f: StackFigures): BenchResult[] {
  const at = labelOf(f);
  const out: BenchResult[] = [];
  const push = (r: BenchResult) => out.push({ ...r, ratio: r.ratio !== undefined ? round(r.ratio) : undefined, figure: round(r.figure) });
  const big = f.size >= TARGET_FROM;
  const fl = f.floor;
  // The API's own floor: one request per object at the account's limit (what the rate limit alone takes).
  const apiFloor = f.resources / LIMIT_PER_SECOND;
  /** Ours next to the floor's command; with `api`, next to the API's floor when that is the larger. */
  const versus = (
    name: string,
    ours: CommandRun | undefined,
    floor: CommandRun | undefined,
    floorName: string,
    target?: { max: number; applies: boolean },
    notes?: string,
    api = false,
  ) => {
    if (!ours) return;
    const apiBound = api && floor !== undefined && apiFloor > floor.seconds;
    const anchorName = apiBound ? `the API's floor (${f.resources} requests at ${LIMIT_PER_SECOND}/s)` : floorName;
    const anchorSeconds = apiBound ? apiFloor : floor?.seconds;
    const ratio = anchorSeconds ? ours.seconds / anchorSeconds : undefined;
    push({
      name: `${name} (${at})`,
      figure: ours.seconds,
      unit: "s",
      anchor: anchorSeconds !== undefined ? { name: anchorName, figure: round(anchorSeconds) } : undefined,
      ratio,
      target: target && `≤ ${target.max} × ${anchorName}${target.applies ? "" : ` (from ${TARGET_FROM} resources @50 ms)`}`,
      pass: target?.applies && ratio !== undefined ? ratio <= target.max : undefined,
      notes: `${notes ? `${notes}; ` : ""}${apiBound ? `no-op stack ${round(floor!.seconds)} s; ` : ""}${ours.summary.total} requests, ${ours.summary.tooMany} × 429; ${cpu(ours)}${floor ? `; floor ${cpu(floor)}` : ""}`,
    });
  };
  const at50 = f.latencyMs === 50;

  // The floor of an up or a destroy is the engine's (the no-op stack) or the API's, whichever is larger: with
  // checkpoints skipped a large no-op stack goes faster than the rate limit lets any provider.
  versus("up", f.up, fl?.up, "no-op stack up", { max: 1.5, applies: big && at50 }, undefined, true);
  if (f.up && f.script) {
    const speedup = f.script.seconds / f.up.seconds;
    // At a real API's latency the up must be 2.5 × faster than the script; at 2,000 numbers, with checkpoints skipped, faster at all.
    const goal = f.latencyMs === 200 ? { min: 2.5, applies: big } : { min: 1, applies: f.size >= LARGE && f.mode === "skip" };
    push({
      name: `up vs script (${at})`,
      figure: f.up.seconds,
      unit: "s",
      anchor: { name: "sequential SDK script", figure: round(f.script.seconds) },
      ratio: speedup,
      target: f.latencyMs === 200 ? "script / up ≥ 2.5 at 400 @200 ms" : "script / up ≥ 1 at 4000 with checkpoints skipped",
      pass: goal.applies ? speedup >= goal.min : undefined,
      notes: "ratio = how many times faster than the script",
    });
  }
  if (f.upWide && f.script) {
    const speedup = f.script.seconds / f.upWide.seconds;
    push({
      name: `up --parallel 32 vs script (${at})`,
      figure: f.upWide.seconds,
      unit: "s",
      anchor: { name: "sequential SDK script", figure: round(f.script.seconds) },
      ratio: speedup,
      notes: `ratio = how many times faster than the script; ${f.upWide.summary.total} requests, ${f.upWide.summary.tooMany} × 429`,
    });
  }
  if (f.up) {
    const perResource = f.up.summary.total / f.resources;
    push({
      name: `up API requests per resource (${at})`,
      figure: perResource,
      unit: "req/resource",
      anchor: f.script && { name: "sequential SDK script", figure: round(f.script.requests / f.resources) },
      ratio: f.script ? perResource / (f.script.requests / f.resources) : undefined,
      target: "≤ 1.25",
      pass: perResource <= 1.25,
      notes: `${f.up.summary.total} requests, ${f.up.summary.tooMany} × 429`,
    });
    push({
      name: `up requests/s (${at})`,
      figure: f.up.summary.perSecond,
      unit: "req/s",
      anchor: { name: "rate-limit ceiling", figure: LIMIT_PER_SECOND },
      ratio: f.up.summary.perSecond / LIMIT_PER_SECOND,
    });
    if (f.up.firstRequestSeconds !== undefined)
      push({ name: `up first API request (${at})`, figure: f.up.firstRequestSeconds, unit: "s", target: "≤ 5 s", pass: f.up.firstRequestSeconds <= 5 });
    const rss = f.up.peaks.peakRssMb.program;
    const floorRss = fl?.up.peaks.peakRssMb.program;
    if (rss !== undefined)
      push({
        name: `up program peak RSS (${at})`,
        figure: rss,
        unit: "MB",
        anchor: floorRss !== undefined ? { name: "no-op stack program", figure: round(floorRss) } : undefined,
        ratio: floorRss ? rss / floorRss : undefined,
        target: "≤ no-op stack program",
        pass: floorRss ? rss <= floorRss : undefined,
        notes: `provider ${round(f.up.peaks.peakRssMb.provider ?? 0)} MB, CLI ${round(f.up.peaks.peakRssMb.cli ?? 0)} MB`,
      });
  }
  if (f.stateBytes !== undefined) {
    const per = f.stateBytes / f.resources;
    push({
      name: `checkpoint bytes per resource (${at})`,
      figure: Math.round(per),
      unit: "B",
      anchor: fl && { name: "no-op stack", figure: Math.round(fl.stateBytes / f.resources) },
      ratio: fl ? f.stateBytes / fl.stateBytes : undefined,
      target: "≤ no-op stack",
      pass: fl ? f.stateBytes <= fl.stateBytes : undefined,
      notes: `the CLI rewrites the whole checkpoint (${round(f.stateBytes / 2 ** 20)} MB) after every step unless PULUMI_SKIP_CHECKPOINTS`,
    });
  }
  if (f.preview) {
    versus(
      "no-change preview",
      f.preview,
      fl?.preview,
      "no-op stack preview",
      { max: 1.2, applies: big },
      `${f.preview.summary.total} API requests (the credentials check)`,
    );
  }
  if (f.refresh) {
    const perResource = f.refresh.summary.total / f.resources;
    push({
      name: `refresh API requests per resource (${at})`,
      figure: perResource,
      unit: "req/resource",
      target: "≤ 0.2, 0 × 429",
      pass: perResource <= 0.2 && f.refresh.summary.tooMany === 0,
      notes: `${f.refresh.summary.total} requests, ${f.refresh.summary.tooMany} × 429, ${f.refresh.peaks.count.provider ?? "?"} provider process(es)`,
    });
    versus("refresh", f.refresh, fl?.refresh, "no-op stack refresh");
  }
  versus("update of a tenth", f.update, fl?.update, "no-op stack update", undefined, f.update && `${Math.floor((f.resources - 1) / 10)} aliases set`);
  versus(
    "destroy",
    f.destroy,
    fl?.destroy,
    "no-op stack destroy",
    { max: 1.5, applies: big && at50 },
    f.destroy && `${round(f.destroy.summary.total / f.resources)} requests per resource`,
    true,
  );
  return out;
}

/**
 * Per-resource cost at the largest size measured against the smallest, for each form and checkpoint mode at 50 ms:
 * `up` seconds and program memory per resource, next to the floor's own growth.
 */
export function growth(all: StackFigures[]): BenchResult[] {
  const out: BenchResult[] = [];
  const keys = new Set(all.filter((f) => f.latencyMs === 50).map((f) => `${f.form}/${f.mode}`));
  for (const key of keys) {
    const runs = all.filter((f) => f.latencyMs === 50 && `${f.form}/${f.mode}` === key && f.up).sort((a, b) => a.size - b.size);
    const small = runs[0];
    const large = runs[runs.length - 1];
    if (!small || !large || small === large) continue;
    const at = `${small.resources} → ${large.resources} resources @50 ms${small.form === "plugin" ? ", plugin" : ""}${small.mode === "skip" ? ", PULUMI_SKIP_CHECKPOINTS" : ""}`;
    const per = (f: StackFigures, r: CommandRun | undefined, v: (r: CommandRun) => number | undefined) => {
      const x = r && v(r);
      return x === undefined ? undefined : x / f.resources;
    };
    for (const [what, unit, v] of [
      ["up seconds", "s", (r: CommandRun) => r.seconds],
      ["up program peak RSS", "MB", (r: CommandRun) => r.peaks.peakRssMb.program],
    ] as const) {
      const a = per(small, small.up, v);
      const b = per(large, large.up, v);
      if (a === undefined || b === undefined) continue;
      const fa = per(small, small.floor?.up, v);
      const fb = per(large, large.floor?.up, v);
      const ratio = b / a;
      const floorGrowth = fa !== undefined && fb !== undefined ? fb / fa : undefined;
      out.push({
        name: `growth of ${what} per resource (${at})`,
        figure: round(ratio),
        unit: "×",
        // The ratio to the floor's growth: above 1, this stack's cost per resource grows faster than the engine's own.
        anchor: floorGrowth !== undefined ? { name: "the no-op stack's growth", figure: round(floorGrowth) } : undefined,
        ratio: floorGrowth !== undefined ? round(ratio / floorGrowth) : undefined,
        target: "≤ 1 (no worse per resource at the larger size)",
        pass: ratio <= 1,
        notes: `${round(a * 1000, 2)} → ${round(b * 1000, 2)} m${unit} per resource`,
      });
    }
  }
  return out;
}
