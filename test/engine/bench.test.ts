/**
 * The benchmark suite (`npm run bench`) at its small size: proves it runs end to end (the bench stack and the no-op
 * stack through the CLI, the sequential SDK script, the waits) and writes its JSON. Benchmarks are not timed tests:
 * only what does not depend on the machine's speed is asserted (request counts, 429s, completeness).
 */
import * as fs from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { runSuite, writeResults } from "../../bench/lib/suite";
import { ENGINE_DEFAULTS, ensureEngineReady } from "./harness-setup";

describe("npm run bench (size ci)", () => {
  beforeAll(() => ensureEngineReady(), ENGINE_DEFAULTS.setupTimeoutMs);

  it(
    "runs every module, prints each figure with its anchor and writes the results as JSON",
    async () => {
      const lines: string[] = [];
      const suite = await runSuite({ size: "ci", log: (line) => lines.push(line) });
      const file = writeResults(suite);
      try {
        expect(JSON.parse(fs.readFileSync(file, "utf8")).size).toBe("ci");
        for (const [name, m] of Object.entries(suite.modules)) expect(m.error, `bench/${name}.ts failed`).toBeUndefined();

        const results = Object.values(suite.modules).flatMap((m) => m.results);
        for (const r of results) {
          expect(Number.isFinite(r.figure), r.name).toBe(true);
          if (r.anchor) expect(Number.isFinite(r.anchor.figure), r.name).toBe(true);
        }
        const stack = suite.modules.stack!.results;
        const named = (prefix: string) => stack.find((r) => r.name.startsWith(prefix));
        for (const measure of ["up (", "up vs script", "up API requests per resource", "no-change preview", "refresh API requests per resource", "destroy"]) {
          expect(named(measure), measure).toBeDefined();
        }
        // Refresh reads the stack in list pages and stays within the account's rate limit.
        expect(named("refresh API requests per resource")!.figure).toBeLessThanOrEqual(0.5);
        expect(named("refresh API requests per resource")!.notes).toContain(" 0 × 429");
        // A no-change preview makes one API call: the credentials check.
        expect(named("no-change preview")!.notes).toMatch(/^[01] API requests/);
        expect(suite.modules.waits!.results.find((r) => r.name.startsWith("waits: poll requests per second"))!.figure).toBeLessThanOrEqual(1);
        expect(lines.join("\n")).toContain("| anchor ");
      } finally {
        fs.rmSync(file, { force: true });
      }
    },
    8 * 60_000,
  );
});
