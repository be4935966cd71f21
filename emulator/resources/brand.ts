/**
 * 10DLC Brand (docs/plivo-api.md §7): `/10dlc/Brand/` (and the documented `/Brand/` spelling).
 *
 *   POST   10dlc/Brand/                 200 {api_id, brand_id, message}  (asynchronous registration)
 *   GET    10dlc/Brand/                 {api_id, meta, brands}  filters type, registration_status (alias status)
 *   GET    10dlc/Brand/{id}/            {api_id, brand:{…}}
 *   GET    10dlc/Brand/{id}/usecases/   {api_id, brand_id, use_cases:[{code, name, details}]}
 *   DELETE 10dlc/Brand/{id}/            200 {api_id, brand_id, message:"Brand Deactivated"}; gone afterwards
 *
 * registration_status PROCESSING → COMPLETED | FAILED is driven by the
 * transition manager (emulator/transitions.ts). The brand copies the profile's
 * business data at registration (later profile edits do not propagate).
 * A profile backs one brand; a profile with a brand cannot be deleted.
 */
import { randomBytes } from "node:crypto";
import type { FastifyInstance } from "fastify";
import type { Ctx } from "../context";
import type { State } from "../store";
import { sendCallback } from "../callbacks";
import { badRequest, isHttpUrl, isoMicros, notFound, paginate, requestParams, send, type Params } from "../http";
import { cancel, countRead, initTransitionsState, persistIfDirty, registerAsyncHandler, submit } from "../transitions";
import { findProfile, type Address, type AuthorizedContact } from "./profile";
import { defineResource } from "./registry";

export const BRAND_TYPES = ["STANDARD", "STARTER"] as const;
export const BRAND_STATUSES = ["PROCESSING", "COMPLETED", "FAILED"] as const;
export type BrandStatus = (typeof BRAND_STATUSES)[number];

export interface DeclinedReason {
  code: string;
  message: string;
}

export interface BrandRecord {
  brand_id: string;
  brand_alias: string;
  brand_type: "STANDARD" | "STARTER";
  profile_uuid: string;
  secondary_vetting: boolean;
  /** status callback */
  url: string | null;
  method: "GET" | "POST";
  // --- copied from the profile at registration
  company_name: string;
  ein: string;
  ein_issuing_country: string;
  entity_type: string;
  vertical: string;
  website: string;
  stock_symbol: string;
  stock_exchange: string;
  alt_business_id: string;
  alt_business_id_type: string;
  address: Address;
  authorized_contact: AuthorizedContact;
  business_contact_email: string;
  // --- registration
  registration_status: BrandStatus;
  vetting_status: string | null;
  vetting_score: number | null;
  declined_reasons: DeclinedReason[];
  created_at: string;
}

declare module "../store" {
  interface State {
    brands: BrandRecord[];
  }
}

/** What `GET …/usecases/` returns for a STANDARD brand (docs/plivo-api.md §7.1). */
export const BRAND_USE_CASES: ReadonlyArray<{ code: string; name: string; details: string }> = [
  { code: "2FA", name: "Two-Factor Authentication", details: "Any two-factor authentication with passcodes used to unlock accounts" },
  { code: "ACCOUNT_NOTIFICATION", name: "Account Notification", details: "Notification sent to account holders about changes in accounts" },
  { code: "CUSTOMER_CARE", name: "Customer Care", details: "Customer care interactions by the support and other customer-facing teams" },
  { code: "DELIVERY_NOTIFICATION", name: "Delivery Notification", details: "Updates about the delivery of products and services" },
  { code: "FRAUD_ALERT", name: "Fraud Alert", details: "Notifications of suspicious behavior identified the business" },
  { code: "HIGHER_EDUCATION", name: "Higher Education", details: "Messages sent by colleges, universities, and other educational institutions" },
  { code: "LOW_VOLUME", name: "Low Volume", details: "A combination of two to five standard usage cases - for low throughput requirements" },
  { code: "MARKETING", name: "Marketing", details: "Communications related to time-bound events and sales" },
  { code: "MIXED", name: "Mixed", details: "A combination of two to five standard usage cases" },
  { code: "POLLING_VOTING", name: "Polling Voting", details: "Surveys, polling, and voting campaigns used for non-political purposes" },
  { code: "PUBLIC_SERVICE_ANNOUNCEMENT", name: "Public Service Announcement", details: "Messages aimed at creating awareness about important topics" },
  { code: "SECURITY_ALERT", name: "Security Alert", details: "Notifications that alert users about a potential breach of systems" },
];

