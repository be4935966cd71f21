/**
 * The bench stack (1 Powerpack, N numbers, N pool members) through the real CLI against the emulator with Plivo's
 * 300/5 s limit: `up`, no-change `preview`, `refresh`, an update of a tenth of the resources and `destroy`, each next
 * to its anchor measured in the same run — the same stack shape made of no-op dynamic resources (the engine's floor)
 * and the sequential script with the official `plivo` SDK — in both forms of the provider (the dynamic classes and
 * the plugin), with the CLI's default checkpoints and with `PULUMI_SKIP_CHECKPOINTS=true`, at 50 ms of latency; at
 * 200 ms (a real API's round trip) the `up` next to the script, at the CLI's default `--parallel` and at 32.
 *
 * Narrow a run with BENCH_SIZES=400,4000 (resources ≈ the size: N = size / 2), BENCH_LATENCIES=50,200,
 * BENCH_FORMS=dynamic,plugin, BENCH_CHECKPOINTS=default,skip; BENCH_ANCHORS=0 skips the floor and the script.
 */
import { numberPoolMemberSchema } from "../schema/numberPoolMember";
import { phoneNumberSchema } from "../schema/phoneNumber";
import { powerpackSchema } from "../schema/powerpack";
import type { ResourceSchema } from "../schema/resource";
import { byEndpoint, startBenchEmulator, type BenchEmulator } from "./lib/emulator";
import { measurePluginStart } from "./lib/pluginStart";
import { benchNumbers, cleanScript, runScript } from "./lib/sdkScript";
import { CHECKPOINT_ENV, openStack, PROGRAM_ENV, type BenchStack, type Checkpoints, type CommandRun, type Form } from "./lib/stack";
import { growth, report, type StackFigures } from "./lib/stackReport";
import { round } from "./lib/suite";
import type { BenchOptions, BenchResult } from "./types";

/** What one preset measures; forms other than the first and latencies other than the first only up to `wideUpTo`. */
interface Preset {
  sizes: number[];
  latencies: number[];
  forms: Form[];
  modes: Checkpoints[];
  /** The largest size measured in every form and at every latency (the larger ones: dynamic form, first latency). */
  wideUpTo: number;
  /** Only what CI asserts and its anchors: no update of a tenth, no refresh of the floor. */
  lean?: boolean;
}

export const PRESETS: Record<BenchOptions["size"], Preset> = {
  ci: { sizes: [20], latencies: [50], forms: ["dynamic"], modes: ["default"], wideUpTo: 20, lean: true },
  full: { sizes: [50, 200, 400], latencies: [50, 200], forms: ["dynamic", "plugin"], modes: ["default", "skip"], wideUpTo: 400 },
  // 1 Powerpack + 2,000 numbers + 2,000 members next to the 401-resource stack (about an hour on 2 quiet cores).
  large: { sizes: [400, 4000], latencies: [50, 200], forms: ["dynamic", "plugin"], modes: ["default", "skip"], wideUpTo: 400 },
};

/** One size at one latency: at the first latency everything (`full`), at the others the up next to the script. */
export interface Cell {
  size: number;
  latencyMs: number;
  forms: Form[];
  modes: Checkpoints[];
  full: boolean;
  lean: boolean;
}

const list = <T extends string | number>(env: string | undefined, parse: (s: string) => T): T[] | undefined => env?.split(",").map((s) => parse(s.trim()));

