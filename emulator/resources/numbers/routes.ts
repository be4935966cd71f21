/**
 * Phone number routes (docs/plivo-api.md §2):
 *  - `/PhoneNumber/`  inventory search (GET) and buy (POST /PhoneNumber/{n}/ → 201)
 *  - `/Number/`       numbers rented in the account: list, get, update (202), unrent (204)
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import { z } from "zod";
import { accountUri, callerOf, requireMain, sees, subaccountParam, type Caller } from "../../accounts";
import type { Ctx } from "../../context";
import { badRequest, normalizeNumber, notFound, paginate, requestParams, send, sendEmpty, type Params } from "../../http";
import { PathNumber, pathParams } from "../../schemas";
import { defineResource } from "../registry";
import { NumbersBackend, cnamCapable, type AccountNumber, type BuyOptions, type InventoryItem, type NumberPatch } from "./backend";
import { generateInventory, inventoryObject } from "./inventory";

const NumberPath = z.object({ number: PathNumber });

/** The API object; URIs name the account that asked. */
function numberObject(ctx: Ctx, caller: Caller, n: AccountNumber): Record<string, unknown> {
  const sub = n.sub_account ? ctx.backends.subaccounts.get(n.sub_account) : undefined;
  return {
    active: true,
    added_on: n.added_on,
    alias: n.alias,
    application: n.app_id ? accountUri(caller, `Application/${n.app_id}/`) : null,
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
    resource_uri: accountUri(caller, `Number/${n.number}/`),
    sms_enabled: n.sms_enabled,
    sms_rate: n.sms_rate,
    sub_account: n.sub_account,
    // shown with the subaccount's auth id, as in Plivo's recorded number lists (docs/plivo-api.md §16.3)
    ...(sub ? { sub_account_name: sub.name } : {}),
    tendlc_campaign_id: n.tendlc_campaign_id,
    tendlc_registration_status: n.tendlc_registration_status,
    toll_free_sms_verification: n.toll_free_sms_verification,
    toll_free_sms_verification_id: n.toll_free_sms_verification_id,
    toll_free_sms_verification_order_status: n.toll_free_sms_verification_order_status,
    voice_enabled: n.voice_enabled,
    voice_rate: n.voice_rate,
  };
}

function pathNumber(req: FastifyRequest): string {
  return pathParams(NumberPath, req).number;
}

// --- search -----------------------------------------------------------------

const SEARCH_TYPES = ["any", "fixed", "local", "mobile", "tollfree", "national"] as const;
const SERVICES = ["voice", "sms", "mms"] as const;

