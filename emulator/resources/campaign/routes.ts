/**
 * 10DLC Campaign routes (docs/plivo-api.md §8): `/10dlc/Campaign/` (and `/Campaign/`).
 *
 *   POST   10dlc/Campaign/        200 {api_id, campaign_id, message}  (asynchronous vetting)
 *   GET    10dlc/Campaign/        {api_id, meta, campaigns}  filters brand_id, usecase, registration_status, campaign_source
 *   GET    10dlc/Campaign/{id}/   {api_id, campaign:{…}}
 *   POST   10dlc/Campaign/{id}/   200 {api_id, campaign:{…}}  only while FAILED or PROCESSING
 *   DELETE 10dlc/Campaign/{id}/   200 {api_id, campaign_id, message:"Campaign Deactivated"} → EXPIRED
 */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { Ctx } from "../../context";
import { badRequest, isHttpUrl, notFound, paginate, requestParams, send, type Params } from "../../http";
import { PathId, pathParams } from "../../schemas";
import { callbackParams, tenDlcPaths } from "../brand/routes";
import { VERTICALS } from "../profile/backend";
import { defineResource } from "../registry";
import {
  ATTRIBUTES,
  CAMPAIGN_CREATED_MESSAGE,
  CAMPAIGN_SOURCES,
  CAMPAIGN_STATUSES,
  CampaignBackend,
  MNO_METADATA,
  MUST_BE_TRUE,
  SUB_USECASES,
  UPDATABLE,
  USECASES,
  WITH_SUB_USECASES,
  campaignLifecycle,
  type Attribute,
  type CampaignRecord,
  type Updatable,
} from "./backend";

const CampaignPath = z.object({ id: PathId });

export function campaignObject(c: CampaignRecord): Record<string, unknown> {
  return {
    campaign_id: c.campaign_id,
    brand_id: c.brand_id,
    campaign_alias: c.campaign_alias,
    reseller_id: c.reseller_id,
    usecase: c.usecase,
    sub_usecase: c.sub_usecases.join(","),
    vertical: c.vertical,
    description: c.description,
    sample1: c.sample1,
    sample2: c.sample2,
    sample3: c.sample3,
    sample4: c.sample4,
    sample5: c.sample5,
    message_flow: c.message_flow,
    help_message: c.help_message,
    help_keywords: c.help_keywords,
    optin_message: c.optin_message,
    optin_keywords: c.optin_keywords,
    optout_message: c.optout_message,
    optout_keywords: c.optout_keywords,
    terms_and_conditions_link: c.terms_and_conditions_link,
    privacy_policy_link: c.privacy_policy_link,
    campaign_attributes: { ...c.attributes },
    // Plivo's recorded campaigns carry mno_metadata whatever their status (FAILED ones included)
    mno_metadata: structuredClone(MNO_METADATA),
    registration_status: c.registration_status,
    campaign_source: c.campaign_source,
    created_at: c.created_at,
    ...(c.registration_status === "FAILED" ? { error_code: c.error_code, error_reason: c.error_reason, error_description: c.error_description } : {}),
  };
}

// ---------------------------------------------------------------------------
// parameters

/** Text with a minimum length (required unless `optional`); "" is "absent" for optional ones. */
function text(p: Params, name: string, min: number, opts: { required?: boolean; max?: number; names?: string[] } = {}): string | undefined {
  let v: string | undefined;
  for (const n of opts.names ?? [name]) {
    v = p.str(n, { max: opts.max, emptyIsAbsent: !opts.required });
    if (v !== undefined) break;
  }
  if (v === undefined) {
    if (opts.required) throw p.missing(name);
    return undefined;
  }
  if (v.trim().length < min) throw badRequest(`${name} must be at least ${min} characters long`);
  return v;
}

/** `sample3` or the node SDK's `sample_3` spelling (lodash snakeCase) */
const sampleNames = (i: number): string[] => [`sample${i}`, `sample_${i}`];

function keywords(p: Params, name: string, upper: boolean): string | undefined {
  const v = p.str(name, { max: 255, emptyIsAbsent: false });
  if (v === undefined || v === "") return v;
  const parts = v.split(",").map((k) => k.trim());
  if (parts.some((k) => !/^[A-Za-z0-9]+$/.test(k))) {
    throw badRequest(`${name} must be a comma-separated list of keywords without spaces or special characters`);
  }
  if (upper && parts.some((k) => k !== k.toUpperCase())) throw badRequest(`${name} must be in capital letters`);
  return parts.join(",");
}

