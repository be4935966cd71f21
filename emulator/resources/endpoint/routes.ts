/**
 * SIP endpoint routes: `/Endpoint/` (create 201, get, list, update 202, delete 204) — docs/plivo-api.md §17. An
 * endpoint belongs to the account that created it; a subaccount sees its own, the main account all of them.
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import { z } from "zod";
import { accountUri, callerOf, type Caller } from "../../accounts";
import type { Ctx } from "../../context";
import { badRequest, notFound, paginate, requestParams, send, sendEmpty, type Params } from "../../http";
import { PathId, pathParams } from "../../schemas";
import { defineResource } from "../registry";
import { EndpointBackend, type EndpointRecord } from "./backend";

const EndpointPath = z.object({ endpointId: PathId });

/** Letters and digits, starting with a letter, 1 to 25 characters (Plivo's endpoint reference). */
const USERNAME_RE = /^[A-Za-z][A-Za-z0-9]{0,24}$/;
/** Letters, digits, hyphens and underscores (Plivo's endpoint reference). */
const ALIAS_RE = /^[A-Za-z0-9_-]+$/;
const MIN_PASSWORD = 5;
/** callback_url/callback_method: the asynchronous API mode the Python SDK may send, accepted and ignored */
const UPDATE_PARAMS = ["alias", "password", "app_id", "callback_url", "callback_method"] as const;

function endpointObject(caller: Caller, e: EndpointRecord): Record<string, unknown> {
  return {
    alias: e.alias,
    application: e.app_id ? accountUri(caller, `Application/${e.app_id}/`) : null,
    endpoint_id: e.endpoint_id,
    resource_uri: accountUri(caller, `Endpoint/${e.endpoint_id}/`),
    // nothing registers with the emulator: "false", a string as in Plivo's objects
    sip_registered: "false",
    sip_uri: `sip:${e.username}@phone.plivo.com`,
    sub_account: e.sub_account,
    username: e.username,
  };
}

function alias(p: Params, required: boolean): string | undefined {
  const a = p.str("alias", { required });
  if (a !== undefined && !ALIAS_RE.test(a)) throw badRequest("alias may only contain letters, digits, hyphens (-) and underscores (_)");
  return a;
}

function password(p: Params, required: boolean): string | undefined {
  const pw = p.str("password", { required });
  if (pw !== undefined && pw.length < MIN_PASSWORD) throw badRequest(`password must be at least ${MIN_PASSWORD} characters long`);
  return pw;
}

/** `app_id`: an application the caller sees; on update `""`, `none` or `null` detaches (as for numbers, §14.12). */
function appId(ctx: Ctx, req: FastifyRequest, p: Params, update: boolean): string | null | undefined {
  if (!p.has("app_id")) return undefined;
  const raw = p.strOrEmpty("app_id");
  if (raw === undefined || raw === "" || ["none", "null"].includes(raw.toLowerCase())) {
    if (update) return null;
    return undefined;
  }
  if (!ctx.backends.applications.visible(callerOf(req), raw)) throw badRequest(`app_id ${raw} is not a valid application`);
  return raw;
}

function register(api: FastifyInstance, ctx: Ctx): void {
  const endpoints = ctx.backends.endpoints;

  api.post("/Endpoint/", async (req, reply) => {
    const caller = callerOf(req);
    const p = requestParams(req);
    const username = p.str("username", { required: true });
    if (!USERNAME_RE.test(username)) throw badRequest("username must start with a letter and contain only letters and digits (1 to 25 characters)");
    const e = endpoints.create(caller.sub, {
      username,
      password: password(p, true)!,
      alias: alias(p, true)!,
      app_id: appId(ctx, req, p, false) ?? undefined,
    });
    return send(reply, 201, { alias: e.alias, endpoint_id: e.endpoint_id, message: "created", username: e.username });
  });

  api.get("/Endpoint/", async (req, reply) => {
    const caller = callerOf(req);
    const page = paginate(req, endpoints.list(caller));
    return send(reply, 200, { meta: page.meta, objects: page.objects.map((e) => endpointObject(caller, e)) });
  });

  api.get("/Endpoint/:endpointId/", async (req, reply) => {
    const caller = callerOf(req);
    const e = endpoints.visible(caller, pathParams(EndpointPath, req).endpointId);
    if (!e) throw notFound();
    return send(reply, 200, endpointObject(caller, e));
  });

  api.post("/Endpoint/:endpointId/", async (req, reply) => {
    const { endpointId } = pathParams(EndpointPath, req);
    if (!endpoints.visible(callerOf(req), endpointId)) throw notFound();
    const p = requestParams(req);
    p.rejectUnknown(UPDATE_PARAMS);
    // validate everything before changing anything
    const patch = { alias: alias(p, false), password: password(p, false), app_id: appId(ctx, req, p, true) };
    endpoints.update(endpointId, patch);
    return send(reply, 202, { message: "changed" });
  });

  api.delete("/Endpoint/:endpointId/", async (req, reply) => {
    const { endpointId } = pathParams(EndpointPath, req);
    if (!endpoints.visible(callerOf(req), endpointId)) throw notFound();
    endpoints.delete(endpointId);
    return sendEmpty(reply, 204);
  });
}

export default defineResource({
  name: "endpoint",
  setup(ctx) {
    const endpoints = new EndpointBackend(ctx);
    (ctx.backends as { endpoints: EndpointBackend }).endpoints = endpoints;
    ctx.hooks.on("application.deleted", ({ app_id, cascade, new_endpoint_application }) =>
      endpoints.applicationDeleted(app_id, cascade, new_endpoint_application),
    );
    ctx.hooks.on("subaccount.deleted", ({ auth_id, cascade }) => endpoints.subaccountDeleted(auth_id, cascade));
  },
  routes: register,
});
