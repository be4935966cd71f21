/**
 * Subaccount routes: `/Subaccount/` (create 201, get, list newest first, update 202, delete 204 with `cascade`) —
 * docs/plivo-api.md §16. Only the main account manages subaccounts (`mainOnly`).
 */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { Ctx } from "../../context";
import { notFound, paginate, requestParams, send, sendEmpty } from "../../http";
import { PathId, pathParams } from "../../schemas";
import { defineResource } from "../registry";
import { SubaccountBackend, type SubaccountRecord } from "./backend";

const SubPath = z.object({ subId: PathId });

function subaccountObject(ctx: Ctx, s: SubaccountRecord): Record<string, unknown> {
  return {
    account: ctx.uri(""),
    auth_id: s.auth_id,
    auth_token: s.auth_token,
    created: s.created,
    enabled: s.enabled,
    modified: s.modified,
    name: s.name,
    resource_uri: ctx.uri(`Subaccount/${s.auth_id}/`),
  };
}

function register(api: FastifyInstance, ctx: Ctx): void {
  const subs = ctx.backends.subaccounts;

  api.post("/Subaccount/", async (req, reply) => {
    const p = requestParams(req);
    const rec = subs.create(p.str("name", { required: true }), p.bool("enabled") ?? false);
    return send(reply, 201, { auth_id: rec.auth_id, auth_token: rec.auth_token, message: "created" });
  });

  api.get("/Subaccount/", async (req, reply) => {
    const page = paginate(req, subs.list());
    return send(reply, 200, { meta: page.meta, objects: page.objects.map((s) => subaccountObject(ctx, s)) });
  });

  api.get("/Subaccount/:subId/", async (req, reply) => {
    const rec = subs.get(pathParams(SubPath, req).subId);
    if (!rec) throw notFound();
    return send(reply, 200, subaccountObject(ctx, rec));
  });

  api.post("/Subaccount/:subId/", async (req, reply) => {
    const { subId } = pathParams(SubPath, req);
    if (!subs.get(subId)) throw notFound();
    const p = requestParams(req);
    p.rejectUnknown(["name", "enabled"]);
    subs.update(subId, { name: p.str("name", { required: true }), enabled: p.bool("enabled") });
    return send(reply, 202, { message: "changed" });
  });

  api.delete("/Subaccount/:subId/", async (req, reply) => {
    const { subId } = pathParams(SubPath, req);
    if (!subs.get(subId)) throw notFound();
    subs.delete(subId, requestParams(req).bool("cascade") ?? false);
    return sendEmpty(reply, 204);
  });
}

export default defineResource({
  name: "subaccount",
  mainOnly: "managing subaccounts (/Subaccount/)",
  setup(ctx) {
    (ctx.backends as { subaccounts: SubaccountBackend }).subaccounts = new SubaccountBackend(ctx);
  },
  routes: register,
});
