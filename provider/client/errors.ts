/**
 * Small typed errors for the Plivo client, in the spirit of undici's own `lib/core/errors.js`:
 * one class per failure kind, a stable `code`, and the facts a caller needs as properties.
 *
 * Everything is scrubbed: messages, string properties, the stack and the (copied) `cause` pass
 * through {@link scrub}, so a registered auth token never appears in `String(err)`, `err.stack`,
 * `JSON.stringify(err)` or `util.inspect(err)`.
 */
import { STATUS_CODES } from "node:http";
import { inspect } from "node:util";
import { redactAccountPath, scrub, scrubValue } from "./redact";

/** What the provider was doing when a request failed; becomes the message prefix. */
export interface OperationContext {
  /** Resource type, e.g. "PhoneNumber". */
  resource: string;
  /** Pulumi resource name or Plivo id, e.g. "main". */
  name?: string;
  /** What was attempted, e.g. "buy 14155550100". */
  action: string;
}

/** `PhoneNumber "main": buy 14155550100` (or `Plivo API request` without an operation). */
export function describeOperation(operation?: OperationContext): string {
  if (!operation) return "Plivo API request";
  const name = operation.name !== undefined && operation.name !== "" ? ` "${operation.name}"` : "";
  return `${operation.resource}${name}: ${operation.action}`;
}

/** `4.1 s`, `30 s`, `0.2 s`: durations in messages. */
export function formatSeconds(ms: number): string {
  const s = ms / 1000;
  if (Number.isInteger(s) || s >= 10) return `${Math.round(s)} s`;
  return `${s.toFixed(1)} s`;
}

function attemptsText(attempts: number, elapsedMs?: number): string {
  const n = `${attempts} attempt${attempts === 1 ? "" : "s"}`;
  return elapsedMs !== undefined ? `after ${n} in ${formatSeconds(elapsedMs)}` : `after ${n}`;
}

const NOT_RESENT = "the request may have been applied by Plivo, so it was not re-sent";

export interface PlivoErrorOptions {
  operation?: OperationContext;
  cause?: unknown;
}

function setName(ctor: { prototype: Error }, name: string): void {
  Object.defineProperty(ctor.prototype, "name", { value: name, writable: true, configurable: true, enumerable: false });
}

/**
 * Copies an arbitrary thrown value into a plain, scrubbed `Error` (name, message, `code`, stack,
 * nested causes up to depth 3). Foreign errors can carry sockets, request options or headers;
 * none of that is kept.
 */
export function sanitizeCause(cause: unknown, depth = 0): unknown {
  if (cause === undefined || cause === null) return undefined;
  if (cause instanceof PlivoError) return cause;
  if (cause instanceof Error) {
    const copy = new Error(scrub(cause.message));
    Object.defineProperty(copy, "name", { value: cause.name, writable: true, configurable: true, enumerable: false });
    const code = (cause as { code?: unknown }).code;
    if (typeof code === "string" || typeof code === "number") (copy as Error & { code?: unknown }).code = code;
    copy.stack = scrub(cause.stack ?? `${cause.name}: ${copy.message}`);
    if (cause.cause !== undefined && depth < 3) {
      Object.defineProperty(copy, "cause", {
        value: sanitizeCause(cause.cause, depth + 1),
        writable: true,
        configurable: true,
        enumerable: false,
      });
    }
    return copy;
  }
  if (typeof cause === "string") return scrub(cause);
  return scrub(inspect(cause, { depth: 2, breakLength: Infinity }));
}

/** Base class of every error thrown by `provider/client` and `provider/config`. */
export class PlivoError extends Error {
  declare operation?: OperationContext;
  /** Stable machine-readable code, e.g. `PLIVO_API_ERROR`. */
  declare readonly code: string;

  constructor(message: string, options: PlivoErrorOptions = {}) {
    const cause = sanitizeCause(options.cause);
    super(scrub(message), cause !== undefined ? { cause } : undefined);
    if (options.operation) this.operation = scrubValue({ ...options.operation });
  }

  /** Scrubbed, serializable view: own fields plus name, message and a summary of the cause. */
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = { name: this.name, code: this.code, message: this.message };
    for (const [key, value] of Object.entries(this)) out[key] = value;
    const cause = this.cause;
    if (cause instanceof PlivoError) out.cause = cause.toJSON();
    else if (cause instanceof Error) out.cause = { name: cause.name, message: cause.message, code: (cause as { code?: unknown }).code };
    else if (cause !== undefined) out.cause = cause;
    return scrubValue(out);
  }
}
setName(PlivoError, "PlivoError");
Object.defineProperty(PlivoError.prototype, "code", { value: "PLIVO_ERROR", writable: true, configurable: true });

