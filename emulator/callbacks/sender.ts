/**
 * Status callbacks of the asynchronous resources (10DLC `url`/`method`, TFV
 * `callback_url`/`callback_method`).
 *
 * Every attempt is recorded in the `callbacks` table (bounded, newest last) so
 * tests can assert on them (`GET /__emulator/callbacks`). Delivery is
 * fire-and-forget with a short timeout: it never blocks nor fails the API
 * response that triggered it. Only loopback URLs (localhost, 127.0.0.0/8, ::1)
 * are delivered; any other host is recorded as `skipped` (the emulator is meant
 * to run without network access and must never call out to real hosts).
 *
 * POST sends the payload as JSON (or as form data: message callbacks, docs/plivo-api.md §15.5); GET sends it as the
 * query string.
 * Plivo retries failed 10DLC webhooks after 60/120/240 s; the emulator does not
 * retry (a test can read the `failed` record instead).
 */
import type { Ctx } from "../context";
import type { Table } from "../store/table";

export type CallbackResult = "pending" | "delivered" | "failed" | "skipped";

export interface CallbackRecord {
  seq: number;
  /** when the emulator decided to send it (emulator clock) */
  at: string;
  /** the lifecycle kind ("brand", "campaign", "link", "unlink", "tfv", …) */
  resource: string;
  id: string;
  /** status word sent (`created`, `registered`, `SUBMITTED`, …) */
  status: string;
  url: string;
  method: "GET" | "POST";
  /** how a POST carries the payload (default json) */
  encoding?: "json" | "form";
  payload: Record<string, unknown>;
  result: CallbackResult;
  http_status?: number;
  error?: string;
}

export const CALLBACK_LOG_MAX = 500;
export const CALLBACK_TIMEOUT_MS = 2000;

/** true for localhost, *.localhost, 127.0.0.0/8 and ::1 */
export function isLoopbackUrl(url: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") return false;
  const host = u.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  return host === "localhost" || host.endsWith(".localhost") || host === "::1" || host === "0:0:0:0:0:0:0:1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

export interface CallbackRequest {
  resource: string;
  id: string;
  status: string;
  url: string | null | undefined;
  method?: string | null;
  /** how a POST carries the payload (default json) */
  encoding?: "json" | "form";
  payload: Record<string, unknown>;
  /** told the outcome of the delivery (not of skipped ones), before it is persisted */
  onResult?(rec: CallbackRecord): void;
}

/** Records every callback (bounded, newest last) and delivers those to loopback URLs. */
export class CallbackSender {
  private readonly log: Table<CallbackRecord>;
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly ctx: Ctx) {
    this.log = ctx.store.table<CallbackRecord>("callbacks", (r) => String(r.seq));
  }

  all(): CallbackRecord[] {
    return this.log.all();
  }

  clear(): void {
    this.log.clear();
  }

  /** Record and (for loopback URLs) deliver one callback; undefined when the object has no callback URL. */
  send(req: CallbackRequest): CallbackRecord | undefined {
    if (!req.url) return undefined;
    const seq = (this.ctx.store.getMeta<number>("callbacks_seq") ?? 0) + 1;
    this.ctx.store.setMeta("callbacks_seq", seq);
    const method: "GET" | "POST" = String(req.method ?? "POST").toUpperCase() === "GET" ? "GET" : "POST";
    const rec = this.log.insert({
      seq,
      at: this.ctx.now().toISOString(),
      resource: req.resource,
      id: req.id,
      status: req.status,
      url: req.url,
      method,
      ...(req.encoding === "form" ? { encoding: "form" as const } : {}),
      payload: req.payload,
      result: "pending",
    });
    while (this.log.size > CALLBACK_LOG_MAX) this.log.delete(String(this.log.values().next().value!.seq));
    if (!isLoopbackUrl(req.url)) {
      rec.result = "skipped";
      rec.error = "not delivered: the emulator only delivers callbacks to loopback URLs";
      return rec;
    }
    // Fire and forget, in the order they were emitted (each delivery waits for the previous one, so a receiver sees
    // an object's statuses in order); the outcome lands on the record (persisted with the next commit).
    this.queue = this.queue
      .then(() => deliver(rec))
      .then((outcome) => {
        const r = this.log.edit(String(seq));
        if (r) Object.assign(r, outcome);
        req.onResult?.(r ?? { ...rec, ...outcome });
        void this.ctx.store.commit().catch(() => undefined);
      })
      .catch(() => undefined);
    return rec;
  }
}

function formFields(payload: Record<string, unknown>): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const [k, v] of Object.entries(payload)) {
    if (v === undefined || v === null) continue;
    out.push([k, typeof v === "object" ? JSON.stringify(v) : String(v)]);
  }
  return out;
}

async function deliver(rec: CallbackRecord): Promise<Pick<CallbackRecord, "result" | "http_status" | "error">> {
  try {
    let url = rec.url;
    let body: string | undefined;
    const headers: Record<string, string> = { "user-agent": "plivo-emulator-callback" };
    if (rec.method === "GET") {
      const u = new URL(rec.url);
      for (const [k, v] of formFields(rec.payload)) u.searchParams.append(k, v);
      url = u.toString();
    } else if (rec.encoding === "form") {
      body = new URLSearchParams(formFields(rec.payload)).toString();
      headers["content-type"] = "application/x-www-form-urlencoded";
    } else {
      body = JSON.stringify(rec.payload);
      headers["content-type"] = "application/json";
    }
    const { request } = await import("undici"); // loaded on the first callback only
    const res = await request(url, {
      method: rec.method,
      headers,
      body,
      headersTimeout: CALLBACK_TIMEOUT_MS,
      bodyTimeout: CALLBACK_TIMEOUT_MS,
      signal: AbortSignal.timeout(CALLBACK_TIMEOUT_MS),
    });
    await res.body.dump().catch(() => undefined);
    return { http_status: res.statusCode, result: res.statusCode >= 200 && res.statusCode < 300 ? "delivered" : "failed" };
  } catch (err) {
    return { result: "failed", error: (err as Error).message || String(err) };
  }
}
