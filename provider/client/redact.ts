/**
 * Process-wide secret redaction.
 *
 * Every auth token the provider sees is registered here (by `resolveConfig` and by the
 * `PlivoClient` constructor), together with the Base64 form it takes inside a Basic
 * `Authorization` header. Every error message, error property and debug log line built by
 * `provider/client` passes through {@link scrub}, so a token can never reach Pulumi state,
 * engine logs, `util.inspect` output or `JSON.stringify` of an error, whatever text a server,
 * a socket error or a caller put around it.
 */

export const REDACTED = "[REDACTED]";

/** Secrets shorter than this are not registered: replacing 1–3 characters everywhere would shred messages. */
const MIN_SECRET_LENGTH = 4;

const secrets = new Set<string>();
let pattern: RegExp | undefined;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function rebuild(): void {
  if (secrets.size === 0) {
    pattern = undefined;
    return;
  }
  // Longest first so a secret that contains another one is replaced whole.
  const alternatives = [...secrets].sort((a, b) => b.length - a.length).map(escapeRegExp);
  pattern = new RegExp(alternatives.join("|"), "g");
}

function add(secret: string): boolean {
  if (secret.length < MIN_SECRET_LENGTH || secrets.has(secret)) return false;
  secrets.add(secret);
  return true;
}

/**
 * Registers a secret (an auth token) so {@link scrub} removes it from any text. When `authId` is
 * given, the Base64 credentials of the Basic auth header (`authId:token`) and the URL-encoded
 * token are registered too.
 */
export function registerSecret(secret: string | undefined, authId?: string): void {
  if (!secret) return;
  let changed = add(secret);
  const encoded = encodeURIComponent(secret);
  if (encoded !== secret) changed = add(encoded) || changed;
  if (authId !== undefined) {
    const basic = Buffer.from(`${authId}:${secret}`, "utf8").toString("base64");
    changed = add(basic) || changed;
    // Without padding too: some log formats strip it.
    changed = add(basic.replace(/=+$/, "")) || changed;
  }
  if (changed) rebuild();
}

/** Replaces every registered secret in `text` by `[REDACTED]`. */
export function scrub(text: string): string;
export function scrub(text: string | undefined): string | undefined;
export function scrub(text: string | undefined): string | undefined {
  if (text === undefined || pattern === undefined) return text;
  pattern.lastIndex = 0;
  return text.replace(pattern, REDACTED);
}

/** Deep-scrubs strings inside plain JSON-like values (objects, arrays). Other values are returned as is. */
export function scrubValue<T>(value: T, depth = 0): T {
  if (typeof value === "string") return scrub(value) as unknown as T;
  if (depth > 8 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => scrubValue(v, depth + 1)) as unknown as T;
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = scrubValue(v, depth + 1);
  return out as T;
}

/** Replaces the auth id in `/Account/{authId}/` by `…`, so request paths in errors and logs do not reveal it. */
export function redactAccountPath(path: string): string {
  return path.replace(/\/Account\/[^/?#]+/, "/Account/…");
}

/** Test helper: forget every registered secret. */
export function _resetSecretsForTests(): void {
  secrets.clear();
  pattern = undefined;
}
