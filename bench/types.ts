/** The result shape every benchmark module returns (`bench/<name>.ts` exports `run(opts)`). */
export interface BenchResult {
  name: string;
  figure: number;
  unit: string;
  anchor?: { name: string; figure: number };
  ratio?: number;
  target?: string;
  pass?: boolean;
  notes?: string;
}

export interface BenchOptions {
  size: "ci" | "full";
}
