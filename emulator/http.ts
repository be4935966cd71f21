/**
 * Shared HTTP helpers: ids, error bodies, parameter parsing/coercion and
 * Plivo-style offset pagination.
 */
import { randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";

// ---------------------------------------------------------------------------
// ids

const NODE_ID = randomBytes(6).toString("hex");
let clockSeq = randomBytes(2).readUInt16BE(0) & 0x3fff;
let lastTicks = 0n;

/** A version-1-looking UUID, like Plivo's `api_id` values. */
export function apiId(): string {
  // 100-ns intervals since 1582-10-15
  let ticks = BigInt(Date.now()) * 10000n + 0x01b21dd213814000n;
  if (ticks <= lastTicks) ticks = lastTicks + 1n;
  lastTicks = ticks;
  const timeLow = (ticks & 0xffffffffn).toString(16).padStart(8, "0");
  const timeMid = ((ticks >> 32n) & 0xffffn).toString(16).padStart(4, "0");
  const timeHi = (((ticks >> 48n) & 0x0fffn) | 0x1000n).toString(16).padStart(4, "0");
  clockSeq = (clockSeq + 1) & 0x3fff;
  const seq = (clockSeq | 0x8000).toString(16).padStart(4, "0");
  return `${timeLow}-${timeMid}-${timeHi}-${seq}-${NODE_ID}`;
}

export function uuid(): string {
  return randomUUID();
}

/** A random numeric id of `digits` digits (no leading zero). */
export function numericId(digits: number): string {
  const bytes = randomBytes(digits);
  let s = String(1 + (bytes[0] % 9));
  for (let i = 1; i < digits; i++) s += String(bytes[i] % 10);
  return s;
}

/** ISO-8601 timestamp with microseconds, like `2020-09-23T09:31:25.924044Z`. */
export function isoMicros(d: Date): string {
  const iso = d.toISOString(); // …SS.mmmZ
  const micros = String(randomBytes(2).readUInt16BE(0) % 1000).padStart(3, "0");
  return iso.replace("Z", `${micros}Z`);
}

export function ymd(d: Date): string {
  return d.toISOString().slice(0, 10);
}

// ---------------------------------------------------------------------------
// errors / replies

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const badRequest = (msg: string): ApiError => new ApiError(400, msg);
export const notFound = (msg = "not found"): ApiError => new ApiError(404, msg);

/** Send `{api_id, ...body}` with the given status. */
export function send(reply: FastifyReply, status: number, body: Record<string, unknown> = {}): FastifyReply {
  return reply.code(status).send({ api_id: apiId(), ...body });
}

export function sendEmpty(reply: FastifyReply, status = 204): FastifyReply {
  return reply.code(status).send();
}

export function errorBody(message: string): { api_id: string; error: string } {
  return { api_id: apiId(), error: message };
}

// ---------------------------------------------------------------------------
// authentication

/** The id and token of a `Basic base64(id:token)` header; undefined when it is not one. */
export function parseBasicAuth(header: string | undefined): { id: string; token: string } | undefined {
  if (!header) return undefined;
  const m = /^Basic\s+(.+)$/i.exec(header.trim());
  if (!m) return undefined;
  let decoded: string;
  try {
    decoded = Buffer.from(m[1], "base64").toString("utf8");
  } catch {
    return undefined;
  }
  const idx = decoded.indexOf(":");
  if (idx < 0) return undefined;
  return { id: decoded.slice(0, idx), token: decoded.slice(idx + 1) };
}

/** true when `header` is `Basic base64(authId:authToken)` (constant-time compare). */
export function checkBasicAuth(header: string | undefined, authId: string, authToken: string): boolean {
  const cred = parseBasicAuth(header);
  return !!cred && safeEqual(cred.id, authId) && safeEqual(cred.token, authToken);
}

/** Constant-time string comparison (credentials). */
export function safeEqual(a: string, b: string): boolean {
  const ba = Buffer.from(a);
  const bb = Buffer.from(b);
  return ba.length === bb.length && timingSafeEqual(ba, bb);
}

// ---------------------------------------------------------------------------
// parameters

export type Raw = Record<string, unknown>;

function isObject(v: unknown): v is Raw {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * Request parameters for a route:
 *  - GET/HEAD: the query string;
 *  - POST: the JSON (or form) body;
 *  - DELETE: query string merged with the body (body wins) — Plivo documents
 *    the query string but every official SDK sends a JSON body.
 */
export function requestParams(req: FastifyRequest): Params {
  const query = isObject(req.query) ? (req.query as Raw) : {};
  const body = isObject(req.body) ? (req.body as Raw) : {};
  if (req.body !== undefined && req.body !== null && !isObject(req.body)) {
    throw badRequest("request body must be a JSON object");
  }
  switch (req.method) {
    case "GET":
    case "HEAD":
      return new Params(query, "query");
    case "DELETE":
      return new Params({ ...query, ...body }, "mixed");
    default:
      return new Params(body, "body");
  }
}

const TRUE_STRINGS = new Set(["true"]);
const FALSE_STRINGS = new Set(["false"]);

/** Coerce `true/false/"true"/"false"/"True"/"False"` (any case) to a boolean. */
export function coerceBool(v: unknown): boolean | undefined {
  if (typeof v === "boolean") return v;
  if (typeof v === "string") {
    const s = v.trim().toLowerCase();
    if (TRUE_STRINGS.has(s)) return true;
    if (FALSE_STRINGS.has(s)) return false;
  }
  return undefined;
}

/** Strip a leading "+" and every non-digit character. */
export function normalizeNumber(v: string): string {
  return v.replace(/\D+/g, "");
}

export interface StrOpts {
  required?: boolean;
  max?: number;
  /** treat "" as absent (default true) */
  emptyIsAbsent?: boolean;
}

/** Typed accessor over raw request parameters with Plivo-style 400 messages. */
export class Params {
  constructor(
    readonly raw: Raw,
    readonly source: "query" | "body" | "mixed",
  ) {}

  has(name: string): boolean {
    return this.raw[name] !== undefined;
  }

  /** Present and not null. */
  given(name: string): boolean {
    return this.raw[name] !== undefined && this.raw[name] !== null;
  }

  keys(): string[] {
    return Object.keys(this.raw).filter((k) => this.raw[k] !== undefined);
  }

  /** 400 for parameters outside `allowed`. */
  rejectUnknown(allowed: readonly string[], what = "parameter"): void {
    const set = new Set(allowed);
    const bad = this.keys().filter((k) => !set.has(k));
    if (bad.length) {
      throw badRequest(`unexpected ${what}${bad.length > 1 ? "s" : ""}: ${bad.join(", ")}`);
    }
  }

  missing(name: string): ApiError {
    return badRequest(`${name} parameter is missing`);
  }

  /** Repeated query-string keys arrive as arrays: the first one wins. */
  private scalar(name: string): unknown {
    const v = this.raw[name];
    if (Array.isArray(v) && this.source !== "body") return v[0];
    return v;
  }

  str(name: string, opts: StrOpts & { required: true }): string;
  str(name: string, opts?: StrOpts): string | undefined;
  str(name: string, opts: StrOpts = {}): string | undefined {
    const v = this.scalar(name);
    const emptyIsAbsent = opts.emptyIsAbsent ?? true;
    if (v === undefined || v === null || (emptyIsAbsent && v === "")) {
      if (opts.required) throw this.missing(name);
      return undefined;
    }
    let s: string;
    if (typeof v === "string") s = v;
    else if (typeof v === "number" || typeof v === "bigint") s = String(v);
    else throw badRequest(`${name} must be a string`);
    if (opts.max !== undefined && s.length > opts.max) {
      throw badRequest(`${name} must be at most ${opts.max} characters`);
    }
    return s;
  }

  /** Like str() but "" is returned as "" (used for "clear this field" semantics). */
  strOrEmpty(name: string, max?: number): string | undefined {
    return this.str(name, { emptyIsAbsent: false, max });
  }

  bool(name: string, opts: { required?: boolean } = {}): boolean | undefined {
    const v = this.scalar(name);
    if (v === undefined || v === null || v === "") {
      if (opts.required) throw this.missing(name);
      return undefined;
    }
    const b = coerceBool(v);
    if (b === undefined) throw badRequest(`${name} must be a boolean (true or false)`);
    return b;
  }

  /**
   * Case-insensitive enum. Returns the matching entry of `allowed` (so the
   * caller controls the output case by how it spells `allowed`).
   */
  enum<T extends string>(name: string, allowed: readonly T[], opts: { required: true }): T;
  enum<T extends string>(name: string, allowed: readonly T[], opts?: { required?: boolean }): T | undefined;
  enum<T extends string>(name: string, allowed: readonly T[], opts: { required?: boolean } = {}): T | undefined {
    const s = this.str(name, { required: opts.required });
    if (s === undefined) return undefined;
    const hit = allowed.find((a) => a.toLowerCase() === s.trim().toLowerCase());
    if (!hit) throw badRequest(`${name} must be one of: ${allowed.join(", ")}`);
    return hit;
  }

  int(name: string, opts: { min?: number; max?: number } = {}): number | undefined {
    const v = this.scalar(name);
    if (v === undefined || v === null || v === "") return undefined;
    const n = typeof v === "number" ? v : typeof v === "string" && /^-?\d+$/.test(v.trim()) ? Number(v) : NaN;
    if (!Number.isInteger(n)) throw badRequest(`${name} must be an integer`);
    if (opts.min !== undefined && n < opts.min) throw badRequest(`${name} must be >= ${opts.min}`);
    if (opts.max !== undefined && n > opts.max) throw badRequest(`${name} must be <= ${opts.max}`);
    return n;
  }

  obj(name: string, opts: { required?: boolean } = {}): Raw | undefined {
    const v = this.raw[name];
    if (v === undefined || v === null) {
      if (opts.required) throw this.missing(name);
      return undefined;
    }
    if (!isObject(v)) throw badRequest(`${name} must be an object`);
    return v;
  }

  array(name: string): unknown[] | undefined {
    const v = this.raw[name];
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v)) throw badRequest(`${name} must be a list`);
    return v;
  }

  /** A phone number: "+", spaces and punctuation stripped. */
  phone(name: string, opts: { required?: boolean } = {}): string | undefined {
    const s = this.str(name, opts);
    if (s === undefined) return undefined;
    const n = normalizeNumber(s);
    if (!n) throw badRequest(`${name} is not a valid number`);
    return n;
  }
}

