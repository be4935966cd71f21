/**
 * What the CLI shows about resources, for the engine tests: the diagnostics of a `preview --json` by resource, the
 * absence of stack traces, and a refresh that shows no change nobody made.
 */
import { expect } from "vitest";
import type { PulumiProject, RunResult } from "./harness";

export interface Diagnostic {
  /** `Type::name` of the resource the message is logged on, or `(none)`. */
  resource: string;
  severity: string;
  /** Without the `warning: ` / `error: ` prefix and the trailing newline. */
  message: string;
}

export function diagnostics(json: any): Diagnostic[] {
  return (json.diagnostics ?? []).map((d: any) => ({
    resource: d.urn ? `${String(d.urn).split("::")[2].split(":").pop()}::${String(d.urn).split("::").pop()}` : "(none)",
    severity: d.severity,
    message: String(d.message)
      .replace(/^(warning|error): /, "")
      .trim(),
  }));
}

/** `pulumi preview --json`, also when it fails (the CLI prints the JSON either way). */
export async function previewJson(p: PulumiProject): Promise<{ code: number; json: any; result: RunResult }> {
  const result = await p.preview({ json: true, allowFailure: true });
  return { code: result.code, json: JSON.parse(result.stdout), result };
}

/**
 * What @pulumi/pulumi itself sometimes prints after a failed update (seen with 3.276): the program's last calls race
 * the engine's shutdown, and the SDK dumps the failed RPC with its stack (pulumi/pulumi#16853). It names no resource
 * and comes from no code of this package; docs/previews.md says so.
 */
const SDK_SHUTDOWN_NOISE = /failed to deliver log message\.[\s\S]*?message severity: error\n?/g;

/** No stack trace and no Node error dump anywhere in a command's output (but the SDK's shutdown race above). */
export function expectNoStackTrace(res: RunResult): void {
  const all = (res.stdout + res.stderr).replace(SDK_SHUTDOWN_NOISE, "");
  expect(all).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  expect(all).not.toMatch(/Error: .*: Error: /);
}

/**
 * `pulumi preview --refresh --diff` lists no Plivo resource whose refreshed outputs differ from the state: a refresh
 * right after an `up` must show nothing (`--expect-no-changes` does not catch output-only refresh diffs).
 */
export async function expectQuietRefresh(p: PulumiProject): Promise<void> {
  const res = await p.run(["preview", "--refresh", "--diff", "--stack", p.stack, "--non-interactive"]);
  const noisy = res.stdout.split("\n").filter((l) => /(pulumi-nodejs:dynamic\/plivo|plivo:index):\w+: \(refresh\)/.test(l));
  expect(noisy, res.stdout).toEqual([]);
  expect(res.stdout).toMatch(/unchanged/);
}

/**
 * Diagnostics in a stable order, for comparing sets: the engine's log calls are asynchronous, so the warning of a
 * replacement's diff and the one of its create's check may arrive either way round.
 */
export const sorted = (list: Diagnostic[]) => [...list].sort((a, b) => `${a.resource} ${a.message}`.localeCompare(`${b.resource} ${b.message}`));
