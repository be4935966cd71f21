/**
 * `npm run bench [-- --size ci|full|large] [--only stack,waits]`: runs the benchmark suite, prints every figure with its
 * anchor and ratio, and writes them as JSON to bench/results/.
 */
import * as path from "node:path";
import { runSuite, writeResults } from "./lib/suite";
import type { BenchOptions } from "./types";

async function main() {
  const args = process.argv.slice(2);
  const arg = (name: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const size = (arg("size") ?? "full") as BenchOptions["size"];
  if (size !== "ci" && size !== "full" && size !== "large") throw new Error(`--size must be ci, full or large (got ${size})`);
  const only = arg("only")?.split(",");
  const suite = await runSuite({ size, only });
  const file = writeResults(suite);
  process.stdout.write(
    `\n${suite.seconds.toFixed(0)} s; load average ${suite.machine.loadAverage.join(", ")} → ${suite.machine.loadAverageAfter.join(", ")}; results in ${path.relative(process.cwd(), file)}\n`,
  );
  const failed = Object.entries(suite.modules).filter(([, m]) => m.error);
  if (failed.length) process.exitCode = 1;
}

void main();
