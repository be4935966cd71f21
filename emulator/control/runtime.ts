/**
 * The runtime knobs of an emulator (not persisted, not part of `/state`): count-based faults, the seeded chaos
 * mode, a fixed latency, the request log and the optional account rate limit.
 */
import { badRequest, type Raw } from "../http";
import { Faults } from "./faults";

export interface RequestLogEntry {
  method: string;
  path: string;
  query?: string;
  status: number;
  at: string;
  /** parsed request body (JSON/form), when there was one */
  body?: unknown;
  fault?: string;
}

export interface RateLimit {
  limit: number;
  windowMs: number;
}

const REQUEST_LOG_MAX = 2000;

export class Runtime {
  readonly faults = new Faults();
  requests: RequestLogEntry[] = [];
  rateLimit: RateLimit | null = null;
  /** fixed delay added to every `/v1/` request */
  latencyMs = 0;
  private windowStart = 0;
  private windowCount = 0;

  /** true when the request exceeds the configured rate limit (account-wide fixed window) */
  overLimit(nowMs: number): boolean {
    if (!this.rateLimit) return false;
    if (nowMs - this.windowStart >= this.rateLimit.windowMs) {
      this.windowStart = nowMs;
      this.windowCount = 0;
    }
    this.windowCount++;
    return this.windowCount > this.rateLimit.limit;
  }

  setRateLimit(r: RateLimit | null): void {
    this.rateLimit = r;
    this.windowStart = 0;
    this.windowCount = 0;
  }

  log(entry: RequestLogEntry): void {
    this.requests.push(entry);
    // trim in batches: shifting a 2,000-entry array on every request costs more than the request itself
    if (this.requests.length >= 2 * REQUEST_LOG_MAX) this.requests = this.requests.slice(-REQUEST_LOG_MAX);
  }

  /** The last 2,000 API requests, oldest first. */
  recent(): RequestLogEntry[] {
    return this.requests.length > REQUEST_LOG_MAX ? this.requests.slice(-REQUEST_LOG_MAX) : this.requests;
  }
}

export function parseRateLimit(v: unknown): RateLimit | null {
  if (v === null || v === false || v === undefined) return null;
  if (typeof v === "string") {
    // "N/S" e.g. "300/5" = 300 requests per 5 seconds
    const m = /^(\d+)\s*\/\s*(\d+(?:\.\d+)?)$/.exec(v.trim());
    if (!m) throw badRequest("rate limit must look like N/S, e.g. 300/5");
    return checkRate({ limit: Number(m[1]), windowMs: Number(m[2]) * 1000 });
  }
  if (typeof v === "object") {
    const o = v as Raw;
    const unknown = Object.keys(o).filter((k) => !["limit", "windowMs", "enabled"].includes(k));
    if (unknown.length) throw badRequest(`unexpected parameter${unknown.length > 1 ? "s" : ""}: ${unknown.join(", ")}`);
    if (o.enabled === false) return null;
    return checkRate({ limit: Number(o.limit ?? 300), windowMs: Number(o.windowMs ?? 5000) });
  }
  throw badRequest("invalid rate limit");
}

function checkRate(r: RateLimit): RateLimit {
  if (!Number.isInteger(r.limit) || r.limit < 1) throw badRequest("limit must be a positive integer");
  if (!Number.isFinite(r.windowMs) || r.windowMs <= 0) throw badRequest("windowMs must be positive");
  return r;
}
