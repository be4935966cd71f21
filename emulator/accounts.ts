/**
 * Who is calling: the main account or one of its subaccounts (docs/plivo-api.md §16). The server authenticates every
 * `/v1/` request and attaches its caller (`req.caller`); routes of per-account resources (numbers, applications,
 * endpoints) show a subaccount only what it owns, the main account everything (its own objects and, marked with
 * `sub_account`, its subaccounts'). Resource modules that only the main account may use are declared `mainOnly`
 * (resources/registry.ts) and refused to subaccounts before their handlers run.
 */
import type { FastifyRequest } from "fastify";
import { ApiError, badRequest } from "./http";

export interface Caller {
  /** the auth id of the credentials (and of the path) */
  authId: string;
  /** the subaccount's auth id, or null for the main account */
  sub: string | null;
}

declare module "fastify" {
  interface FastifyRequest {
    /** set by the authentication hook on every `/v1/` request */
    caller: Caller | null;
  }
}

export function callerOf(req: FastifyRequest): Caller {
  if (!req.caller) throw new Error("emulator: no authenticated caller on this request");
  return req.caller;
}

/** 403 (docs/plivo-api.md §14.19): what the main account alone may do, asked with a subaccount's credentials. */
export function subaccountRefused(what: string, caller: Caller): ApiError {
  return new ApiError(403, `${what} is only available to the main account; ${caller.authId} is a subaccount`);
}

/** Refuse a subaccount (403) — for the main-only operations of resources subaccounts otherwise use. */
export function requireMain(req: FastifyRequest, what: string): void {
  const caller = callerOf(req);
  if (caller.sub) throw subaccountRefused(what, caller);
}

/** Whether `caller` sees an object owned by `owner` (null = the main account): the main account sees everything. */
export function sees(caller: Caller, owner: string | null): boolean {
  return caller.sub === null || caller.sub === owner;
}

/** `/v1/Account/{authId}/` + suffix: URIs in a response name the account that asked. */
export function accountUri(caller: Caller, suffix: string): string {
  return `/v1/Account/${caller.authId}/${suffix}`;
}

/**
 * The `subaccount` parameter of an assignment (numbers, applications): `""`, `"none"` or `null` = the main account,
 * otherwise an existing subaccount's auth id. Only the main account assigns (403 for a subaccount).
 */
export function subaccountParam(req: FastifyRequest, raw: string | null | undefined, exists: (authId: string) => boolean): string | null | undefined {
  if (raw === undefined) return undefined;
  requireMain(req, "assigning objects to a subaccount (subaccount)");
  const v = (raw ?? "").trim();
  if (v === "" || v.toLowerCase() === "none" || v.toLowerCase() === "null") return null;
  if (!exists(v)) throw badRequest(`subaccount ${v} is not a subaccount of this account`);
  return v;
}
