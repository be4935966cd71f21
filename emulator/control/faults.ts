/**
 * Count-based fault injection (`POST /__emulator/faults`): the next `count` API requests matching `method` and
 * `path` fail in the chosen way. Specs are validated strictly (an unknown key is a 400, never a catch-all fault).
 */
import { z } from "zod";
import { parseBody } from "../schemas";
import { PathMatcher } from "./match";

export const FAULT_MODES = ["status", "reset", "delay", "after", "after-reset"] as const;
export type FaultMode = (typeof FAULT_MODES)[number];

export interface Fault {
  id: number;
  method?: string;
  path?: string;
  mode: FaultMode;
  status: number;
  count: number;
  retryAfter?: number;
  delayMs: number;
  error?: string;
  hits: number;
}

const numberish = z.union([
  z.number(),
  z
    .string()
    .regex(/^\s*-?\d+(\.\d+)?\s*$/)
    .transform(Number),
]);

export const FaultSpec = z
  .strictObject({
    method: z.string().min(1).optional(),
    path: z.string().min(1).optional(),
    mode: z.enum(FAULT_MODES).default("status"),
    status: numberish.pipe(z.number().int().min(100).max(599)).optional(),
    count: numberish.pipe(z.number().int().min(1)).default(1),
    retryAfter: numberish.pipe(z.number().min(0)).optional(),
    delayMs: numberish.pipe(z.number().min(0)).optional(),
    error: z.string().optional(),
  })
  .refine((f) => f.mode !== "delay" || f.delayMs !== undefined, { message: "delayMs is required for mode delay", path: ["delayMs"] });

export function defaultErrorMessage(status: number): string {
  switch (status) {
    case 400:
      return "bad request";
    case 401:
      return "Authentication credentials invalid";
    case 403:
      return "forbidden";
    case 404:
      return "not found";
    case 405:
      return "method not allowed";
    case 409:
      return "conflict";
    case 429:
      return "too many requests";
    case 502:
      return "bad gateway";
    case 503:
      return "service unavailable";
    case 504:
      return "gateway timeout";
    default:
      return status >= 500 ? "internal server error" : "error";
  }
}

export class Faults {
  list: Fault[] = [];
  private nextId = 1;
  private matchers = new Map<number, PathMatcher>();

  add(raw: unknown): Fault {
    const spec = parseBody(FaultSpec, raw);
    const matcher = spec.path !== undefined ? new PathMatcher(spec.path) : undefined; // validates the pattern
    const fault: Fault = {
      id: this.nextId++,
      method: spec.method,
      path: spec.path,
      mode: spec.mode,
      status: spec.status ?? (spec.mode === "status" || spec.mode === "after" ? 500 : 0),
      count: spec.count,
      retryAfter: spec.retryAfter,
      delayMs: spec.delayMs ?? 0,
      error: spec.error,
      hits: 0,
    };
    if (matcher) this.matchers.set(fault.id, matcher);
    this.list.push(fault);
    return fault;
  }

  clear(): void {
    this.list = [];
    this.matchers.clear();
  }

  /** The first active fault matching this request; consumes one of its `count`. */
  take(method: string, url: string): Fault | undefined {
    const f = this.list.find(
      (x) => x.count > 0 && (!x.method || x.method.toUpperCase() === method.toUpperCase()) && (this.matchers.get(x.id)?.test(url) ?? true),
    );
    if (!f) return undefined;
    f.count--;
    f.hits++;
    if (f.count <= 0) {
      this.list = this.list.filter((x) => x !== f);
      this.matchers.delete(f.id);
    }
    return f;
  }
}
