/**
 * The control surface under `/__emulator/` (no Basic auth) and the runtime
 * (non-persisted) knobs it drives: injected faults, the request log and the
 * optional rate limit.
 */
import type { FastifyInstance } from "fastify";
import type { Ctx } from "./context";
import { addInventory, itemFromSpec } from "./inventory";
import { badRequest, type Raw } from "./http";

export type FaultMode = "status" | "reset" | "delay" | "after" | "after-reset";
const FAULT_MODES: FaultMode[] = ["status", "reset", "delay", "after", "after-reset"];

export interface Fault {
  id: number;
  /** HTTP method to match (case-insensitive); any when absent */
  method?: string;
  /** substring of the request path+query, or a regular-expression source; any when absent */
  path?: string;
  mode: FaultMode;
  /** status for "status"/"after" (default 500) */
  status: number;
  /** remaining number of requests this fault applies to */
  count: number;
  /** seconds; sets the Retry-After header on "status"/"after" replies */
  retryAfter?: number;
  /** for "delay" */
  delayMs: number;
  /** error message in the Plivo error body (default depends on status) */
  error?: string;
  /** how many requests it has hit so far */
  hits: number;
}

export interface RequestLogEntry {
  method: string;
  path: string;
  query?: string;
  status: number;
  at: string;
  /** parsed request body (JSON/form), when there was one */
  body?: unknown;
  fault?: FaultMode;
}

export interface RateLimit {
  limit: number;
  windowMs: number;
}

const REQUEST_LOG_MAX = 2000;

export function defaultErrorMessage(status: number): string {
  switch (status) {
    case 400: return "bad request";
    case 401: return "Authentication credentials invalid";
    case 403: return "forbidden";
    case 404: return "not found";
    case 405: return "method not allowed";
    case 409: return "conflict";
    case 429: return "too many requests";
    case 502: return "bad gateway";
    case 503: return "service unavailable";
    case 504: return "gateway timeout";
    default: return status >= 500 ? "internal server error" : "error";
  }
}

export class Runtime {
  faults: Fault[] = [];
  requests: RequestLogEntry[] = [];
  rateLimit: RateLimit | null = null;
  private nextFaultId = 1;
  private windowStart = 0;
  private windowCount = 0;

  addFault(spec: Raw): Fault {
    const count = spec.count === undefined ? 1 : Number(spec.count);
    if (!Number.isInteger(count) || count < 1) throw badRequest("count must be a positive integer");
    const mode = (spec.mode ?? "status") as FaultMode;
    if (!FAULT_MODES.includes(mode)) throw badRequest(`mode must be one of: ${FAULT_MODES.join(", ")}`);
    const status = spec.status === undefined ? (mode === "status" || mode === "after" ? 500 : 0) : Number(spec.status);
    if ((mode === "status" || mode === "after") && !(Number.isInteger(status) && status >= 100 && status <= 599)) {
      throw badRequest("status must be an HTTP status code");
    }
    const delayMs = spec.delayMs === undefined ? 0 : Number(spec.delayMs);
    if (!Number.isFinite(delayMs) || delayMs < 0) throw badRequest("delayMs must be a non-negative number");
    if (mode === "delay" && spec.delayMs === undefined) throw badRequest("delayMs is required for mode delay");
    let retryAfter: number | undefined;
    if (spec.retryAfter !== undefined) {
      retryAfter = Number(spec.retryAfter);
      if (!Number.isFinite(retryAfter) || retryAfter < 0) throw badRequest("retryAfter must be a non-negative number of seconds");
    }
    if (spec.method !== undefined && typeof spec.method !== "string") throw badRequest("method must be a string");
    if (spec.path !== undefined && typeof spec.path !== "string") throw badRequest("path must be a string");
    if (spec.error !== undefined && typeof spec.error !== "string") throw badRequest("error must be a string");
    const fault: Fault = {
      id: this.nextFaultId++,
      method: spec.method as string | undefined,
      path: spec.path as string | undefined,
      mode,
      status,
      count,
      retryAfter,
      delayMs,
      error: spec.error as string | undefined,
      hits: 0,
    };
    this.faults.push(fault);
    return fault;
  }

