/**
 * Plivo REST client on one keep-alive `undici.Agent`.
 *
 * Every attempt: connection slot → the account's rate-limiter slot → dispatch. Requests are sent with a
 * custom undici dispatch handler so the client knows exactly whether a request reached the socket
 * (`onRequestStart` fires right before undici writes it). That is what separates a safe retry
 * (refused, DNS, still queued) from an ambiguous failure of a non-idempotent create.
 *
 * Time budget (`timeoutMs`, from `plivo:timeoutSeconds`, default 30 s): the longest one request spends in
 * failed attempts and the backoff after them. A POST's attempt may use all that is left of it (timed out after
 * sending, it is ambiguous and never re-sent); an idempotent attempt at most half, so a stuck attempt is
 * retried once. A server that accepts and never answers thus fails after the budget, and refused or reset
 * connections are retried with backoff while the next wait still fits. Waiting for the rate limiter and for
 * 429s is not counted: that is the account's pacing (429s have their own budget, retry.ts).
 * Every 429 is reported to the limiter, which pauses and slows the whole account (rateLimiter.ts), and is
 * retried ahead of queued requests.
 */
import { Agent, type Dispatcher } from "undici";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { PlivoApiError, PlivoConfigError, PlivoError, PlivoNetworkError, PlivoTimeoutError, type OperationContext } from "./errors";
import { accountRateLimiter, type RateLimiter } from "./rateLimiter";
import { RetryPolicy, type AttemptFailure, type RetryOptions } from "./retry";
import { redactAccountPath, registerSecret, scrub } from "./redact";

export type HttpMethod = "GET" | "POST" | "DELETE";

export type QueryValue = string | number | boolean | undefined;

export interface PlivoRequest {
  method: HttpMethod;
  /** Relative to `/v1/Account/{authId}/`, e.g. `"Number/14155550100/"` or `"10dlc/Brand/BXXXXXX/"`. */
  path: string;
  query?: Record<string, QueryValue>;
  /** Sent as JSON (POST and DELETE). */
  body?: Record<string, unknown>;
  operation: OperationContext;
  /** Safe to repeat after an ambiguous failure? Default: GET/DELETE true, POST false. */
  idempotent?: boolean;
  /** Statuses accepted as success (default: any 2xx). E.g. `[204, 404]` for a tolerant delete. */
  expect?: number[];
  /** Cancels waiting, the in-flight attempt and retries; rejects with `signal.reason`. */
  signal?: AbortSignal;
  /** Time budget override for this request (see the header comment). */
  timeoutMs?: number;
}

export interface PlivoResponse<T = any> {
  status: number;
  /** Parsed JSON; `{}` for an empty body (e.g. 204). */
  body: T;
  /** The server's `Date` header (RFC 7231), when it sent one: "today" as the API counts it (pro-rating). */
  date?: string;
}

/** Debug information about one HTTP attempt. Never contains credentials. */
export interface RequestLogInfo {
  method: HttpMethod;
  /** Full request path with `/Account/…/` redacted, including the query string. */
  path: string;
  /** HTTP status, absent when no response arrived. */
  status?: number;
  /** 1-based attempt number. */
  attempt: number;
  /** Duration of the attempt (rate-limiter wait excluded). */
  ms: number;
  /** `Date.now()` when the attempt was dispatched (after the rate limiter released it). */
  startedAt: number;
  /** When the rate limiter granted this attempt, on the limiter's own clock (exact window accounting). */
  grantedAt: number;
  /** Error code of a failed attempt without response, e.g. `ECONNRESET`, `TIMEOUT`. */
  error?: string;
  /** Set when another attempt follows after this many ms. */
  retryInMs?: number;
}

export interface PlivoClientOptions {
  authId: string;
  authToken: string;
  /** Default `https://api.plivo.com`; a path prefix and trailing slash are tolerated. */
  baseUrl?: string;
  /** Default: the account's limiter in this process ({@link accountRateLimiter} of base URL and auth id). */
  rateLimiter?: RateLimiter;
  /** A policy, or options for one (defaults: 6 attempts, 250 ms base, 20 s cap, 429s for 10 min). */
  retry?: RetryPolicy | RetryOptions;
  /**
   * Time budget of one request for connecting, answers and retries of failures (default 30 000,
   * `plivo:timeoutSeconds`); see the header comment.
   */
  timeoutMs?: number;
  userAgent?: string;
  onRequest?: (info: RequestLogInfo) => void;
  /** Maximum concurrent connections / in-flight requests (default 10). */
  maxConnections?: number;
  /** Idle keep-alive time when the server gives no hint (default 4 000, undici's default). */
  keepAliveTimeoutMs?: number;
}

