import { inspect } from "node:util";

/** Every rendering of an error a user, a log or Pulumi state could ever see (for tests that no secret reaches one). */
export function renderings(err: unknown): string[] {
  const e = err as Error;
  return [String(e), e.message, e.stack ?? "", JSON.stringify(e), inspect(e, { depth: 10, showHidden: true }), inspect(e, { depth: 10 })];
}
