/** Application backend: records and operations (docs/plivo-api.md §3). */
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

  /** The app that numbers bought without `app_id` are attached to. */
  defaultNumberApp(): AppRecord | undefined {
    return this.apps.find((a) => a.default_app);
  }

  list(filter: { app_name?: string; subaccount?: string }): AppRecord[] {
    return this.apps.filter(
      (a) => (filter.app_name === undefined || a.app_name === filter.app_name) && (filter.subaccount === undefined || a.sub_account === filter.subaccount),
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

  /** One default number app and one default endpoint app per account. */
  private setDefaults(appId: string, number: boolean | undefined, endpoint: boolean | undefined): void {
    if (number !== undefined) {
      if (number) for (const o of this.apps.filter((a) => a.default_app && a.app_id !== appId)) this.apps.edit(o.app_id)!.default_app = false;
      const me = this.apps.get(appId)!;
      if (me.default_app !== number) this.apps.edit(appId)!.default_app = number;
    }
    if (endpoint) for (const o of this.apps.filter((a) => a.default_endpoint_app && a.app_id !== appId)) this.apps.edit(o.app_id)!.default_endpoint_app = false;
  }

  delete(appId: string, newEndpointApp: string | undefined): void {
    const app = this.apps.get(appId);
    if (!app) throw notFound();
    if (newEndpointApp !== undefined && (newEndpointApp === appId || !this.apps.has(newEndpointApp))) {
      throw badRequest("new_endpoint_application is not a valid application id");
    }
    const veto = this.ctx.hooks.check("application", this.ctx, appId);
    if (veto) throw badRequest(veto);
    this.apps.delete(appId);
    this.ctx.record({ action: "delete", resource: "Application", id: appId });
    this.ctx.hooks.emit("application.deleted", { app_id: appId });
  }
}
