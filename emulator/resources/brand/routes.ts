/**
 * 10DLC Brand routes (docs/plivo-api.md §7): `/10dlc/Brand/` and the documented `/Brand/` spelling.
 *
 *   POST   10dlc/Brand/                 200 {api_id, brand_id, message}  (asynchronous registration)
 *   GET    10dlc/Brand/                 {api_id, meta, brands}  filters type, registration_status (alias status)
 *   GET    10dlc/Brand/{id}/            {api_id, brand:{…}}
 *   GET    10dlc/Brand/{id}/usecases/   {api_id, brand_id, use_cases:[{code, name, details}]}
 *   DELETE 10dlc/Brand/{id}/            200 {api_id, brand_id, message:"Brand Deactivated"}; gone afterwards
 */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { Ctx } from "../../context";
import { badRequest, isHttpUrl, notFound, paginate, requestParams, send, type Params } from "../../http";
import { PathId, pathParams } from "../../schemas";
import { defineResource } from "../registry";
import { BRAND_CREATED_MESSAGE, BRAND_STATUSES, BRAND_TYPES, BRAND_USE_CASES, BrandBackend, brandLifecycle, type BrandRecord } from "./backend";

const BrandPath = z.object({ id: PathId });

/** Serve a 10DLC path under `/10dlc/…` and the documented spelling without the prefix. */
export function tenDlcPaths(path: string): string[] {
  return [`/10dlc${path}`, path];
}

/** The `url`/`method` status-callback pair of the 10DLC APIs (validated). */
export function callbackParams(p: Params): { url: string | null; method: "GET" | "POST" } {
  const url = p.str("url");
  if (url !== undefined && !isHttpUrl(url)) throw badRequest("url is not a valid URL");
  const method = p.enum("method", ["GET", "POST"] as const) ?? "POST";
  return { url: url ?? null, method };
}

function brandObject(b: BrandRecord): Record<string, unknown> {
  return {
    brand_id: b.brand_id,
    brand_alias: b.brand_alias,
    brand_type: b.brand_type,
    profile_uuid: b.profile_uuid,
    company_name: b.company_name,
    ein: b.ein,
    ein_issuing_country: b.ein_issuing_country,
    entity_type: b.entity_type,
    vertical: b.vertical,
    website: b.website,
    stock_symbol: b.stock_symbol,
    stock_exchange: b.stock_exchange,
    alt_business_id: b.alt_business_id,
    alt_business_id_type: b.alt_business_id_type,
    address: { ...b.address },
    authorized_contact: { ...b.authorized_contact },
    registration_status: b.registration_status,
    vetting_status: b.vetting_status,
    vetting_score: b.vetting_score,
    ...(b.registration_status === "FAILED" ? { declined_reasons: b.declined_reasons.map((r) => ({ ...r })) } : {}),
    created_at: b.created_at,
  };
}

function register(api: FastifyInstance, ctx: Ctx): void {
  const brands = ctx.backends.brands;
  for (const base of tenDlcPaths("/Brand/")) {
    api.post(base, async (req, reply) => {
      const p = requestParams(req);
      const profileUuid = p.str("profile_uuid", { required: true, max: 36 });
      const alias = p.str("brand_alias", { required: true, max: 100 });
      // Plivo documents STARTER as the default, and has paused STARTER brands.
      const type = p.enum("brand_type", BRAND_TYPES) ?? "STARTER";
      const secondaryVetting = p.bool("secondary_vetting") ?? true;
      const cb = callbackParams(p);
      const contactEmail = p.str("business_contact_email", { max: 255 });
      p.str("mobile_phone");
      const profile = ctx.backends.profiles.get(profileUuid);
      if (!profile) throw badRequest(`profile_uuid ${profileUuid} is not a valid profile`);
      const rec = brands.register(
        {
          brand_alias: alias,
          brand_type: type,
          profile_uuid: profileUuid,
          secondary_vetting: secondaryVetting,
          url: cb.url,
          method: cb.method,
          business_contact_email: contactEmail,
        },
        profile,
      );
      return send(reply, 200, { brand_id: rec.brand_id, message: BRAND_CREATED_MESSAGE });
    });

    api.get(base, async (req, reply) => {
      const p = requestParams(req);
      const type = p.enum("type", BRAND_TYPES);
      const status = p.enum("registration_status", BRAND_STATUSES) ?? p.enum("status", BRAND_STATUSES);
      const candidates = brands.brands.filter((b) => type === undefined || b.brand_type === type);
      for (const b of candidates) brands.read(b.brand_id);
      const items = candidates.map((b) => brands.get(b.brand_id)!).filter((b) => status === undefined || b.registration_status === status);
      const page = paginate(req, items);
      return send(reply, 200, { meta: page.meta, brands: page.objects.map(brandObject) });
    });

    api.get(`${base}:id/`, async (req, reply) => {
      const { id } = pathParams(BrandPath, req);
      if (!brands.get(id)) throw notFound();
      brands.read(id);
      return send(reply, 200, { brand: brandObject(brands.get(id)!) });
    });

    api.get(`${base}:id/usecases/`, async (req, reply) => {
      const b = brands.get(pathParams(BrandPath, req).id);
      if (!b) throw notFound();
      const useCases =
        b.brand_type === "STARTER"
          ? [{ code: "STARTER", name: "Starter", details: "Starter brands can only use the STARTER use case" }]
          : BRAND_USE_CASES.map((u) => ({ ...u }));
      return send(reply, 200, { brand_id: b.brand_id, use_cases: useCases });
    });

    api.delete(`${base}:id/`, async (req, reply) => {
      const { id } = pathParams(BrandPath, req);
      brands.delete(id);
      return send(reply, 200, { brand_id: id, message: "Brand Deactivated" });
    });
  }
}

export default defineResource({
  name: "brand",
  mainOnly: "10DLC brands (/10dlc/Brand/)",
  lifecycles: [brandLifecycle],
  setup(ctx) {
    const brands = new BrandBackend(ctx);
    (ctx.backends as { brands: BrandBackend }).brands = brands;
    ctx.hooks.guard("profile", (_ctx, uuid) => {
      const b = brands.byProfile(uuid);
      return b ? `profile is in use by brand ${b.brand_id}; delete the brand first` : undefined;
    });
  },
  routes: register,
});
