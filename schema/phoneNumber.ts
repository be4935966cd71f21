/** PhoneNumber: a number rented from Plivo's inventory and managed as an account number (docs/plivo-api.md §2). */
import { z } from "zod";
import { countryProblem, e164Digits, f, objectError, setOf, upper, trimmed } from "./fields";
import { describeNumber, nanpAreaCode, isNanpTollFree } from "./geo";
import { APP_ID, SUBACCOUNT_ID, UUID } from "./ids";
import { defineResource, fail, type CheckFailure, ref } from "./resource";

/** `/v1/Account/{auth}/Application/{app_id}/` → `app_id`. */
export const appIdFromUri = (v: unknown) => {
  if (typeof v !== "string") return v;
  const m = /\/Application\/([^/]+)\/?$/.exec(v);
  return m ? m[1] : v;
};

const searchSchema = z.strictObject(
  {
    countryIso: z
      .string({ error: "must be a string" })
      .regex(/^[A-Z]{2}$/, { error: "must be an ISO 3166 alpha-2 country code such as US" })
      .check((ctx) => {
        const problem = ctx.issues.length === 0 ? countryProblem(ctx.value) : undefined;
        if (problem) ctx.issues.push({ code: "custom", message: problem, input: ctx.value });
      })
      .describe("Country of the number (ISO 3166 alpha-2, e.g. US)."),
    type: z
      .enum(["LOCAL", "FIXED", "MOBILE", "TOLLFREE", "NATIONAL", "ANY"], {
        error: "must be one of local, fixed, mobile, tollfree, national, any",
      })
      .optional()
      .describe("Kind of number: local, fixed, mobile, tollfree, national or any."),
    pattern: z
      .string()
      .regex(/^\d{1,15}$/, { error: "must be digits after the country code (e.g. 415)" })
      .optional()
      .describe("Digits the number starts with after the country code, e.g. an area code such as 415."),
    region: z.string({ error: "must be a string" }).min(1, { error: "must not be empty" }).optional().describe("Region or city of the number."),
    services: setOf(["VOICE", "SMS", "MMS"])
      .min(1, { error: "must name at least one service" })
      .optional()
      .describe("Services the number must support: voice, sms, mms."),
  },
  { error: objectError("must be an object {countryIso, type?, pattern?, region?, services?}") },
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
  deletion: "Unrents the number. Irreversible once Plivo's 10-day reserve has passed: use `protect` or `retainOnDelete` for numbers you must keep.",
  idDescription: "the number in E.164 digits without '+', e.g. 14155550100",
  idField: "number",
  example: {
    name: "support-line",
    inputs: { search: { countryIso: "US", type: "local", pattern: "415", services: ["voice", "sms"] }, appId: ref("support.id"), alias: "support" },
  },
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
      createOnly: "search criteria only pick the number to buy, at create",
      normalize: normalizeSearch,
      description:
        "Search criteria used once, at create time, to pick a number: countryIso, type, pattern (digits after the country code, e.g. an area code), region, services. " +
        "Changing them later never replaces the number.",
    }),
    appId: f.id(APP_ID, {
      wire: "app_id",
      readWire: "application",
      fromWire: appIdFromUri,
      computed: true,
      description: "Application the number points to. When omitted Plivo attaches the account's default number application.",
    }),
    alias: f.string({ wire: "alias", max: 255, clearValue: "", sendOnCreate: false, description: "A friendly name for the number." }),
    subaccount: f.id(SUBACCOUNT_ID, {
      wire: "subaccount",
      readWire: "sub_account",
      computed: true,
      sendOnCreate: false,
      normalize: upper,
      description: "Subaccount auth id the number belongs to.",
    }),
    cnamLookup: f.enum(["ENABLED", "DISABLED"], {
      wire: "cnam_lookup",
      computed: true,
      toWire: (v) => v.toLowerCase(),
      description: "Caller-name lookup on inbound calls (US numbers): enabled or disabled.",
    }),
    cnam: f.string({
      wire: "cnam",
      max: 15,
      writeOnly: true,
      sendOnCreate: false,
      description: "Outbound caller name (CNAM) to register for the number (US).",
    }),
    callerReputation: f.enum(["ENABLED", "DISABLED"], {
      wire: "caller_reputation",
      writeOnly: true,
      sendOnCreate: false,
      toWire: (v) => v.toLowerCase(),
      description: "Caller reputation monitoring (US local and toll-free; needs profileUuid).",
    }),
    profileUuid: f.id(UUID, { wire: "profile_uuid", sendOnCreate: false, description: "Business profile used for caller reputation." }),
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
    // Not outputs: `tendlc_registration_status`, `tendlc_campaign_id` and `toll_free_sms_verification` mirror what a
    // CampaignNumberLink or a TollfreeVerification does later (docs/plivo-api.md §2.4), so the number's state would hold
    // their values of the moment it was bought and every refresh would show a change nobody made to the number. Those
    // resources' own `status` outputs carry them.
    callerReputationStatus: f.output("caller_reputation_status", "Caller reputation status."),
    resourceUri: f.output("resource_uri", "API URI of the account number."),
  },
  consequences: {
    // docs/plivo-api.md §2.5: setup fee and monthly rental; the 10-day carrier reserve and the 5-day console reclaim.
    create: "rents a number: a one-time setup fee plus a monthly rental",
    delete:
      "unrents {id}, which cannot be undone: Plivo holds an unrented number for 10 days, reclaimable in the console " +
      "only during the first 5 (billed as a new purchase), then returns it to the carrier",
  },
  rules: [
    {
      reads: ["number", "search", "adoptId"],
      says: "one of number, search or adoptId is required; search goes with neither number nor adoptId; adoptId and number name the same number",
      check(i) {
        if (i.number === undefined && i.search === undefined && i.adoptId === undefined) {
          return [fail("number", "give an exact number, search criteria (search.countryIso, ...) or adoptId")];
        }
        const failures: CheckFailure[] = [];
        if (i.number !== undefined && i.search !== undefined) {
          failures.push(fail("search", "cannot be combined with number: search only picks a number to buy; keep one of them"));
        }
        if (i.adoptId !== undefined && i.search !== undefined) {
          failures.push(fail("search", "has no effect with adoptId (an adopted number is never bought); remove it"));
        }
        if (i.adoptId !== undefined && i.number !== undefined && e164Digits(i.adoptId) !== i.number) {
          failures.push(fail("adoptId", `names another number than number (${i.number}); give one of them`, i.adoptId));
        }
        return failures;
      },
    },
    {
      reads: ["callerReputation", "profileUuid"],
      says: "callerReputation ENABLED requires profileUuid",
      check: (i) => (i.callerReputation === "ENABLED" && !i.profileUuid ? [fail("callerReputation", "enabling caller reputation requires profileUuid")] : []),
    },
    {
      // CNAM lookup, outbound CNAM and caller reputation exist for US numbers only (docs/plivo-api.md §2.2).
      reads: ["number", "search", "adoptId", "cnamLookup", "cnam", "callerReputation"],
      says: "cnamLookup ENABLED, cnam and callerReputation ENABLED are for US numbers only",
      check(i) {
        const known = i.number ?? (i.adoptId !== undefined ? String(e164Digits(i.adoptId)) : undefined);
        const where =
          known !== undefined ? usOnlyProblem(known) : i.search && i.search.countryIso !== "US" ? `search.countryIso is ${i.search.countryIso}` : undefined;
        if (where === undefined) return [];
        const failures: CheckFailure[] = [];
        if (i.cnamLookup === "ENABLED") failures.push(fail("cnamLookup", `caller-name lookup exists for US numbers only (${where})`));
        if (i.cnam !== undefined) failures.push(fail("cnam", `an outbound caller name can be registered for US numbers only (${where})`));
        if (i.callerReputation === "ENABLED")
          failures.push(fail("callerReputation", `caller reputation exists for US local and toll-free numbers only (${where})`));
        return failures;
      },
    },
  ],
});

/** Why a number cannot use the US-only features, or undefined for a US number (local or toll-free). */
function usOnlyProblem(digits: string): string | undefined {
  if (nanpAreaCode(digits) !== undefined && (isNanpTollFree(digits) || describeNumber(digits) === "a US local number")) return undefined;
  return `${digits} is ${describeNumber(digits)}`;
}
