/**
 * Powerpack: `/Powerpack/` (create 200 full object, get, list, update 200 full
 * object, delete 200 `{response:"success"}`). Each Powerpack owns one number
 * pool (uuid in `number_pool`); pool members live in numberPool.ts.
 */
import type { FastifyInstance } from "fastify";
import type { Ctx } from "../context";
import type { State } from "../store";
import { badRequest, isoMicros, notFound, paginate, requestParams, send, uuid, type Params } from "../http";
import { findApp } from "./application";
import { defineResource } from "./registry";

export type Priority = "longcode" | "shortcode" | "tollfree";

export interface NumberPriority {
  country_iso: "US" | "CA";
  priority: { priority1: Priority; priority2: Priority; priority3: Priority };
  service_type: "SMS" | "MMS";
}

export interface PowerpackRecord {
  uuid: string;
  name: string;
  sticky_sender: boolean;
  local_connect: boolean;
  application_type: "XML" | "PHLO" | "";
  /** an app id, "none" (as sent) or "" (never set) */
  application_id: string;
  number_pool_uuid: string;
  number_priority: NumberPriority[];
  created_on: string;
}

declare module "../store" {
  interface State {
    powerpacks: PowerpackRecord[];
  }
}

const PRIORITIES = ["longcode", "shortcode", "tollfree"] as const;

/** Console defaults (docs/plivo-api.md §4.2): US short code → toll-free → long code; CA short code → long code → toll-free. */
export function defaultNumberPriority(): NumberPriority[] {
  const us = { priority1: "shortcode", priority2: "tollfree", priority3: "longcode" } as const;
  const ca = { priority1: "shortcode", priority2: "longcode", priority3: "tollfree" } as const;
  return [
    { country_iso: "US", priority: { ...us }, service_type: "SMS" },
    { country_iso: "US", priority: { ...us }, service_type: "MMS" },
    { country_iso: "CA", priority: { ...ca }, service_type: "SMS" },
    { country_iso: "CA", priority: { ...ca }, service_type: "MMS" },
  ];
}

export function findPowerpack(state: State, id: string): PowerpackRecord | undefined {
  return state.powerpacks.find((p) => p.uuid === id);
}

export function findPowerpackByPool(state: State, poolUuid: string): PowerpackRecord | undefined {
  return state.powerpacks.find((p) => p.number_pool_uuid === poolUuid);
}

/** The XML application pool numbers should point at, if any. */
export function powerpackAppId(state: State, pp: PowerpackRecord): string | undefined {
  if (pp.application_type !== "XML" || !pp.application_id || pp.application_id === "none") return undefined;
  return findApp(state, pp.application_id) ? pp.application_id : undefined;
}

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
  const id = p.has("application_id") ? p.strOrEmpty("application_id") ?? "" : undefined;
  if (id === undefined) return { application_type: type };
  if (id === "" || id.toLowerCase() === "none") {
    return { application_id: id === "" ? "" : "none", application_type: type ?? "" };
  }
  const effType = type || current?.application_type || undefined;
  if (!effType) throw badRequest("application_type is required when application_id is specified");
  if (effType === "XML" && !findApp(ctx.state, id)) throw badRequest(`application_id ${id} is not a valid XML application`);
  return { application_id: id, application_type: effType };
}

const UPDATE_PARAMS = ["name", "sticky_sender", "local_connect", "application_type", "application_id", "number_priority"] as const;

function register(api: FastifyInstance, ctx: Ctx): void {
  api.post("/Powerpack/", async (req, reply) => {
    const state = ctx.state;
    const p = requestParams(req);
    const name = p.str("name", { required: true, max: 255 });
    if (state.powerpacks.some((x) => x.name === name)) {
      throw badRequest(`name must be unique: a Powerpack named '${name}' already exists`);
    }
    const app = parseApp(ctx, p);
    const pp: PowerpackRecord = {
      uuid: uuid(),
      name,
      sticky_sender: p.bool("sticky_sender") ?? true,
      local_connect: p.bool("local_connect") ?? true,
      application_type: app.application_type ?? "",
      application_id: app.application_id ?? "",
      number_pool_uuid: uuid(),
      number_priority: parsePriority(p, defaultNumberPriority()) ?? defaultNumberPriority(),
      created_on: isoMicros(ctx.now()),
    };
    state.powerpacks.push(pp);
    ctx.record({ action: "create", resource: "Powerpack", id: pp.uuid });
    return send(reply, 200, powerpackObject(ctx, pp));
  });

  api.get("/Powerpack/", async (req, reply) => {
    const p = requestParams(req);
    const name = p.str("name");
    const items = ctx.state.powerpacks.filter((x) => name === undefined || x.name === name);
    const page = paginate(req, items);
    return send(reply, 200, { meta: page.meta, objects: page.objects.map((x) => powerpackObject(ctx, x)) });
  });

  api.get<{ Params: { uuid: string } }>("/Powerpack/:uuid/", async (req, reply) => {
    const pp = findPowerpack(ctx.state, req.params.uuid);
    if (!pp) throw notFound();
    return send(reply, 200, powerpackObject(ctx, pp));
  });

  api.post<{ Params: { uuid: string } }>("/Powerpack/:uuid/", async (req, reply) => {
    const state = ctx.state;
    const pp = findPowerpack(state, req.params.uuid);
    if (!pp) throw notFound();
    const p = requestParams(req);
    p.rejectUnknown(UPDATE_PARAMS);
    const name = p.str("name", { max: 255 });
    if (name !== undefined && state.powerpacks.some((x) => x !== pp && x.name === name)) {
      throw badRequest(`name must be unique: a Powerpack named '${name}' already exists`);
    }
    const sticky = p.bool("sticky_sender");
    const local = p.bool("local_connect");
    const app = parseApp(ctx, p, pp);
    const prio = parsePriority(p, pp.number_priority);
    const before = powerpackAppId(state, pp);
    if (name !== undefined) pp.name = name;
    if (sticky !== undefined) pp.sticky_sender = sticky;
    if (local !== undefined) pp.local_connect = local;
    if (app.application_id !== undefined) pp.application_id = app.application_id;
    if (app.application_type !== undefined) pp.application_type = app.application_type;
    if (prio) pp.number_priority = prio;
    const after = powerpackAppId(state, pp);
    if (after && after !== before) {
      // numbers in the pool follow the Powerpack's application
      const members = new Set((state.pool_members ?? []).filter((m) => m.number_pool_uuid === pp.number_pool_uuid).map((m) => m.number));
      for (const n of state.numbers) if (members.has(n.number)) n.app_id = after;
    }
    ctx.record({ action: "update", resource: "Powerpack", id: pp.uuid });
    return send(reply, 200, powerpackObject(ctx, pp));
  });

  api.delete<{ Params: { uuid: string } }>("/Powerpack/:uuid/", async (req, reply) => {
    const state = ctx.state;
    const pp = findPowerpack(state, req.params.uuid);
    if (!pp) throw notFound();
    const p = requestParams(req);
    const unrent = p.bool("unrent_numbers") ?? false;
    state.powerpacks = state.powerpacks.filter((x) => x !== pp);
    ctx.record({ action: "delete", resource: "Powerpack", id: pp.uuid, unrent_numbers: unrent });
    ctx.hooks.emit("powerpack.deleted", { uuid: pp.uuid, number_pool_uuid: pp.number_pool_uuid, unrent_numbers: unrent });
    return send(reply, 200, { response: "success" });
  });
}

export default defineResource({
  name: "powerpack",
  initState(state) {
    state.powerpacks ??= [];
  },
  routes: register,
});
