/**
 * SIP endpoint backend (docs/plivo-api.md §17): endpoints of the main account and of its subaccounts. The username
 * Plivo returns is the one asked for plus a 12-digit timestamp (`yyMMddHHmmss`, emulator clock, UTC). The password
 * is never shown and never kept: the record holds its MD5 (what Plivo's newer docs say it returns), so neither
 * `/__emulator/state` nor the data file carries it.
 */
import { createHash } from "node:crypto";
import { sees, type Caller } from "../../accounts";
import type { Ctx } from "../../context";
import { notFound, numericId } from "../../http";
import type { Table } from "../../store/table";

export interface EndpointRecord {
  endpoint_id: string;
  /** as Plivo returns it: the requested username + yyMMddHHmmss */
  username: string;
  alias: string;
  password_md5: string;
  app_id: string | null;
  /** owner: a subaccount's auth id, null for the main account */
  sub_account: string | null;
  created_at: string;
}

export interface EndpointPatch {
  alias?: string;
  password?: string;
  app_id?: string | null;
}

declare module "../../context" {
  interface Backends {
    endpoints: EndpointBackend;
  }
}

const md5 = (s: string) => createHash("md5").update(s, "utf8").digest("hex");

/** yyMMddHHmmss (UTC) */
function stamp(d: Date): string {
  const iso = d.toISOString(); // 2013-10-31T14:59:58.000Z
  return iso.slice(2, 4) + iso.slice(5, 7) + iso.slice(8, 10) + iso.slice(11, 13) + iso.slice(14, 16) + iso.slice(17, 19);
}

export class EndpointBackend {
  readonly endpoints: Table<EndpointRecord>;

  constructor(private readonly ctx: Ctx) {
    this.endpoints = ctx.store.table<EndpointRecord>("endpoints", (e) => e.endpoint_id);
  }

  visible(caller: Caller, id: string): EndpointRecord | undefined {
    const e = this.endpoints.get(id);
    return e && sees(caller, e.sub_account) ? e : undefined;
  }

  list(caller: Caller): EndpointRecord[] {
    return this.endpoints.filter((e) => sees(caller, e.sub_account));
  }

  /** Create for `owner`; without an application, the owner's default endpoint application (if any) is attached. */
  create(owner: string | null, input: { username: string; password: string; alias: string; app_id?: string }): EndpointRecord {
    let endpointId: string;
    do endpointId = numericId(14);
    while (this.endpoints.has(endpointId));
    // two endpoints asked for with one username in one second get consecutive timestamps (usernames are unique)
    let t = this.ctx.now().getTime();
    let username = input.username + stamp(new Date(t));
    while (this.endpoints.some((e) => e.username === username)) username = input.username + stamp(new Date((t += 1000)));
    const rec = this.endpoints.insert({
      endpoint_id: endpointId,
      username,
      alias: input.alias,
      password_md5: md5(input.password),
      app_id: input.app_id ?? this.ctx.backends.applications.defaultEndpointApp(owner)?.app_id ?? null,
      sub_account: owner,
      created_at: this.ctx.now().toISOString(),
    });
    this.ctx.record({ action: "create", resource: "Endpoint", id: endpointId });
    return rec;
  }

  update(id: string, patch: EndpointPatch): EndpointRecord {
    const e = this.endpoints.edit(id);
    if (!e) throw notFound();
    if (patch.alias !== undefined) e.alias = patch.alias;
    if (patch.password !== undefined) e.password_md5 = md5(patch.password);
    if (patch.app_id !== undefined) e.app_id = patch.app_id;
    this.ctx.record({ action: "update", resource: "Endpoint", id });
    return e;
  }

  delete(id: string, via?: string): void {
    if (!this.endpoints.delete(id)) throw notFound();
    this.ctx.record({ action: "delete", resource: "Endpoint", id, ...(via ? { via } : {}) });
  }

  /** An application was deleted: its endpoints go with it (`cascade`) or move to `next` (or to no application). */
  applicationDeleted(appId: string, cascade: boolean, next: string | undefined): void {
    for (const e of this.endpoints.filter((x) => x.app_id === appId)) {
      if (cascade) this.delete(e.endpoint_id, "Application");
      else this.endpoints.edit(e.endpoint_id)!.app_id = next ?? null;
    }
  }

  /** A deleted subaccount's endpoints are deleted (`cascade`) or move to the main account. */
  subaccountDeleted(authId: string, cascade: boolean): void {
    for (const e of this.endpoints.filter((x) => x.sub_account === authId)) {
      if (cascade) this.delete(e.endpoint_id, "Subaccount");
      else this.endpoints.edit(e.endpoint_id)!.sub_account = null;
    }
  }
}