export interface PlivoApiErrorInit extends PlivoErrorOptions {
  status: number;
  method: string;
  /** Request path; `/Account/{authId}/` is redacted to `/Account/…/`. */
  path: string;
  apiId?: string;
  /** Plivo's `error` text from the response body (or a snippet of a non-JSON body). */
  plivoError?: string;
  /** Transient failure kind (429, 5xx): trying again later may succeed. */
  retryable?: boolean;
  /** The request may have been applied by the server although it failed (non-GET + 5xx). */
  ambiguous?: boolean;
  /** How many HTTP attempts were made (≥ 1). */
  attempts?: number;
  /** The server's `Retry-After` of the last response, in ms. */
  retryAfterMs?: number;
  /** Ms from the first attempt to the failure (shown for 429s that outlasted the retry budget). */
  elapsedMs?: number;
}

/** The Plivo API answered with an error status (or a 2xx body that only carries `error`). */
export class PlivoApiError extends PlivoError {
  readonly status: number;
  readonly method: string;
  readonly path: string;
  declare readonly apiId?: string;
  declare readonly plivoError?: string;
  readonly retryable: boolean;
  readonly ambiguous: boolean;
  readonly attempts: number;
  declare readonly retryAfterMs?: number;

  constructor(init: PlivoApiErrorInit) {
    super(PlivoApiError.format(init), init);
    this.status = init.status;
    this.method = init.method;
    this.path = scrub(redactAccountPath(init.path));
    if (init.apiId !== undefined) this.apiId = scrub(init.apiId);
    if (init.plivoError !== undefined) this.plivoError = scrub(init.plivoError);
    this.retryable = init.retryable ?? (init.status === 429 || init.status >= 500);
    this.ambiguous = init.ambiguous ?? false;
    this.attempts = init.attempts ?? 1;
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs;
  }

  /** 404: the resource does not exist (deleted outside Pulumi, or never existed). */
  get isNotFound(): boolean {
    return this.status === 404;
  }

  private static format(init: PlivoApiErrorInit): string {
    const text = init.plivoError !== undefined && init.plivoError !== "" ? init.plivoError : (STATUS_CODES[init.status] ?? "error");
    let msg = `${describeOperation(init.operation)} failed: ${init.status} ${text}`;
    if (init.apiId) msg += ` (api_id ${init.apiId})`;
    if (init.status === 429) {
      msg += `, ${attemptsText(init.attempts ?? 1, init.elapsedMs)}`;
      return `${msg}; Plivo kept refusing requests of this account (its limit is shared by every process and subaccount): run fewer stacks at once or lower plivo:rateLimit`;
    }
    if ((init.attempts ?? 1) > 1) msg += `, after ${init.attempts} attempts`;
    if (init.status === 401) msg += "; check plivo:authId and plivo:authToken (or PLIVO_AUTH_ID / PLIVO_AUTH_TOKEN)";
    if (init.ambiguous) msg += `; ${NOT_RESENT}`;
    return msg;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), isNotFound: this.isNotFound };
  }
}
setName(PlivoApiError, "PlivoApiError");
Object.defineProperty(PlivoApiError.prototype, "code", { value: "PLIVO_API_ERROR", writable: true, configurable: true });

export interface PlivoNetworkErrorInit extends PlivoErrorOptions {
  method: string;
  path: string;
  /** Could the server have received (part of) the request? False for DNS / refused / connect timeout. */
  sentRequest: boolean;
  /** The request may have been applied by the server and was not re-sent. */
  ambiguous?: boolean;
  attempts?: number;
  /** Ms from the first attempt to the failure. */
  elapsedMs?: number;
  /** The API's base URL (`plivo:baseUrl`), named in the message. */
  baseUrl?: string;
  /** Low-level code of the cause, e.g. `ECONNRESET`, `UND_ERR_SOCKET`. */
  causeCode?: string;
  /** Human description, e.g. "connection reset". */
  detail?: string;
}

/**
 * No usable HTTP response: connection refused/reset, DNS failure, socket closed, timeout. One line naming the
 * base URL and what to do:
 * `Application "app": list failed: cannot reach the Plivo API at http://127.0.0.1:9 (connection refused) after
 * 6 attempts in 4.1 s; check plivo:baseUrl (PLIVO_BASE_URL) and the network`.
 */
export class PlivoNetworkError extends PlivoError {
  readonly method: string;
  readonly path: string;
  readonly sentRequest: boolean;
  readonly ambiguous: boolean;
  /** Network failures are transient by nature. */
  readonly retryable: boolean = true;
  readonly attempts: number;
  declare readonly elapsedMs?: number;
  declare readonly baseUrl?: string;
  declare readonly causeCode?: string;

