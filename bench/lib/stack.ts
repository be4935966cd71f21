/**
 * A benchmark stack: one of bench/programs/ installed like a user's project (pulumi-plivo from its packed tarball,
 * through the engine-test harness), configured against the bench emulator, and CLI commands timed with what the
 * emulator saw (requests, 429s, the first request) and the peak memory of the processes the CLI started.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { type PulumiProject, REPO_ROOT, withPulumiProject } from "../../test/engine/harness";
import type { BenchEmulator } from "./emulator";
import { summarize, type ApiRequest } from "./emulator";
import { samplePeaks, type ProcessPeaks } from "./processes";

/**
 * Env for every CLI command of every benchmark stack (ours and the floor alike). Programs run without type checking,
 * as the README recommends for large stacks (type-check with `tsc` in CI instead): ts-node's type check parses every
 * declaration file the program sees, several seconds before the first resource is registered. BENCH_TYPECHECK=1
 * measures with it.
 */
export const PROGRAM_ENV = { PULUMI_NODEJS_TRANSPILE_ONLY: process.env.BENCH_TYPECHECK === "1" ? "false" : "true" };

/** A command still running after this is stopped (the floor's up of 4,001 resources with checkpoints: ~15 min). */
const COMMAND_TIMEOUT_MS = 60 * 60_000;

/** The form of the provider a stack uses: the dynamic classes (`pulumi-plivo`) or the plugin (`pulumi-plivo/plugin`). */
export type Form = "dynamic" | "plugin";

/** The CLI's checkpoints: written after every step (its default), or once at the end (`PULUMI_SKIP_CHECKPOINTS`). */
export type Checkpoints = "default" | "skip";

export const CHECKPOINT_ENV: Record<Checkpoints, Record<string, string>> = {
  default: {},
  skip: { PULUMI_SKIP_CHECKPOINTS: "true" },
};

export interface CommandRun {
  args: string[];
  code: number;
  seconds: number;
  /** Seconds from the command's start to the first API request (undefined when none was made). */
  firstRequestSeconds?: number;
  requests: ApiRequest[];
  summary: ReturnType<typeof summarize>;
  peaks: ProcessPeaks;
  stdout: string;
  stderr: string;
}

export interface BenchStack {
  readonly project: PulumiProject;
  run(args: string[], opts?: { env?: Record<string, string>; allowFailure?: boolean }): Promise<CommandRun>;
  /** Bytes of the stack's checkpoint file now (what the CLI rewrites at every checkpoint). */
  stateBytes(): number;
  close(): Promise<void>;
}

export interface StackOptions {
  /** A program of bench/programs/. */
  program: "plivo-stack" | "plivo-plugin-stack" | "noop-stack";
  stack: string;
  emulator: BenchEmulator;
  config: Record<string, string>;
  env?: Record<string, string>;
}

export async function openStack(opts: StackOptions): Promise<BenchStack> {
  let release: () => void = () => {};
  let running: Promise<void> | undefined;
  const project = await new Promise<PulumiProject>((resolve, reject) => {
    const hold = new Promise<void>((r) => (release = r));
    running = withPulumiProject(
      { exampleDir: path.join(REPO_ROOT, "bench", "programs", opts.program), stack: opts.stack, env: opts.env, destroyOnExit: false },
      async (p) => {
        resolve(p);
        await hold;
      },
    );
    running.catch(reject);
  });
  const emu = opts.emulator;
  await project.setConfig("plivo:baseUrl", emu.url);
  await project.setConfig("plivo:authId", emu.authId);
  await project.setConfig("plivo:authToken", emu.authToken, { secret: true });
  for (const [k, v] of Object.entries(opts.config)) await project.setConfig(k, v);

  return {
    project,
    run: (args, runOpts = {}) => timed(project, emu, [...args, ...profiling(opts.program, args), "--stack", opts.stack, "--non-interactive"], runOpts),
    stateBytes: () => checkpointBytes(project),
    async close() {
      release();
      await running;
    },
  };
}

let profiled = 0;

/**
 * BENCH_PROFILE=<dir>: the CLI writes a CPU profile, a heap profile and a trace of each `up` there
 * (`<program>-<n>.<pid>.cpu`; read with `go tool pprof -top -cum <file>`): where the engine's time goes.
 */
function profiling(program: string, args: string[]): string[] {
  const dir = process.env.BENCH_PROFILE;
  if (!dir || args[0] !== "up") return [];
  fs.mkdirSync(dir, { recursive: true });
  return ["--profiling", path.join(path.resolve(dir), `${program}-${++profiled}`)];
}

/** The file backend keeps a stack's checkpoint in `.pulumi/stacks/<project>/<stack>.json`. */
function checkpointBytes(p: PulumiProject): number {
  const dir = path.join(p.stateDir, ".pulumi", "stacks");
  for (const project of fs.readdirSync(dir)) {
    const file = path.join(dir, project, `${p.stack}.json`);
    if (fs.existsSync(file)) return fs.statSync(file).size;
  }
  throw new Error(`no checkpoint of stack ${p.stack} under ${dir}`);
}

function timed(p: PulumiProject, emu: BenchEmulator, args: string[], opts: { env?: Record<string, string>; allowFailure?: boolean }): Promise<CommandRun> {
  const from = emu.log.length;
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn("pulumi", args, { cwd: p.dir, env: { ...p.env, ...opts.env }, stdio: ["ignore", "pipe", "pipe"], detached: true });
    const sampler = samplePeaks(child.pid!);
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, "SIGINT");
        setTimeout(() => process.kill(-child.pid!, "SIGKILL"), 20_000).unref();
      } catch {
        // gone
      }
    }, COMMAND_TIMEOUT_MS);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      const seconds = (performance.now() - started) / 1000;
      const peaks = sampler.stop();
      const requests = emu.log.slice(from);
      const run: CommandRun = {
        args,
        code: code ?? 128,
        seconds,
        firstRequestSeconds: requests.length ? (requests[0]!.at - started) / 1000 : undefined,
        requests,
        summary: summarize(requests),
        peaks,
        stdout,
        stderr,
      };
      if (run.code !== 0 && !opts.allowFailure) {
        reject(new Error(`pulumi ${args.join(" ")} exited with ${run.code}\n${stdout.slice(-4000)}\n${stderr.slice(-4000)}`));
      } else resolve(run);
    });
  });
}
