/** Application routes: `/Application/` (create 201, get, list, update 202, delete 204) — docs/plivo-api.md §3. */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { accountUri, callerOf, subaccountParam, type Caller } from "../../accounts";
import type { Ctx } from "../../context";
import { badRequest, isHttpUrl, notFound, paginate, requestParams, send, sendEmpty, type Params } from "../../http";
import { PathId, pathParams } from "../../schemas";
import { defineResource } from "../registry";
import { ApplicationBackend, type AppRecord } from "./backend";

const METHODS = ["GET", "POST"] as const;
const APP_NAME_RE = /^[A-Za-z0-9_-]+$/;
const AppPath = z.object({ appId: PathId });

/** Parameters accepted by update (docs + public_uri from the SDKs). callback_* = async API, ignored. */
const UPDATE_PARAMS = [
  "answer_url",
  "answer_method",
  "hangup_url",
  "hangup_method",
  "fallback_answer_url",
  "fallback_method",
  "message_url",
  "message_method",
  "default_number_app",
  "default_endpoint_app",
  "subaccount",
  "log_incoming_messages",
  "public_uri",
  "callback_url",
  "callback_method",
] as const;

/** The API object; URIs name the account that asked. */
function appObject(caller: Caller, a: AppRecord): Record<string, unknown> {
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
    resource_uri: accountUri(caller, `Application/${a.app_id}/`),
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

function register(api: FastifyInstance, ctx: Ctx): void {
  const apps = ctx.backends.applications;

  const subaccountExists = (id: string) => ctx.backends.subaccounts.exists(id);

  api.post("/Application/", async (req, reply) => {
    const caller = callerOf(req);
    const p = requestParams(req);
    const appName = p.str("app_name", { required: true });
    if (!APP_NAME_RE.test(appName)) throw badRequest("app_name can only contain letters, digits, hyphens (-) and underscores (_)");
    const answerUrl = url(p, "answer_url", { required: true }) as string;
    const app = apps.create(
      {
        app_name: appName,
        answer_url: answerUrl,
        answer_method: p.enum("answer_method", METHODS) ?? "POST",
        hangup_url: url(p, "hangup_url") ?? answerUrl,
        hangup_method: p.enum("hangup_method", METHODS) ?? "POST",
        fallback_answer_url: url(p, "fallback_answer_url", { allowEmpty: true }) ?? "",
        fallback_method: p.enum("fallback_method", METHODS) ?? "POST",
        message_url: url(p, "message_url", { allowEmpty: true }) ?? "",
        message_method: p.enum("message_method", METHODS) ?? "POST",
        default_endpoint_app: p.bool("default_endpoint_app") ?? false,
        public_uri: p.bool("public_uri") ?? false,
        log_incoming_messages: p.bool("log_incoming_messages") ?? true,
        // a subaccount's applications are its own; the main account may create one for a subaccount
        sub_account: caller.sub ?? subaccountParam(req, p.str("subaccount") ?? undefined, subaccountExists) ?? null,
      },
      p.bool("default_number_app"),
    );
    return send(reply, 201, { app_id: app.app_id, message: "created" });
  });

  api.get("/Application/", async (req, reply) => {
    const caller = callerOf(req);
    const p = requestParams(req);
    const page = paginate(req, apps.list(caller, { app_name: p.str("app_name"), subaccount: p.str("subaccount") }));
    return send(reply, 200, { meta: page.meta, objects: page.objects.map((a) => appObject(caller, a)) });
  });

  api.get("/Application/:appId/", async (req, reply) => {
    const caller = callerOf(req);
    const app = apps.visible(caller, pathParams(AppPath, req).appId);
    if (!app) throw notFound();
    return send(reply, 200, appObject(caller, app));
  });

  api.post("/Application/:appId/", async (req, reply) => {
    const { appId } = pathParams(AppPath, req);
    if (!apps.visible(callerOf(req), appId)) throw notFound();
    const p = requestParams(req);
    if (p.has("app_name")) throw badRequest("app_name cannot be changed; create a new application instead");
    p.rejectUnknown(UPDATE_PARAMS);
    // validate everything before changing anything
    const patch = {
      answer_url: url(p, "answer_url"),
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
      sub_account: subaccountParam(req, p.has("subaccount") ? (p.strOrEmpty("subaccount") ?? null) : undefined, subaccountExists),
    };
    apps.update(appId, patch, p.bool("default_number_app"));
    return send(reply, 202, { message: "changed" });
  });

  api.delete("/Application/:appId/", async (req, reply) => {
    const caller = callerOf(req);
    const { appId } = pathParams(AppPath, req);
    if (!apps.visible(caller, appId)) throw notFound();
    const p = requestParams(req);
    // Plivo's default: the endpoints attached to the application are deleted with it
    apps.delete(caller, appId, { cascade: p.bool("cascade") ?? true, newEndpointApp: p.str("new_endpoint_application") });
    return sendEmpty(reply, 204);
  });
}

export default defineResource({
  name: "application",
  setup(ctx) {
    const apps = new ApplicationBackend(ctx);
    (ctx.backends as { applications: ApplicationBackend }).applications = apps;
    ctx.hooks.on("subaccount.deleted", ({ auth_id, cascade }) => apps.subaccountDeleted(auth_id, cascade));
  },
  routes: register,
});
