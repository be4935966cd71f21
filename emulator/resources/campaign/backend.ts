/**
 * 10DLC Campaign backend (docs/plivo-api.md §8): records, the vetting lifecycle (PROCESSING → ACTIVE | FAILED, run
 * by the transition engine; EXPIRED after deactivation), updates (a FAILED campaign is resubmitted) and
 * deactivation.
 */
import type { Ctx } from "../../context";
import { defineLifecycle, type LifecycleHandler, type Via } from "../../engine/lifecycle";
import { badRequest, isoMicros, notFound } from "../../http";
import type { Table } from "../../store/table";
import { registryId } from "../brand/backend";

/** sub use cases (and the standard use cases) */
export const SUB_USECASES = [
  "2FA",
  "ACCOUNT_NOTIFICATION",
  "CUSTOMER_CARE",
  "DELIVERY_NOTIFICATION",
  "FRAUD_ALERT",
  "HIGHER_EDUCATION",
  "MARKETING",
  "POLLING_VOTING",
  "PUBLIC_SERVICE_ANNOUNCEMENT",
  "SECURITY_ALERT",
] as const;
export const USECASES = [...SUB_USECASES, "LOW_VOLUME", "MIXED", "STARTER"] as const;
export const WITH_SUB_USECASES: readonly string[] = ["MIXED", "LOW_VOLUME", "STARTER"];
export const CAMPAIGN_STATUSES = ["PROCESSING", "ACTIVE", "FAILED", "EXPIRED"] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];
export const CAMPAIGN_SOURCES = ["plivo", "shared"] as const;

export const ATTRIBUTES = [
  "embedded_link",
  "embedded_phone",
  "age_gated",
  "direct_lending",
  "subscriber_optin",
  "subscriber_optout",
  "subscriber_help",
  "affiliate_marketing",
] as const;
export type Attribute = (typeof ATTRIBUTES)[number];
export const MUST_BE_TRUE: readonly Attribute[] = ["subscriber_optin", "subscriber_optout", "subscriber_help"];

/** The fields `POST 10dlc/Campaign/{id}/` may change. */
export const UPDATABLE = [
  "campaign_alias",
  "description",
  "sample1",
  "sample2",
  "sample3",
  "sample4",
  "sample5",
  "message_flow",
  "help_message",
  "optout_message",
  "optout_keywords",
  "optin_message",
  "optin_keywords",
  "help_keywords",
  "terms_and_conditions_link",
  "privacy_policy_link",
  "reseller_id",
] as const;
export type Updatable = (typeof UPDATABLE)[number];

export const CAMPAIGN_CREATED_MESSAGE = "Request to create campaign was received and is being processed.";
export const DEFAULT_CAMPAIGN_ERROR = {
  error_code: "1001",
  error_reason: "Campaign rejected by the carriers",
  error_description: "The sample messages do not match the campaign description and use case.",
};
export const MNO_METADATA = {
  "AT&T": { tpm: 4500 },
  "T-Mobile": { brand_tier: "TOP" },
  "US Cellular": { tpm: 4500 },
  "Verizon Wireless": { tpm: 4500 },
};

export interface CampaignRecord {
  campaign_id: string;
  brand_id: string;
  campaign_alias: string;
  reseller_id: string;
  usecase: string;
  sub_usecases: string[];
  vertical: string;
  description: string;
  sample1: string;
  sample2: string;
  sample3: string;
  sample4: string;
  sample5: string;
  message_flow: string;
  help_message: string;
  help_keywords: string;
  optin_message: string;
  optin_keywords: string;
  optout_message: string;
  optout_keywords: string;
  terms_and_conditions_link: string;
  privacy_policy_link: string;
  attributes: Record<Attribute, boolean>;
  url: string | null;
  method: "GET" | "POST";
  registration_status: CampaignStatus;
  campaign_source: "plivo";
  error_code: string;
  error_reason: string;
  error_description: string;
  created_at: string;
}

declare module "../../context" {
  interface Backends {
    campaigns: CampaignBackend;
  }
  /** Listeners (the number-link backend) drop the campaign's links. */
  interface EmulatorEvents {
    /** a campaign was deactivated (DELETE) or expired (/__emulator/resolve expire) */
    "campaign.expired": { campaign_id: string };
  }
}

export const campaignLifecycle = defineLifecycle({
  kind: "campaign",
  statusField: "registration_status",
  pending: ["PROCESSING"],
  outcomes: { success: "ACTIVE", failure: "FAILED", expire: "EXPIRED" },
  resolvableFrom: { expire: ["ACTIVE", "FAILED"] },
});

export type CampaignInput = Omit<
  CampaignRecord,
  "campaign_id" | "registration_status" | "campaign_source" | "error_code" | "error_reason" | "error_description" | "created_at"
>;
export type CampaignPatch = Partial<Pick<CampaignRecord, Updatable>>;

export class CampaignBackend implements LifecycleHandler {
  readonly campaigns: Table<CampaignRecord>;

  constructor(private readonly ctx: Ctx) {
    this.campaigns = ctx.store.table<CampaignRecord>("campaigns", (c) => c.campaign_id);
    ctx.engine.register(campaignLifecycle, this);
  }

  get(id: string): CampaignRecord | undefined {
    return this.campaigns.get(id);
  }

