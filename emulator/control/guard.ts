/**
 * What keeps a web page from driving the emulator (the control surface can reset or read the whole state, and the
 * API answers to well-known default credentials):
 *  - every request's `Host` must name this server: a loopback name or address, the bound address, or a host given
 *    with `--allowed-host` (DNS rebinding: a page on evil.example whose name resolves to 127.0.0.1 sends
 *    `Host: evil.example`);
 *  - control writes (anything but GET/HEAD) are refused when the browser says the request is cross-site (`Origin`
 *    of another host, `Sec-Fetch-Site` other than same-origin/none), and POSTs must be `application/json` — a
 *    content type a page can only send cross-origin after a CORS preflight, which the emulator never grants;
 *  - with a control token (`--control-token`), every control request must carry it (`X-Emulator-Token: T` or
 *    `Authorization: Bearer T`).
 */
import { timingSafeEqual } from "node:crypto";
import { hostname, networkInterfaces } from "node:os";
import type { FastifyRequest } from "fastify";

export interface ControlGuardOptions {
  host: string;
  token?: string;
  allowedHosts?: string[];
}

const WILDCARDS = new Set(["0.0.0.0", "::", "[::]", ""]);

export function isLoopbackHost(h: string): boolean {
  const host = h.replace(/^\[|\]$/g, "").toLowerCase();
  return host === "localhost" || host.endsWith(".localhost") || host === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** The host name of a Host header or an origin's authority, without port and brackets, lower case. */
function hostOnly(authority: string): string {
  const a = authority.trim().toLowerCase();
  if (a.startsWith("[")) return a.slice(1, a.indexOf("]"));
  const colon = a.lastIndexOf(":");
  return colon >= 0 && a.indexOf(":") === colon ? a.slice(0, colon) : a;
}

export class ControlGuard {
  private readonly allowed = new Set<string>();

  constructor(private readonly opts: ControlGuardOptions) {
    const bound = hostOnly(opts.host.includes(":") && !opts.host.startsWith("[") ? `[${opts.host}]` : opts.host);
    this.allowed.add(bound);
    for (const h of opts.allowedHosts ?? []) this.allowed.add(hostOnly(h));
    if (WILDCARDS.has(opts.host)) {
      // bound to every interface: the machine's own names and addresses
      this.allowed.add(hostname().toLowerCase());
      for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) this.allowed.add(a.address.toLowerCase());
    }
  }

  /** A loud warning when the server is reachable from other machines. */
  bindWarning(): string | undefined {
    if (isLoopbackHost(this.opts.host)) return undefined;
    return (
      `WARNING: the Plivo emulator listens on ${this.opts.host}, reachable from other machines. Anyone who can reach it can ` +
      `read and reset its state${this.opts.token ? "" : " (no --control-token set)"} and use the API with its credentials. ` +
      `Bind to 127.0.0.1 unless you mean it.\n`
    );
  }

  hostAllowed(hostHeader: string | undefined): boolean {
    if (hostHeader === undefined) return true; // HTTP/1.0 clients send none; browsers always do
    const h = hostOnly(hostHeader);
    return isLoopbackHost(h) || this.allowed.has(h);
  }

  /** Why the request is refused (status and message), or undefined. */
  check(req: FastifyRequest): { status: number; message: string } | undefined {
    if (!this.hostAllowed(req.headers.host)) {
      return { status: 403, message: `Host ${req.headers.host} is not this emulator (add it with --allowed-host to allow it)` };
    }
    if (!req.url.startsWith("/__emulator")) return undefined;
    if (this.opts.token !== undefined && !this.tokenOk(req)) {
      return { status: 401, message: "the control surface requires the emulator's control token (X-Emulator-Token)" };
    }
    const method = req.method.toUpperCase();
    if (method === "GET" || method === "HEAD") return undefined;
    const site = header(req, "sec-fetch-site");
    if (site !== undefined && site !== "same-origin" && site !== "none") {
      return { status: 403, message: `cross-site control requests are refused (Sec-Fetch-Site: ${site})` };
    }
    const origin = header(req, "origin");
    if (origin !== undefined) {
      let originHost: string | undefined;
      try {
        originHost = origin === "null" ? undefined : new URL(origin).host;
      } catch {
        originHost = undefined;
      }
      if (!originHost || originHost.toLowerCase() !== String(req.headers.host ?? "").toLowerCase()) {
        return { status: 403, message: `cross-origin control requests are refused (Origin: ${origin})` };
      }
    }
    if (method !== "DELETE") {
      const type = String(req.headers["content-type"] ?? "")
        .split(";")[0]
        .trim()
        .toLowerCase();
      if (type !== "application/json") {
        return { status: 415, message: "control requests that change state must be sent as Content-Type: application/json" };
      }
    }
    return undefined;
  }

  private tokenOk(req: FastifyRequest): boolean {
    const given = header(req, "x-emulator-token") ?? /^Bearer\s+(.+)$/i.exec(header(req, "authorization") ?? "")?.[1];
    if (given === undefined) return false;
    const a = Buffer.from(given);
    const b = Buffer.from(this.opts.token!);
    return a.length === b.length && timingSafeEqual(a, b);
  }
}

function header(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
