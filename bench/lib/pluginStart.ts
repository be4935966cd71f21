/**
 * How long the plugin takes to start as the CLI starts it for every command: from spawning the process to its port
 * on stdout, through the package's bin (which runs the bundle `npm run build` makes) and through the unbundled build
 * it was made from, alternately in the same installed program.
 */
import { spawn } from "node:child_process";
import * as path from "node:path";

function startOnce(args: string[], cwd: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { cwd, stdio: ["ignore", "pipe", "ignore"] });
    child.on("error", reject);
    child.on("exit", (code) => reject(new Error(`the plugin exited (${code}) before printing its port`)));
    child.stdout!.once("data", () => {
      const ms = performance.now() - started;
      child.removeAllListeners("exit");
      child.kill("SIGKILL");
      resolve(ms);
    });
  });
}

export interface PluginStart {
  /** Median ms to the port through bin/pulumi-resource-plivo (the bundle). */
  binMs: number;
  /** Median ms to the port through dist/provider/plugin/main.js (no bundle). */
  unbundledMs: number;
  runs: number;
}

export async function measurePluginStart(programDir: string, runs = 7): Promise<PluginStart> {
  const pkg = path.join(programDir, "node_modules", "pulumi-plivo");
  const bin = [path.join(pkg, "bin", "pulumi-resource-plivo")];
  const unbundled = ["-e", `require(${JSON.stringify(path.join(pkg, "dist", "provider", "plugin", "main.js"))}).main([])`];
  const times = { bin: [] as number[], unbundled: [] as number[] };
  for (let i = 0; i < runs; i++) {
    times.bin.push(await startOnce(bin, programDir));
    times.unbundled.push(await startOnce(unbundled, programDir));
  }
  const median = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1]!;
  return { binMs: median(times.bin), unbundledMs: median(times.unbundled), runs };
}
