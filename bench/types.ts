/**
 * One measured figure of a benchmark. A benchmark module `bench/<name>.ts` exports
 * `async function run(opts: { size: "ci" | "full" }): Promise<BenchResult[]>`.
 */
export type BenchResult = {
  name: string;
  figure: number;
  unit: string;
  /** What the figure is compared with, measured in the same run. */
  anchor?: { name: string; figure: number };
  ratio?: number;
  target?: string;
  pass?: boolean;
  notes?: string;
};
