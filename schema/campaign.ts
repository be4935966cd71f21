/**
 * Campaign: a 10DLC campaign under a brand (docs/plivo-api.md §8). Text fields can be edited only while the campaign
 * is FAILED (or PROCESSING); registry attributes never change, so they replace.
 */
import { f } from "./fields";
import { BRAND_ID, CAMPAIGN_ID } from "./ids";
import { VERTICALS } from "./profile";
import { US_USECASES, callbackInputs, waitInputs } from "./registration";
import { defineResource, fail, ref } from "./resource";

const USECASES = [...US_USECASES, "LOW_VOLUME", "MIXED", "STARTER"] as const;
const WITH_SUB_USECASES = ["MIXED", "LOW_VOLUME", "STARTER"];

/** Well-known public URL shorteners. */
const PUBLIC_SHORTENER = /\b(bit\.ly|tinyurl\.com|goo\.gl|t\.co|ow\.ly|is\.gd|buff\.ly|rebrand\.ly|cutt\.ly|shorturl\.at|tiny\.cc)\//i;

const keywords = (wire: string, description: string) =>
  f.string({
    wire,
    pattern: /^[A-Za-z0-9]+(,[A-Za-z0-9]+)*$/,
    patternText: "must be a comma-separated list of single words without spaces or special characters",
    normalize: (v) =>
      typeof v === "string"
        ? v
            .split(",")
            .map((k) => k.trim().toUpperCase())
            .filter(Boolean)
            .join(",")
        : v,
    description,
  });

/** The eight registry attributes; Plivo folds them into `campaign_attributes` in responses. Five must be declared. */
const attribute = (wire: string, description: string) =>
  f.boolean({ wire, readWire: `campaign_attributes.${wire}`, onChange: "replace", required: true, description });

/** The three attributes carriers require to be true: default true (the rules refuse false). */
const requiredTrueAttribute = (wire: string, description: string) =>
  f.boolean({ wire, readWire: `campaign_attributes.${wire}`, onChange: "replace", default: true, description });

