/**
 * Provider configuration: stack config (`plivo:*`) first, environment variables as fallback.
 *
 * | config key        | env fallback       | default                  |
 * |-------------------|--------------------|--------------------------|
 * | `plivo:authId`    | `PLIVO_AUTH_ID`    | — (required)             |
 * | `plivo:authToken` | `PLIVO_AUTH_TOKEN` | — (required, secret)     |
 * | `plivo:baseUrl`   | `PLIVO_BASE_URL`   | `https://api.plivo.com`  |
 * | `plivo:rateLimit` | `PLIVO_RATE_LIMIT` | `300/5s`                 |
 * | `plivo:timeoutSeconds` | `PLIVO_TIMEOUT_SECONDS` | `30`           |
 *
 * `rateLimit` is the ceiling of the account's pacing (see client/rateLimiter.ts: the client paces a little
 * below it and slows down further on 429s). `timeoutSeconds` bounds how long one request may take to connect,
 * get an answer and retry failures before it fails naming the base URL (see client/plivoClient.ts).
 *
 * Credentials are read at run time (inside provider methods), never captured in the serialized
 * provider closure. The resolved config hides the token from `JSON.stringify` and `util.inspect`.
 */
import { createHash } from "node:crypto";
import { inspect } from "node:util";
import { PlivoConfigError } from "./client/errors";
import { DEFAULT_BASE_URL, DEFAULT_TIMEOUT_MS, PlivoClient, normalizeBaseUrl, type PlivoClientOptions } from "./client/plivoClient";
import { DEFAULT_RATE_LIMIT, accountRateLimiter, parseRateLimit, type RateLimit } from "./client/rateLimiter";
import { REDACTED, registerSecret, scrub } from "./client/redact";

export interface ConfigSource {
  get(key: string): string | undefined;
}

export interface PlivoConfig {
  authId: string;
  /** Secret. Hidden from `JSON.stringify(config)` and `util.inspect(config)` (not from a spread copy). */
  authToken: string;
  /** Normalised: http(s), no trailing slash. */
  baseUrl: string;
  rateLimit: RateLimit;
  /** Time budget of one request (connect, answer, retries of failures), in seconds. */
  timeoutSeconds: number;
}

export const DEFAULT_TIMEOUT_SECONDS = DEFAULT_TIMEOUT_MS / 1000;
/** An hour: anything longer is a typo (milliseconds?) rather than a wish. */
export const MAX_TIMEOUT_SECONDS = 3600;

export const CONFIG_KEYS = Object.freeze({
  authId: { key: "plivo:authId", env: "PLIVO_AUTH_ID" },
  authToken: { key: "plivo:authToken", env: "PLIVO_AUTH_TOKEN" },
  baseUrl: { key: "plivo:baseUrl", env: "PLIVO_BASE_URL" },
  rateLimit: { key: "plivo:rateLimit", env: "PLIVO_RATE_LIMIT" },
  timeoutSeconds: { key: "plivo:timeoutSeconds", env: "PLIVO_TIMEOUT_SECONDS" },
});

type Setting = keyof typeof CONFIG_KEYS;

function lookup(setting: Setting, source: ConfigSource | undefined, env: NodeJS.ProcessEnv): string | undefined {
  const { key, env: envVar } = CONFIG_KEYS[setting];
  const fromConfig = source?.get(key)?.trim();
  if (fromConfig) return fromConfig;
  const fromEnv = env[envVar]?.trim();
  return fromEnv ? fromEnv : undefined;
}

function hint(setting: Setting): string {
  const { key, env } = CONFIG_KEYS[setting];
  const secret = setting === "authToken" ? " --secret" : "";
  return `set it with \`pulumi config set${secret} ${key} <value>\` or the ${env} environment variable`;
}

/**
 * Resolves the provider configuration. Stack config wins over the environment; empty values
 * count as unset. Throws {@link PlivoConfigError} naming the config key and env variable.
 */
