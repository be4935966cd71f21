/**
 * Number pool routes (docs/plivo-api.md §5):
 *   /NumberPool/{pool}/                         pool object
 *   /NumberPool/{pool}/Number/[{n}/]            long codes (add 200, get, list, remove 200)
 *   /NumberPool/{pool}/Tollfree/[{n}/]          the (single) toll-free number
 *   /NumberPool/{pool}/Shortcode/[{sc}/]        short codes (list/get/remove; seeded through the control surface)
 *   /NumberPool/{pool}/{n}/                     documented alias of GET …/Number/{n}/
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import type { Ctx } from "../../context";
import { badRequest, normalizeNumber, notFound, paginate, requestParams, send } from "../../http";
import { PathId, parseBody, pathParams } from "../../schemas";
import { defineResource } from "../registry";
import { NumberPoolBackend, type MemberKind, type PoolMember } from "./backend";

const PoolPath = z.object({ pool: PathId });
const MemberPath = z.object({ pool: PathId, number: PathId });

/**
 * What each path segment adds, finds and removes, and what its list shows. The `Number/` list documents a `type`
 * filter with `toll-free`: asked for it, the list answers with the pool's toll-free member; unfiltered (or for
 * fixed/mobile) it lists the long codes, as the official SDK's `list_numbers` expects. Reading, adding and removing
 * the toll-free stays under `Tollfree/` (docs/plivo-api.md §14.13).
 */
const SEGMENTS: Record<"Number" | "Tollfree" | "Shortcode", { add?: "number" | "tollfree"; kinds: readonly MemberKind[]; tollfreeFilter?: true }> = {
  Number: { add: "number", kinds: ["number"], tollfreeFilter: true },
  Tollfree: { add: "tollfree", kinds: ["tollfree"] },
  Shortcode: { kinds: ["shortcode"] },
};

function memberObject(ctx: Ctx, m: PoolMember): Record<string, unknown> {
  if (m.kind === "shortcode") {
    return { added_on: m.added_on, country_iso2: m.country_iso2, number_pool_uuid: m.number_pool_uuid, shortcode: m.number };
  }
  return {
    account_phone_number_resource: ctx.uri(`Number/${m.number}/`),
    added_on: m.added_on,
    country_iso2: m.country_iso2,
    number: m.number,
    number_pool_uuid: m.number_pool_uuid,
    service: m.service,
    type: m.type,
  };
}

const TYPE_FILTER: Record<string, PoolMember["type"]> = {
  fixed: "fixed",
  local: "fixed",
  national: "fixed",
  mobile: "mobile",
  "toll-free": "tollfree",
  tollfree: "tollfree",
};

const memberNumber = (raw: string, kinds: readonly MemberKind[]) => (kinds.includes("shortcode") ? raw : normalizeNumber(raw));

function list(ctx: Ctx, req: FastifyRequest, reply: FastifyReply, listed: readonly MemberKind[], tollfreeFilter = false) {
  const pool = ctx.backends.numberPool;
  const { pool: poolUuid } = pathParams(PoolPath, req);
  pool.pool(poolUuid);
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
    starts = startsRaw
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    if (starts.length > 10) throw badRequest("starts_with accepts at most 10 prefixes");
    if (starts.some((s) => !/^\d+$/.test(s))) throw badRequest("starts_with must be a comma-separated list of digit prefixes");
    if (!country) throw badRequest("country_iso2 is required when starts_with is specified");
  }
  const kinds: readonly MemberKind[] = tollfreeFilter && type === "tollfree" ? ["tollfree"] : listed;
  const items = pool.membersOf(poolUuid, kinds).filter((m) => {
    if (type && m.type !== type) return false;
    if (service && m.service !== service) return false;
    if (country && m.country_iso2 !== country) return false;
    if (starts) {
      const dial = ctx.backends.numbers.get(m.number)?.source.dial_code ?? "";
      const national = m.number.slice(dial.length);
      if (!starts.some((s) => national.startsWith(s))) return false;
    }
    return true;
  });
  const page = paginate(req, items, { empty: "" });
  return send(reply, 200, { meta: page.meta, objects: page.objects.map((m) => memberObject(ctx, m)) });
}

