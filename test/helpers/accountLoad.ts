/**
 * Several independent provider-like OS processes (accountLoadWorker.ts) sending through one Plivo account at
 * once, as the Pulumi CLI's provider processes or stacks run in parallel in CI do. Each has its own client and
 * rate limiter; nothing is shared but the server. Used by the account-budget test and bench/rateLimit.ts.
 *
 * The worker is bundled with esbuild into a temporary directory (plain Node 20 cannot run TypeScript) and
 * started with `fork`; all processes get "go" at the same moment.
 */
import { fork, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { buildSync } from "esbuild";
import type { LoadJob, LoadReport } from "./accountLoadWorker";

export type { LoadReport };

export interface AccountLoadOptions {
  baseUrl: string;
  authId: string;
  authToken: string;
  processes: number;
  requestsPerProcess: number;
  /** In-flight requests per process (default 10, the client's connection count). */
  concurrency?: number;
  /** Every n-th request is a POST create (default 4; 0: only GETs). */
  postEvery?: number;
  /** `plivo:rateLimit` of the processes (default: unset, i.e. Plivo's 300/5s). */
  rateLimit?: string;
  /** Prefix of created application names (default `load`). */
  tag?: string;
}

export interface AccountLoadResult {
  reports: LoadReport[];
  ok: number;
  failed: number;
  creates: number;
  /** 429s seen, all processes. */
  throttled: number;
  attempts: number;
  /** From "go" to the last process finishing. */
  elapsedMs: number;
  /** Successful requests per second over `elapsedMs`. */
  requestsPerSecond: number;
}

/** Bundles the worker into a new temporary directory (~0.1 s); the caller removes the directory. */
function bundleWorker(dir: string): string {
  const file = path.join(dir, "worker.js");
  buildSync({
    entryPoints: [path.join(__dirname, "accountLoadWorker.ts")],
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    outfile: file,
    logLevel: "error",
  });
  return file;
}

function once<T>(child: ChildProcess, type: string, stderr: () => string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (msg: { type?: string; message?: string } & T) => {
      if (msg?.type === type) {
        cleanup();
        resolve(msg);
      } else if (msg?.type === "error") {
        cleanup();
        reject(new Error(`load worker failed: ${msg.message}`));
      }
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`load worker exited (${code}) before "${type}": ${stderr()}`));
    };
    const cleanup = () => {
      child.off("message", onMessage);
      child.off("exit", onExit);
    };
    child.on("message", onMessage);
    child.on("exit", onExit);
  });
}

export async function runAccountLoad(opts: AccountLoadOptions): Promise<AccountLoadResult> {
  const dir = mkdtempSync(path.join(tmpdir(), "plivo-account-load-"));
  const file = bundleWorker(dir);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PLIVO_AUTH_ID: opts.authId,
    PLIVO_AUTH_TOKEN: opts.authToken,
    PLIVO_BASE_URL: opts.baseUrl,
  };
  if (opts.rateLimit !== undefined) env.PLIVO_RATE_LIMIT = opts.rateLimit;
  else delete env.PLIVO_RATE_LIMIT;
  const children: ChildProcess[] = [];
  try {
    const ready: Promise<unknown>[] = [];
    const stderrs: string[] = [];
    for (let p = 0; p < opts.processes; p++) {
      const child = fork(file, [], { env, execArgv: [], stdio: ["ignore", "ignore", "pipe", "ipc"] });
      children.push(child);
      stderrs[p] = "";
      child.stderr!.on("data", (d) => (stderrs[p] += d));
      ready.push(once(child, "ready", () => stderrs[p]!));
    }
    await Promise.all(ready);
    const go = Date.now();
    const done = children.map((child, p) => {
      const job: LoadJob = {
        requests: opts.requestsPerProcess,
        concurrency: opts.concurrency ?? 10,
        postEvery: opts.postEvery ?? 4,
        tag: `${opts.tag ?? "load"}-p${p}`,
      };
      const finished = once<{ report: LoadReport }>(child, "done", () => stderrs[p]!);
      child.send({ type: "go", job });
      return finished;
    });
    const reports = (await Promise.all(done)).map((m) => m.report);
    const elapsedMs = Math.max(...reports.map((r) => r.finishedAt)) - go;
    const sum = (f: (r: LoadReport) => number) => reports.reduce((a, r) => a + f(r), 0);
    const ok = sum((r) => r.ok);
    return {
      reports,
      ok,
      failed: sum((r) => r.failed),
      creates: sum((r) => r.creates),
      throttled: sum((r) => r.throttled),
      attempts: sum((r) => r.attempts),
      elapsedMs,
      requestsPerSecond: ok / (elapsedMs / 1000),
    };
  } finally {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  }
}
