/**
 * Phone numbers.
 *  - `/PhoneNumber/`            inventory search (GET) and buy (POST /PhoneNumber/{n}/ → 201)
 *  - `/Number/`                 numbers rented in the account: list, get, update (202), unrent (204)
 *
 * Unrent moves the number into a 10-day reserve (`state.reserved`): it can no
 * longer be searched or bought, and after the reserve it is gone for good.
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Ctx } from "../context";
import type { InventoryItem, State } from "../store";
import { inventoryObject } from "../inventory";
import {
  ApiError, badRequest, normalizeNumber, notFound, paginate, requestParams, send, sendEmpty, ymd, type Params,
} from "../http";
import { appUri, defaultNumberApp, findApp } from "./application";
import { defineResource } from "./registry";

export type NumberType = "local" | "fixed" | "tollfree" | "mobile" | "national";

export interface AccountNumber {
  number: string;
  alias: string | null;
  sub_account: string | null;
  added_on: string;
  app_id: string | null;
  carrier: string;
  city: string;
  country: string;
  country_iso2: string;
  region: string;
  number_type: NumberType;
  monthly_rental_rate: string;
  renewal_date: string;
  sms_enabled: boolean;
  sms_rate: string;
  mms_enabled: boolean;
  mms_rate: string;
  voice_enabled: boolean;
  voice_rate: string;
  cnam_lookup: "enabled" | "disabled" | null;
  cnam: string | null;
  cnam_callback_url: string | null;
  cnam_callback_method: "GET" | "POST";
  caller_reputation_status: "PENDING" | "ACTIVE" | "FAILED" | "NOT_ENROLLED" | null;
  caller_reputation_callback_url: string | null;
  caller_reputation_callback_method: "GET" | "POST";
  profile_uuid: string | null;
  /** maintained by the 10DLC resources */
  tendlc_registration_status: "UNREGISTERED" | "PROCESSING" | "COMPLETED" | null;
  tendlc_campaign_id: string | null;
  /** maintained by the TFV resource */
  toll_free_sms_verification: "UNVERIFIED" | "PENDING_VERIFICATION" | "VERIFIED" | null;
  toll_free_sms_verification_id: string | null;
  toll_free_sms_verification_order_status: string | null;
  compliance_application_id: string | null;
  compliance_status: string | null;
  ha_enable: boolean;
  /** the inventory item it was bought from (returned to the reserve on unrent) */
  source: InventoryItem;
}

declare module "../store" {
  interface State {
    numbers: AccountNumber[];
  }
}

const RESERVE_DAYS = 10;

export function findNumber(state: State, number: string): AccountNumber | undefined {
  return state.numbers.find((n) => n.number === number);
}

export function isTollfree(n: AccountNumber): boolean {
  return n.number_type === "tollfree";
}

export function numberUri(ctx: Ctx, number: string): string {
  return ctx.uri(`Number/${number}/`);
}

function firstOfNextMonth(d: Date): string {
  return ymd(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)));
}

function numberObject(ctx: Ctx, n: AccountNumber): Record<string, unknown> {
  return {
    active: true,
    added_on: n.added_on,
    alias: n.alias,
    application: n.app_id ? appUri(ctx, n.app_id) : null,
    caller_reputation_status: n.caller_reputation_status,
    carrier: n.carrier,
    city: n.city,
    cnam: n.cnam,
    cnam_lookup: n.cnam_lookup,
    compliance_application_id: n.compliance_application_id,
    compliance_status: n.compliance_status,
    country: n.country,
    mms_enabled: n.mms_enabled,
    mms_rate: n.mms_rate,
    monthly_rental_rate: n.monthly_rental_rate,
    number: n.number,
    number_type: n.number_type,
    profile_uuid: n.profile_uuid,
    region: n.region,
    renewal_date: n.renewal_date,
    resource_uri: numberUri(ctx, n.number),
    sms_enabled: n.sms_enabled,
    sms_rate: n.sms_rate,
    sub_account: n.sub_account,
    tendlc_campaign_id: n.tendlc_campaign_id,
    tendlc_registration_status: n.tendlc_registration_status,
    toll_free_sms_verification: n.toll_free_sms_verification,
    toll_free_sms_verification_id: n.toll_free_sms_verification_id,
    toll_free_sms_verification_order_status: n.toll_free_sms_verification_order_status,
    voice_enabled: n.voice_enabled,
    voice_rate: n.voice_rate,
  };
}

