/**
 * What each size of the stack benchmark measures (bench/stack.ts): the 2,000-number stack of `--size large` next to
 * the 401-resource one, the forms, checkpoint modes and latencies of each, and how BENCH_* variables narrow a run.
 */
import { describe, expect, it } from "vitest";
import { cellsOf } from "../../bench/stack";

const brief = (env: NodeJS.ProcessEnv, size: "ci" | "full" | "large" = "large") =>
  cellsOf(size, env).map((c) => `${c.size}@${c.latencyMs} ${c.forms.join("+")} ${c.modes.join("+")}${c.full ? " full" : ""}${c.lean ? " lean" : ""}`);

describe("the stack benchmark's plan", () => {
  it("large: 401 resources in both forms and both checkpoint modes at 50 ms, at 200 ms the up; 4,001 in the dynamic form", () => {
    expect(brief({})).toEqual(["400@50 dynamic+plugin default+skip full", "400@200 dynamic+plugin default", "4000@50 dynamic default+skip full"]);
  });

  it("ci stays the lean run CI asserts on: 21 resources, dynamic form, default checkpoints, 50 ms", () => {
    expect(brief({}, "ci")).toEqual(["20@50 dynamic default full lean"]);
  });

  it("BENCH_* variables narrow a run; explicit forms and latencies apply at every size", () => {
    expect(brief({ BENCH_SIZES: "4000", BENCH_CHECKPOINTS: "skip" })).toEqual(["4000@50 dynamic skip full"]);
    expect(brief({ BENCH_SIZES: "4000", BENCH_FORMS: "plugin", BENCH_LATENCIES: "50,200" })).toEqual([
      "4000@50 plugin default+skip full",
      "4000@200 plugin default",
    ]);
    expect(() => cellsOf("full", { BENCH_FORMS: "yaml" })).toThrow(/BENCH_FORMS: yaml is not dynamic or plugin/);
  });
});
