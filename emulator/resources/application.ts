/**
 * Application: `/Application/` (create 201, get, list, update 202, delete 204).
 */
import type { FastifyInstance } from "fastify";
import type { Ctx } from "../context";
import type { State } from "../store";
import { badRequest, isHttpUrl, notFound, numericId, paginate, requestParams, send, sendEmpty, type Params } from "../http";
import { defineResource } from "./registry";

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

declare module "../store" {
  interface State {
    applications: AppRecord[];
  }
}

const METHODS = ["GET", "POST"] as const;
const APP_NAME_RE = /^[A-Za-z0-9_-]+$/;

/** Parameters accepted by update (docs + public_uri from the SDKs). callback_* = async API, ignored. */
const UPDATE_PARAMS = [
  "answer_url", "answer_method", "hangup_url", "hangup_method", "fallback_answer_url", "fallback_method",
  "message_url", "message_method", "default_number_app", "default_endpoint_app", "subaccount",
  "log_incoming_messages", "public_uri", "callback_url", "callback_method",
] as const;

export function findApp(state: State, appId: string): AppRecord | undefined {
  return state.applications.find((a) => a.app_id === appId);
}

/** The app that numbers bought without `app_id` are attached to. */
export function defaultNumberApp(state: State): AppRecord | undefined {
  return state.applications.find((a) => a.default_app);
}

export function appUri(ctx: Ctx, appId: string): string {
  return ctx.uri(`Application/${appId}/`);
}

function appObject(ctx: Ctx, a: AppRecord): Record<string, unknown> {
  return {
    answer_method: a.answer_method,
    answer_url: a.answer_url,
    app_id: a.app_id,
    app_name: a.app_name,
    application_type: "XML",
    default_app: a.default_app,
    default_endpoint_app: a.default_endpoint_app,
    enabled: a.enabled,
    fallback_answer_url: a.fallback_answer_url,
    fallback_method: a.fallback_method,
    hangup_method: a.hangup_method,
    hangup_url: a.hangup_url,
    log_incoming_messages: a.log_incoming_messages,
    message_method: a.message_method,
    message_url: a.message_url,
    public_uri: a.public_uri,
    resource_uri: appUri(ctx, a.app_id),
    sip_uri: `sip:${a.app_id}@app.plivo.com`,
    sub_account: a.sub_account,
  };
}

function url(p: Params, name: string, opts: { required?: boolean; allowEmpty?: boolean } = {}): string | undefined {
  const v = opts.allowEmpty ? p.strOrEmpty(name) : p.str(name);
  if (v === undefined) {
    if (opts.required) throw p.missing(name);
    return undefined;
  }
  if (v === "" && opts.allowEmpty) return "";
  if (!isHttpUrl(v)) throw badRequest(`${name} is not a valid URL`);
  return v;
}

function setDefault(state: State, app: AppRecord, on: boolean | undefined): void {
  if (on === undefined) return;
  if (on) for (const other of state.applications) other.default_app = false;
  app.default_app = on;
}