function getMember(ctx: Ctx, req: FastifyRequest, reply: FastifyReply, kinds: readonly MemberKind[]) {
  const { pool: poolUuid, number } = pathParams(MemberPath, req);
  ctx.backends.numberPool.pool(poolUuid);
  const m = ctx.backends.numberPool.find(poolUuid, memberNumber(number, kinds), kinds);
  if (!m) throw notFound();
  return send(reply, 200, memberObject(ctx, m));
}

function register(api: FastifyInstance, ctx: Ctx): void {
  const pool = ctx.backends.numberPool;

  api.get("/NumberPool/:pool/", async (req, reply) => {
    const { pool: poolUuid } = pathParams(PoolPath, req);
    pool.pool(poolUuid);
    const base = ctx.uri(`NumberPool/${poolUuid}/`);
    return send(reply, 200, { numbers: `${base}Number/`, shortcodes: `${base}Shortcode/`, tollfree: `${base}Tollfree/`, uuid: poolUuid });
  });

  for (const [segment, { add, kinds, tollfreeFilter }] of Object.entries(SEGMENTS)) {
    api.get(`/NumberPool/:pool/${segment}/`, async (req, reply) => list(ctx, req, reply, kinds, tollfreeFilter === true));
    api.get(`/NumberPool/:pool/${segment}/:number/`, async (req, reply) => getMember(ctx, req, reply, kinds));
    api.delete(`/NumberPool/:pool/${segment}/:number/`, async (req, reply) => {
      const { pool: poolUuid, number } = pathParams(MemberPath, req);
      const unrent = add ? (requestParams(req).bool("unrent") ?? false) : false;
      pool.remove(poolUuid, memberNumber(number, kinds), kinds, unrent);
      return send(reply, 200, { response: "success" });
    });
    if (add) {
      api.post(`/NumberPool/:pool/${segment}/:number/`, async (req, reply) => {
        const { pool: poolUuid, number } = pathParams(MemberPath, req);
        const n = normalizeNumber(number);
        if (!n) throw notFound();
        const p = requestParams(req);
        const m = pool.add(poolUuid, n, add, p.enum("service", ["sms", "mms"] as const) ?? "sms", p.bool("rent") ?? false);
        return send(reply, 200, memberObject(ctx, m));
      });
    }
  }

  // documented header path `GET /NumberPool/{uuid}/{number}/`
  api.get("/NumberPool/:pool/:number/", async (req, reply) => getMember(ctx, req, reply, SEGMENTS.Number.kinds));
}

const ShortcodeBody = z.strictObject({
  powerpack_uuid: z.string().optional(),
  number_pool_uuid: z.string().optional(),
  shortcode: z
    .union([z.string(), z.number()])
    .transform(String)
    .pipe(z.string().regex(/^\d{3,8}$/, "must be 3-8 digits")),
  country_iso2: z
    .string()
    .regex(/^[A-Za-z]{2}$/)
    .optional(),
});

function control(app: FastifyInstance, ctx: Ctx): void {
  /** Seed a short code into a pool: {number_pool_uuid | powerpack_uuid, shortcode, country_iso2?} */
  app.post("/shortcodes", async (req, reply) => {
    const body = parseBody(ShortcodeBody, req.body ?? {});
    const pps = ctx.backends.powerpacks;
    const pp =
      body.powerpack_uuid !== undefined ? pps.get(body.powerpack_uuid) : body.number_pool_uuid !== undefined ? pps.byPool(body.number_pool_uuid) : undefined;
    if (!pp) throw badRequest("powerpack_uuid or number_pool_uuid must name an existing Powerpack");
    const m = ctx.backends.numberPool.addShortcode(pp.number_pool_uuid, body.shortcode, (body.country_iso2 ?? "US").toUpperCase());
    return reply.code(201).send(memberObject(ctx, m));
  });
}

export default defineResource({
  name: "numberPool",
  mainOnly: "Powerpack number pools (/NumberPool/)",
  setup(ctx) {
    const pool = new NumberPoolBackend(ctx);
    (ctx.backends as { numberPool: NumberPoolBackend }).numberPool = pool;
    ctx.hooks.on("number.released", ({ number }) => pool.dropNumber(number));
    ctx.hooks.on("powerpack.deleted", ({ uuid, number_pool_uuid, unrent_numbers }) => pool.dropPool(uuid, number_pool_uuid, unrent_numbers));
  },
  routes: register,
  control,
});
