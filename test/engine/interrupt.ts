/**
 * Tools of the interruption and chaos suites: seeded kill points, the process tree of a running `pulumi up` (the
 * dynamic-provider host is `sh` → `node`, a grandchild of the CLI), a CLI run that can be signalled, and the
 * comparison of the emulator's purchase ledger with what the stack's state holds.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type { TestEmulator } from "../helpers/emulator";
import { PulumiProject } from "./harness";

export { seededRandom } from "../../emulator/random";

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined> | T | undefined, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** Child pids of `pid` (from /proc). */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const name of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, "utf8");
      // pid (comm) state ppid …: comm may hold spaces, so read after the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === pid) out.push(Number(name));
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

const cmdline = (pid: number) => {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
  } catch {
    return "";
  }
};

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** `pid` and every process below it (the CLI and its plugins: each plugin runs in a process group of its own). */
export function processTree(pid: number): number[] {
  const out = [pid];
  for (let i = 0; i < out.length; i++) out.push(...childrenOf(out[i]!));
  return out;
}

/** Sends `signal` to `pid`; false when the process had already exited (a tree's short-lived child, listed a moment ago). */
export function signalIfAlive(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ESRCH") return false;
    throw err;
  }
}

/** The dynamic-provider host started by the CLI `cliPid` (`sh pulumi-resource-pulumi-nodejs` → `node …/dynamic-provider`). */
export function providerProcess(cliPid: number): number | undefined {
  for (const shell of childrenOf(cliPid)) {
    if (!cmdline(shell).includes("pulumi-resource-pulumi-nodejs")) continue;
    for (const node of childrenOf(shell)) if (cmdline(node).includes("dynamic-provider")) return node;
  }
  return undefined;
}

/** A `pulumi` command running in the background, in its own process group, that a test can signal. */
export class RunningCommand {
  readonly child: ChildProcess;
  output = "";
  readonly exited: Promise<number | null>;

  constructor(p: PulumiProject, args: string[]) {
    this.child = spawn("pulumi", args, { cwd: p.dir, env: p.env, stdio: ["ignore", "pipe", "pipe"], detached: true });
    this.child.stdout!.setEncoding("utf8").on("data", (d: string) => (this.output += d));
    this.child.stderr!.setEncoding("utf8").on("data", (d: string) => (this.output += d));
    this.exited = new Promise((resolve) => this.child.on("close", (code) => resolve(code)));
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** Kills whatever is left of its process group (a test's cleanup, never part of a trial). */
  killGroup(): void {
    try {
      process.kill(-this.pid, "SIGKILL");
    } catch {
      // gone
    }
  }
}

/**
 * A fresh Plivo account for the next trial: the emulator reset, and the stacks of earlier trials removed. Their states
 * would otherwise list numbers the reset emulator sells again — to the provider, those stacks' objects (it never takes
 * over what another stack's state holds: provider/core/claims.ts).
 */
export async function resetAccount(emu: TestEmulator, main: PulumiProject): Promise<void> {
  await emu.reset();
  const stacks = JSON.parse((await main.run(["stack", "ls", "--json", "--non-interactive"])).stdout) as { name: string }[];
  for (const { name } of stacks) {
    if (name.split("/").pop() === main.stack) continue;
    await main.run(["stack", "rm", name, "--yes", "--force", "--non-interactive"]);
  }
}

/**
 * A new stack of `main`'s program with a copy of its configuration (credentials included): one CLI call instead of
 * one per setting.
 */
export async function copyStack(main: PulumiProject, name: string, config: Record<string, string> = {}): Promise<PulumiProject> {
  const p = new PulumiProject(main.dir, name, main.env, main.stateDir);
  await p.run(["stack", "init", name, "--copy-config-from", main.stack, "--non-interactive"]);
  for (const [k, v] of Object.entries(config)) await p.setConfig(k, v);
  return p;
}

/** Journal entries (the provider writes one just before each buy) of one stack. */
export function journalEntries(journalDir: string, stack: string): { urn: string; id?: string; at: string }[] {
  let names: string[];
  try {
    names = fs.readdirSync(journalDir);
  } catch {
    return [];
  }
  const out: { urn: string; id?: string; at: string }[] = [];
  for (const n of names.filter((x) => x.endsWith(".json"))) {
    try {
      const e = JSON.parse(fs.readFileSync(path.join(journalDir, n), "utf8"));
      if (String(e.urn).startsWith(`urn:pulumi:${stack}::`)) out.push(e);
    } catch {
      // being written
    }
  }
  return out;
}

export interface Reconciliation {
  /** Numbers the emulator's ledger says were bought. */
  bought: string[];
  /** PhoneNumber ids in the stack's state. */
  managed: string[];
  /** Bought and still rented, but in no state. */
  orphans: string[];
  /** Buys beyond the declared count. */
  extraBuys: number;
}

/** Compares the emulator's ledger and account with the stack's state. */
export async function reconcile(emu: TestEmulator, p: PulumiProject, declared: number): Promise<Reconciliation> {
  const state = await emu.state();
  const bought = (state.ledger as { action: string; number?: string }[]).filter((e) => e.action === "buy").map((e) => e.number!);
  const rented = new Set((state.numbers as { number: string }[]).map((n) => n.number));
  const exported = await p.exportStack();
  const managed = (exported.deployment.resources ?? []).filter((r: any) => /plivo:(index:)?PhoneNumber$/.test(String(r.type))).map((r: any) => String(r.id));
  const orphans = [...rented].filter((n) => !managed.includes(n));
  return { bought, managed, orphans, extraBuys: Math.max(0, bought.length - declared) };
}
