/**
 * Number pool members of a Powerpack:
 *   /NumberPool/{pool}/                         pool object
 *   /NumberPool/{pool}/Number/[{n}/]            long codes (add 200, get, list, remove 200)
 *   /NumberPool/{pool}/Tollfree/[{n}/]          the (single) toll-free number
 *   /NumberPool/{pool}/Shortcode/[{sc}/]        short codes (list/get/remove; seeded via control)
 *   /NumberPool/{pool}/{n}/                     documented alias of GET …/Number/{n}/
 *
 * Rules: the number must be rented in the account (404) — or `rent:true`
 * buys it first —, SMS/MMS-enabled for the requested service, toll-free
 * only via /Tollfree/ and long codes only via /Number/, at most one toll-free
 * per pool, a number in one pool only. Adding to a Powerpack that has an XML
 * application re-points the number's application to it.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Ctx } from "../context";
import type { State } from "../store";
import { badRequest, isoMicros, normalizeNumber, notFound, paginate, requestParams, send, ApiError, type Raw } from "../http";
import { buyNumber, findNumber, isTollfree, numberUri, unrentNumber } from "./numbers";
import { findPowerpackByPool, powerpackAppId, type PowerpackRecord } from "./powerpack";
import { defineResource } from "./registry";

export type MemberKind = "number" | "tollfree" | "shortcode";

export interface PoolMember {
  number_pool_uuid: string;
  /** phone number, or the short code for kind "shortcode" */
  number: string;
  kind: MemberKind;
  type: "fixed" | "mobile" | "tollfree" | "shortcode";
  service: "sms" | "mms";
  country_iso2: string;
  added_on: string;
}

declare module "../store" {
  interface State {
    pool_members: PoolMember[];
  }
}

type PoolParams = { Params: { pool: string; number: string } };

function poolOf(ctx: Ctx, poolUuid: string): PowerpackRecord {
  const pp = findPowerpackByPool(ctx.state, poolUuid);
  if (!pp) throw notFound();
  return pp;
}

export function membersOf(state: State, poolUuid: string, kind?: MemberKind): PoolMember[] {
  return state.pool_members.filter((m) => m.number_pool_uuid === poolUuid && (kind === undefined || m.kind === kind));
}

function memberObject(ctx: Ctx, m: PoolMember): Record<string, unknown> {
  if (m.kind === "shortcode") {
    return {
      added_on: m.added_on,
      country_iso2: m.country_iso2,
      number_pool_uuid: m.number_pool_uuid,
      shortcode: m.number,
    };
  }
  return {
    account_phone_number_resource: numberUri(ctx, m.number),
    added_on: m.added_on,
    country_iso2: m.country_iso2,
    number: m.number,
    number_pool_uuid: m.number_pool_uuid,
    service: m.service,
    type: m.type,
  };
}

function addMember(ctx: Ctx, poolUuid: string, rawNumber: string, kind: "number" | "tollfree", p: ReturnType<typeof requestParams>): PoolMember {
  const state = ctx.state;
  const pp = poolOf(ctx, poolUuid);
  const number = normalizeNumber(rawNumber);
  if (!number) throw notFound();
  const service = p.enum("service", ["sms", "mms"] as const) ?? "sms";
  const rent = p.bool("rent") ?? false;
  let rec = findNumber(state, number);
  // validate everything that does not depend on the purchase first
  const existing = state.pool_members.find((m) => m.number === number && m.kind !== "shortcode");
  if (existing) {
    throw badRequest(
      existing.number_pool_uuid === poolUuid
        ? `number ${number} is already in this number pool`
        : `number ${number} is already in another number pool`,
    );
  }
  if (!rec && rent) {
    const item = state.inventory.find((i) => i.number === number);
    if (!item) throw notFound();
    checkKind(kind, item.type === "tollfree", number);
    checkService(service, item.sms_enabled, item.mms_enabled, number);
    if (kind === "tollfree") checkSingleTollfree(state, poolUuid);
    rec = buyNumber(ctx, number, { via: "NumberPoolMember" });
  }
  if (!rec) throw new ApiError(404, `number ${number} is not rented in this account`);
  checkKind(kind, isTollfree(rec), number);
  checkService(service, rec.sms_enabled, rec.mms_enabled, number);
  if (kind === "tollfree") checkSingleTollfree(state, poolUuid);
  const m: PoolMember = {
    number_pool_uuid: poolUuid,
    number,
    kind,
    type: rec.number_type === "tollfree" ? "tollfree" : rec.number_type === "mobile" ? "mobile" : "fixed",
    service,
    country_iso2: rec.country_iso2,
    added_on: isoMicros(ctx.now()),
  };
  state.pool_members.push(m);
  const appId = powerpackAppId(state, pp);
  if (appId) rec.app_id = appId;
  ctx.record({ action: "add", resource: "NumberPoolMember", id: `${pp.uuid}/${number}`, number, pool: poolUuid });
  return m;
}