function cnamCapable(item: InventoryItem): boolean {
  return item.country_iso === "US" && (item.type === "fixed" || item.type === "tollfree");
}

export interface BuyOptions {
  appId?: string;
  cnamLookup?: "enabled" | "disabled";
  haEnable?: boolean;
  complianceApplicationId?: string;
  /** ledger context, e.g. "NumberPoolMember" when bought through `rent:true` */
  via?: string;
}

/** Buy an inventory number into the account. 404 "not found" when it is not available. */
export function buyNumber(ctx: Ctx, number: string, opts: BuyOptions = {}): AccountNumber {
  const state = ctx.state;
  const idx = state.inventory.findIndex((i) => i.number === number);
  if (idx < 0) throw notFound();
  const item = state.inventory[idx];
  if (opts.appId !== undefined && !findApp(state, opts.appId)) {
    throw badRequest(`app_id ${opts.appId} is not a valid application`);
  }
  if (opts.cnamLookup !== undefined && !cnamCapable(item)) {
    throw badRequest("cnam_lookup is only supported for US local and toll-free numbers");
  }
  const now = ctx.now();
  const type: NumberType = item.type === "tollfree" ? "tollfree" : item.type === "mobile" ? "mobile" : item.sub_type === "national" ? "national" : "local";
  const isUs = item.country_iso === "US";
  const rec: AccountNumber = {
    number: item.number,
    alias: null,
    sub_account: null,
    added_on: ymd(now),
    app_id: opts.appId ?? defaultNumberApp(state)?.app_id ?? null,
    carrier: "Plivo",
    city: item.city,
    country: item.country,
    country_iso2: item.country_iso,
    region: item.city && item.region !== item.country ? `${item.region}, ${item.country}` : item.country,
    number_type: type,
    monthly_rental_rate: item.monthly_rental_rate,
    renewal_date: firstOfNextMonth(now),
    sms_enabled: item.sms_enabled,
    sms_rate: item.sms_rate,
    mms_enabled: item.mms_enabled,
    mms_rate: item.mms_rate,
    voice_enabled: item.voice_enabled,
    voice_rate: item.voice_rate,
    cnam_lookup: cnamCapable(item) ? opts.cnamLookup ?? "disabled" : null,
    cnam: null,
    cnam_callback_url: null,
    cnam_callback_method: "POST",
    caller_reputation_status: null,
    caller_reputation_callback_url: null,
    caller_reputation_callback_method: "POST",
    profile_uuid: null,
    tendlc_registration_status: isUs && type !== "tollfree" ? "UNREGISTERED" : null,
    tendlc_campaign_id: null,
    toll_free_sms_verification: type === "tollfree" && (isUs || item.country_iso === "CA") ? "UNVERIFIED" : null,
    toll_free_sms_verification_id: null,
    toll_free_sms_verification_order_status: null,
    compliance_application_id: opts.complianceApplicationId ?? null,
    compliance_status: null,
    ha_enable: opts.haEnable ?? false,
    source: item,
  };
  state.inventory.splice(idx, 1);
  state.numbers.push(rec);
  ctx.record({ action: "buy", number: rec.number, resource: opts.via ?? "PhoneNumber", id: rec.number });
  return rec;
}

/** Unrent: remove from the account, put in the 10-day reserve, tell other modules. */
export function unrentNumber(ctx: Ctx, number: string, via?: string): void {
  const state = ctx.state;
  const rec = findNumber(state, number);
  if (!rec) throw notFound();
  const now = ctx.now();
  state.numbers = state.numbers.filter((n) => n !== rec);
  state.reserved = state.reserved.filter((r) => r.number !== number);
  state.reserved.push({
    number,
    unrented_at: now.toISOString(),
    reserved_until: new Date(now.getTime() + RESERVE_DAYS * 86400_000).toISOString(),
    item: rec.source,
  });
  ctx.record({ action: "unrent", number, resource: via ?? "PhoneNumber", id: number });
  ctx.hooks.emit("number.released", { number });
}

function pathNumber(req: FastifyRequest<{ Params: { number: string } }>): string {
  const n = normalizeNumber(req.params.number);
  if (!n) throw notFound();
  return n;
}

// --- search -----------------------------------------------------------------

const SEARCH_TYPES = ["any", "fixed", "local", "mobile", "tollfree", "national"] as const;
const SERVICES = ["voice", "sms", "mms"] as const;