function link(p: Params, name: string): string | undefined {
  const v = p.str(name, { emptyIsAbsent: false });
  if (v === undefined || v === "") return v;
  if (!isHttpUrl(v)) throw badRequest(`${name} is not a valid URL`);
  return v;
}

function subUsecases(p: Params, usecase: string): string[] {
  const raw = p.raw.sub_usecases ?? p.raw.sub_usecase;
  let list: string[] = [];
  if (Array.isArray(raw)) list = raw.map((x) => String(x));
  else if (typeof raw === "string") list = raw.split(",");
  else if (raw !== undefined && raw !== null) throw badRequest("sub_usecases must be a list");
  list = list.map((x) => x.trim().toUpperCase()).filter(Boolean);
  if (!WITH_SUB_USECASES.includes(usecase)) {
    if (list.length) throw badRequest(`sub_usecases are only allowed with usecase MIXED, LOW_VOLUME or STARTER (usecase is ${usecase})`);
    return [];
  }
  const bad = list.filter((x) => !(SUB_USECASES as readonly string[]).includes(x));
  if (bad.length) throw badRequest(`sub_usecases must be chosen from: ${SUB_USECASES.join(", ")} (got ${bad.join(", ")})`);
  const unique = [...new Set(list)];
  if (unique.length < 2 || unique.length > 5) {
    throw badRequest(`sub_usecases: usecase ${usecase} requires 2 to 5 distinct sub use cases (got ${unique.length})`);
  }
  return unique;
}

function attributes(p: Params): Record<Attribute, boolean> {
  const out = {} as Record<Attribute, boolean>;
  for (const a of ATTRIBUTES) {
    const v = p.bool(a, { required: true }) as boolean;
    if (MUST_BE_TRUE.includes(a) && v !== true) throw badRequest(`${a} must be true`);
    out[a] = v;
  }
  return out;
}

// ---------------------------------------------------------------------------
// routes