  constructor(init: PlivoNetworkErrorInit, message?: string) {
    super(message ?? PlivoNetworkError.format(init), init);
    this.method = init.method;
    this.path = scrub(redactAccountPath(init.path));
    this.sentRequest = init.sentRequest;
    this.ambiguous = init.ambiguous ?? false;
    this.attempts = init.attempts ?? 1;
    if (init.elapsedMs !== undefined) this.elapsedMs = init.elapsedMs;
    if (init.baseUrl !== undefined) this.baseUrl = scrub(init.baseUrl);
    if (init.causeCode !== undefined) this.causeCode = init.causeCode;
  }

  protected static where(init: PlivoNetworkErrorInit): string {
    return init.baseUrl ? `the Plivo API at ${init.baseUrl}` : "the Plivo API";
  }

  protected static advice(init: PlivoNetworkErrorInit, what: string): string {
    return init.ambiguous ? NOT_RESENT : what;
  }

  private static format(init: PlivoNetworkErrorInit): string {
    const detail = init.detail ?? "network error";
    const tries = attemptsText(init.attempts ?? 1, init.elapsedMs);
    const head = `${describeOperation(init.operation)} failed: `;
    if (!init.sentRequest) {
      return `${head}cannot reach ${PlivoNetworkError.where(init)} (${detail}) ${tries}; ${PlivoNetworkError.advice(init, "check plivo:baseUrl (PLIVO_BASE_URL) and the network")}`;
    }
    return `${head}lost the connection to ${PlivoNetworkError.where(init)} (${detail}) after the request was sent, ${tries}; ${PlivoNetworkError.advice(init, "check plivo:baseUrl (PLIVO_BASE_URL) and the network")}`;
  }
}
setName(PlivoNetworkError, "PlivoNetworkError");
Object.defineProperty(PlivoNetworkError.prototype, "code", { value: "PLIVO_NETWORK_ERROR", writable: true, configurable: true });

export interface PlivoTimeoutErrorInit extends PlivoNetworkErrorInit {
  /** The request's time budget (`plivo:timeoutSeconds`), in ms. */
  timeoutMs: number;
}

/**
 * The request's time budget (`plivo:timeoutSeconds`) ran out without an answer: a server that accepts and
 * never answers, or one that cannot be connected to within it.
 */
export class PlivoTimeoutError extends PlivoNetworkError {
  readonly timeoutMs: number;

  constructor(init: PlivoTimeoutErrorInit) {
    super(init, PlivoTimeoutError.formatTimeout(init));
    this.timeoutMs = init.timeoutMs;
  }

  private static formatTimeout(init: PlivoTimeoutErrorInit): string {
    const head = `${describeOperation(init.operation)} failed: `;
    const tries = attemptsText(init.attempts ?? 1, init.elapsedMs);
    const within = `within ${formatSeconds(init.timeoutMs)} (plivo:timeoutSeconds)`;
    const raise = "check plivo:baseUrl (PLIVO_BASE_URL) or raise plivo:timeoutSeconds (PLIVO_TIMEOUT_SECONDS)";
    if (!init.sentRequest) {
      return `${head}cannot reach ${PlivoNetworkError.where(init)} (${init.detail ?? "no connection"} ${within}) ${tries}; ${PlivoNetworkError.advice(init, raise)}`;
    }
    return `${head}no response from ${PlivoNetworkError.where(init)} ${within}, ${tries}; ${PlivoNetworkError.advice(init, raise)}`;
  }
}
setName(PlivoTimeoutError, "PlivoTimeoutError");
Object.defineProperty(PlivoTimeoutError.prototype, "code", { value: "PLIVO_TIMEOUT", writable: true, configurable: true });

export interface PlivoConfigErrorInit extends PlivoErrorOptions {
  /** Stack configuration key, e.g. `plivo:authToken`. */
  key: string;
  /** Environment variable fallback, e.g. `PLIVO_AUTH_TOKEN`. */
  envVar?: string;
}

/** Missing or invalid provider configuration. The message names the config key and its env fallback. */
export class PlivoConfigError extends PlivoError {
  readonly key: string;
  declare readonly envVar?: string;

  constructor(message: string, init: PlivoConfigErrorInit) {
    super(message, init);
    this.key = init.key;
    if (init.envVar !== undefined) this.envVar = init.envVar;
  }
}
setName(PlivoConfigError, "PlivoConfigError");
Object.defineProperty(PlivoConfigError.prototype, "code", { value: "PLIVO_CONFIG_ERROR", writable: true, configurable: true });

/** True for a Plivo error whose request may have been applied although it failed. */
export function isAmbiguousError(err: unknown): boolean {
  return (err instanceof PlivoApiError || err instanceof PlivoNetworkError) && err.ambiguous;
}

/** True for a 404 from Plivo. */
export function isNotFoundError(err: unknown): err is PlivoApiError {
  return err instanceof PlivoApiError && err.isNotFound;
}