function parseServices(p: Params, name: string): Array<(typeof SERVICES)[number]> | undefined {
  const s = p.str(name);
  if (s === undefined) return undefined;
  const out: Array<(typeof SERVICES)[number]> = [];
  for (const part of s.split(",").map((x) => x.trim().toLowerCase()).filter(Boolean)) {
    const hit = SERVICES.find((x) => x === part);
    if (!hit) throw badRequest(`${name} must be a comma-separated combination of voice, sms, mms`);
    out.push(hit);
  }
  return out;
}

function hasServices(x: { voice_enabled: boolean; sms_enabled: boolean; mms_enabled: boolean }, services: string[]): boolean {
  return services.every((s) => (s === "voice" ? x.voice_enabled : s === "sms" ? x.sms_enabled : x.mms_enabled));
}

function patternRegex(pattern: string): RegExp {
  if (!/^[0-9*]+$/.test(pattern)) throw badRequest("pattern may only contain digits and the wildcard *");
  return new RegExp("^" + pattern.replace(/\*/g, "\\d"));
}

/** state code or name, exact (case-insensitive); names also match by substring from 3 characters */
function regionMatches(i: InventoryItem, q: string): boolean {
  const name = i.region.toLowerCase();
  return i.region_code?.toLowerCase() === q || name === q || (q.length >= 3 && name.includes(q));
}

function search(ctx: Ctx, p: Params): InventoryItem[] {
  const iso = p.str("country_iso", { required: true });
  if (!/^[A-Za-z]{2}$/.test(iso)) throw badRequest("country_iso must be a 2-letter ISO country code");
  const country = iso.toUpperCase();
  const type = p.enum("type", SEARCH_TYPES) ?? "any";
  const pattern = p.str("pattern");
  const re = pattern !== undefined ? patternRegex(pattern) : undefined;
  const region = p.str("region")?.toLowerCase();
  const city = p.str("city")?.toLowerCase();
  const rateCenter = p.str("rate_center")?.toLowerCase();
  const lata = p.str("lata");
  const npanxx = p.str("npanxx");
  if (npanxx !== undefined && !/^\d{6}$/.test(npanxx)) throw badRequest("npanxx must be 6 digits");
  const services = parseServices(p, "services");
  p.bool("eligible");
  return ctx.state.inventory.filter((i) => {
    if (i.country_iso !== country) return false;
    const national = i.number.slice(i.dial_code.length);
    switch (type) {
      case "fixed":
        if (i.type !== "fixed") return false;
        break;
      case "local":
        if (i.type !== "fixed" || i.sub_type !== "local") return false;
        break;
      case "national":
        if (i.sub_type !== "national") return false;
        break;
      case "mobile":
      case "tollfree":
        if (i.type !== type) return false;
        break;
    }
    if (re && !re.test(national)) return false;
    if (region !== undefined && !regionMatches(i, region)) return false;
    if (city !== undefined && i.city.toLowerCase() !== city) return false;
    if (rateCenter !== undefined && (i.rate_center ?? "").toLowerCase() !== rateCenter) return false;
    if (lata !== undefined && String(i.lata) !== lata) return false;
    if (npanxx !== undefined && !national.startsWith(npanxx)) return false;
    if (services && !hasServices(i, services)) return false;
    return true;
  });
}

// --- account numbers ----------------------------------------------------------

const LIST_TYPES = ["local", "fixed", "mobile", "national", "tollfree"] as const;
const UPDATE_PARAMS = [
  "app_id", "alias", "subaccount", "cnam_lookup", "cnam", "cnam_callback_url", "cnam_callback_method",
  "caller_reputation", "profile_uuid", "caller_reputation_callback_url", "caller_reputation_callback_method",
  "compliance_application_id", "compliance_id",
] as const;

const TENDLC_FILTER: Record<string, string> = {
  unregistered: "UNREGISTERED",
  in_progress: "PROCESSING",
  processing: "PROCESSING",
  registered: "COMPLETED",
  completed: "COMPLETED",
};

function dateFilter(p: Params, name: string, value: string): boolean {
  const ops: Array<[string, (a: string, b: string) => boolean]> = [
    ["", (a, b) => a === b],
    ["__gt", (a, b) => a > b],
    ["__gte", (a, b) => a >= b],
    ["__lt", (a, b) => a < b],
    ["__lte", (a, b) => a <= b],
  ];
  for (const [suffix, cmp] of ops) {
    const v = p.str(name + suffix);
    if (v === undefined) continue;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) throw badRequest(`${name + suffix} must be a date (YYYY-MM-DD)`);
    if (!cmp(value, v)) return false;
  }
  return true;
}