function register(api: FastifyInstance, ctx: Ctx): void {
  const campaigns = ctx.backends.campaigns;
  for (const base of tenDlcPaths("/Campaign/")) {
    api.post(base, async (req, reply) => {
      const p = requestParams(req);
      const brandId = p.str("brand_id", { required: true });
      const alias = p.str("campaign_alias", { max: 100 }) ?? "";
      const vertical = p.enum("vertical", VERTICALS, { required: true });
      const usecase = p.enum("usecase", USECASES, { required: true });
      const subs = subUsecases(p, usecase);
      const description = text(p, "description", 40, { required: true, max: 4096 }) as string;
      const sample1 = text(p, "sample1", 20, { required: true, max: 1024, names: sampleNames(1) }) as string;
      const sample2 = text(p, "sample2", 20, { required: true, max: 1024, names: sampleNames(2) }) as string;
      const samples = [3, 4, 5].map((i) => text(p, `sample${i}`, 20, { max: 1024, names: sampleNames(i) }) ?? "");
      const messageFlow = text(p, "message_flow", 40, { required: true, max: 2048 }) as string;
      const helpMessage = text(p, "help_message", 20, { required: true, max: 255 }) as string;
      const optoutMessage = text(p, "optout_message", 20, { required: true, max: 255 }) as string;
      const optinMessage = text(p, "optin_message", 20, { max: 255 }) ?? "";
      const attrs = attributes(p);
      const optinKeywords = keywords(p, "optin_keywords", false) ?? "";
      const optoutKeywords = keywords(p, "optout_keywords", false) ?? "";
      const helpKeywords = keywords(p, "help_keywords", true) ?? "";
      const terms = link(p, "terms_and_conditions_link") ?? "";
      const privacy = link(p, "privacy_policy_link") ?? "";
      const resellerId = p.str("reseller_id", { max: 64 }) ?? "";
      const cb = callbackParams(p);
      const rec = campaigns.create({
        brand_id: brandId,
        campaign_alias: alias,
        reseller_id: resellerId,
        usecase,
        sub_usecases: subs,
        vertical,
        description,
        sample1,
        sample2,
        sample3: samples[0],
        sample4: samples[1],
        sample5: samples[2],
        message_flow: messageFlow,
        help_message: helpMessage,
        help_keywords: helpKeywords,
        optin_message: optinMessage,
        optin_keywords: optinKeywords,
        optout_message: optoutMessage,
        optout_keywords: optoutKeywords,
        terms_and_conditions_link: terms,
        privacy_policy_link: privacy,
        attributes: attrs,
        url: cb.url,
        method: cb.method,
      });
      return send(reply, 200, { campaign_id: rec.campaign_id, message: CAMPAIGN_CREATED_MESSAGE });
    });

    api.get(base, async (req, reply) => {
      const p = requestParams(req);
      const brandId = p.str("brand_id");
      const usecase = p.enum("usecase", USECASES);
      const status = p.enum("registration_status", CAMPAIGN_STATUSES);
      const source = p.enum("campaign_source", CAMPAIGN_SOURCES);
      const candidates = campaigns.campaigns.filter(
        (c) =>
          (brandId === undefined || c.brand_id === brandId) &&
          (usecase === undefined || c.usecase === usecase) &&
          (source === undefined || c.campaign_source === source),
      );
      for (const c of candidates) campaigns.read(c.campaign_id);
      const items = candidates.map((c) => campaigns.get(c.campaign_id)!).filter((c) => status === undefined || c.registration_status === status);
      const page = paginate(req, items);
      return send(reply, 200, { meta: page.meta, campaigns: page.objects.map(campaignObject) });
    });

    api.get(`${base}:id/`, async (req, reply) => {
      const { id } = pathParams(CampaignPath, req);
      if (!campaigns.get(id)) throw notFound();
      campaigns.read(id);
      return send(reply, 200, { campaign: campaignObject(campaigns.get(id)!) });
    });

    api.post(`${base}:id/`, async (req, reply) => {
      const { id } = pathParams(CampaignPath, req);
      const c = campaigns.get(id);
      if (!c) throw notFound();
      const p = requestParams(req);
      campaigns.assertUpdatable(id);
      const allowed = new Set<string>([...UPDATABLE, "sample_3", "sample_4", "sample_5"]);
      const unknown = p.keys().filter((k) => !allowed.has(k));
      if (unknown.length) throw badRequest(`${unknown.join(", ")} cannot be updated; updatable parameters: ${UPDATABLE.join(", ")}`);
      if (p.keys().length === 0) throw badRequest(`provide at least one of: ${UPDATABLE.join(", ")}`);
      // validate everything, then apply
      const patch: Partial<Record<Updatable, string>> = {
        campaign_alias: p.has("campaign_alias") ? p.strOrEmpty("campaign_alias", 100) : undefined,
        description: p.has("description") ? text(p, "description", 40, { required: true, max: 4096 }) : undefined,
        sample1: p.has("sample1") ? text(p, "sample1", 20, { required: true, max: 1024 }) : undefined,
        sample2: p.has("sample2") ? text(p, "sample2", 20, { required: true, max: 1024 }) : undefined,
        message_flow: p.has("message_flow") ? text(p, "message_flow", 40, { required: true, max: 2048 }) : undefined,
        help_message: p.has("help_message") ? text(p, "help_message", 20, { required: true, max: 255 }) : undefined,
        optout_message: p.has("optout_message") ? text(p, "optout_message", 20, { required: true, max: 255 }) : undefined,
        optin_message: p.has("optin_message") ? (text(p, "optin_message", 20, { max: 255 }) ?? "") : undefined,
        optin_keywords: keywords(p, "optin_keywords", false),
        optout_keywords: keywords(p, "optout_keywords", false),
        help_keywords: keywords(p, "help_keywords", true),
        terms_and_conditions_link: link(p, "terms_and_conditions_link"),
        privacy_policy_link: link(p, "privacy_policy_link"),
        reseller_id: p.has("reseller_id") ? p.strOrEmpty("reseller_id", 64) : undefined,
      };
      for (const i of [3, 4, 5]) {
        const names = sampleNames(i).filter((n) => p.has(n));
        if (names.length) patch[`sample${i}` as Updatable] = text(p, `sample${i}`, 20, { max: 1024, names }) ?? "";
      }
      return send(reply, 200, { campaign: campaignObject(campaigns.update(id, patch)) });
    });

    api.delete(`${base}:id/`, async (req, reply) => {
      const { id } = pathParams(CampaignPath, req);
      campaigns.deactivate(id);
      return send(reply, 200, { campaign_id: id, message: "Campaign Deactivated" });
    });
  }
}

export default defineResource({
  name: "campaign",
  mainOnly: "10DLC campaigns (/10dlc/Campaign/)",
  lifecycles: [campaignLifecycle],
  setup(ctx) {
    (ctx.backends as { campaigns: CampaignBackend }).campaigns = new CampaignBackend(ctx);
  },
  routes: register,
});