export function cellsOf(size: BenchOptions["size"], env: NodeJS.ProcessEnv = process.env): Cell[] {
  const p = PRESETS[size];
  const sizes = list(env.BENCH_SIZES, Number) ?? p.sizes;
  const latencies = list(env.BENCH_LATENCIES, Number) ?? p.latencies;
  const forms = list(env.BENCH_FORMS, (s) => s as Form) ?? p.forms;
  const modes = list(env.BENCH_CHECKPOINTS, (s) => s as Checkpoints) ?? p.modes;
  for (const f of forms) if (f !== "dynamic" && f !== "plugin") throw new Error(`BENCH_FORMS: ${f} is not dynamic or plugin`);
  for (const m of modes) if (m !== "default" && m !== "skip") throw new Error(`BENCH_CHECKPOINTS: ${m} is not default or skip`);
  // Explicit forms and latencies apply at every size; the preset's widen only up to wideUpTo.
  const wide = (s: number) => s <= p.wideUpTo;
  return sizes.flatMap((s) =>
    latencies
      .filter((_, i) => i === 0 || env.BENCH_LATENCIES !== undefined || wide(s))
      .map((latencyMs, i) => ({
        size: s,
        latencyMs,
        forms: env.BENCH_FORMS !== undefined || wide(s) ? forms : forms.slice(0, 1),
        modes: i === 0 ? modes : modes.slice(0, 1),
        full: i === 0,
        lean: p.lean === true,
      })),
  );
}

const propsOf = (s: ResourceSchema) => Object.keys(s.inputs).length + Object.keys(s.outputs).length + 1;
const NOOP_PROPS = JSON.stringify({
  Powerpack: propsOf(powerpackSchema),
  PhoneNumber: propsOf(phoneNumberSchema),
  NumberPoolMember: propsOf(numberPoolMemberSchema),
});

/** The --parallel of the second up at a real API's latency (the CLI's default is 4 per core: 8 on 2 cores). */
export const WIDE_PARALLEL = 32;

export async function run(opts: BenchOptions): Promise<BenchResult[]> {
  const cells = cellsOf(opts.size);
  const emu = await startBenchEmulator({ latencyMs: cells[0]!.latencyMs });
  const stacks = new Map<string, BenchStack>();
  const open = async (program: "plivo-stack" | "plivo-plugin-stack" | "noop-stack") => {
    let s = stacks.get(program);
    if (!s) {
      s = await openStack({ program, stack: "bench", emulator: emu, config: program === "noop-stack" ? { "bench:props": NOOP_PROPS } : {}, env: PROGRAM_ENV });
      stacks.set(program, s);
    }
    return s;
  };
  const results: BenchResult[] = [];
  const all: StackFigures[] = [];
  try {
    for (const cell of cells) {
      const figures = await measure(emu, open, cell);
      for (const f of figures) {
        results.push(...report(f));
        process.stderr.write(`[bench stack] ${JSON.stringify(brief(f))}\n`);
      }
      all.push(...figures);
    }
    results.push(...growth(all));
    const plugin = stacks.get("plivo-plugin-stack");
    if (plugin) {
      const start = await measurePluginStart(plugin.project.dir);
      results.push({
        name: "plugin process start (to its port), bundled bin",
        figure: round(start.binMs),
        unit: "ms",
        anchor: { name: "unbundled build", figure: round(start.unbundledMs) },
        ratio: round(start.binMs / start.unbundledMs),
        notes: `median of ${start.runs} starts each, alternately, in the installed program; the CLI starts the plugin for every command`,
      });
    }
  } finally {
    for (const s of stacks.values()) await s.close().catch(() => undefined);
    await emu.close();
  }
  return results;
}

type Opener = (program: "plivo-stack" | "plivo-plugin-stack" | "noop-stack") => Promise<BenchStack>;

