/** Business profile backend: records and operations (docs/plivo-api.md §6). */
import type { Ctx } from "../../context";
import { badRequest, isoMicros, notFound, uuid } from "../../http";
import type { Table } from "../../store/table";

export const CUSTOMER_TYPES = ["DIRECT", "RESELLER"] as const;
/** input vocabulary */
export const ENTITY_TYPES = ["PRIVATE", "PUBLIC", "NON_PROFIT", "GOVERNMENT", "INDIVIDUAL"] as const;
/** what Plivo reads back (TCR vocabulary): PRIVATE→PRIVATE_PROFIT, PUBLIC→PUBLIC_PROFIT */
export const ENTITY_READBACK: Record<string, string> = {
  PRIVATE: "PRIVATE_PROFIT",
  PUBLIC: "PUBLIC_PROFIT",
  PRIVATE_PROFIT: "PRIVATE_PROFIT",
  PUBLIC_PROFIT: "PUBLIC_PROFIT",
  NON_PROFIT: "NON_PROFIT",
  GOVERNMENT: "GOVERNMENT",
  INDIVIDUAL: "INDIVIDUAL",
};
export const VERTICALS = [
  "PROFESSIONAL",
  "REAL_ESTATE",
  "HEALTHCARE",
  "HUMAN_RESOURCES",
  "ENERGY",
  "ENTERTAINMENT",
  "RETAIL",
  "TRANSPORTATION",
  "AGRICULTURE",
  "INSURANCE",
  "POSTAL",
  "EDUCATION",
  "HOSPITALITY",
  "FINANCIAL",
  "POLITICAL",
  "GAMBLING",
  "LEGAL",
  "CONSTRUCTION",
  "NGO",
  "MANUFACTURING",
  "GOVERNMENT",
  "TECHNOLOGY",
  "COMMUNICATION",
] as const;
export const SENIORITIES = ["DIRECTOR", "GM", "VP", "CEO", "CFO", "GENERAL_COUNSEL", "OTHER"] as const;
export const STOCK_EXCHANGES = [
  "NASDAQ",
  "NYSE",
  "AMEX",
  "AMX",
  "ASX",
  "B3",
  "BME",
  "BSE",
  "FRA",
  "ICEX",
  "JPX",
  "JSE",
  "KRX",
  "LON",
  "NSE",
  "OMX",
  "SEHK",
  "SGX",
  "SSE",
  "STO",
  "SWX",
  "SZSE",
  "TSX",
  "TWSE",
  "VSE",
  "OTHER",
] as const;
export const ALT_ID_TYPES = ["DUNS", "LEI", "GIIN", "NONE"] as const;

export interface Address {
  street: string;
  city: string;
  state: string;
  postal_code: string;
  country: string;
}

export interface AuthorizedContact {
  first_name: string;
  last_name: string;
  email: string;
  title: string;
  seniority: string;
  phone: string;
}

export interface ProfileRecord {
  profile_uuid: string;
  profile_type: "PRIMARY" | "SECONDARY";
  primary_profile: string;
  profile_alias: string;
  customer_type: string;
  /** stored in read-back form (PRIVATE_PROFIT, PUBLIC_PROFIT, …) */
  entity_type: string;
  company_name: string;
  vertical: string;
  ein: string;
  ein_issuing_country: string;
  address: Address;
  authorized_contact: AuthorizedContact;
  stock_symbol: string;
  stock_exchange: string;
  alt_business_id: string;
  alt_business_id_type: string;
  website: string;
  plivo_subaccount: string;
  business_contact_email: string;
  doing_business_as: string;
  created_at: string;
}

declare module "../../context" {
  interface Backends {
    profiles: ProfileBackend;
  }
}

export type ProfileInput = Omit<ProfileRecord, "profile_uuid" | "profile_type" | "primary_profile" | "created_at">;

export class ProfileBackend {
  readonly profiles: Table<ProfileRecord>;

  constructor(private readonly ctx: Ctx) {
    this.profiles = ctx.store.table<ProfileRecord>("profiles", (p) => p.profile_uuid);
  }

  get(id: string): ProfileRecord | undefined {
    return this.profiles.get(id);
  }

  primary(): ProfileRecord | undefined {
    return this.profiles.find((p) => p.profile_type === "PRIMARY");
  }

  create(input: ProfileInput): ProfileRecord {
    const rec = this.profiles.insert({
      ...input,
      profile_uuid: uuid(),
      profile_type: "SECONDARY",
      primary_profile: this.primary()?.profile_uuid ?? "",
      created_at: isoMicros(this.ctx.now()),
    });
    this.ctx.record({ action: "create", resource: "Profile", id: rec.profile_uuid });
    return rec;
  }

  update(id: string, patch: Partial<ProfileInput>): ProfileRecord {
    const rec = this.profiles.edit(id);
    if (!rec) throw notFound();
    for (const [k, v] of Object.entries(patch)) if (v !== undefined) (rec as unknown as Record<string, unknown>)[k] = v;
    this.ctx.record({ action: "update", resource: "Profile", id });
    return rec;
  }

  delete(id: string): void {
    const rec = this.profiles.get(id);
    if (!rec) throw notFound();
    if (rec.profile_type === "PRIMARY") throw badRequest("You cannot delete the primary profile of an account.");
    const veto = this.ctx.hooks.check("profile", this.ctx, id);
    if (veto) throw badRequest(veto);
    this.profiles.delete(id);
    this.ctx.record({ action: "delete", resource: "Profile", id });
  }

  /** The account's PRIMARY profile, part of every fresh state. */
  seedPrimary(): void {
    const id = uuid();
    this.profiles.insert({
      profile_uuid: id,
      profile_type: "PRIMARY",
      primary_profile: id,
      profile_alias: "primary",
      customer_type: "DIRECT",
      entity_type: "PRIVATE_PROFIT",
      company_name: "Emulator Account Inc.",
      vertical: "TECHNOLOGY",
      ein: "123456789",
      ein_issuing_country: "US",
      address: { street: "1 Emulator Way", city: "San Francisco", state: "CA", postal_code: "94105", country: "US" },
      authorized_contact: { first_name: "Ada", last_name: "Operator", email: "owner@example.com", title: "Owner", seniority: "CEO", phone: "14155550100" },
      stock_symbol: "",
      stock_exchange: "",
      alt_business_id: "",
      alt_business_id_type: "NONE",
      website: "https://example.com",
      plivo_subaccount: "",
      business_contact_email: "owner@example.com",
      doing_business_as: "",
      created_at: isoMicros(this.ctx.now()),
    });
  }
}
