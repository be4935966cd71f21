/**
 * Peak memory and CPU time of the processes a CLI command starts, sampled from /proc (Linux): the CLI itself, the
 * program (`@pulumi/pulumi`'s `cmd/run`) and the provider (the dynamic-provider host `cmd/dynamic-provider`, or the
 * plugin `pulumi-resource-plivo`). `VmHWM` is the kernel's own peak RSS, so a sample shortly before a process exits
 * is enough; CPU time is as of the last sample (within one sampling period of the exit).
 */
import * as fs from "node:fs";

export type Role = "cli" | "program" | "provider";

export interface ProcessPeaks {
  /** Peak RSS in MB per role (the largest process of that role). */
  peakRssMb: Partial<Record<Role, number>>;
  /** CPU seconds (user + system) per role, summed over its processes. */
  cpuSeconds: Partial<Record<Role, number>>;
  /** How many processes of each role were seen (e.g. two provider processes during a refresh). */
  count: Partial<Record<Role, number>>;
  /** Seconds from the start of sampling to the first process of each role (within one sampling period). */
  startedAfter: Partial<Record<Role, number>>;
}

function roleOf(cmdline: string): Role | undefined {
  if (/[\\/]cmd[\\/]run(?:[\\/]index\.js)?\0/.test(cmdline) || /[\\/]cmd[\\/]run\0/.test(cmdline)) return "program";
  if (/[\\/]cmd[\\/]dynamic-provider/.test(cmdline) || /pulumi-resource-plivo/.test(cmdline)) return "provider";
  return undefined;
}

function parentOf(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // pid (comm) state ppid …; comm may contain spaces and parentheses: split after the last ")".
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  } catch {
    return undefined;
  }
}

function descendsFrom(pid: number, root: number): boolean {
  for (let p: number | undefined = pid, hops = 0; p && p > 1 && hops < 20; p = parentOf(p), hops++) if (p === root) return true;
  return false;
}

/** Clock ticks per second of /proc/<pid>/stat's times (USER_HZ, 100 on Linux). */
const TICKS = 100;

function cpuSecondsOf(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // utime and stime are fields 14 and 15 of stat; fields[0] here is field 3 (state).
    return (Number(fields[11]) + Number(fields[12])) / TICKS;
  } catch {
    return undefined;
  }
}

function peakRssMb(pid: number): number | undefined {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Samples the descendants of `root` every `everyMs` until `stop()`; returns the peaks. */
export function samplePeaks(root: number, everyMs = 100): { stop(): ProcessPeaks } {
  const seen = new Map<number, Role>(root > 0 ? [[root, "cli"]] : []);
  // Processes that are not the command's: never looked at again (the sampler's own CPU is taken from the cores it
  // measures).
  const foreign = new Set<number>();
  const cpu = new Map<number, number>();
  const peaks: ProcessPeaks = { peakRssMb: {}, cpuSeconds: {}, count: { cli: 1 }, startedAfter: { cli: 0 } };
  const t0 = performance.now();
  const sample = () => {
    let entries: string[];
    try {
      entries = fs.readdirSync("/proc").filter((e) => /^\d+$/.test(e));
    } catch {
      return;
    }
    for (const e of entries) {
      const pid = Number(e);
      if (foreign.has(pid)) continue;
      let role = seen.get(pid);
      if (!role) {
        if (!descendsFrom(pid, root)) {
          foreign.add(pid);
          continue;
        }
        let cmdline: string;
        try {
          cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8");
        } catch {
          continue;
        }
        // A descendant may not have exec'ed its program yet: looked at again next time.
        role = roleOf(cmdline);
        if (!role) continue;
        seen.set(pid, role);
        peaks.count[role] = (peaks.count[role] ?? 0) + 1;
        peaks.startedAfter[role] ??= Math.round(performance.now() - t0) / 1000;
      }
      const mb = peakRssMb(pid);
      if (mb !== undefined) peaks.peakRssMb[role] = Math.max(peaks.peakRssMb[role] ?? 0, mb);
      const seconds = cpuSecondsOf(pid);
      if (seconds !== undefined) {
        peaks.cpuSeconds[role] = (peaks.cpuSeconds[role] ?? 0) + seconds - (cpu.get(pid) ?? 0);
        cpu.set(pid, seconds);
      }
    }
  };
  const timer = setInterval(sample, everyMs);
  sample();
  return {
    stop() {
      clearInterval(timer);
      return peaks;
    },
  };
}

/** The machine: cores, memory and the load average (other work sharing the cores skews every figure). */
export function machine(): { cpus: string; cores: number; memoryGb: number; loadAverage: number[]; node: string } {
  const os = require("node:os") as typeof import("node:os");
  return {
    cpus: os.cpus()[0]?.model ?? "unknown",
    cores: os.cpus().length,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
    node: process.version,
  };
}