/** Every stack command of one cell, in an order that puts each figure next to its anchor in time. */
async function measure(emu: BenchEmulator, open: Opener, cell: Cell): Promise<StackFigures[]> {
  const count = Math.max(1, Math.floor(cell.size / 2));
  const resources = 1 + 2 * count;
  await emu.setLatency(cell.latencyMs);
  const stackPrefix = `1415${cell.latencyMs === 200 ? "552" : "551"}`;
  const scriptPrefix = `1415${cell.latencyMs === 200 ? "554" : "553"}`;
  const configure = (s: BenchStack, prefix: string, alias?: string) => configureStack(s, { numbers: String(count), prefix, alias });
  // While working on one figure, BENCH_ANCHORS=0 skips the anchors (the no-op stack and the script).
  const anchors = process.env.BENCH_ANCHORS !== "0";
  const out: StackFigures[] = [];

  for (const mode of cell.modes) {
    const env = { ...PROGRAM_ENV, ...CHECKPOINT_ENV[mode] };
    const run = (s: BenchStack, args: string[]) => s.run(args, { env });
    let floor: StackFigures["floor"];
    // The engine's floor first (it makes no API call, so latency does not matter to it).
    if (cell.full && anchors) {
      const s = await open("noop-stack");
      await configure(s, stackPrefix);
      const up = await run(s, ["up", "--yes", "--skip-preview"]);
      const stateBytes = s.stateBytes();
      const preview = await run(s, ["preview", "--expect-no-changes"]);
      let refresh: CommandRun | undefined;
      let update: CommandRun | undefined;
      if (!cell.lean) {
        refresh = await run(s, ["refresh", "--yes", "--skip-preview"]);
        await configure(s, stackPrefix, "v1");
        update = await run(s, ["up", "--yes", "--skip-preview"]);
      }
      const destroy = await run(s, ["destroy", "--yes", "--skip-preview"]);
      floor = { up, preview, refresh, update, destroy, stateBytes };
    }
    for (const form of cell.forms) {
      const f: StackFigures = { size: cell.size, resources, latencyMs: cell.latencyMs, form, mode, floor };
      const s = await open(form === "plugin" ? "plivo-plugin-stack" : "plivo-stack");
      await configure(s, stackPrefix);
      await emu.addInventory(benchNumbers(stackPrefix, count));
      f.up = await run(s, ["up", "--yes", "--skip-preview"]);
      f.stateBytes = s.stateBytes();
      if (cell.full) {
        f.preview = await run(s, ["preview", "--expect-no-changes"]);
        f.refresh = await run(s, ["refresh", "--yes", "--skip-preview"]);
        if (!cell.lean) {
          await configure(s, stackPrefix, "v1");
          f.update = await run(s, ["up", "--yes", "--skip-preview"]);
        }
      }
      f.destroy = await run(s, ["destroy", "--yes", "--skip-preview"]);
      // At a real API's latency the CLI's default --parallel (4 per core) bounds the run: the same up with 32 slots.
      if (!cell.full) {
        const widePrefix = "1415556";
        await configure(s, widePrefix);
        await emu.addInventory(benchNumbers(widePrefix, count));
        f.upWide = await run(s, ["up", "--yes", "--skip-preview", "--parallel", String(WIDE_PARALLEL)]);
        await run(s, ["destroy", "--yes", "--skip-preview"]);
      }
      out.push(f);
    }
  }
  if (anchors) {
    const numbers = benchNumbers(scriptPrefix, count);
    await emu.addInventory(numbers);
    const script = await runScript(emu, `script-${cell.size}-${cell.latencyMs}`, numbers);
    await cleanScript(emu, script, numbers);
    for (const f of out) f.script = script;
  }
  return out;
}

/** The bench config of a stack as last set (a CLI call each: only what changes is set). */
const configured = new WeakMap<BenchStack, Record<string, string | undefined>>();

async function configureStack(s: BenchStack, values: { numbers: string; prefix: string; alias?: string }): Promise<void> {
  const current = configured.get(s) ?? {};
  for (const [key, value] of Object.entries(values)) {
    if (current[key] === value) continue;
    if (value !== undefined) await s.project.setConfig(`bench:${key}`, value);
    else await s.project.run(["config", "rm", `bench:${key}`, "--stack", s.project.stack, "--non-interactive"], { allowFailure: true });
    current[key] = value;
  }
  configured.set(s, current);
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
  const fl = f.floor;
  return {
    size: f.size,
    latencyMs: f.latencyMs,
    form: f.form,
    checkpoints: f.mode,
    stateBytes: f.stateBytes,
    up: c(f.up),
    upWide: c(f.upWide),
    preview: c(f.preview),
    refresh: c(f.refresh),
    update: c(f.update),
    destroy: c(f.destroy),
    floor: fl && { stateBytes: fl.stateBytes, up: c(fl.up), preview: c(fl.preview), refresh: c(fl.refresh), update: c(fl.update), destroy: c(fl.destroy) },
    script: f.script,
  };
}