export interface PlivoClientStats {
  /** TCP/TLS connections opened by the agent so far. */
  connectionsOpened: number;
  /** HTTP attempts dispatched so far. */
  attempts: number;
}

export const DEFAULT_BASE_URL = "https://api.plivo.com";
export const DEFAULT_TIMEOUT_MS = 30_000;
const MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

function readPackageVersion(): string {
  for (const dir of [join(__dirname, "..", ".."), join(__dirname, "..", "..", "..")]) {
    const file = join(dir, "package.json");
    try {
      if (!existsSync(file)) continue;
      const pkg = JSON.parse(readFileSync(file, "utf8")) as { name?: string; version?: string };
      if (pkg.name === "pulumi-plivo" && pkg.version) return pkg.version;
    } catch {
      // ignore: best effort
    }
  }
  return "0.0.0";
}

function undiciVersion(): string {
  try {
    return (require("undici/package.json") as { version: string }).version;
  } catch {
    return "unknown";
  }
}

export const DEFAULT_USER_AGENT = `pulumi-plivo/${readPackageVersion()} (node ${process.version}; undici ${undiciVersion()})`;

/** Parses and normalises a base URL: http(s) only, no credentials/query/fragment, no trailing slash. */
export function normalizeBaseUrl(raw: string): { origin: string; prefix: string; href: string } {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new PlivoConfigError(`Invalid Plivo base URL "${scrub(raw)}": expected an http(s) URL such as ${DEFAULT_BASE_URL}`, {
      key: "plivo:baseUrl",
      envVar: "PLIVO_BASE_URL",
    });
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new PlivoConfigError(`Invalid Plivo base URL "${scrub(raw)}": the scheme must be http or https`, {
      key: "plivo:baseUrl",
      envVar: "PLIVO_BASE_URL",
    });
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new PlivoConfigError(`Invalid Plivo base URL: it must not contain credentials, a query or a fragment`, {
      key: "plivo:baseUrl",
      envVar: "PLIVO_BASE_URL",
    });
  }
  const prefix = url.pathname.replace(/\/+$/, "");
  return { origin: url.origin, prefix, href: url.origin + prefix };
}

/** FIFO counting semaphore bounding in-flight attempts to the agent's connection count. */
class Semaphore {
  #free: number;
  #waiters: Array<() => void> = [];
  constructor(size: number) {
    this.#free = size;
  }
  /** `priority`: served before every other waiter (a retry keeps its place). */
  async acquire(signal?: AbortSignal, priority = false): Promise<() => void> {
    if (signal?.aborted) throw signal.reason;
    if (this.#free > 0) {
      this.#free--;
    } else {
      await new Promise<void>((resolve, reject) => {
        const grant = () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        };
        const onAbort = () => {
          const i = this.#waiters.indexOf(grant);
          if (i >= 0) this.#waiters.splice(i, 1);
          reject(signal!.reason);
        };
        signal?.addEventListener("abort", onAbort, { once: true });
        if (priority) this.#waiters.unshift(grant);
        else this.#waiters.push(grant);
      });
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#waiters.shift();
      if (next) next();
      else this.#free++;
    };
  }
}

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** Internal: an attempt that produced no HTTP response. */
class AttemptFailed extends Error {
  constructor(
    readonly error: unknown,
    readonly sentRequest: boolean,
    readonly timeout: boolean,
    readonly aborted: boolean,
  ) {
    super("attempt failed");
  }
}

class TimeoutMarker extends Error {
  override name = "TimeoutError";
}

function causeCode(err: unknown): string | undefined {
  if (err && typeof err === "object") {
    const code = (err as { code?: unknown }).code;
    if (typeof code === "string") return code;
    const errors = (err as { errors?: unknown }).errors;
    if (Array.isArray(errors)) for (const e of errors) if (typeof e?.code === "string") return e.code as string;
  }
  return undefined;
}

