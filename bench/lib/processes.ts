/**
 * Peak memory of the processes a CLI command starts, sampled from /proc (Linux): the program (`@pulumi/pulumi`'s
 * `cmd/run`) and the dynamic-provider host (`cmd/dynamic-provider`). `VmHWM` is the kernel's own peak RSS, so a
 * sample shortly before a process exits is enough.
 */
import * as fs from "node:fs";

export type Role = "program" | "provider";

export interface ProcessPeaks {
  /** Peak RSS in MB per role (the largest process of that role). */
  peakRssMb: Partial<Record<Role, number>>;
  /** How many processes of each role were seen (e.g. two provider processes during a refresh). */
  count: Partial<Record<Role, number>>;
  /** Seconds from the start of sampling to the first process of each role (within one sampling period). */
  startedAfter: Partial<Record<Role, number>>;
}

function roleOf(cmdline: string): Role | undefined {
  if (/[\\/]cmd[\\/]run(?:[\\/]index\.js)?\0/.test(cmdline) || /[\\/]cmd[\\/]run\0/.test(cmdline)) return "program";
  if (/[\\/]cmd[\\/]dynamic-provider/.test(cmdline)) return "provider";
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
  const seen = new Map<number, Role>();
  const peaks: ProcessPeaks = { peakRssMb: {}, count: {}, startedAfter: {} };
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
      let role = seen.get(pid);
      if (!role) {
        let cmdline: string;
        try {
          cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8");
        } catch {
          continue;
        }
        role = roleOf(cmdline);
        if (!role || !descendsFrom(pid, root)) continue;
        seen.set(pid, role);
        peaks.count[role] = (peaks.count[role] ?? 0) + 1;
        peaks.startedAfter[role] ??= Math.round(performance.now() - t0) / 1000;
      }
      const mb = peakRssMb(pid);
      if (mb !== undefined) peaks.peakRssMb[role] = Math.max(peaks.peakRssMb[role] ?? 0, mb);
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