function parseServices(p: Params, name: string): Array<(typeof SERVICES)[number]> | undefined {
  const s = p.str(name);
  if (s === undefined) return undefined;
  const out: Array<(typeof SERVICES)[number]> = [];
  for (const part of s
    .split(",")
    .map((x) => x.trim().toLowerCase())
    .filter(Boolean)) {
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
  return new RegExp(`^${pattern.replace(/\*/g, "\\d")}`);
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
  return ctx.backends.numbers.inventory.filter((i) => {
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
  "app_id",
  "alias",
  "subaccount",
  "cnam_lookup",
  "cnam",
  "cnam_callback_url",
  "cnam_callback_method",
  "caller_reputation",
  "profile_uuid",
  "caller_reputation_callback_url",
  "caller_reputation_callback_method",
  "compliance_application_id",
  "compliance_id",
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

function listNumbers(ctx: Ctx, caller: Caller, p: Params): AccountNumber[] {
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
  return ctx.backends.numbers.numbers.filter((n) => {
    if (!sees(caller, n.sub_account)) return false;
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

/** Validate an update and turn it into a patch of the record (nothing is changed on a 400). */
function numberPatch(ctx: Ctx, req: FastifyRequest, n: AccountNumber, p: Params): NumberPatch {
  p.rejectUnknown(UPDATE_PARAMS);
  const caller = callerOf(req);
  let appId: string | null | undefined;
  if (p.has("app_id")) {
    const raw = p.strOrEmpty("app_id");
    if (raw === undefined || raw === "" || raw.toLowerCase() === "none" || raw.toLowerCase() === "null") appId = null;
    else if (!ctx.backends.applications.visible(caller, raw)) throw badRequest(`app_id ${raw} is not a valid application`);
    else appId = raw;
  }
  const alias = p.has("alias") ? p.strOrEmpty("alias", 100) : undefined;
  // moving the number between the main account and a subaccount: the main account's alone
  const sub = subaccountParam(req, p.has("subaccount") ? (p.strOrEmpty("subaccount") ?? null) : undefined, (id) => ctx.backends.subaccounts.exists(id));
  const cnamLookup = p.enum("cnam_lookup", ["enabled", "disabled"] as const);
  if (cnamLookup !== undefined && !cnamCapable(n.source)) {
    throw badRequest("cnam_lookup is only supported for US local and toll-free numbers");
  }
  const cnam = p.has("cnam") ? p.strOrEmpty("cnam", 15) : undefined;
  if (cnam !== undefined && cnam !== "" && !/^[A-Za-z0-9 ,.-]+$/.test(cnam)) {
    throw badRequest("cnam may only contain letters, digits, spaces, commas, periods and hyphens");
  }
  const cnamCbUrl = p.has("cnam_callback_url") ? p.strOrEmpty("cnam_callback_url") : undefined;
  const cnamCbMethod = p.enum("cnam_callback_method", ["GET", "POST"] as const);
  let profileUuid: string | null | undefined;
  if (p.has("profile_uuid")) {
    const raw = p.strOrEmpty("profile_uuid");
    if (!raw) profileUuid = null;
    else if (!ctx.backends.profiles.get(raw)) throw badRequest(`profile_uuid ${raw} not found`);
    else profileUuid = raw;
  }
  const reputation = p.enum("caller_reputation", ["enabled", "disabled"] as const);
  if (reputation === "enabled") {
    if (!cnamCapable(n.source)) throw badRequest("caller_reputation is only supported for US local and toll-free numbers");
    const effectiveProfile = profileUuid !== undefined ? profileUuid : n.profile_uuid;
    if (!effectiveProfile) throw badRequest("profile_uuid is required when caller_reputation is enabled");
  }
  const repCbUrl = p.has("caller_reputation_callback_url") ? p.strOrEmpty("caller_reputation_callback_url") : undefined;
  const repCbMethod = p.enum("caller_reputation_callback_method", ["GET", "POST"] as const);
  const compliance = p.str("compliance_application_id") ?? p.str("compliance_id");
  return {
    app_id: appId,
    alias: alias === undefined ? undefined : alias === "" ? null : alias,
    sub_account: sub,
    cnam_lookup: cnamLookup,
    cnam: cnam === undefined ? undefined : cnam === "" ? null : cnam,
    cnam_callback_url: cnamCbUrl === undefined ? undefined : cnamCbUrl || null,
    cnam_callback_method: cnamCbMethod,
    profile_uuid: profileUuid,
    caller_reputation_status: reputation === undefined ? undefined : reputation === "enabled" ? "ACTIVE" : "NOT_ENROLLED",
    caller_reputation_callback_url: repCbUrl === undefined ? undefined : repCbUrl || null,
    caller_reputation_callback_method: repCbMethod,
    compliance_application_id: compliance,
  };
}

function register(api: FastifyInstance, ctx: Ctx): void {
  const numbers = ctx.backends.numbers;

  // "You can rent or search for numbers only under the main account" (docs/plivo-api.md §16.3)
  api.get("/PhoneNumber/", async (req, reply) => {
    requireMain(req, "searching the inventory (/PhoneNumber/)");
    const items = search(ctx, requestParams(req));
    const page = paginate(req, items);
    return send(reply, 200, { meta: page.meta, objects: page.objects.map((i) => inventoryObject(i, ctx.authId)) });
  });

  api.post("/PhoneNumber/:number/", async (req, reply) => {
    requireMain(req, "buying numbers (/PhoneNumber/)");
    const number = pathNumber(req);
    const p = requestParams(req);
    const appRaw = p.str("app_id");
    const opts: BuyOptions = {
      appId: appRaw && appRaw.toLowerCase() !== "none" ? appRaw : undefined,
      cnamLookup: p.enum("cnam_lookup", ["enabled", "disabled"] as const),
      haEnable: p.bool("ha_enable"),
      complianceApplicationId: p.str("compliance_application_id"),
    };
    const rec = numbers.buy(number, opts);
    return send(reply, 201, {
      message: "created",
      numbers: [{ number: rec.number, status: "Success" }],
      status: "fulfilled",
      ...(rec.fallback_number ? { fallback_number: rec.fallback_number } : {}),
    });
  });

  api.get("/Number/", async (req, reply) => {
    const caller = callerOf(req);
    const page = paginate(req, listNumbers(ctx, caller, requestParams(req)));
    return send(reply, 200, { meta: page.meta, objects: page.objects.map((n) => numberObject(ctx, caller, n)) });
  });

  api.get("/Number/:number/", async (req, reply) => {
    const caller = callerOf(req);
    const n = numbers.visible(caller, pathNumber(req));
    if (!n) throw notFound();
    return send(reply, 200, numberObject(ctx, caller, n));
  });

  api.post("/Number/:number/", async (req, reply) => {
    const n = numbers.visible(callerOf(req), pathNumber(req));
    if (!n) throw notFound();
    numbers.update(n.number, numberPatch(ctx, req, n, requestParams(req)));
    return send(reply, 202, { message: "changed" });
  });

  api.delete("/Number/:number/", async (req, reply) => {
    const number = pathNumber(req);
    if (!numbers.visible(callerOf(req), number)) throw notFound();
    const veto = ctx.hooks.check("number", ctx, number);
    if (veto) throw badRequest(veto);
    numbers.unrent(number);
    return sendEmpty(reply, 204);
  });
}

export default defineResource({
  name: "numbers",
  setup(ctx) {
    const numbers = new NumbersBackend(ctx);
    (ctx.backends as { numbers: NumbersBackend }).numbers = numbers;
    ctx.hooks.on("application.deleted", ({ app_id }) => {
      for (const n of numbers.numbers.filter((x) => x.app_id === app_id)) numbers.setApplication(n.number, null);
    });
    ctx.hooks.on("subaccount.deleted", ({ auth_id, cascade }) => numbers.subaccountDeleted(auth_id, cascade));
    ctx.hooks.guard("profile", (_ctx, uuid) => {
      const n = numbers.numbers.find((x) => x.profile_uuid === uuid);
      return n ? `profile is in use by number ${n.number}` : undefined;
    });
  },
  seed(ctx) {
    for (const item of generateInventory(ctx.seed)) ctx.backends.numbers.inventory.insert(item);
  },
  routes: register,
});