function describeNetworkCause(code: string | undefined, err: unknown): string {
  switch (code) {
    case "ECONNREFUSED":
      return "connection refused";
    case "ECONNRESET":
      return "connection reset";
    case "EPIPE":
      return "connection closed while sending";
    case "UND_ERR_SOCKET":
      return "connection closed by the server";
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return "DNS lookup failed";
    case "UND_ERR_CONNECT_TIMEOUT":
      return "connect timeout";
    case "ETIMEDOUT":
      return "connection timed out";
    case "UND_ERR_HEADERS_TIMEOUT":
    case "UND_ERR_BODY_TIMEOUT":
      return "response timeout";
    default:
      return err instanceof Error ? `network error: ${err.message}` : "network error";
  }
}

function isErrorOnlyBody(body: unknown): boolean {
  if (!body || typeof body !== "object" || Array.isArray(body)) return false;
  const obj = body as Record<string, unknown>;
  const err = obj.error;
  if (err === undefined || err === null || err === "" || err === false) return false;
  return Object.keys(obj).every((k) => k === "api_id" || k === "error" || k === "message");
}

function errorText(parsed: unknown, text: string): string | undefined {
  if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) {
    const obj = parsed as Record<string, unknown>;
    if (typeof obj.error === "string" && obj.error !== "") return obj.error;
    if (obj.error && typeof obj.error === "object") return JSON.stringify(obj.error);
    if (typeof obj.message === "string" && obj.message !== "") return obj.message;
    return undefined;
  }
  const snippet = text.replace(/\s+/g, " ").trim();
  if (snippet === "") return undefined;
  return snippet.length > 200 ? `${snippet.slice(0, 200)}…` : snippet;
}

