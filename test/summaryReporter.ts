/** Prints one plain closing line, `N passed, N failed, N skipped`, after vitest's own summary, for CI systems
 * that read a run's last line whatever the runner. */
import type { Reporter } from "vitest/reporters";

type Task = { type: string; mode?: string; result?: { state?: string }; tasks?: Task[] };

export default class SummaryReporter implements Reporter {
  onFinished(files: Task[] = [], errors: unknown[] = []): void {
    const count = { passed: 0, failed: 0, skipped: 0 };
    const walk = (t: Task) => {
      if (t.type === "test") {
        if (t.result?.state === "pass") count.passed++;
        else if (t.result?.state === "fail") count.failed++;
        else count.skipped++;
      }
      t.tasks?.forEach(walk);
    };
    for (const f of files) {
      walk(f);
      // A file that failed to load has no tests but must still count as a failure.
      if (f.result?.state === "fail" && !f.tasks?.length) count.failed++;
    }
    count.failed += errors.length;
    setImmediate(() => process.stdout.write(`\n${count.passed} passed, ${count.failed} failed, ${count.skipped} skipped\n`));
  }
}
