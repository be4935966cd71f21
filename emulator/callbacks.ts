/**
 * Status callbacks of the asynchronous resources (10DLC `url`/`method`, TFV
 * `callback_url`/`callback_method`).
 *
 * Every attempt is recorded in `state.callbacks` (bounded, newest last) so
 * tests can assert on them (`GET /__emulator/callbacks`). Delivery is
 * fire-and-forget with a short timeout: it never blocks nor fails the API
 * response that triggered it. Only loopback URLs (localhost, 127.0.0.0/8, ::1)
 * are delivered; any other host is recorded as `skipped` (the emulator is meant
 * to run without network access and must never call out to real hosts).
 *
 * POST sends the payload as JSON; GET sends it as the query string.
 * Plivo retries failed 10DLC webhooks after 60/120/240 s; the emulator does not
 * retry (a test can read the `failed` record instead).
 */
import { request } from "undici";
import type { Ctx } from "./context";

export type CallbackResult = "pending" | "delivered" | "failed" | "skipped";

export interface CallbackRecord {
  seq: number;
  /** when the emulator decided to send it (emulator clock) */
  at: string;
  /** "brand" | "campaign" | "link" | "unlink" | "tfv" */
  resource: string;
  id: string;
  /** status word sent (`created`, `registered`, `SUBMITTED`, …) */
  status: string;
  url: string;
  method: "GET" | "POST";
  payload: Record<string, unknown>;
  result: CallbackResult;
  http_status?: number;
  error?: string;
}

declare module "./store" {
  interface State {
    callbacks: CallbackRecord[];
    callbacks_seq: number;
  }
}

export const CALLBACK_LOG_MAX = 500;
export const CALLBACK_TIMEOUT_MS = 2000;

export function initCallbackState(state: { callbacks?: CallbackRecord[]; callbacks_seq?: number }): void {
  state.callbacks ??= [];
  state.callbacks_seq ??= 0;
}

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
  return (
    host === "localhost" ||
    host.endsWith(".localhost") ||
    host === "::1" ||
    host === "0:0:0:0:0:0:0:1" ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)
  );
}

export interface CallbackRequest {
  resource: string;
  id: string;
  status: string;
  url: string | null | undefined;
  method?: string | null;
  payload: Record<string, unknown>;
}

/**
 * Record and (for loopback URLs) deliver one callback. Returns the record, or
 * undefined when the object has no callback URL.
 */
export function sendCallback(ctx: Ctx, req: CallbackRequest): CallbackRecord | undefined {
  if (!req.url) return undefined;
  const state = ctx.state;
  initCallbackState(state);
  state.callbacks_seq += 1;
  const method: "GET" | "POST" = String(req.method ?? "POST").toUpperCase() === "GET" ? "GET" : "POST";
  const rec: CallbackRecord = {
    seq: state.callbacks_seq,
    at: ctx.now().toISOString(),
    resource: req.resource,
    id: req.id,
    status: req.status,
    url: req.url,
    method,
    payload: req.payload,
    result: "pending",
  };
  state.callbacks.push(rec);
  if (state.callbacks.length > CALLBACK_LOG_MAX) state.callbacks.splice(0, state.callbacks.length - CALLBACK_LOG_MAX);
  if (!isLoopbackUrl(req.url)) {
    rec.result = "skipped";
    rec.error = "not delivered: the emulator only delivers callbacks to loopback URLs";
    return rec;
  }
  // Fire and forget; the outcome lands on the record (persisted with the next write).
  void deliver(rec).catch(() => undefined);
  return rec;
}

async function deliver(rec: CallbackRecord): Promise<void> {
  try {
    let url = rec.url;
    let body: string | undefined;
    const headers: Record<string, string> = { "user-agent": "plivo-emulator-callback" };
    if (rec.method === "GET") {
      const u = new URL(rec.url);
      for (const [k, v] of Object.entries(rec.payload)) {
        if (v === undefined || v === null) continue;
        u.searchParams.append(k, typeof v === "object" ? JSON.stringify(v) : String(v));
      }
      url = u.toString();
    } else {
      body = JSON.stringify(rec.payload);
      headers["content-type"] = "application/json";
    }
    const res = await request(url, {
      method: rec.method,
      headers,
      body,
      headersTimeout: CALLBACK_TIMEOUT_MS,
      bodyTimeout: CALLBACK_TIMEOUT_MS,
      signal: AbortSignal.timeout(CALLBACK_TIMEOUT_MS),
    });
    await res.body.dump().catch(() => undefined);
    rec.http_status = res.statusCode;
    rec.result = res.statusCode >= 200 && res.statusCode < 300 ? "delivered" : "failed";
  } catch (err) {
    rec.result = "failed";
    rec.error = (err as Error).message || String(err);
  }
}
