/**
 * Powerpack routes: `/Powerpack/` (create 200 full object, get, list, update 200 full object, delete 200
 * `{response:"success"}`) — docs/plivo-api.md §4.
 */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { Ctx } from "../../context";
import { badRequest, notFound, paginate, requestParams, send, type Params } from "../../http";
import { PathId, pathParams } from "../../schemas";
import { defineResource } from "../registry";
import { PowerpackBackend, defaultNumberPriority, type NumberPriority, type PowerpackRecord } from "./backend";

const PRIORITIES = ["longcode", "shortcode", "tollfree"] as const;
const PowerpackPath = z.object({ uuid: PathId });

export function powerpackObject(ctx: Ctx, pp: PowerpackRecord): Record<string, unknown> {
  return {
    application_id: pp.application_id,
    application_type: pp.application_type,
    created_on: pp.created_on,
    local_connect: pp.local_connect,
    name: pp.name,
    number_pool: ctx.uri(`NumberPool/${pp.number_pool_uuid}/`),
    number_priority: pp.number_priority.map((x) => ({ ...x, priority: { ...x.priority } })),
    sticky_sender: pp.sticky_sender,
    uuid: pp.uuid,
  };
}

function enumOf<T extends string>(v: unknown, name: string, allowed: readonly T[]): T {
  const hit = typeof v === "string" ? allowed.find((a) => a.toLowerCase() === v.trim().toLowerCase()) : undefined;
  if (!hit) throw badRequest(`${name} must be one of: ${allowed.join(", ")}`);
  return hit;
}

function parsePriority(p: Params, base: NumberPriority[]): NumberPriority[] | undefined {
  const list = p.array("number_priority");
  if (list === undefined) return undefined;
  const out = base.map((x) => ({ ...x, priority: { ...x.priority } }));
  const seen = new Set<string>();
  list.forEach((raw, i) => {
    const at = `number_priority[${i}]`;
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw badRequest(`${at} must be an object`);
    const e = raw as Record<string, unknown>;
    const country = enumOf(e.country_iso, `${at}.country_iso`, ["US", "CA"] as const);
    const service = enumOf(e.service_type, `${at}.service_type`, ["SMS", "MMS"] as const);
    const pr = e.priority;
    if (typeof pr !== "object" || pr === null || Array.isArray(pr)) throw badRequest(`${at}.priority must be an object`);
    const prio = pr as Record<string, unknown>;
    const priority = {
      priority1: enumOf(prio.priority1, `${at}.priority.priority1`, PRIORITIES),
      priority2: enumOf(prio.priority2, `${at}.priority.priority2`, PRIORITIES),
      priority3: enumOf(prio.priority3, `${at}.priority.priority3`, PRIORITIES),
    };
    if (new Set(Object.values(priority)).size !== 3) {
      throw badRequest(`${at}.priority must list longcode, shortcode and tollfree exactly once`);
    }
    const key = `${country}/${service}`;
    if (seen.has(key)) throw badRequest(`number_priority has more than one entry for ${country} ${service}`);
    seen.add(key);
    const target = out.find((x) => x.country_iso === country && x.service_type === service);
    if (target) target.priority = priority;
  });
  return out;
}

interface AppChoice {
  application_type?: PowerpackRecord["application_type"];
  application_id?: string;
}

/**
 * Validate application_type/application_id together (create & update).
 * On update a missing application_type falls back to the Powerpack's current one.
 */
function parseApp(ctx: Ctx, p: Params, current?: PowerpackRecord): AppChoice {
  const typeRaw = p.has("application_type") ? p.strOrEmpty("application_type") : undefined;
  let type: PowerpackRecord["application_type"] | undefined;
  if (typeRaw !== undefined) type = typeRaw === "" ? "" : enumOf(typeRaw, "application_type", ["XML", "PHLO"] as const);
  const id = p.has("application_id") ? (p.strOrEmpty("application_id") ?? "") : undefined;
  if (id === undefined) return { application_type: type };
  if (id === "" || id.toLowerCase() === "none") {
    return { application_id: id === "" ? "" : "none", application_type: type ?? "" };
  }
  const effType = type || current?.application_type || undefined;
  if (!effType) throw badRequest("application_type is required when application_id is specified");
  if (effType === "XML" && !ctx.backends.applications.get(id)) throw badRequest(`application_id ${id} is not a valid XML application`);
  return { application_id: id, application_type: effType };
}

const UPDATE_PARAMS = ["name", "sticky_sender", "local_connect", "application_type", "application_id", "number_priority"] as const;

function register(api: FastifyInstance, ctx: Ctx): void {
  const powerpacks = ctx.backends.powerpacks;

  api.post("/Powerpack/", async (req, reply) => {
    const p = requestParams(req);
    const name = p.str("name", { required: true, max: 255 });
    const app = parseApp(ctx, p);
    const pp = powerpacks.create({
      name,
      sticky_sender: p.bool("sticky_sender") ?? true,
      local_connect: p.bool("local_connect") ?? true,
      application_type: app.application_type ?? "",
      application_id: app.application_id ?? "",
      number_priority: parsePriority(p, defaultNumberPriority()) ?? defaultNumberPriority(),
    });
    return send(reply, 200, powerpackObject(ctx, pp));
  });

  api.get("/Powerpack/", async (req, reply) => {
    const page = paginate(req, powerpacks.list(requestParams(req).str("name")));
    return send(reply, 200, { meta: page.meta, objects: page.objects.map((x) => powerpackObject(ctx, x)) });
  });

  api.get("/Powerpack/:uuid/", async (req, reply) => {
    const pp = powerpacks.get(pathParams(PowerpackPath, req).uuid);
    if (!pp) throw notFound();
    return send(reply, 200, powerpackObject(ctx, pp));
  });

  api.post("/Powerpack/:uuid/", async (req, reply) => {
    const pp = powerpacks.get(pathParams(PowerpackPath, req).uuid);
    if (!pp) throw notFound();
    const p = requestParams(req);
    p.rejectUnknown(UPDATE_PARAMS);
    const name = p.str("name", { max: 255 });
    const sticky = p.bool("sticky_sender");
    const local = p.bool("local_connect");
    const app = parseApp(ctx, p, pp);
    const prio = parsePriority(p, pp.number_priority);
    const next = powerpacks.update(pp.uuid, {
      name,
      sticky_sender: sticky,
      local_connect: local,
      application_id: app.application_id,
      application_type: app.application_type,
      number_priority: prio,
    });
    return send(reply, 200, powerpackObject(ctx, next));
  });

  api.delete("/Powerpack/:uuid/", async (req, reply) => {
    const pp = powerpacks.get(pathParams(PowerpackPath, req).uuid);
    if (!pp) throw notFound();
    powerpacks.delete(pp.uuid, requestParams(req).bool("unrent_numbers") ?? false);
    return send(reply, 200, { response: "success" });
  });
}

export default defineResource({
  name: "powerpack",
  mainOnly: "Powerpacks (/Powerpack/)",
  setup(ctx) {
    (ctx.backends as { powerpacks: PowerpackBackend }).powerpacks = new PowerpackBackend(ctx);
  },
  routes: register,
});