export function resolveConfig(source?: ConfigSource, env: NodeJS.ProcessEnv = process.env): PlivoConfig {
  const authId = lookup("authId", source, env);
  const authToken = lookup("authToken", source, env);
  if (authToken) registerSecret(authToken, authId);

  const missing = (["authId", "authToken"] as const).filter((s) => (s === "authId" ? !authId : !authToken));
  if (missing.length > 0) {
    const first = CONFIG_KEYS[missing[0]!];
    const what = missing.map((s) => `"${CONFIG_KEYS[s].key}" (env ${CONFIG_KEYS[s].env})`).join(" and ");
    const how = missing.map((s) => hint(s)).join("; ");
    throw new PlivoConfigError(`Missing Plivo credentials: ${what} ${missing.length > 1 ? "are" : "is"} not set; ${how}`, {
      key: first.key,
      envVar: first.env,
    });
  }
  if (!/^[A-Za-z0-9_-]+$/.test(authId!)) {
    throw new PlivoConfigError(
      `Invalid "${CONFIG_KEYS.authId.key}" (env ${CONFIG_KEYS.authId.env}): an auth id contains only letters and digits (e.g. MAXXXXXXXXXXXXXXXXXX)`,
      { key: CONFIG_KEYS.authId.key, envVar: CONFIG_KEYS.authId.env },
    );
  }

  const rawBaseUrl = lookup("baseUrl", source, env) ?? DEFAULT_BASE_URL;
  let baseUrl: string;
  try {
    baseUrl = normalizeBaseUrl(rawBaseUrl).href;
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new PlivoConfigError(`Invalid "${CONFIG_KEYS.baseUrl.key}" (env ${CONFIG_KEYS.baseUrl.env}): ${reason}`, {
      key: CONFIG_KEYS.baseUrl.key,
      envVar: CONFIG_KEYS.baseUrl.env,
    });
  }

  const rawRate = lookup("rateLimit", source, env);
  let rateLimit: RateLimit = { ...DEFAULT_RATE_LIMIT };
  if (rawRate !== undefined) {
    try {
      rateLimit = parseRateLimit(rawRate);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      throw new PlivoConfigError(`Invalid "${CONFIG_KEYS.rateLimit.key}" (env ${CONFIG_KEYS.rateLimit.env}): ${scrub(reason)}`, {
        key: CONFIG_KEYS.rateLimit.key,
        envVar: CONFIG_KEYS.rateLimit.env,
      });
    }
  }

  const rawTimeout = lookup("timeoutSeconds", source, env);
  const timeoutSeconds = rawTimeout === undefined ? DEFAULT_TIMEOUT_SECONDS : parseTimeoutSeconds(rawTimeout);

  const config = { authId: authId!, authToken: authToken!, baseUrl, rateLimit, timeoutSeconds };
  const redacted = () => ({ ...config, authToken: REDACTED });
  Object.defineProperty(config, "toJSON", { value: redacted, enumerable: false });
  Object.defineProperty(config, inspect.custom, {
    value: (_depth: number, options: object) => inspect(redacted(), options),
    enumerable: false,
  });
  return config;
}

/** `"30"`, `"2.5"` → seconds; anything else, 0, or more than an hour → {@link PlivoConfigError}. */
export function parseTimeoutSeconds(raw: string): number {
  const { key, env } = CONFIG_KEYS.timeoutSeconds;
  const text = raw.trim();
  const value = /^\d+(\.\d+)?$/.test(text) ? Number(text) : NaN;
  if (!(value > 0) || value > MAX_TIMEOUT_SECONDS) {
    throw new PlivoConfigError(
      `Invalid "${key}" (env ${env}): expected a number of seconds greater than 0 and at most ${MAX_TIMEOUT_SECONDS} (e.g. 30), got "${scrub(text)}"`,
      { key, envVar: env },
    );
  }
  return value;
}

const clients = new Map<string, PlivoClient>();

function cacheKey(config: PlivoConfig): string {
  const tokenHash = createHash("sha256").update(config.authToken).digest("hex");
  return `${config.baseUrl}\n${config.authId}\n${tokenHash}\n${config.timeoutSeconds}`;
}

/**
 * One {@link PlivoClient} per (baseUrl, authId, token hash, timeout) per process. Clients of one account
 * (baseUrl, authId) share its rate limiter, reconfigured to `config.rateLimit`.
 */
export function getClient(config: PlivoConfig, options: Omit<PlivoClientOptions, "authId" | "authToken" | "baseUrl"> = {}): PlivoClient {
  const limiter = accountRateLimiter(config.baseUrl, config.authId, config.rateLimit);
  const key = cacheKey(config);
  const cached = clients.get(key);
  if (cached && !cached.closed) return cached;
  const client = new PlivoClient({
    rateLimiter: limiter,
    timeoutMs: (config.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000,
    ...options,
    authId: config.authId,
    authToken: config.authToken,
    baseUrl: config.baseUrl,
  });
  clients.set(key, client);
  return client;
}

/** Closes every cached client (tests, process shutdown). */
export async function closeAllClients(): Promise<void> {
  const all = [...clients.values()];
  clients.clear();
  await Promise.all(all.map((c) => c.close()));
}

/** `plivo:previewOffline` (env `PLIVO_PREVIEW_OFFLINE`): previews make no API call (see {@link previewOffline}). */
export const PREVIEW_OFFLINE = Object.freeze({ key: "plivo:previewOffline", env: "PLIVO_PREVIEW_OFFLINE" });

/**
 * True when previews must not call Plivo: no credentials check and no adoption look-ups in `check` (a pull request
 * built without secrets, a laptop without the API). Creates, updates, refreshes and deletes still need the API.
 */
export function previewOffline(source?: ConfigSource, env: NodeJS.ProcessEnv = process.env): boolean {
  const raw = source?.get(PREVIEW_OFFLINE.key)?.trim() || env[PREVIEW_OFFLINE.env]?.trim() || "";
  return /^(true|1|yes)$/i.test(raw);
}