function listNumbers(ctx: Ctx, p: Params): AccountNumber[] {
  const type = p.enum("type", LIST_TYPES);
  const startsWith = p.str("number_startswith");
  const alias = p.str("alias", { emptyIsAbsent: false });
  const sub = p.str("subaccount");
  const services = parseServices(p, "services");
  const cnam = p.enum("cnam_lookup", ["enabled", "disabled"] as const);
  const tendlcRaw = p.str("tendlc_registration_status");
  let tendlc: string | undefined;
  if (tendlcRaw !== undefined) {
    tendlc = TENDLC_FILTER[tendlcRaw.toLowerCase()];
    if (!tendlc) throw badRequest("tendlc_registration_status must be one of: unregistered, processing, completed");
  }
  const campaign = p.str("tendlc_campaign_id");
  const tfv = p.enum("toll_free_sms_verification", ["UNVERIFIED", "PENDING_VERIFICATION", "VERIFIED"] as const);
  return ctx.state.numbers.filter((n) => {
    if (type !== undefined) {
      const localish = (t: string): boolean => t === "local" || t === "fixed";
      if (localish(type) ? !localish(n.number_type) : n.number_type !== type) return false;
    }
    if (startsWith !== undefined && !n.number.startsWith(normalizeNumber(startsWith))) return false;
    if (alias !== undefined && n.alias !== alias) return false;
    if (sub !== undefined && n.sub_account !== sub) return false;
    if (services && !hasServices(n, services)) return false;
    if (cnam !== undefined && n.cnam_lookup !== cnam) return false;
    if (tendlc !== undefined && n.tendlc_registration_status !== tendlc) return false;
    if (campaign !== undefined && n.tendlc_campaign_id !== campaign) return false;
    if (tfv !== undefined && n.toll_free_sms_verification !== tfv) return false;
    if (!dateFilter(p, "renewal_date", n.renewal_date)) return false;
    return true;
  });
}

function updateNumber(ctx: Ctx, n: AccountNumber, p: Params): void {
  const state = ctx.state;
  p.rejectUnknown(UPDATE_PARAMS);
  // --- validate
  let appId: string | null | undefined;
  if (p.has("app_id")) {
    const raw = p.strOrEmpty("app_id");
    if (raw === undefined || raw === "" || raw.toLowerCase() === "none" || raw.toLowerCase() === "null") appId = null;
    else if (!findApp(state, raw)) throw badRequest(`app_id ${raw} is not a valid application`);
    else appId = raw;
  }
  const alias = p.has("alias") ? p.strOrEmpty("alias", 100) : undefined;
  const sub = p.has("subaccount") ? p.strOrEmpty("subaccount") : undefined;
  const cnamLookup = p.enum("cnam_lookup", ["enabled", "disabled"] as const);
  if (cnamLookup !== undefined && !cnamCapable(n.source)) {
    throw badRequest("cnam_lookup is only supported for US local and toll-free numbers");
  }
  const cnam = p.has("cnam") ? p.strOrEmpty("cnam", 15) : undefined;
  if (cnam !== undefined && cnam !== "" && !/^[A-Za-z0-9 ,.\-]+$/.test(cnam)) {
    throw badRequest("cnam may only contain letters, digits, spaces, commas, periods and hyphens");
  }
  const cnamCbUrl = p.has("cnam_callback_url") ? p.strOrEmpty("cnam_callback_url") : undefined;
  const cnamCbMethod = p.enum("cnam_callback_method", ["GET", "POST"] as const);
  let profileUuid: string | null | undefined;
  if (p.has("profile_uuid")) {
    const raw = p.strOrEmpty("profile_uuid");
    if (!raw) profileUuid = null;
    else if (!(state.profiles ?? []).some((x) => x.profile_uuid === raw)) throw badRequest(`profile_uuid ${raw} not found`);
    else profileUuid = raw;
  }
  const reputation = p.enum("caller_reputation", ["enabled", "disabled"] as const);
  if (reputation === "enabled") {
    if (!cnamCapable(n.source)) throw badRequest("caller_reputation is only supported for US local and toll-free numbers");
    const effectiveProfile = profileUuid !== undefined ? profileUuid : n.profile_uuid;
    if (!effectiveProfile) {
      throw badRequest("profile_uuid is required when caller_reputation is enabled");
    }
  }
  const repCbUrl = p.has("caller_reputation_callback_url") ? p.strOrEmpty("caller_reputation_callback_url") : undefined;
  const repCbMethod = p.enum("caller_reputation_callback_method", ["GET", "POST"] as const);
  const compliance = p.str("compliance_application_id") ?? p.str("compliance_id");
  // --- apply
  if (appId !== undefined) n.app_id = appId;
  if (alias !== undefined) n.alias = alias === "" ? null : alias;
  if (sub !== undefined) n.sub_account = sub === "" ? null : sub;
  if (cnamLookup !== undefined) n.cnam_lookup = cnamLookup;
  if (cnam !== undefined) n.cnam = cnam === "" ? null : cnam;
  if (cnamCbUrl !== undefined) n.cnam_callback_url = cnamCbUrl || null;
  if (cnamCbMethod !== undefined) n.cnam_callback_method = cnamCbMethod;
  if (profileUuid !== undefined) n.profile_uuid = profileUuid;
  if (reputation !== undefined) n.caller_reputation_status = reputation === "enabled" ? "ACTIVE" : "NOT_ENROLLED";
  if (repCbUrl !== undefined) n.caller_reputation_callback_url = repCbUrl || null;
  if (repCbMethod !== undefined) n.caller_reputation_callback_method = repCbMethod;
  if (compliance !== undefined) n.compliance_application_id = compliance;
}