  /**
   * Campaigns that still hold their brand: the active ones (ACTIVE, or PROCESSING: being vetted). Plivo allows
   * deleting a brand "with no associated active campaigns"; FAILED and EXPIRED ones do not count.
   */
  holdingBrand(brandId: string): string[] {
    return this.campaigns
      .filter((c) => c.brand_id === brandId && (c.registration_status === "ACTIVE" || c.registration_status === "PROCESSING"))
      .map((c) => c.campaign_id);
  }

  create(input: CampaignInput): CampaignRecord {
    const brand = this.ctx.backends.brands.get(input.brand_id);
    if (!brand) throw badRequest(`brand_id ${input.brand_id} is not a valid brand`);
    if (brand.registration_status !== "COMPLETED") {
      throw badRequest(
        `brand_id ${input.brand_id} is not registered (registration_status ${brand.registration_status}); campaigns can be created only under a COMPLETED brand`,
      );
    }
    if (input.usecase === "STARTER" && brand.brand_type !== "STARTER") throw badRequest("usecase STARTER is only allowed for STARTER brands");
    const rec = this.campaigns.insert({
      ...input,
      campaign_id: registryId("C", (id) => this.campaigns.has(id)),
      registration_status: "PROCESSING",
      campaign_source: "plivo",
      error_code: "",
      error_reason: "",
      error_description: "",
      created_at: isoMicros(this.ctx.now()),
    });
    this.callback(rec, "created");
    this.ctx.engine.submit(campaignLifecycle.kind, rec.campaign_id);
    return this.campaigns.get(rec.campaign_id)!;
  }

  read(id: string): void {
    this.ctx.engine.read(campaignLifecycle.kind, id);
  }

  /** Update the text fields: only while FAILED (a resubmission, vetted again) or PROCESSING (edited in place). */
  /** The state gate of updates: a 400 unless the campaign is FAILED or PROCESSING. */
  assertUpdatable(id: string): void {
    const cur = this.campaigns.get(id);
    if (!cur) throw notFound();
    if (cur.registration_status !== "FAILED" && cur.registration_status !== "PROCESSING") {
      throw badRequest(
        `Campaign ${id} cannot be updated: updates are only allowed while registration_status is FAILED or PROCESSING (it is ${cur.registration_status})`,
      );
    }
  }

  update(id: string, patch: CampaignPatch): CampaignRecord {
    this.assertUpdatable(id);
    const c = this.campaigns.edit(id)!;
    for (const [k, v] of Object.entries(patch)) if (v !== undefined) (c as unknown as Record<string, unknown>)[k] = v;
    if (c.registration_status === "FAILED") {
      c.registration_status = "PROCESSING";
      c.error_code = c.error_reason = c.error_description = "";
      this.callback(c, "created");
      this.ctx.engine.submit(campaignLifecycle.kind, id);
    } else {
      this.ctx.record({ action: "update", resource: "campaign", id });
    }
    return this.campaigns.get(id)!;
  }

  /** Deactivate: EXPIRED (still readable); refused while a number is being linked or unlinked. Idempotent. */
  deactivate(id: string): void {
    const c = this.campaigns.get(id);
    if (!c) throw notFound();
    if (c.registration_status === "EXPIRED") return;
    const busy = this.ctx.backends.campaignNumbers?.busyNumbers(id) ?? [];
    if (busy.length) {
      throw badRequest(
        `Campaign ${id} cannot be deactivated while numbers are in PROCESSING status (${busy.join(", ")}); wait until linking/unlinking completes`,
      );
    }
    this.expire(id);
    this.ctx.record({ action: "deactivate", resource: "campaign", id });
  }

  private expire(id: string): void {
    this.campaigns.edit(id)!.registration_status = "EXPIRED";
    this.ctx.engine.cancel(campaignLifecycle.kind, id);
    this.ctx.hooks.emit("campaign.expired", { campaign_id: id });
  }

  status(id: string): string | undefined {
    return this.campaigns.get(id)?.registration_status;
  }

  apply(id: string, outcome: string, reason: string | undefined, _via: Via): string {
    const cur = this.campaigns.get(id);
    if (!cur) throw notFound(`campaign ${id} not found`);
    if (outcome === "expire") {
      if (cur.registration_status === "EXPIRED") throw badRequest(`campaign ${id} is already EXPIRED`);
      this.expire(id);
      return "EXPIRED";
    }
    if (cur.registration_status !== "PROCESSING") return cur.registration_status;
    const c = this.campaigns.edit(id)!;
    if (outcome === "success") {
      c.registration_status = "ACTIVE";
      c.error_code = c.error_reason = c.error_description = "";
      this.callback(c, "registered");
    } else {
      c.registration_status = "FAILED";
      c.error_code = DEFAULT_CAMPAIGN_ERROR.error_code;
      c.error_reason = DEFAULT_CAMPAIGN_ERROR.error_reason;
      c.error_description = reason ?? DEFAULT_CAMPAIGN_ERROR.error_description;
      this.callback(c, "rejected");
    }
    return c.registration_status;
  }

  private callback(c: CampaignRecord, status: string): void {
    this.ctx.callbacks.send({
      resource: "campaign",
      id: c.campaign_id,
      status,
      url: c.url,
      method: c.method,
      payload: {
        event: "campaign",
        status,
        campaign_id: c.campaign_id,
        brand_id: c.brand_id,
        campaign_alias: c.campaign_alias,
        registration_status: c.registration_status,
        ...(status === "rejected" ? { error_code: c.error_code, error_reason: c.error_reason, error_description: c.error_description } : {}),
      },
    });
  }
}
