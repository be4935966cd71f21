/** What every benchmark module (`bench/<name>.ts`) returns: one row per measure. */
export interface BenchResult {
  name: string;
  figure: number;
  unit: string;
  /** The comparison measured in the same run (the sequential script, the no-op stack, the rate-limit ceiling). */
  anchor?: { name: string; figure: number };
  ratio?: number;
  /** The goal, in words, e.g. "≤ 1.5 × no-op up". */
  target?: string;
  pass?: boolean;
  notes?: string;
}

export interface BenchOptions {
  /** ci: what CI runs; full: the suite; large: full, with the stack bench at 2,000 numbers too (bench/stack.ts). */
  size: "ci" | "full" | "large";
}

/** The size of the modules that know only ci and full (large is full for them). */
export const twoSizes = (size: BenchOptions["size"]): "ci" | "full" => (size === "ci" ? "ci" : "full");

/** A benchmark module. */
export type BenchModule = { run(opts: BenchOptions): Promise<BenchResult[]> };