function register(api: FastifyInstance, ctx: Ctx): void {
  api.get("/PhoneNumber/", async (req, reply) => {
    const items = search(ctx, requestParams(req));
    const page = paginate(req, items);
    return send(reply, 200, { meta: page.meta, objects: page.objects.map((i) => inventoryObject(i, ctx.authId)) });
  });

  api.post<{ Params: { number: string } }>("/PhoneNumber/:number/", async (req, reply) => {
    const number = pathNumber(req);
    const p = requestParams(req);
    const appRaw = p.str("app_id");
    const opts: BuyOptions = {
      appId: appRaw && appRaw.toLowerCase() !== "none" ? appRaw : undefined,
      cnamLookup: p.enum("cnam_lookup", ["enabled", "disabled"] as const),
      haEnable: p.bool("ha_enable"),
      complianceApplicationId: p.str("compliance_application_id"),
    };
    const rec = buyNumber(ctx, number, opts);
    return send(reply, 201, {
      message: "created",
      numbers: [{ number: rec.number, status: "Success" }],
      status: "fulfilled",
    });
  });

  api.get("/Number/", async (req, reply) => {
    const items = listNumbers(ctx, requestParams(req));
    const page = paginate(req, items);
    return send(reply, 200, { meta: page.meta, objects: page.objects.map((n) => numberObject(ctx, n)) });
  });

  api.get<{ Params: { number: string } }>("/Number/:number/", async (req, reply) => {
    const n = findNumber(ctx.state, pathNumber(req));
    if (!n) throw notFound();
    return send(reply, 200, numberObject(ctx, n));
  });

  api.post<{ Params: { number: string } }>("/Number/:number/", async (req, reply) => {
    const n = findNumber(ctx.state, pathNumber(req));
    if (!n) throw notFound();
    updateNumber(ctx, n, requestParams(req));
    ctx.record({ action: "update", resource: "PhoneNumber", id: n.number, number: n.number });
    return send(reply, 202, { message: "changed" });
  });

  api.delete<{ Params: { number: string } }>("/Number/:number/", async (req, reply) => {
    const number = pathNumber(req);
    if (!findNumber(ctx.state, number)) throw notFound();
    const veto = ctx.hooks.check("number", ctx.state, number);
    if (veto) throw new ApiError(400, veto);
    unrentNumber(ctx, number);
    return sendEmpty(reply, 204);
  });
}

export default defineResource({
  name: "numbers",
  initState(state) {
    state.numbers ??= [];
  },
  setup(ctx) {
    ctx.hooks.on("application.deleted", ({ app_id }) => {
      for (const n of ctx.state.numbers) if (n.app_id === app_id) n.app_id = null;
    });
    ctx.hooks.guard("profile", (state, uuid) => {
      const n = state.numbers.find((x) => x.profile_uuid === uuid);
      return n ? `profile is in use by number ${n.number}` : undefined;
    });
  },
  routes: register,
});
