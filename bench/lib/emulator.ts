/**
 * The emulator every benchmark runs against: in this process, with a round-trip latency added to every API request
 * and Plivo's account rate limit (300 requests per 5 s) on, and a log of every API request the benchmarks count.
 */
import { request } from "undici";
import { startEmulator, type RunningEmulator } from "../../emulator/server";

export const PLIVO_RATE_LIMIT = { limit: 300, windowMs: 5_000 };

export interface ApiRequest {
  method: string;
  path: string;
  status: number;
  /** performance.now() when the emulator logged the reply. */
  at: number;
}

export interface BenchEmulator {
  readonly emu: RunningEmulator;
  readonly url: string;
  readonly authId: string;
  readonly authToken: string;
  /** Every API request answered since the last `clearLog()`. */
  readonly log: ApiRequest[];
  clearLog(): void;
  /** Latency added to every API request from now on. */
  setLatency(ms: number): Promise<void>;
  /** Adds numbers to the inventory (ignores those already there or rented). */
  addInventory(numbers: string[]): Promise<void>;
  control<T = any>(method: "GET" | "POST" | "DELETE", path: string, body?: unknown): Promise<T>;
  close(): Promise<void>;
}

export async function startBenchEmulator(opts: { latencyMs: number }): Promise<BenchEmulator> {
  const emu = await startEmulator({ port: 0, rateLimit: PLIVO_RATE_LIMIT, latencyMs: opts.latencyMs });
  const log: ApiRequest[] = [];
  const runtime = emu.runtime as unknown as { log(entry: { method: string; path: string; status: number }): void };
  const original = runtime.log.bind(runtime);
  runtime.log = (entry) => {
    log.push({ method: entry.method, path: entry.path, status: entry.status, at: performance.now() });
    original(entry);
  };
  const control = async <T>(method: "GET" | "POST" | "DELETE", path: string, body?: unknown): Promise<T> => {
    const res = await request(`${emu.url}/__emulator/${path}`, {
      method,
      headers: body !== undefined ? { "content-type": "application/json" } : {},
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await res.body.text();
    if (res.statusCode >= 300) throw new Error(`emulator control ${method} ${path}: ${res.statusCode} ${text}`);
    return (text ? JSON.parse(text) : {}) as T;
  };
  const bench: BenchEmulator = {
    emu,
    url: emu.url,
    authId: emu.authId,
    authToken: emu.authToken,
    log,
    clearLog: () => void log.splice(0, log.length),
    async setLatency(ms) {
      await control("POST", "latency", { ms });
    },
    async addInventory(numbers) {
      for (let i = 0; i < numbers.length; i += 500) {
        await control("POST", "inventory", { numbers: numbers.slice(i, i + 500).map((number) => ({ number, country_iso: "US" })) });
      }
    },
    control,
    close: () => emu.close(),
  };
  return bench;
}

/** Counts of a slice of the request log. */
export function summarize(requests: ApiRequest[]) {
  const byStatus: Record<string, number> = {};
  for (const r of requests) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
  const first = requests[0]?.at;
  const last = requests[requests.length - 1]?.at;
  return {
    total: requests.length,
    tooMany: byStatus["429"] ?? 0,
    byStatus,
    firstAt: first,
    lastAt: last,
    /** Requests per second between the first and the last request. */
    perSecond: first !== undefined && last !== undefined && last > first ? (requests.length / (last - first)) * 1000 : 0,
  };
}

/** `GET Number/` etc. → counts per method and path shape (ids replaced), to see where requests go. */
export function byEndpoint(requests: ApiRequest[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of requests) {
    const shape = r.path
      .replace(/^\/v1\/Account\/[^/]+\//, "")
      // UUIDs first: one that starts with six digits is not a number.
      .replace(/\/[0-9a-f]{8}-[0-9a-f-]{27,}/gi, "/{uuid}")
      .replace(/\/\d{6,}/g, "/{n}")
      .replace(/\/[A-Z][A-Z0-9]{6}(?=\/)/g, "/{id}");
    const key = `${r.method} ${shape}${r.status >= 400 ? ` → ${r.status}` : ""}`;
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}
