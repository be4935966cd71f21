/** PhoneNumber: a number rented from Plivo's inventory and managed as an account number (docs/plivo-api.md §2). */
import { z } from "zod";
import { f, upper, trimmed } from "./fields";
import { defineResource } from "./resource";

/** `/v1/Account/{auth}/Application/{app_id}/` → `app_id`. */
export const appIdFromUri = (v: unknown) => {
  if (typeof v !== "string") return v;
  const m = /\/Application\/([^/]+)\/?$/.exec(v);
  return m ? m[1] : v;
};

const searchSchema = z.strictObject(
  {
    countryIso: z.string().regex(/^[A-Z]{2}$/, { error: "must be an ISO 3166 alpha-2 country code such as US" }).describe("Country of the number (ISO 3166 alpha-2, e.g. US)."),
    type: z.enum(["LOCAL", "FIXED", "MOBILE", "TOLLFREE", "NATIONAL", "ANY"], {
      error: "must be one of local, fixed, mobile, tollfree, national, any",
    }).optional().describe("Kind of number: local, fixed, mobile, tollfree, national or any."),
    pattern: z.string().regex(/^\d{1,15}$/, { error: "must be digits after the country code (e.g. 415)" }).optional().describe("Digits the number starts with after the country code, e.g. an area code such as 415."),
    region: z.string().min(1).optional().describe("Region or city of the number."),
    services: z.array(z.enum(["VOICE", "SMS", "MMS"], { error: "items must be voice, sms or mms" })).optional().describe("Services the number must support: voice, sms, mms."),
  },
  { error: "must be an object {countryIso, type?, pattern?, region?, services?}" },
);

export type PhoneNumberSearch = z.infer<typeof searchSchema>;

function normalizeSearch(v: unknown): unknown {
  if (!v || typeof v !== "object" || Array.isArray(v)) return v;
  const s = { ...(v as Record<string, unknown>) };
  if (s.countryIso !== undefined) s.countryIso = upper(s.countryIso);
  if (s.type !== undefined) s.type = upper(s.type);
  if (typeof s.pattern === "number") s.pattern = String(s.pattern);
  else if (s.pattern !== undefined) s.pattern = trimmed(s.pattern);
  if (s.region !== undefined) s.region = trimmed(s.region);
  if (typeof s.services === "string") s.services = s.services.split(",");
  if (Array.isArray(s.services)) s.services = [...new Set(s.services.map(upper))].sort();
  for (const k of Object.keys(s)) if (s[k] === undefined) delete s[k];
  return s;
}

export const phoneNumberSchema = defineResource({
  type: "PhoneNumber",
  description:
    "A phone number rented from Plivo. Give an exact `number`, or `search` criteria that pick the first match at create time. " +
    "Destroying it unrents the number (irreversible after Plivo's 10-day reserve): use `retainOnDelete` or `protect` for numbers you must keep.",
  deletion:
    "Unrents the number. Irreversible once Plivo's 10-day reserve has passed: use `protect` or `retainOnDelete` for numbers you must keep.",
  idDescription: "the number in E.164 digits without '+', e.g. 14155550100",
  idField: "number",
  inputs: {
    number: f.phone({
      wire: "number",
      onChange: "replace",
      computed: true,
      sendOnCreate: false,
      description: "The exact number to rent (or adopt when it is already in the account). Changing it replaces the number.",
    }),
    search: f.custom(searchSchema, {
      onChange: "ignore",
      normalize: normalizeSearch,
      description:
        "Search criteria used once, at create time, to pick a number: countryIso, type, pattern (digits after the country code, e.g. an area code), region, services. " +
        "Changing them later never replaces the number.",
    }),
    appId: f.string({
      wire: "app_id",
      readWire: "application",
      fromWire: appIdFromUri,
      computed: true,
      description: "Application the number points to. When omitted Plivo attaches the account's default number application.",
    }),
    alias: f.string({ wire: "alias", max: 255, clearValue: "", sendOnCreate: false, description: "A friendly name for the number." }),
    subaccount: f.string({ wire: "subaccount", readWire: "sub_account", computed: true, sendOnCreate: false, description: "Subaccount auth id the number belongs to." }),
    cnamLookup: f.enum(["ENABLED", "DISABLED"], {
      wire: "cnam_lookup",
      computed: true,
      toWire: (v) => v.toLowerCase(),
      description: "Caller-name lookup on inbound calls (US numbers): enabled or disabled.",
    }),
    cnam: f.string({ wire: "cnam", max: 15, writeOnly: true, sendOnCreate: false, description: "Outbound caller name (CNAM) to register for the number (US)." }),
    callerReputation: f.enum(["ENABLED", "DISABLED"], {
      wire: "caller_reputation",
      writeOnly: true,
      sendOnCreate: false,
      toWire: (v) => v.toLowerCase(),
      description: "Caller reputation monitoring (US local and toll-free; needs profileUuid).",
    }),
    profileUuid: f.string({ wire: "profile_uuid", sendOnCreate: false, description: "Business profile used for caller reputation." }),
  },
  outputs: {
    country: f.output("country", "ISO country of the number (from the inventory at purchase)."),
    numberType: f.output("number_type", "local, fixed, mobile, tollfree or national."),
    region: f.output("region", "Region of the number."),
    carrier: f.output("carrier", "Carrier of the number."),
    addedOn: f.output("added_on", "Date the number was added to the account."),
    renewalDate: f.output("renewal_date", "Next renewal date."),
    monthlyRentalRate: f.output("monthly_rental_rate", "Monthly rental rate."),
    smsEnabled: f.outputOf(z.boolean(), "sms_enabled", "Whether the number can send/receive SMS."),
    mmsEnabled: f.outputOf(z.boolean(), "mms_enabled", "Whether the number can send/receive MMS."),
    voiceEnabled: f.outputOf(z.boolean(), "voice_enabled", "Whether the number can make/receive calls."),
    smsRate: f.output("sms_rate", "Rate per SMS."),
    mmsRate: f.output("mms_rate", "Rate per MMS."),
    voiceRate: f.output("voice_rate", "Rate per voice minute."),
    tendlcRegistrationStatus: f.output("tendlc_registration_status", "10DLC link status mirrored on the number."),
    tendlcCampaignId: f.output("tendlc_campaign_id", "10DLC campaign the number is linked to."),
    tollFreeSmsVerification: f.output("toll_free_sms_verification", "Toll-free verification status mirrored on the number."),
    callerReputationStatus: f.output("caller_reputation_status", "Caller reputation status."),
    resourceUri: f.output("resource_uri", "API URI of the account number."),
  },
  rules(inputs) {
    if (inputs.number === undefined && inputs.search === undefined && (inputs as { adoptId?: string }).adoptId === undefined) {
      return [{ property: "number", reason: "number: give either an exact number or search criteria (search.countryIso, ...)" }];
    }
    if (inputs.callerReputation === "ENABLED" && !inputs.profileUuid) {
      return [{ property: "callerReputation", reason: "callerReputation: enabling caller reputation requires profileUuid" }];
    }
    return [];
  },
});
