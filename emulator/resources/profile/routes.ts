/**
 * Business profile routes: `/Profile/` (create 200 `{profile_uuid}`, get `{profile}`, list key `profiles`, partial
 * update 200 `{profile}`, delete 200) — docs/plivo-api.md §6.
 */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { Ctx } from "../../context";
import { badRequest, notFound, paginate, requestParams, send, type Params, type Raw } from "../../http";
import { PathId, pathParams } from "../../schemas";
import { defineResource } from "../registry";
import {
  ALT_ID_TYPES,
  CUSTOMER_TYPES,
  ENTITY_READBACK,
  ENTITY_TYPES,
  ProfileBackend,
  SENIORITIES,
  STOCK_EXCHANGES,
  VERTICALS,
  type Address,
  type AuthorizedContact,
  type ProfileRecord,
} from "./backend";

const ProfilePath = z.object({ uuid: PathId });

const UPDATE_PARAMS = [
  "entity_type",
  "company_name",
  "vertical",
  "address",
  "authorized_contact",
  "website",
  "plivo_subaccount",
  "ein",
  "ein_issuing_country",
  "alt_business_id",
  "alt_business_id_type",
  "business_contact_email",
  "doing_business_as",
] as const;

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function profileObject(p: ProfileRecord): Record<string, unknown> {
  return {
    address: { ...p.address },
    alt_business_id: p.alt_business_id,
    alt_business_id_type: p.alt_business_id_type,
    authorized_contact: { ...p.authorized_contact },
    business_contact_email: p.business_contact_email,
    company_name: p.company_name,
    created_at: p.created_at,
    customer_type: p.customer_type,
    doing_business_as: p.doing_business_as,
    ein: p.ein,
    ein_issuing_country: p.ein_issuing_country,
    entity_type: p.entity_type,
    plivo_subaccount: p.plivo_subaccount,
    primary_profile: p.primary_profile,
    profile_alias: p.profile_alias,
    profile_type: p.profile_type,
    profile_uuid: p.profile_uuid,
    stock_exchange: p.stock_exchange,
    stock_symbol: p.stock_symbol,
    vertical: p.vertical,
    website: p.website,
  };
}

function subStr(obj: Raw, key: string, at: string, opts: { required?: boolean; max?: number } = {}): string | undefined {
  const v = obj[key];
  if (v === undefined || v === null || v === "") {
    if (opts.required) throw badRequest(`${at}.${key} parameter is missing`);
    return undefined;
  }
  if (typeof v !== "string" && typeof v !== "number") throw badRequest(`${at}.${key} must be a string`);
  const s = String(v);
  if (opts.max !== undefined && s.length > opts.max) throw badRequest(`${at}.${key} must be at most ${opts.max} characters`);
  return s;
}

function parseAddress(raw: Raw, base?: Address): Address {
  const a: Address = {
    street: subStr(raw, "street", "address", { required: !base, max: 100 }) ?? base?.street ?? "",
    city: subStr(raw, "city", "address", { required: !base, max: 100 }) ?? base?.city ?? "",
    state: subStr(raw, "state", "address", { required: !base, max: 20 }) ?? base?.state ?? "",
    postal_code: subStr(raw, "postal_code", "address", { required: !base, max: 10 }) ?? base?.postal_code ?? "",
    country: (subStr(raw, "country", "address", { required: !base, max: 2 }) ?? base?.country ?? "").toUpperCase(),
  };
  if (!/^[A-Z]{2}$/.test(a.country)) throw badRequest("address.country must be an ISO 3166 alpha-2 country code");
  return a;
}

function parseContact(raw: Raw, base?: AuthorizedContact): AuthorizedContact {
  const c: AuthorizedContact = {
    first_name: subStr(raw, "first_name", "authorized_contact", { required: !base }) ?? base?.first_name ?? "",
    last_name: subStr(raw, "last_name", "authorized_contact", { required: !base }) ?? base?.last_name ?? "",
    email: subStr(raw, "email", "authorized_contact", { required: !base, max: 100 }) ?? base?.email ?? "",
    title: subStr(raw, "title", "authorized_contact") ?? base?.title ?? "",
    seniority: base?.seniority ?? "",
    phone: subStr(raw, "phone", "authorized_contact", { max: 16 }) ?? base?.phone ?? "",
  };
  // Plivo lists DIRECTOR, GM, VP, CEO, CFO, GENERAL_COUNSEL, OTHER, but records free text ("admin", "Mr."):
  // a listed value is returned upper case, anything else as given (docs/plivo-api.md §6.2).
  const sen = subStr(raw, "seniority", "authorized_contact", { max: 100 });
  if (sen !== undefined) c.seniority = SENIORITIES.find((s) => s === sen.trim().toUpperCase()) ?? sen.trim();
  if (!EMAIL_RE.test(c.email)) throw badRequest("authorized_contact.email is not a valid email address");
  if (c.phone && !/^\+?\d{6,15}$/.test(c.phone)) throw badRequest("authorized_contact.phone must be in E.164 format");
  return c;
}

function entityType(p: Params, required: boolean): string | undefined {
  const v = p.enum("entity_type", [...ENTITY_TYPES, "PRIVATE_PROFIT", "PUBLIC_PROFIT"] as const, { required });
  return v === undefined ? undefined : ENTITY_READBACK[v];
}

function optional(p: Params, name: string, max: number): string | undefined {
  return p.str(name, { max });
}

function email(p: Params, name: string): string | undefined {
  const v = p.str(name, { max: 255 });
  if (v !== undefined && !EMAIL_RE.test(v)) throw badRequest(`${name} is not a valid email address`);
  return v;
}

