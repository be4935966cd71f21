/**
 * The emulator's fee schedule, the one source of every price it shows or charges (emulator/README.md, Billing):
 * the inventory's `setup_rate` / `monthly_rental_rate` and service rates, `GET /Pricing/`, the rates of messages,
 * and the bill's number and 10DLC fees. Rates are strings with five decimals, as Plivo writes them.
 *
 * The amounts are the emulator's, shaped like Plivo's public price list (docs/plivo-api.md §18): they are not
 * Plivo's current prices. The 10DLC fees are Plivo's documented ones (docs/plivo-api.md §19).
 */

/** What a number of one kind costs: once at purchase, and every month. */
export interface NumberRate {
  setup: string;
  monthly: string;
}

export type NumberKind = "local" | "tollfree" | "mobile";

export interface CountryRates {
  iso: string;
  /** as Pricing names it ("United States") */
  name: string;
  countryCode: number;
  numbers: Partial<Record<NumberKind, NumberRate>>;
  /** local numbers without SMS/MMS (the inventory's voice-only numbers), when priced differently */
  voiceOnlyLocal?: NumberRate;
  sms: { outbound: string; inbound: string };
  mms?: { outbound: string; inbound: string };
  voice: {
    inbound: { local: string; tollfree: string | null; mobile: string | null; ip: string };
    outbound: { local: string; tollfree: string | null; ip: string };
  };
}

const NA_SMS = "0.00550";
const NA_MMS = "0.01800";
const INTL_SMS = "0.04000";

/** Per-unit message rates (the Message API's `total_rate`): US/CA SMS and MMS, and SMS to anywhere else. */
export const MESSAGE_RATES = { naSms: NA_SMS, naMms: NA_MMS, intlSms: INTL_SMS } as const;

export const COUNTRY_RATES: readonly CountryRates[] = [
  {
    iso: "US",
    name: "United States",
    countryCode: 1,
    numbers: { local: { setup: "0.50000", monthly: "0.50000" }, tollfree: { setup: "0.30000", monthly: "1.00000" } },
    voiceOnlyLocal: { setup: "0.00000", monthly: "0.50000" },
    sms: { outbound: NA_SMS, inbound: NA_SMS },
    mms: { outbound: NA_MMS, inbound: NA_MMS },
    voice: {
      inbound: { local: "0.00850", tollfree: "0.02200", mobile: null, ip: "0.00300" },
      outbound: { local: "0.00750", tollfree: "0.00300", ip: "0.00300" },
    },
  },
  {
    iso: "CA",
    name: "Canada",
    countryCode: 1,
    numbers: { local: { setup: "0.00000", monthly: "0.80000" } },
    sms: { outbound: NA_SMS, inbound: NA_SMS },
    mms: { outbound: NA_MMS, inbound: NA_MMS },
    voice: { inbound: { local: "0.00850", tollfree: null, mobile: null, ip: "0.00300" }, outbound: { local: "0.00750", tollfree: null, ip: "0.00300" } },
  },
  mobileCountry("GB", "United Kingdom", 44, { setup: "1.00000", monthly: "1.50000" }),
  mobileCountry("DE", "Germany", 49, { setup: "0.00000", monthly: "3.00000" }),
  mobileCountry("IN", "India", 91, { setup: "2.00000", monthly: "4.00000" }),
  mobileCountry("AU", "Australia", 61, { setup: "0.00000", monthly: "6.00000" }),
];

function mobileCountry(iso: string, name: string, countryCode: number, mobile: NumberRate): CountryRates {
  return {
    iso,
    name,
    countryCode,
    numbers: { mobile },
    sms: { outbound: INTL_SMS, inbound: INTL_SMS },
    voice: { inbound: { local: "0.01500", tollfree: null, mobile: "0.01500", ip: "0.00300" }, outbound: { local: "0.02000", tollfree: null, ip: "0.00300" } },
  };
}

export function countryRates(iso: string): CountryRates | undefined {
  return COUNTRY_RATES.find((c) => c.iso === iso.toUpperCase());
}

/** Used when a number of an unpriced country or kind is added to the inventory by hand (`POST /__emulator/inventory`). */
export const FALLBACK_NUMBER_RATE: NumberRate = { setup: "0.00000", monthly: "0.50000" };

/** The setup and monthly rate of a number: by country, kind and, for voice-only local numbers, capabilities. */
export function numberRate(iso: string, kind: NumberKind, voiceOnly = false): NumberRate {
  const c = countryRates(iso);
  if (!c) return FALLBACK_NUMBER_RATE;
  if (kind === "local" && voiceOnly && c.voiceOnlyLocal) return c.voiceOnlyLocal;
  return c.numbers[kind] ?? FALLBACK_NUMBER_RATE;
}

/**
 * 10DLC fees (docs/plivo-api.md §19): a brand registration is $4 once; every campaign submission (creation, and the
 * update that resubmits a FAILED campaign) is vetted for $15; a campaign costs $2 a month while it is registered or
 * being registered (PROCESSING or ACTIVE), its first month charged at creation.
 */
export const TENDLC_FEES = {
  brandRegistration: "4.00000",
  campaignVetting: "15.00000",
  campaignMonthly: "2.00000",
} as const;