function checkKind(kind: "number" | "tollfree", tollfree: boolean, number: string): void {
  if (kind === "number" && tollfree) {
    throw badRequest(`number ${number} is a toll-free number: add it with /NumberPool/{uuid}/Tollfree/${number}/`);
  }
  if (kind === "tollfree" && !tollfree) {
    throw badRequest(`number ${number} is not a toll-free number: add it with /NumberPool/{uuid}/Number/${number}/`);
  }
}

function checkService(service: "sms" | "mms", sms: boolean, mms: boolean, number: string): void {
  if (service === "sms" && !sms) throw badRequest(`number ${number} is not SMS-enabled`);
  if (service === "mms" && !mms) throw badRequest(`number ${number} is not MMS-enabled`);
}

function checkSingleTollfree(state: State, poolUuid: string): void {
  const tf = membersOf(state, poolUuid, "tollfree");
  if (tf.length > 0) {
    throw badRequest(`only one toll-free number can be present in a number pool (pool already has ${tf[0].number})`);
  }
}

function removeMember(ctx: Ctx, poolUuid: string, rawNumber: string, kind: MemberKind, unrent: boolean): void {
  const state = ctx.state;
  const pp = poolOf(ctx, poolUuid);
  const number = kind === "shortcode" ? rawNumber : normalizeNumber(rawNumber);
  const m = state.pool_members.find((x) => x.number_pool_uuid === poolUuid && x.number === number && x.kind === kind);
  if (!m) throw notFound();
  state.pool_members = state.pool_members.filter((x) => x !== m);
  ctx.record({ action: "remove", resource: "NumberPoolMember", id: `${pp.uuid}/${number}`, number, pool: poolUuid, unrent });
  // short codes are only unlinked, never unrented
  if (unrent && kind !== "shortcode" && findNumber(state, number)) unrentNumber(ctx, number, "NumberPoolMember");
}

const TYPE_FILTER: Record<string, PoolMember["type"]> = {
  fixed: "fixed",
  local: "fixed",
  national: "fixed",
  mobile: "mobile",
  "toll-free": "tollfree",
  tollfree: "tollfree",
};

function list(ctx: Ctx, req: FastifyRequest, reply: FastifyReply, poolUuid: string, kind: MemberKind) {
  poolOf(ctx, poolUuid);
  const p = requestParams(req);
  const typeRaw = p.str("type");
  let type: PoolMember["type"] | undefined;
  if (typeRaw !== undefined) {
    type = TYPE_FILTER[typeRaw.trim().toLowerCase()];
    if (!type) throw badRequest("type must be one of: fixed, mobile, toll-free");
  }
  const service = p.enum("service", ["sms", "mms"] as const);
  const country = p.str("country_iso2")?.toUpperCase();
  const startsRaw = p.str("starts_with");
  let starts: string[] | undefined;
  if (startsRaw !== undefined) {
    starts = startsRaw.split(",").map((s) => s.trim()).filter(Boolean);
    if (starts.length > 10) throw badRequest("starts_with accepts at most 10 prefixes");
    if (starts.some((s) => !/^\d+$/.test(s))) throw badRequest("starts_with must be a comma-separated list of digit prefixes");
    if (!country) throw badRequest("country_iso2 is required when starts_with is specified");
  }
  const items = membersOf(ctx.state, poolUuid, kind).filter((m) => {
    if (type && m.type !== type) return false;
    if (service && m.service !== service) return false;
    if (country && m.country_iso2 !== country) return false;
    if (starts) {
      const rec = findNumber(ctx.state, m.number);
      const dial = rec?.source.dial_code ?? "";
      const national = m.number.slice(dial.length);
      if (!starts.some((s) => national.startsWith(s))) return false;
    }
    return true;
  });
  const page = paginate(req, items, { empty: "" });
  return send(reply, 200, { meta: page.meta, objects: page.objects.map((m) => memberObject(ctx, m)) });
}

function getMember(ctx: Ctx, reply: FastifyReply, poolUuid: string, raw: string, kind: MemberKind) {
  poolOf(ctx, poolUuid);
  const number = kind === "shortcode" ? raw : normalizeNumber(raw);
  const m = membersOf(ctx.state, poolUuid, kind).find((x) => x.number === number);
  if (!m) throw notFound();
  return send(reply, 200, memberObject(ctx, m));
}