export const campaignSchema = defineResource({
  type: "Campaign",
  description:
    "A 10DLC campaign. Submission costs a vetting fee and approval takes days to weeks: by default create returns once Plivo accepted it; set waitUntil ACTIVE to wait for approval.",
  deletion: "Deactivates the campaign: Plivo keeps it, EXPIRED, and it never becomes active again (a new campaign is vetted and billed again).",
  idDescription: "the campaign id (C + 6 characters, e.g. CVWMV6V)",
  idField: "campaignId",
  idFormat: CAMPAIGN_ID,
  lifecycle: {
    noun: "campaign",
    goal: "become ACTIVE",
    statusField: "registrationStatus",
    pending: ["PROCESSING"],
    success: "ACTIVE",
    failures: { FAILED: "Fix the text fields and run up again: the campaign is resubmitted in place (vetted and billed again)" },
    // A deactivated campaign is gone for good: refresh drops it and the next up submits a new one.
    gone: ["EXPIRED"],
    editableIn: ["FAILED", "PROCESSING"],
    editAdvice: () =>
      "Plivo accepts edits only while a campaign is FAILED (or PROCESSING). Revert the change, or deactivate this campaign " +
      "and declare a new one (a new campaign is vetted and billed again, and its numbers must be relinked).",
    reason: (o) => [o.errorCode, o.errorReason, o.errorDescription].filter(Boolean).join(" — ") || undefined,
  },
  example: {
    name: "order-updates",
    inputs: {
      brandId: ref("acme-brand.id"),
      campaignAlias: "order-updates",
      vertical: "RETAIL",
      usecase: "MIXED",
      subUsecases: ["CUSTOMER_CARE", "DELIVERY_NOTIFICATION"],
      description: "Order confirmations and delivery updates for customers of the Acme online store.",
      sample1: "Acme: your order 1234 has shipped and arrives on Tuesday.",
      sample2: "Acme: your order 1234 was delivered. Reply HELP for help, STOP to opt out.",
      messageFlow: "Customers opt in at checkout on acme.example.com by ticking the box for SMS order updates.",
      helpMessage: "Acme order updates: help at acme.example.com/help. Reply STOP to opt out.",
      optoutMessage: "Acme: you are unsubscribed from order updates and will receive no more messages.",
      optoutKeywords: "STOP,UNSUBSCRIBE",
      helpKeywords: "HELP,INFO",
      embeddedLink: false,
      embeddedPhone: false,
      ageGated: false,
      directLending: false,
      affiliateMarketing: false,
    },
  },
  inputs: {
    brandId: f.id(BRAND_ID, {
      wire: "brand_id",
      required: true,
      onChange: "replace",
      min: 1,
      description: "Brand the campaign belongs to (must be COMPLETED).",
    }),
    campaignAlias: f.string({ wire: "campaign_alias", required: true, min: 1, max: 100, description: "Friendly name." }),
    vertical: f.enum(VERTICALS, { wire: "vertical", required: true, onChange: "replace", description: "Industry." }),
    usecase: f.enum(USECASES, { wire: "usecase", required: true, onChange: "replace", description: "Use case." }),
    subUsecases: f.stringSet({
      wire: "sub_usecases",
      readWire: "sub_usecase",
      values: US_USECASES,
      minItems: 2,
      maxItems: 5,
      onChange: "replace",
      toWire: (v) => v,
      description: "2 to 5 sub use cases; only for MIXED and LOW_VOLUME use cases.",
    }),
    description: f.string({ wire: "description", required: true, min: 40, max: 4096, description: "What the campaign sends (at least 40 characters)." }),
    sample1: f.string({ wire: "sample1", required: true, min: 20, max: 1024, description: "Sample message (at least 20 characters)." }),
    sample2: f.string({ wire: "sample2", required: true, min: 20, max: 1024, description: "Sample message (at least 20 characters)." }),
    sample3: f.string({ wire: "sample3", min: 20, max: 1024, clearValue: "", description: "Optional sample message." }),
    sample4: f.string({ wire: "sample4", min: 20, max: 1024, clearValue: "", description: "Optional sample message." }),
    sample5: f.string({ wire: "sample5", min: 20, max: 1024, clearValue: "", description: "Optional sample message." }),
    messageFlow: f.string({ wire: "message_flow", required: true, min: 40, max: 2048, description: "How subscribers opt in (at least 40 characters)." }),
    helpMessage: f.string({ wire: "help_message", required: true, min: 20, max: 255, description: "Reply to HELP (at least 20 characters)." }),
    optoutMessage: f.string({ wire: "optout_message", required: true, min: 20, max: 255, description: "Reply to STOP (at least 20 characters)." }),
    optinMessage: f.string({ wire: "optin_message", min: 20, max: 255, clearValue: "", description: "Opt-in confirmation (at least 20 characters)." }),
    optinKeywords: keywords("optin_keywords", "Opt-in keywords, comma separated."),
    optoutKeywords: keywords("optout_keywords", "Opt-out keywords, comma separated."),
    helpKeywords: keywords("help_keywords", "Help keywords, comma separated (upper case)."),
    termsAndConditionsLink: f.url({ wire: "terms_and_conditions_link", clearValue: "", description: "Terms and conditions URL." }),
    privacyPolicyLink: f.url({ wire: "privacy_policy_link", clearValue: "", description: "Privacy policy URL." }),
    embeddedLink: attribute("embedded_link", "Messages contain links (no public URL shorteners)."),
    embeddedPhone: attribute("embedded_phone", "Messages contain phone numbers."),
    ageGated: attribute("age_gated", "Age-gated content."),
    directLending: attribute("direct_lending", "Direct lending or loan arrangement."),
    affiliateMarketing: attribute("affiliate_marketing", "Affiliate marketing."),
    subscriberOptin: requiredTrueAttribute("subscriber_optin", "Subscribers opt in (must be true)."),
    subscriberOptout: requiredTrueAttribute("subscriber_optout", "Subscribers can opt out (must be true)."),
    subscriberHelp: requiredTrueAttribute("subscriber_help", "Subscribers can ask for help (must be true)."),
    ...callbackInputs("replace"),
    ...waitInputs("ACTIVE", "SUBMITTED", 3600, "approved by the carriers, usually days to weeks"),
  },
  outputs: {
    campaignId: f.output("campaign_id", "The campaign id."),
    registrationStatus: f.output("registration_status", "PROCESSING, ACTIVE, FAILED or EXPIRED."),
    errorCode: f.output("error_code", "Why registration failed: code."),
    errorReason: f.output("error_reason", "Why registration failed: reason."),
    errorDescription: f.output("error_description", "Why registration failed: description."),
    campaignSource: f.output("campaign_source", "plivo or shared."),
    createdAt: f.output("created_at", "Creation time."),
  },
  consequences: {
    // docs/plivo-api.md §8.6 (fees), §8.3 (a resubmission is vetted and billed again), §8.5 (deactivation).
    // The amounts are the fee table's (schema/fees.ts), stated by provider/cost/estimate.ts.
    create: "submits a 10DLC campaign for carrier vetting: a vetting fee, then a monthly campaign fee",
    update: "resubmits campaign {id} for carrier vetting when it is FAILED (billed again)",
    delete: "deactivates campaign {id}, which cannot be undone (it stays EXPIRED and its numbers must be linked to another campaign)",
  },
  rules: [
    {
      reads: ["subscriberOptin", "subscriberOptout", "subscriberHelp"],
      says: "subscriberOptin, subscriberOptout and subscriberHelp must be true",
      check: (i) =>
        (["subscriberOptin", "subscriberOptout", "subscriberHelp"] as const)
          .filter((k) => i[k] !== true)
          .map((k) => fail(k, "must be true (carriers require it)", i[k])),
    },
    {
      // STARTER campaigns belong to STARTER brands, which Plivo has paused (docs/plivo-api.md §7.2, §8.2).
      reads: ["usecase"],
      says: "usecase STARTER is refused: it is only for STARTER brands, which Plivo has paused",
      check: (i) =>
        i.usecase === "STARTER" ? [fail("usecase", "STARTER is only for STARTER brands, which Plivo has paused; choose a standard use case or MIXED")] : [],
    },
    {
      reads: ["usecase", "subUsecases"],
      says: "subUsecases are required with usecase MIXED or LOW_VOLUME, and allowed only with them",
      check(i) {
        const needsSub = WITH_SUB_USECASES.includes(i.usecase);
        if (needsSub && !i.subUsecases) return [fail("subUsecases", `2 to 5 sub use cases are required for usecase ${i.usecase}`)];
        if (!needsSub && i.subUsecases) return [fail("subUsecases", `only allowed with usecase MIXED or LOW_VOLUME (got usecase ${i.usecase})`)];
        return [];
      },
    },
    {
      // "Operators do not accept public URL shorteners" (embedded_link, docs/plivo-api.md §8.2).
      reads: ["sample1", "sample2", "sample3", "sample4", "sample5"],
      says: "sample messages must not link through public URL shorteners (bit.ly, tinyurl.com, …)",
      check: (i) =>
        (["sample1", "sample2", "sample3", "sample4", "sample5"] as const).flatMap((k) => {
          const shortener = i[k] !== undefined ? PUBLIC_SHORTENER.exec(i[k]!)?.[1] : undefined;
          return shortener ? [fail(k, `carriers refuse links through public URL shorteners (${shortener}); link to your own domain`)] : [];
        }),
    },
  ],
});