export const BRAND_CREATED_MESSAGE = "Request to create brand was received and is being processed.";
export const STARTER_PAUSED_MESSAGE = "brand_type STARTER is not available: We have paused support for Starter brands. Use brand_type STANDARD.";
export const DEFAULT_BRAND_DECLINE: DeclinedReason = {
  code: "TAX_ID_MISMATCH",
  message: "The EIN and the legal company name do not match the records of the tax authority.",
};

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/** `prefix` + 6 upper-case alphanumerics (brand_id `B…`, campaign_id `C…`), unique per `taken`. */
export function registryId(prefix: string, taken: (id: string) => boolean): string {
  for (;;) {
    const bytes = randomBytes(6);
    let id = prefix;
    for (const b of bytes) id += ALNUM[b % ALNUM.length];
    if (!taken(id)) return id;
  }
}

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

export function findBrand(state: State, id: string): BrandRecord | undefined {
  return state.brands.find((b) => b.brand_id === id);
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

function brandCallback(ctx: Ctx, b: BrandRecord, status: string): void {
  sendCallback(ctx, {
    resource: "brand",
    id: b.brand_id,
    status,
    url: b.url,
    method: b.method,
    payload: {
      event: "brand",
      status,
      brand_id: b.brand_id,
      brand_alias: b.brand_alias,
      registration_status: b.registration_status,
      ...(status === "rejected" ? { declined_reasons: b.declined_reasons } : {}),
    },
  });
}

function resolveBrand(ctx: Ctx, id: string, outcome: string, reason: string | undefined, via: "policy" | "control"): string {
  const b = findBrand(ctx.state, id);
  if (!b) return "NOT_FOUND";
  if (b.registration_status !== "PROCESSING") {
    if (via === "control") throw badRequest(`brand ${id} is not PROCESSING (registration_status ${b.registration_status})`);
    return b.registration_status;
  }
  switch (outcome) {
    case "success":
      b.registration_status = "COMPLETED";
      b.vetting_status = b.secondary_vetting ? "ACTIVE" : null;
      b.vetting_score = b.secondary_vetting ? 80 : null;
      b.declined_reasons = [];
      brandCallback(ctx, b, "registered");
      break;
    case "failure":
      b.registration_status = "FAILED";
      b.declined_reasons = [reason ? { code: DEFAULT_BRAND_DECLINE.code, message: reason } : { ...DEFAULT_BRAND_DECLINE }];
      brandCallback(ctx, b, "rejected");
      break;
    default:
      throw badRequest(`outcome ${outcome} does not apply to a brand (use success or failure)`);
  }
  return b.registration_status;
}

/** campaigns that still hold the brand (anything but EXPIRED) */
function activeCampaignIds(state: State, brandId: string): string[] {
  const campaigns = (state as Partial<Pick<State, "campaigns">>).campaigns ?? [];
  return campaigns.filter((c) => c.brand_id === brandId && c.registration_status !== "EXPIRED").map((c) => c.campaign_id);
}

function register(api: FastifyInstance, ctx: Ctx): void {
  for (const base of tenDlcPaths("/Brand/")) {
    api.post(base, async (req, reply) => {
      const state = ctx.state;
      const p = requestParams(req);
      const profileUuid = p.str("profile_uuid", { required: true, max: 36 });
      const alias = p.str("brand_alias", { required: true, max: 100 });
      // Plivo documents STARTER as the default, and has paused STARTER brands.
      const type = p.enum("brand_type", BRAND_TYPES) ?? "STARTER";
      const secondaryVetting = p.bool("secondary_vetting") ?? true;
      const cb = callbackParams(p);
      p.str("business_contact_email", { max: 255 });
      p.str("mobile_phone");
      const profile = findProfile(state, profileUuid);
      if (!profile) throw badRequest(`profile_uuid ${profileUuid} is not a valid profile`);
      const other = state.brands.find((b) => b.profile_uuid === profileUuid);
      if (other) {
        throw badRequest(`profile_uuid: The profile should not have been used to create another brand (used by brand ${other.brand_id})`);
      }
      if (type === "STARTER") throw badRequest(STARTER_PAUSED_MESSAGE);
      if (!profile.ein) throw badRequest("brand_type STANDARD is not allowed for profiles not containing an EIN");
      const rec: BrandRecord = {
        brand_id: registryId("B", (id) => !!findBrand(state, id)),
        brand_alias: alias,
        brand_type: type,
        profile_uuid: profileUuid,
        secondary_vetting: secondaryVetting,
        url: cb.url,
        method: cb.method,
        company_name: profile.company_name,
        ein: profile.ein,
        ein_issuing_country: profile.ein_issuing_country,
        entity_type: profile.entity_type,
        vertical: profile.vertical,
        website: profile.website,
        stock_symbol: profile.stock_symbol,
        stock_exchange: profile.stock_exchange,
        alt_business_id: profile.alt_business_id,
        alt_business_id_type: profile.alt_business_id_type,
        address: { ...profile.address },
        authorized_contact: { ...profile.authorized_contact },
        business_contact_email: p.str("business_contact_email") ?? profile.business_contact_email ?? "",
        registration_status: "PROCESSING",
        vetting_status: null,
        vetting_score: null,
        declined_reasons: [],
        created_at: isoMicros(ctx.now()),
      };
      state.brands.push(rec);
      brandCallback(ctx, rec, "created");
      submit(ctx, "brand", rec.brand_id);
      return send(reply, 200, { brand_id: rec.brand_id, message: BRAND_CREATED_MESSAGE });
    });

    api.get(base, async (req, reply) => {
      const p = requestParams(req);
      const type = p.enum("type", BRAND_TYPES);
      const status = p.enum("registration_status", BRAND_STATUSES) ?? p.enum("status", BRAND_STATUSES);
      const candidates = ctx.state.brands.filter((b) => type === undefined || b.brand_type === type);
      for (const b of candidates) countRead(ctx, "brand", b.brand_id);
      const items = candidates.filter((b) => status === undefined || b.registration_status === status);
      const page = paginate(req, items);
      await persistIfDirty(ctx);
      return send(reply, 200, { meta: page.meta, brands: page.objects.map(brandObject) });
    });

    api.get<{ Params: { id: string } }>(`${base}:id/`, async (req, reply) => {
      const id = req.params.id;
      if (!findBrand(ctx.state, id)) throw notFound();
      countRead(ctx, "brand", id);
      const b = findBrand(ctx.state, id) as BrandRecord;
      await persistIfDirty(ctx);
      return send(reply, 200, { brand: brandObject(b) });
    });

    api.get<{ Params: { id: string } }>(`${base}:id/usecases/`, async (req, reply) => {
      const b = findBrand(ctx.state, req.params.id);
      if (!b) throw notFound();
      const useCases = b.brand_type === "STARTER"
        ? [{ code: "STARTER", name: "Starter", details: "Starter brands can only use the STARTER use case" }]
        : BRAND_USE_CASES.map((u) => ({ ...u }));
      return send(reply, 200, { brand_id: b.brand_id, use_cases: useCases });
    });

    api.delete<{ Params: { id: string } }>(`${base}:id/`, async (req, reply) => {
      const state = ctx.state;
      const b = findBrand(state, req.params.id);
      if (!b) throw notFound();
      const active = activeCampaignIds(state, b.brand_id);
      if (active.length) {
        throw badRequest(
          `Brand ${b.brand_id} cannot be deleted: it has campaigns that are not deactivated (${active.join(", ")}). Deactivate them first.`,
        );
      }
      state.brands = state.brands.filter((x) => x !== b);
      cancel(ctx, "brand", b.brand_id);
      ctx.record({ action: "deactivate", resource: "brand", id: b.brand_id });
      return send(reply, 200, { brand_id: b.brand_id, message: "Brand Deactivated" });
    });
  }
}

export default defineResource({
  name: "brand",
  initState(state) {
    initTransitionsState(state);
    state.brands ??= [];
  },
  setup(ctx) {
    registerAsyncHandler({
      kind: "brand",
      status: (c, id) => findBrand(c.state, id)?.registration_status,
      resolve: resolveBrand,
    });
    ctx.hooks.guard("profile", (state, uuid) => {
      const b = (state.brands ?? []).find((x) => x.profile_uuid === uuid);
      return b ? `profile is in use by brand ${b.brand_id}; delete the brand first` : undefined;
    });
  },
  routes: register,
});