function register(api: FastifyInstance, ctx: Ctx): void {
  api.get<{ Params: { pool: string } }>("/NumberPool/:pool/", async (req, reply) => {
    poolOf(ctx, req.params.pool);
    const base = ctx.uri(`NumberPool/${req.params.pool}/`);
    return send(reply, 200, {
      numbers: `${base}Number/`,
      shortcodes: `${base}Shortcode/`,
      tollfree: `${base}Tollfree/`,
      uuid: req.params.pool,
    });
  });

  for (const [segment, kind] of [["Number", "number"], ["Tollfree", "tollfree"]] as const) {
    api.get<{ Params: { pool: string } }>(`/NumberPool/:pool/${segment}/`, async (req, reply) =>
      list(ctx, req, reply, req.params.pool, kind),
    );
    api.get<PoolParams>(`/NumberPool/:pool/${segment}/:number/`, async (req, reply) =>
      getMember(ctx, reply, req.params.pool, req.params.number, kind),
    );
    api.post<PoolParams>(`/NumberPool/:pool/${segment}/:number/`, async (req, reply) => {
      const m = addMember(ctx, req.params.pool, req.params.number, kind, requestParams(req));
      return send(reply, 200, memberObject(ctx, m));
    });
    api.delete<PoolParams>(`/NumberPool/:pool/${segment}/:number/`, async (req, reply) => {
      const unrent = requestParams(req).bool("unrent") ?? false;
      removeMember(ctx, req.params.pool, req.params.number, kind, unrent);
      return send(reply, 200, { response: "success" });
    });
  }

  api.get<{ Params: { pool: string } }>("/NumberPool/:pool/Shortcode/", async (req, reply) =>
    list(ctx, req, reply, req.params.pool, "shortcode"),
  );
  api.get<PoolParams>("/NumberPool/:pool/Shortcode/:number/", async (req, reply) =>
    getMember(ctx, reply, req.params.pool, req.params.number, "shortcode"),
  );
  api.delete<PoolParams>("/NumberPool/:pool/Shortcode/:number/", async (req, reply) => {
    removeMember(ctx, req.params.pool, req.params.number, "shortcode", false);
    return send(reply, 200, { response: "success" });
  });

  // documented header path `GET /NumberPool/{uuid}/{number}/`
  api.get<PoolParams>("/NumberPool/:pool/:number/", async (req, reply) =>
    getMember(ctx, reply, req.params.pool, req.params.number, "number"),
  );
}

function control(app: FastifyInstance, ctx: Ctx): void {
  /** Seed a short code into a pool: {number_pool_uuid | powerpack_uuid, shortcode, country_iso2?} */
  app.post("/shortcodes", async (req, reply) => {
    const body = (req.body ?? {}) as Raw;
    const state = ctx.state;
    const pp =
      typeof body.powerpack_uuid === "string"
        ? state.powerpacks.find((x) => x.uuid === body.powerpack_uuid)
        : typeof body.number_pool_uuid === "string"
          ? findPowerpackByPool(state, body.number_pool_uuid)
          : undefined;
    if (!pp) throw badRequest("powerpack_uuid or number_pool_uuid must name an existing Powerpack");
    const sc = typeof body.shortcode === "string" || typeof body.shortcode === "number" ? String(body.shortcode) : "";
    if (!/^\d{3,8}$/.test(sc)) throw badRequest("shortcode must be 3-8 digits");
    if (state.pool_members.some((m) => m.kind === "shortcode" && m.number === sc)) throw badRequest("shortcode already in a pool");
    const m: PoolMember = {
      number_pool_uuid: pp.number_pool_uuid,
      number: sc,
      kind: "shortcode",
      type: "shortcode",
      service: "sms",
      country_iso2: typeof body.country_iso2 === "string" ? body.country_iso2.toUpperCase() : "US",
      added_on: isoMicros(ctx.now()),
    };
    state.pool_members.push(m);
    return reply.code(201).send(memberObject(ctx, m));
  });
}

export default defineResource({
  name: "numberPool",
  initState(state) {
    state.pool_members ??= [];
  },
  setup(ctx) {
    ctx.hooks.on("number.released", ({ number }) => {
      ctx.state.pool_members = ctx.state.pool_members.filter((m) => m.kind === "shortcode" || m.number !== number);
    });
    ctx.hooks.on("powerpack.deleted", ({ uuid, number_pool_uuid, unrent_numbers }) => {
      const members = membersOf(ctx.state, number_pool_uuid);
      ctx.state.pool_members = ctx.state.pool_members.filter((m) => m.number_pool_uuid !== number_pool_uuid);
      for (const m of members) {
        ctx.record({ action: "remove", resource: "NumberPoolMember", id: `${uuid}/${m.number}`, number: m.number, pool: number_pool_uuid, unrent: unrent_numbers });
        if (unrent_numbers && m.kind !== "shortcode" && findNumber(ctx.state, m.number)) unrentNumber(ctx, m.number, "Powerpack");
      }
    });
  },
  routes: register,
  control,
});
