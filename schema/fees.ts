/**
 * The US 10DLC fees that no Plivo API serves (docs/plivo-api.md §19, docs/cost.md): what a cost estimate charges for a
 * brand registration, a campaign's vetting and a campaign's monthly fee. Numbers are priced from the account instead
 * (the Pricing API and the search results), never from here.
 *
 * Source: Plivo's 10DLC API overview ("Each 10DLC brand registration will cost a one-time fee of $4. Each campaign
 * will cost $2 per month. Additionally, each campaign needs to be vetted, resulting in a one-time fee of $15.") and
 * the campaign update reference ("updating a campaign submits it for another vetting review with the carriers at a
 * cost of $15"), as read on 2026-12-07. Plivo documents one monthly amount for every use case; the carriers' fees
 * really vary by use case, so the table is kept per use case and a stack overrides it (`plivo:fees`, docs/cost.md).
 * Not included: T-Mobile's $50 activation and $250 non-use fees (when they are charged is not documented).
 */

export const FEES_SOURCE = "Plivo 10DLC API overview and campaign update reference, read 2026-12-07";

/** The use cases a campaign may declare (schema/campaign.ts). */
export const CAMPAIGN_USECASES = [
  "2FA",
  "ACCOUNT_NOTIFICATION",
  "CUSTOMER_CARE",
  "DELIVERY_NOTIFICATION",
  "FRAUD_ALERT",
  "HIGHER_EDUCATION",
  "LOW_VOLUME",
  "MARKETING",
  "MIXED",
  "POLLING_VOTING",
  "PUBLIC_SERVICE_ANNOUNCEMENT",
  "SECURITY_ALERT",
  "STARTER",
] as const;

export interface TenDlcFees {
  /** One-time, at each brand submission. */
  readonly brandRegistration: string;
  /** One-time, at each campaign submission: creation, and the update that resubmits a FAILED campaign. */
  readonly campaignVetting: string;
  /** Monthly, per use case, while the campaign is PROCESSING or ACTIVE; the first month is paid at creation. */
  readonly campaignMonthly: Readonly<Record<string, string>>;
}

/** Amounts in USD as decimal strings. */
export const TENDLC_FEES: TenDlcFees = Object.freeze({
  brandRegistration: "4.00",
  campaignVetting: "15.00",
  campaignMonthly: Object.freeze(Object.fromEntries(CAMPAIGN_USECASES.map((u) => [u, "2.00"]))),
});
