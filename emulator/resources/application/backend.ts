/** Application backend: records and operations (docs/plivo-api.md §3). */
import { sees, type Caller } from "../../accounts";
import type { Ctx } from "../../context";
import { badRequest, notFound, numericId } from "../../http";
import type { Table } from "../../store/table";

export interface AppRecord {
  app_id: string;
  app_name: string;
  answer_url: string;
  answer_method: "GET" | "POST";
  hangup_url: string;
  hangup_method: "GET" | "POST";
  fallback_answer_url: string;
  fallback_method: "GET" | "POST";
  message_url: string;
  message_method: "GET" | "POST";
  default_app: boolean;
  default_endpoint_app: boolean;
  enabled: boolean;
  public_uri: boolean;
  log_incoming_messages: boolean;
  sub_account: string | null;
  created_at: string;
}

export type AppInput = Omit<AppRecord, "app_id" | "default_app" | "enabled" | "created_at">;
export type AppPatch = Partial<Omit<AppRecord, "app_id" | "app_name" | "created_at" | "default_app" | "enabled">>;

declare module "../../context" {
  interface Backends {
    applications: ApplicationBackend;
  }
}

export class ApplicationBackend {
  readonly apps: Table<AppRecord>;

  constructor(private readonly ctx: Ctx) {
    this.apps = ctx.store.table<AppRecord>("applications", (a) => a.app_id);
  }

  get(appId: string): AppRecord | undefined {
    return this.apps.get(appId);
  }

  /** The application when `caller` sees it (a subaccount sees its own; docs/plivo-api.md §16.3). */
  visible(caller: Caller, appId: string): AppRecord | undefined {
    const a = this.apps.get(appId);
    return a && sees(caller, a.sub_account) ? a : undefined;
  }

  /** The app that numbers bought without `app_id` are attached to (numbers are bought by the main account). */
  defaultNumberApp(owner: string | null = null): AppRecord | undefined {
    return this.apps.find((a) => a.default_app && a.sub_account === owner);
  }

  /** The app that endpoints created without `app_id` are attached to, per account. */
  defaultEndpointApp(owner: string | null): AppRecord | undefined {
    return this.apps.find((a) => a.default_endpoint_app && a.sub_account === owner);
  }

  list(caller: Caller, filter: { app_name?: string; subaccount?: string }): AppRecord[] {
    return this.apps.filter(
      (a) =>
        sees(caller, a.sub_account) &&
        (filter.app_name === undefined || a.app_name === filter.app_name) &&
        (filter.subaccount === undefined || a.sub_account === filter.subaccount),
    );
  }

  create(input: AppInput, makeDefault: boolean | undefined): AppRecord {
    let appId: string;
    do appId = numericId(17);
    while (this.apps.has(appId));
    const app = this.apps.insert({ ...input, app_id: appId, default_app: false, enabled: true, created_at: this.ctx.now().toISOString() });
    this.setDefaults(appId, makeDefault, input.default_endpoint_app ? true : undefined);
    this.ctx.record({ action: "create", resource: "Application", id: appId });
    return this.apps.get(appId) ?? app;
  }

  update(appId: string, patch: AppPatch, makeDefault: boolean | undefined): AppRecord {
    const app = this.apps.edit(appId);
    if (!app) throw notFound();
    for (const [k, v] of Object.entries(patch)) if (v !== undefined) (app as unknown as Record<string, unknown>)[k] = v;
    this.setDefaults(appId, makeDefault, patch.default_endpoint_app ? true : undefined);
    this.ctx.record({ action: "update", resource: "Application", id: appId });
    return app;
  }

  /** One default number app and one default endpoint app per account (the main account, each subaccount). */
  private setDefaults(appId: string, number: boolean | undefined, endpoint: boolean | undefined): void {
    const owner = this.apps.get(appId)!.sub_account;
    const others = (pred: (a: AppRecord) => boolean) => this.apps.filter((a) => pred(a) && a.app_id !== appId && a.sub_account === owner);
    if (number !== undefined) {
      if (number) for (const o of others((a) => a.default_app)) this.apps.edit(o.app_id)!.default_app = false;
      const me = this.apps.get(appId)!;
      if (me.default_app !== number) this.apps.edit(appId)!.default_app = number;
    }
    if (endpoint) for (const o of others((a) => a.default_endpoint_app)) this.apps.edit(o.app_id)!.default_endpoint_app = false;
  }

  /**
   * Delete: its numbers keep no application; its SIP endpoints are deleted (`cascade`, Plivo's default) or move to
   * `newEndpointApp` (an application `caller` sees) or to no application (docs/plivo-api.md §3.5).
   */
  delete(caller: Caller, appId: string, opts: { cascade: boolean; newEndpointApp?: string }): void {
    const app = this.apps.get(appId);
    if (!app) throw notFound();
    const next = opts.newEndpointApp;
    if (next !== undefined && (next === appId || !this.visible(caller, next))) {
      throw badRequest("new_endpoint_application is not a valid application id");
    }
    const veto = this.ctx.hooks.check("application", this.ctx, appId);
    if (veto) throw badRequest(veto);
    this.apps.delete(appId);
    this.ctx.record({ action: "delete", resource: "Application", id: appId });
    this.ctx.hooks.emit("application.deleted", { app_id: appId, cascade: opts.cascade, ...(next !== undefined ? { new_endpoint_application: next } : {}) });
  }

  /** A deleted subaccount's applications are deleted (`cascade`) or move to the main account (not as its defaults). */
  subaccountDeleted(authId: string, cascade: boolean): void {
    for (const a of this.apps.filter((x) => x.sub_account === authId)) {
      if (cascade) {
        this.apps.delete(a.app_id);
        this.ctx.record({ action: "delete", resource: "Application", id: a.app_id, via: "Subaccount" });
        this.ctx.hooks.emit("application.deleted", { app_id: a.app_id, cascade: true });
      } else {
        // the main account keeps its own defaults
        const mainHas = (pred: (x: AppRecord) => boolean) => this.apps.some((x) => pred(x) && x.sub_account === null);
        const e = this.apps.edit(a.app_id)!;
        if (e.default_app && mainHas((x) => x.default_app)) e.default_app = false;
        if (e.default_endpoint_app && mainHas((x) => x.default_endpoint_app)) e.default_endpoint_app = false;
        e.sub_account = null;
      }
    }
  }
}