  /** The first active fault matching this request; consumes one of its `count`. */
  takeFault(method: string, url: string): Fault | undefined {
    const f = this.faults.find((x) => x.count > 0 && matches(x, method, url));
    if (!f) return undefined;
    f.count--;
    f.hits++;
    if (f.count <= 0) this.faults = this.faults.filter((x) => x !== f);
    return f;
  }

  /** true when the request exceeds the configured rate limit */
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
    if (this.requests.length > REQUEST_LOG_MAX) this.requests.splice(0, this.requests.length - REQUEST_LOG_MAX);
  }
}

function matches(f: Fault, method: string, url: string): boolean {
  if (f.method && f.method.toUpperCase() !== method.toUpperCase()) return false;
  if (f.path) {
    if (url.includes(f.path)) return true;
    try {
      return new RegExp(f.path).test(url);
    } catch {
      return false;
    }
  }
  return true;
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

export interface ControlDeps {
  ctx: Ctx;
  runtime: Runtime;
  /** replace the state with a fresh seeded one */
  reset(): void;
}

/** Registers the core control routes; `app` is prefixed with `/__emulator`. */
export function registerControl(app: FastifyInstance, deps: ControlDeps): void {
  const { ctx, runtime } = deps;

  app.get("/health", async () => ({ ok: true, auth_id: ctx.authId }));

  app.post("/reset", async () => {
    deps.reset();
    return { ok: true };
  });

  app.get("/state", async () => ctx.state);

  app.get("/ledger", async () => ({ ledger: ctx.state.ledger }));

  app.post("/inventory", async (req, reply) => {
    const body = req.body as unknown;
    const specs: unknown[] = Array.isArray(body)
      ? body
      : body && typeof body === "object" && Array.isArray((body as Raw).numbers)
        ? ((body as Raw).numbers as unknown[])
        : body && typeof body === "object"
          ? [body]
          : [];
    if (specs.length === 0) throw badRequest("send {numbers:[{number, …}]} or a single {number, …}");
    const items = specs.map((s) => {
      if (typeof s === "string" || typeof s === "number") return itemFromSpec({ number: String(s) });
      if (!s || typeof s !== "object") throw badRequest("each inventory entry must be an object or a number");
      return itemFromSpec(s as Raw);
    });
    const added = addInventory(ctx.state, items, (n) => ctx.state.numbers.some((x) => x.number === n));
    return reply.code(201).send({ added });
  });

  app.get("/faults", async () => runtime.faults);
  app.post("/faults", async (req, reply) => {
    const body = req.body as unknown;
    const specs = Array.isArray(body) ? body : [body ?? {}];
    const faults = specs.map((s) => {
      if (!s || typeof s !== "object") throw badRequest("a fault must be an object");
      return runtime.addFault(s as Raw);
    });
    return reply.code(201).send(Array.isArray(body) ? { faults } : faults[0]);
  });
  app.delete("/faults", async () => {
    runtime.faults = [];
    return { ok: true };
  });

  app.get("/requests", async () => runtime.requests);
  app.delete("/requests", async () => {
    runtime.requests = [];
    return { ok: true };
  });

  app.get("/rate-limit", async () => ({ rateLimit: runtime.rateLimit }));
  app.post("/rate-limit", async (req) => {
    runtime.setRateLimit(parseRateLimit(req.body ?? null));
    return { rateLimit: runtime.rateLimit };
  });
  app.delete("/rate-limit", async () => {
    runtime.setRateLimit(null);
    return { rateLimit: null };
  });

  /** Shift the emulator clock: {advanceMs} adds to the offset, {offsetMs} sets it. */
  app.post("/clock", async (req) => {
    const b = (req.body ?? {}) as Raw;
    const s = ctx.state;
    if (b.offsetMs !== undefined) {
      if (!Number.isFinite(Number(b.offsetMs))) throw badRequest("offsetMs must be a number");
      s.clock_offset_ms = Number(b.offsetMs);
    } else if (b.advanceMs !== undefined) {
      if (!Number.isFinite(Number(b.advanceMs))) throw badRequest("advanceMs must be a number");
      s.clock_offset_ms = (s.clock_offset_ms || 0) + Number(b.advanceMs);
    } else {
      throw badRequest("send {advanceMs} or {offsetMs}");
    }
    return { now: ctx.now().toISOString(), clock_offset_ms: s.clock_offset_ms };
  });
}