function register(api: FastifyInstance, ctx: Ctx): void {
  api.post("/Application/", async (req, reply) => {
    const p = requestParams(req);
    const appName = p.str("app_name", { required: true });
    if (!APP_NAME_RE.test(appName)) {
      throw badRequest("app_name can only contain letters, digits, hyphens (-) and underscores (_)");
    }
    const answerUrl = url(p, "answer_url", { required: true }) as string;
    const app: AppRecord = {
      app_id: "",
      app_name: appName,
      answer_url: answerUrl,
      answer_method: p.enum("answer_method", METHODS) ?? "POST",
      hangup_url: url(p, "hangup_url") ?? answerUrl,
      hangup_method: p.enum("hangup_method", METHODS) ?? "POST",
      fallback_answer_url: url(p, "fallback_answer_url", { allowEmpty: true }) ?? "",
      fallback_method: p.enum("fallback_method", METHODS) ?? "POST",
      message_url: url(p, "message_url", { allowEmpty: true }) ?? "",
      message_method: p.enum("message_method", METHODS) ?? "POST",
      default_app: false,
      default_endpoint_app: p.bool("default_endpoint_app") ?? false,
      enabled: true,
      public_uri: p.bool("public_uri") ?? false,
      log_incoming_messages: p.bool("log_incoming_messages") ?? true,
      sub_account: p.str("subaccount") ?? null,
      created_at: ctx.now().toISOString(),
    };
    const makeDefault = p.bool("default_number_app");
    const state = ctx.state;
    do app.app_id = numericId(17);
    while (findApp(state, app.app_id));
    state.applications.push(app);
    setDefault(state, app, makeDefault);
    if (app.default_endpoint_app) for (const o of state.applications) if (o !== app) o.default_endpoint_app = false;
    ctx.record({ action: "create", resource: "Application", id: app.app_id });
    return send(reply, 201, { app_id: app.app_id, message: "created" });
  });

  api.get("/Application/", async (req, reply) => {
    const p = requestParams(req);
    const name = p.str("app_name");
    const sub = p.str("subaccount");
    const items = ctx.state.applications.filter(
      (a) => (name === undefined || a.app_name === name) && (sub === undefined || a.sub_account === sub),
    );
    const page = paginate(req, items);
    return send(reply, 200, { meta: page.meta, objects: page.objects.map((a) => appObject(ctx, a)) });
  });

  api.get<{ Params: { appId: string } }>("/Application/:appId/", async (req, reply) => {
    const app = findApp(ctx.state, req.params.appId);
    if (!app) throw notFound();
    return send(reply, 200, appObject(ctx, app));
  });

  api.post<{ Params: { appId: string } }>("/Application/:appId/", async (req, reply) => {
    const state = ctx.state;
    const app = findApp(state, req.params.appId);
    if (!app) throw notFound();
    const p = requestParams(req);
    if (p.has("app_name")) throw badRequest("app_name cannot be changed; create a new application instead");
    p.rejectUnknown(UPDATE_PARAMS);
    // validate everything before mutating
    const answerUrl = url(p, "answer_url");
    const patch: Partial<AppRecord> = {
      answer_method: p.enum("answer_method", METHODS),
      hangup_url: url(p, "hangup_url"),
      hangup_method: p.enum("hangup_method", METHODS),
      fallback_answer_url: url(p, "fallback_answer_url", { allowEmpty: true }),
      fallback_method: p.enum("fallback_method", METHODS),
      message_url: url(p, "message_url", { allowEmpty: true }),
      message_method: p.enum("message_method", METHODS),
      default_endpoint_app: p.bool("default_endpoint_app"),
      log_incoming_messages: p.bool("log_incoming_messages"),
      public_uri: p.bool("public_uri"),
    };
    const makeDefault = p.bool("default_number_app");
    const sub = p.has("subaccount") ? p.strOrEmpty("subaccount") : undefined;
    if (answerUrl !== undefined) app.answer_url = answerUrl;
    for (const [k, v] of Object.entries(patch)) {
      if (v !== undefined) (app as unknown as Record<string, unknown>)[k] = v;
    }
    if (sub !== undefined) app.sub_account = sub === "" ? null : sub;
    setDefault(state, app, makeDefault);
    if (patch.default_endpoint_app) for (const o of state.applications) if (o !== app) o.default_endpoint_app = false;
    ctx.record({ action: "update", resource: "Application", id: app.app_id });
    return send(reply, 202, { message: "changed" });
  });

  api.delete<{ Params: { appId: string } }>("/Application/:appId/", async (req, reply) => {
    const state = ctx.state;
    const app = findApp(state, req.params.appId);
    if (!app) throw notFound();
    const p = requestParams(req);
    p.bool("cascade"); // validated; there are no endpoints to cascade to
    const newEndpointApp = p.str("new_endpoint_application");
    if (newEndpointApp !== undefined && (newEndpointApp === app.app_id || !findApp(state, newEndpointApp))) {
      throw badRequest("new_endpoint_application is not a valid application id");
    }
    const veto = ctx.hooks.check("application", state, app.app_id);
    if (veto) throw badRequest(veto);
    state.applications = state.applications.filter((a) => a !== app);
    ctx.record({ action: "delete", resource: "Application", id: app.app_id });
    ctx.hooks.emit("application.deleted", { app_id: app.app_id });
    return sendEmpty(reply, 204);
  });
}

export default defineResource({
  name: "application",
  initState(state) {
    state.applications ??= [];
  },
  routes: register,
});