function header(headers: RawResponse["headers"], name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export class PlivoClient {
  readonly authId: string;
  readonly baseUrl: string;
  readonly timeoutMs: number;
  readonly userAgent: string;
  readonly rateLimiter: RateLimiter;
  readonly retryPolicy: RetryPolicy;
  readonly #authorization: string;
  readonly #origin: string;
  readonly #accountPrefix: string;
  readonly #agent: Agent;
  readonly #slots: Semaphore;
  readonly #onRequest?: (info: RequestLogInfo) => void;
  #closed = false;
  #connectionsOpened = 0;
  #attempts = 0;

  constructor(options: PlivoClientOptions) {
    const authId = options.authId?.trim();
    const authToken = options.authToken?.trim();
    if (!authId)
      throw new PlivoConfigError("PlivoClient: authId is required (config plivo:authId or env PLIVO_AUTH_ID)", {
        key: "plivo:authId",
        envVar: "PLIVO_AUTH_ID",
      });
    if (!authToken)
      throw new PlivoConfigError("PlivoClient: authToken is required (config plivo:authToken or env PLIVO_AUTH_TOKEN)", {
        key: "plivo:authToken",
        envVar: "PLIVO_AUTH_TOKEN",
      });
    registerSecret(authToken, authId);
    if (options.authToken !== authToken) registerSecret(options.authToken, authId);
    if (!/^[A-Za-z0-9_-]+$/.test(authId)) {
      throw new PlivoConfigError(`PlivoClient: authId must contain only letters, digits, "-" and "_"`, { key: "plivo:authId", envVar: "PLIVO_AUTH_ID" });
    }
    const base = normalizeBaseUrl(options.baseUrl ?? DEFAULT_BASE_URL);
    this.authId = authId;
    this.baseUrl = base.href;
    this.#origin = base.origin;
    this.#accountPrefix = `${base.prefix}/v1/Account/${authId}/`;
    this.#authorization = `Basic ${Buffer.from(`${authId}:${authToken}`, "utf8").toString("base64")}`;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (!(this.timeoutMs > 0)) throw new RangeError(`timeoutMs must be > 0, got ${this.timeoutMs}`);
    this.userAgent = options.userAgent ?? DEFAULT_USER_AGENT;
    this.rateLimiter = options.rateLimiter ?? accountRateLimiter(base.href, authId);
    this.retryPolicy = options.retry instanceof RetryPolicy ? options.retry : new RetryPolicy(options.retry);
    this.#onRequest = options.onRequest;
    const maxConnections = options.maxConnections ?? 10;
    this.#slots = new Semaphore(maxConnections);
    this.#agent = new Agent({
      connections: maxConnections,
      pipelining: 1,
      keepAliveTimeout: options.keepAliveTimeoutMs ?? 4_000,
      keepAliveMaxTimeout: 60_000,
      connect: { timeout: Math.min(this.timeoutMs, 10_000) },
    });
    this.#agent.on("connect", () => {
      this.#connectionsOpened++;
    });
  }

  get closed(): boolean {
    return this.#closed;
  }

  get stats(): PlivoClientStats {
    return { connectionsOpened: this.#connectionsOpened, attempts: this.#attempts };
  }

  /** Full request path for a relative API path (the auth id is NOT redacted). */
  #fullPath(path: string, query?: Record<string, QueryValue>): string {
    if (typeof path !== "string" || /:\/\/|[?#]/.test(path) || path.split("/").some((s) => s === ".." || s === ".")) {
      throw new PlivoError(`invalid Plivo API path "${scrub(String(path))}": expected a relative path like "Application/"`);
    }
    let full = this.#accountPrefix + path.replace(/^\/+/, "");
    if (query) {
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries(query)) if (v !== undefined) params.append(k, String(v));
      const qs = params.toString();
      if (qs) full += `?${qs}`;
    }
    return full;
  }

  /**
   * Sends one API request with rate limiting and retries.
   * Resolves with the accepted response; rejects with {@link PlivoApiError}, {@link PlivoNetworkError}
   * / {@link PlivoTimeoutError} (check `.ambiguous`), or `signal.reason` when aborted.
   */
  async request<T = any>(req: PlivoRequest): Promise<PlivoResponse<T>> {
    if (this.#closed) throw new PlivoError("PlivoClient is closed", { operation: req.operation });
    const method = req.method;
    if (method !== "GET" && method !== "POST" && method !== "DELETE") {
      throw new PlivoError(`unsupported method ${String(method)}`, { operation: req.operation });
    }
    if (method === "GET" && req.body !== undefined) {
      throw new PlivoError("a GET request cannot carry a body: pass its parameters as `query`", { operation: req.operation });
    }
    const fullPath = this.#fullPath(req.path, req.query);
    const logPath = scrub(redactAccountPath(fullPath));
    const idempotent = req.idempotent ?? method !== "POST";
    const headers: Record<string, string> = {
      authorization: this.#authorization,
      accept: "application/json",
      "user-agent": this.userAgent,
    };
    let body: string | undefined;
    if (method !== "GET" && (req.body !== undefined || method === "POST")) {
      body = JSON.stringify(req.body ?? {});
      headers["content-type"] = "application/json";
    }

    const budgetMs = req.timeoutMs ?? this.timeoutMs;
    if (!(budgetMs > 0)) throw new RangeError(`timeoutMs must be > 0, got ${budgetMs}`);
    /** Time spent in failed attempts (429s aside) and in the waits after them: the budget's clock. */
    let spentMs = 0;
    /** Attempts that failed with something other than 429. */
    let failedAttempts = 0;
    let firstStart: number | undefined;
    let firstThrottledAt: number | undefined;
    let retrying = false;

    for (let attempt = 1; ; attempt++) {
      const release = await this.#slots.acquire(req.signal, retrying);
      let startedAt = 0;
      let grantedAt = 0;
      let t0 = 0;
      let raw: RawResponse | undefined;
      let failed: AttemptFailed | undefined;
      // An idempotent attempt gets at most half the budget, so one stuck attempt can be retried within it;
      // a POST gets all that is left (timed out after sending, it is ambiguous and never re-sent anyway).
      const leftMs = budgetMs - spentMs;
      const attemptTimeoutMs = Math.max(1, idempotent ? Math.min(leftMs, budgetMs / 2) : leftMs);
      try {
        grantedAt = await this.rateLimiter.acquireTimed({ signal: req.signal, priority: retrying });
        if (this.#closed) throw new PlivoError("PlivoClient is closed", { operation: req.operation });
        startedAt = Date.now();
        t0 = performance.now();
        firstStart ??= t0;
        this.#attempts++;
        raw = await this.#send(fullPath, method, headers, body, attemptTimeoutMs, req.signal);
      } catch (err) {
        if (!(err instanceof AttemptFailed)) throw err;
        failed = err;
      } finally {
        release();
      }
      const ms = Math.round(performance.now() - t0);

      if (failed && causeCode(failed.error) === "UND_ERR_INVALID_ARG") {
        // A bug in how the request was built, not a network failure: never retry.
        throw new PlivoError(`invalid request: ${(failed.error as Error).message}`, { operation: req.operation, cause: failed.error });
      }
      if (failed?.aborted) {
        this.#log({ method, path: logPath, attempt, ms, startedAt, grantedAt, error: "ABORTED" });
        throw failed.error;
      }

      let failure: AttemptFailure;
      let parsed: unknown;
      if (raw) {
        parsed = undefined;
        let parseOk = true;
        if (raw.text.trim() !== "") {
          try {
            parsed = JSON.parse(raw.text);
          } catch {
            parseOk = false;
          }
        }
        const accepted = req.expect ? req.expect.includes(raw.status) : raw.status >= 200 && raw.status < 300;
        const is2xx = raw.status >= 200 && raw.status < 300;
        if (accepted && parseOk && !(is2xx && isErrorOnlyBody(parsed))) {
          this.#log({ method, path: logPath, status: raw.status, attempt, ms, startedAt, grantedAt });
          const date = header(raw.headers, "date");
          return { status: raw.status, body: (parsed ?? {}) as T, ...(date ? { date } : {}) };
        }
        if (accepted && !parseOk) {
          // A 2xx that is not JSON (a proxy page?) is not something we can act on: fail, no retry.
          this.#log({ method, path: logPath, status: raw.status, attempt, ms, startedAt, grantedAt });
          throw new PlivoApiError({
            status: raw.status,
            method,
            path: fullPath,
            plivoError: `unparsable response body: ${errorText(undefined, raw.text) ?? ""}`,
            retryable: false,
            attempts: attempt,
            operation: req.operation,
          });
        }
        failure = { kind: "status", status: raw.status, retryAfter: header(raw.headers, "retry-after") };
      } else {
        failure = { kind: "network", sentRequest: failed!.sentRequest, timeout: failed!.timeout };
      }

      const throttled = raw?.status === 429;
      if (throttled) {
        const retryAfterMs = this.retryPolicy.parseRetryAfter(header(raw!.headers, "retry-after"));
        // The whole account slows down and pauses, not just this request.
        this.rateLimiter.throttled({
          grantedAt,
          ...(retryAfterMs !== undefined ? { retryAfterMs: Math.min(retryAfterMs, this.retryPolicy.maxRetryAfterMs) } : {}),
        });
        firstThrottledAt ??= performance.now();
      } else {
        failedAttempts++;
        spentMs += ms;
      }
      const decision = this.retryPolicy.decide(failure, {
        attempt,
        method,
        idempotent,
        failedAttempts,
        ...(throttled ? { throttledForMs: performance.now() - firstThrottledAt! } : {}),
        ...(throttled ? {} : { budgetLeftMs: budgetMs - spentMs }),
      });
      this.#log({
        method,
        path: logPath,
        ...(raw ? { status: raw.status } : { error: failed!.timeout ? "TIMEOUT" : (causeCode(failed!.error) ?? "NETWORK") }),
        attempt,
        ms,
        startedAt,
        grantedAt,
        ...(decision.retry ? { retryInMs: decision.delayMs } : {}),
      });

      if (decision.retry) {
        await this.retryPolicy.sleep(decision.delayMs, req.signal);
        if (!throttled) spentMs += decision.delayMs;
        retrying = true;
        continue;
      }

      const elapsedMs = Math.round(performance.now() - (firstStart ?? t0));
      if (raw) {
        const obj = parsed && typeof parsed === "object" ? (parsed as Record<string, unknown>) : undefined;
        throw new PlivoApiError({
          status: raw.status,
          method,
          path: fullPath,
          ...(typeof obj?.api_id === "string" ? { apiId: obj.api_id } : {}),
          ...(errorText(parsed, raw.text) !== undefined ? { plivoError: errorText(parsed, raw.text) } : {}),
          retryable: decision.transient,
          ambiguous: decision.ambiguous,
          attempts: attempt,
          elapsedMs,
          ...(decision.retryAfterMs !== undefined ? { retryAfterMs: decision.retryAfterMs } : {}),
          operation: req.operation,
        });
      }
      const f = failed!;
      const code = f.timeout ? undefined : causeCode(f.error);
      const init = {
        method,
        path: fullPath,
        baseUrl: this.baseUrl,
        sentRequest: f.sentRequest,
        ambiguous: decision.ambiguous,
        attempts: attempt,
        elapsedMs,
        operation: req.operation,
        cause: f.error,
        ...(code !== undefined ? { causeCode: code } : {}),
      };
      if (f.timeout) throw new PlivoTimeoutError({ ...init, timeoutMs: budgetMs });
      throw new PlivoNetworkError({ ...init, detail: describeNetworkCause(code, f.error) });
    }
  }

  #log(info: RequestLogInfo): void {
    if (!this.#onRequest) return;
    try {
      this.#onRequest(info);
    } catch {
      // A debug hook must never break a request.
    }
  }

  /** One HTTP attempt. Resolves with any HTTP response; rejects with {@link AttemptFailed}. */
  #send(
    path: string,
    method: HttpMethod,
    headers: Record<string, string>,
    body: string | undefined,
    timeoutMs: number,
    signal: AbortSignal | undefined,
  ): Promise<RawResponse> {
    return new Promise<RawResponse>((resolve, reject) => {
      let settled = false;
      let sent = false;
      let controller: Dispatcher.DispatchController | undefined;
      let pendingAbort: Error | undefined;
      let status = 0;
      let resHeaders: RawResponse["headers"] = {};
      const chunks: Buffer[] = [];
      let size = 0;

      const cleanup = () => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
      };
      const fail = (cause: unknown, timeout: boolean, aborted: boolean) => {
        if (settled) return;
        settled = true;
        cleanup();
        reject(new AttemptFailed(cause, sent, timeout, aborted));
      };
      const abortWith = (reason: Error) => {
        pendingAbort = reason;
        if (controller && !controller.aborted) controller.abort(reason);
      };
      const timer = setTimeout(() => {
        const reason = new TimeoutMarker(`timed out after ${timeoutMs} ms`);
        fail(reason, true, false);
        abortWith(reason);
      }, timeoutMs);
      const onAbort = () => {
        const reason = signal!.reason instanceof Error ? signal!.reason : new DOMException("This operation was aborted", "AbortError");
        fail(signal!.reason ?? reason, false, true);
        abortWith(reason);
      };
      if (signal) {
        if (signal.aborted) {
          onAbort();
          return;
        }
        signal.addEventListener("abort", onAbort, { once: true });
      }

      const handler: Dispatcher.DispatchHandler = {
        onRequestStart: (ctrl) => {
          controller = ctrl;
          if (pendingAbort) {
            // Timed out or aborted while queued: never write it.
            ctrl.abort(pendingAbort);
            return;
          }
          sent = true; // undici writes the request right after this callback
        },
        onResponseStart: (_ctrl, statusCode, h) => {
          status = statusCode;
          resHeaders = h as RawResponse["headers"];
        },
        onResponseData: (ctrl, chunk) => {
          size += chunk.length;
          if (size > MAX_RESPONSE_BYTES) {
            const err = new Error(`response body exceeds ${MAX_RESPONSE_BYTES} bytes`);
            fail(err, false, false);
            ctrl.abort(err);
            return;
          }
          chunks.push(chunk);
        },
        onResponseEnd: () => {
          if (settled) return;
          settled = true;
          cleanup();
          resolve({ status, headers: resHeaders, text: Buffer.concat(chunks).toString("utf8") });
        },
        onResponseError: (_ctrl, err) => {
          fail(err, false, false);
        },
      };

      try {
        this.#agent.dispatch({ origin: this.#origin, path, method, headers, body: body ?? null }, handler);
      } catch (err) {
        fail(err, false, false);
      }
    });
  }

  /** Waits for in-flight requests, then closes all connections. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#agent.close();
  }

  /** Closes all connections immediately, failing in-flight requests. */
  async destroy(): Promise<void> {
    this.#closed = true;
    await this.#agent.destroy();
  }
}