export function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return u.protocol === "http:" || u.protocol === "https:";
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------
// pagination

export const MAX_LIMIT = 20;

export interface PageMeta {
  limit: number;
  offset: number;
  next: string | null;
  previous: string | null;
  total_count?: number;
}

export interface PageOpts {
  /** what `next`/`previous` are when there is no such page (default null) */
  empty?: null | "";
  /** include `total_count` (default true) */
  totalCount?: boolean;
}

/**
 * Plivo offset pagination: `limit` 1..20 (default 20), `offset` = number of
 * items skipped (default 0). `next`/`previous` are relative URLs that repeat
 * the other query parameters.
 */
export function paginate<T>(req: FastifyRequest, items: T[], opts: PageOpts = {}): { meta: PageMeta; objects: T[] } {
  const p = new Params(isObject(req.query) ? (req.query as Raw) : {}, "query");
  const limitRaw = p.str("limit");
  const offsetRaw = p.str("offset");
  let limit = MAX_LIMIT;
  let offset = 0;
  if (limitRaw !== undefined) {
    if (!/^\d+$/.test(limitRaw.trim()) || Number(limitRaw) < 1 || Number(limitRaw) > MAX_LIMIT) {
      throw badRequest(`limit must be an integer between 1 and ${MAX_LIMIT}`);
    }
    limit = Number(limitRaw);
  }
  if (offsetRaw !== undefined) {
    if (!/^\d+$/.test(offsetRaw.trim())) throw badRequest("offset must be a non-negative integer");
    offset = Number(offsetRaw);
  }
  const total = items.length;
  const objects = items.slice(offset, offset + limit);
  const empty = opts.empty === undefined ? null : opts.empty;
  const base = pagePath(req);
  const link = (o: number): string => {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(req.query as Raw)) {
      if (k === "limit" || k === "offset" || v === undefined) continue;
      for (const one of Array.isArray(v) ? v : [v]) qs.append(k, String(one));
    }
    qs.append("limit", String(limit));
    qs.append("offset", String(o));
    return `${base}?${qs.toString()}`;
  };
  const meta: PageMeta = {
    limit,
    offset,
    next: offset + limit < total ? link(offset + limit) : empty,
    previous: offset > 0 ? link(Math.max(0, offset - limit)) : empty,
  };
  if (opts.totalCount !== false) meta.total_count = total;
  return { meta, objects };
}

function pagePath(req: FastifyRequest): string {
  let p = req.url.split("?")[0].replace(/\/{2,}/g, "/");
  if (!p.endsWith("/")) p += "/";
  return p;
}