function country2(p: Params, name: string): string | undefined {
  const v = p.str(name);
  if (v === undefined) return undefined;
  if (!/^[A-Za-z]{2}$/.test(v)) throw badRequest(`${name} must be an ISO 3166 alpha-2 country code`);
  return v.toUpperCase();
}

function register(api: FastifyInstance, ctx: Ctx): void {
  const profiles = ctx.backends.profiles;

  api.post("/Profile/", async (req, reply) => {
    const p = requestParams(req);
    const alias = p.str("profile_alias", { required: true, max: 100 });
    const customerType = p.enum("customer_type", CUSTOMER_TYPES, { required: true });
    const entity = entityType(p, true) as string;
    const company = p.str("company_name", { required: true, max: 100 });
    const vertical = p.enum("vertical", VERTICALS, { required: true });
    const address = parseAddress(p.obj("address", { required: true }) as Raw);
    const contact = parseContact(p.obj("authorized_contact", { required: true }) as Raw);
    const stockSymbol = p.str("stock_symbol", { max: 10 });
    const stockExchange = p.enum("stock_exchange", STOCK_EXCHANGES);
    if (entity === "PUBLIC_PROFIT") {
      if (!stockSymbol) throw badRequest("stock_symbol is required when entity_type is PUBLIC");
      if (!stockExchange) throw badRequest("stock_exchange is required when entity_type is PUBLIC");
    }
    const rec = profiles.create({
      profile_alias: alias,
      customer_type: customerType,
      entity_type: entity,
      company_name: company,
      vertical,
      ein: optional(p, "ein", 100) ?? "",
      ein_issuing_country: country2(p, "ein_issuing_country") ?? "",
      address,
      authorized_contact: contact,
      stock_symbol: stockSymbol ?? "",
      stock_exchange: stockExchange ?? "",
      alt_business_id: optional(p, "alt_business_id", 50) ?? "",
      alt_business_id_type: p.enum("alt_business_id_type", ALT_ID_TYPES) ?? "NONE",
      website: optional(p, "website", 100) ?? "",
      plivo_subaccount: optional(p, "plivo_subaccount", 20) ?? "",
      business_contact_email: email(p, "business_contact_email") ?? "",
      doing_business_as: optional(p, "doing_business_as", 100) ?? "",
    });
    return send(reply, 200, { message: "Profile created successfully.", profile_uuid: rec.profile_uuid });
  });

  api.get("/Profile/", async (req, reply) => {
    const p = requestParams(req);
    const entity = entityType(p, false);
    const type = p.enum("type", ["PRIMARY", "SECONDARY"] as const);
    const vertical = p.enum("vertical", VERTICALS);
    const items = profiles.profiles.filter(
      (x) =>
        (entity === undefined || x.entity_type === entity) &&
        (type === undefined || x.profile_type === type) &&
        (vertical === undefined || x.vertical === vertical),
    );
    // the documented Profile list meta has no total_count
    const page = paginate(req, items, { totalCount: false });
    return send(reply, 200, { meta: page.meta, profiles: page.objects.map(profileObject) });
  });

  api.get("/Profile/:uuid/", async (req, reply) => {
    const rec = profiles.get(pathParams(ProfilePath, req).uuid);
    if (!rec) throw notFound();
    return send(reply, 200, { profile: profileObject(rec) });
  });

  api.post("/Profile/:uuid/", async (req, reply) => {
    const rec = profiles.get(pathParams(ProfilePath, req).uuid);
    if (!rec) throw notFound();
    const p = requestParams(req);
    p.rejectUnknown(UPDATE_PARAMS);
    if (p.keys().length === 0) throw badRequest(`provide at least one of: ${UPDATE_PARAMS.join(", ")}`);
    const entity = entityType(p, false);
    if (entity === "PUBLIC_PROFIT" && (!rec.stock_symbol || !rec.stock_exchange)) {
      throw badRequest("entity_type PUBLIC requires stock_symbol and stock_exchange, which cannot be updated");
    }
    const addressRaw = p.obj("address");
    const contactRaw = p.obj("authorized_contact");
    const next = profiles.update(rec.profile_uuid, {
      entity_type: entity,
      company_name: p.str("company_name", { max: 100 }),
      vertical: p.enum("vertical", VERTICALS),
      address: addressRaw ? parseAddress(addressRaw, rec.address) : undefined,
      authorized_contact: contactRaw ? parseContact(contactRaw, rec.authorized_contact) : undefined,
      website: p.has("website") ? p.strOrEmpty("website", 100) : undefined,
      plivo_subaccount: p.has("plivo_subaccount") ? p.strOrEmpty("plivo_subaccount", 20) : undefined,
      ein: p.has("ein") ? p.strOrEmpty("ein", 100) : undefined,
      ein_issuing_country: country2(p, "ein_issuing_country"),
      alt_business_id: p.has("alt_business_id") ? p.strOrEmpty("alt_business_id", 50) : undefined,
      alt_business_id_type: p.enum("alt_business_id_type", ALT_ID_TYPES),
      business_contact_email: email(p, "business_contact_email"),
      doing_business_as: p.has("doing_business_as") ? p.strOrEmpty("doing_business_as", 100) : undefined,
    });
    return send(reply, 200, { profile: profileObject(next) });
  });

  api.delete("/Profile/:uuid/", async (req, reply) => {
    const { uuid } = pathParams(ProfilePath, req);
    profiles.delete(uuid);
    return send(reply, 200, { message: "Profile deleted successfully." });
  });
}

export default defineResource({
  name: "profile",
  mainOnly: "business profiles (/Profile/)",
  setup(ctx) {
    (ctx.backends as { profiles: ProfileBackend }).profiles = new ProfileBackend(ctx);
  },
  seed(ctx) {
    ctx.backends.profiles.seedPrimary();
  },
  routes: register,
});
