/**
 * Subaccount backend (docs/plivo-api.md §16): the subaccounts of the main account, their credentials and their
 * deletion. A subaccount is served as an account of its own (emulator/accounts.ts): its credentials work on
 * `/v1/Account/{its auth id}/…`, where it sees what it owns. Deleting one tells the owners of its objects
 * (`subaccount.deleted`): with `cascade` they delete them (numbers are unrented), without it they move them to the
 * main account.
 */
import { randomBytes } from "node:crypto";
import type { Ctx } from "../../context";
import { notFound, safeEqual, ymd } from "../../http";
import type { Table } from "../../store/table";

export interface SubaccountRecord {
  auth_id: string;
  auth_token: string;
  name: string;
  enabled: boolean;
  /** YYYY-MM-DD */
  created: string;
  /** YYYY-MM-DD of the last update, null until then */
  modified: string | null;
  /** full timestamp (emulator clock), for ordering */
  created_at: string;
}

declare module "../../context" {
  interface Backends {
    subaccounts: SubaccountBackend;
  }
  interface EmulatorEvents {
    /** A subaccount was deleted: owners delete its objects (cascade) or move them to the main account. */
    "subaccount.deleted": { auth_id: string; cascade: boolean };
  }
}

const UPPER_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/** `SA` + 18 upper-case letters and digits, like Plivo's (`SAODNKNDDMY2EXY2JKMG`). */
function subaccountId(taken: (id: string) => boolean): string {
  for (;;) {
    let id = "SA";
    for (const b of randomBytes(18)) id += UPPER_ALNUM[b % UPPER_ALNUM.length];
    if (!taken(id)) return id;
  }
}

/** 40 characters, the shape of Plivo's tokens (base64 of 30 hex digits). */
function authToken(): string {
  return Buffer.from(randomBytes(15).toString("hex")).toString("base64");
}

export type Authentication = { kind: "ok"; record: SubaccountRecord } | { kind: "disabled"; record: SubaccountRecord } | { kind: "unknown" };

export class SubaccountBackend {
  readonly subaccounts: Table<SubaccountRecord>;

  constructor(private readonly ctx: Ctx) {
    this.subaccounts = ctx.store.table<SubaccountRecord>("subaccounts", (s) => s.auth_id);
  }

  get(authId: string): SubaccountRecord | undefined {
    return this.subaccounts.get(authId);
  }

  exists(authId: string): boolean {
    return this.subaccounts.has(authId);
  }

  /** Newest first, as Plivo lists them. */
  list(): SubaccountRecord[] {
    return this.subaccounts.all().reverse();
  }

  /** Credentials of a subaccount (constant-time token comparison). */
  authenticate(authId: string, token: string): Authentication {
    const rec = this.subaccounts.get(authId);
    if (!rec || !safeEqual(token, rec.auth_token)) return { kind: "unknown" };
    return rec.enabled ? { kind: "ok", record: rec } : { kind: "disabled", record: rec };
  }

  create(name: string, enabled: boolean): SubaccountRecord {
    const now = this.ctx.now();
    const rec = this.subaccounts.insert({
      auth_id: subaccountId((id) => this.subaccounts.has(id) || id === this.ctx.authId),
      auth_token: authToken(),
      name,
      enabled,
      created: ymd(now),
      modified: null,
      created_at: now.toISOString(),
    });
    this.ctx.record({ action: "create", resource: "Subaccount", id: rec.auth_id });
    return rec;
  }

  update(authId: string, patch: { name: string; enabled?: boolean }): SubaccountRecord {
    const rec = this.subaccounts.edit(authId);
    if (!rec) throw notFound();
    rec.name = patch.name;
    if (patch.enabled !== undefined) rec.enabled = patch.enabled;
    rec.modified = ymd(this.ctx.now());
    this.ctx.record({ action: "update", resource: "Subaccount", id: authId });
    return rec;
  }

  /** Delete: its objects are deleted (cascade) or move to the main account; its credentials stop working at once. */
  delete(authId: string, cascade: boolean): void {
    if (!this.subaccounts.has(authId)) throw notFound();
    this.ctx.hooks.emit("subaccount.deleted", { auth_id: authId, cascade });
    this.subaccounts.delete(authId);
    this.ctx.record({ action: "delete", resource: "Subaccount", id: authId, cascade });
  }
}
