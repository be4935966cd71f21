/**
 * 10DLC Brand backend (docs/plivo-api.md §7): records, the registration lifecycle (PROCESSING → COMPLETED | FAILED,
 * run by the transition engine) and deletion. The brand copies the profile's business data at registration (later
 * profile edits do not propagate). A profile backs one brand; a profile with a brand cannot be deleted.
 */
import { randomBytes } from "node:crypto";
import type { Ctx } from "../../context";
import { defineLifecycle, type LifecycleHandler, type Via } from "../../engine/lifecycle";
import { badRequest, isoMicros, notFound } from "../../http";
import type { Table } from "../../store/table";
import type { Address, AuthorizedContact, ProfileRecord } from "../profile/backend";

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

declare module "../../context" {
  interface Backends {
    brands: BrandBackend;
  }
}

export const brandLifecycle = defineLifecycle({
  kind: "brand",
  statusField: "registration_status",
  pending: ["PROCESSING"],
  outcomes: { success: "COMPLETED", failure: "FAILED" },
});

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

export type BrandInput = Pick<BrandRecord, "brand_alias" | "brand_type" | "profile_uuid" | "secondary_vetting" | "url" | "method"> & {
  business_contact_email?: string;
};

export class BrandBackend implements LifecycleHandler {
  readonly brands: Table<BrandRecord>;

  constructor(private readonly ctx: Ctx) {
    this.brands = ctx.store.table<BrandRecord>("brands", (b) => b.brand_id);
    ctx.engine.register(brandLifecycle, this);
  }

  get(id: string): BrandRecord | undefined {
    return this.brands.get(id);
  }

  byProfile(profileUuid: string): BrandRecord | undefined {
    return this.brands.find((b) => b.profile_uuid === profileUuid);
  }

  /** Register a brand: validated against its profile, then PROCESSING until the engine decides. */
  register(input: BrandInput, profile: ProfileRecord): BrandRecord {
    const other = this.byProfile(profile.profile_uuid);
    if (other) throw badRequest(`profile_uuid: The profile should not have been used to create another brand (used by brand ${other.brand_id})`);
    if (input.brand_type === "STARTER") throw badRequest(STARTER_PAUSED_MESSAGE);
    if (!profile.ein) throw badRequest("brand_type STANDARD is not allowed for profiles not containing an EIN");
    const rec = this.brands.insert({
      brand_id: registryId("B", (id) => this.brands.has(id)),
      brand_alias: input.brand_alias,
      brand_type: input.brand_type,
      profile_uuid: profile.profile_uuid,
      secondary_vetting: input.secondary_vetting,
      url: input.url,
      method: input.method,
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
      business_contact_email: input.business_contact_email ?? profile.business_contact_email ?? "",
      registration_status: "PROCESSING",
      vetting_status: null,
      vetting_score: null,
      declined_reasons: [],
      created_at: isoMicros(this.ctx.now()),
    });
    this.callback(rec, "created");
    this.ctx.engine.submit(brandLifecycle.kind, rec.brand_id);
    return this.brands.get(rec.brand_id)!;
  }

  /** Count a read (GET of the brand or a list showing it): the engine may settle it. */
  read(id: string): void {
    this.ctx.engine.read(brandLifecycle.kind, id);
  }

  status(id: string): string | undefined {
    return this.brands.get(id)?.registration_status;
  }

  apply(id: string, outcome: string, reason: string | undefined, _via: Via): string {
    const b = this.brands.edit(id);
    if (!b) throw notFound(`brand ${id} not found`);
    if (b.registration_status !== "PROCESSING") return b.registration_status;
    if (outcome === "success") {
      b.registration_status = "COMPLETED";
      b.vetting_status = b.secondary_vetting ? "ACTIVE" : null;
      b.vetting_score = b.secondary_vetting ? 80 : null;
      b.declined_reasons = [];
      this.callback(b, "registered");
    } else {
      b.registration_status = "FAILED";
      b.declined_reasons = [reason ? { code: DEFAULT_BRAND_DECLINE.code, message: reason } : { ...DEFAULT_BRAND_DECLINE }];
      this.callback(b, "rejected");
    }
    return b.registration_status;
  }

  /** Deactivate (delete) a brand; refused while it has campaigns that still hold it. */
  delete(id: string): void {
    const b = this.brands.get(id);
    if (!b) throw notFound();
    const holding = this.ctx.backends.campaigns?.holdingBrand(id) ?? [];
    if (holding.length) {
      throw badRequest(`Brand ${id} cannot be deleted: it has active campaigns (${holding.join(", ")}). Deactivate them first.`);
    }
    this.brands.delete(id);
    this.ctx.engine.cancel(brandLifecycle.kind, id);
    this.ctx.record({ action: "deactivate", resource: "brand", id });
  }

  private callback(b: BrandRecord, status: string): void {
    this.ctx.callbacks.send({
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
}
