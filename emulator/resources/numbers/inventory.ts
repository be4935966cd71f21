/**
 * Deterministic, seeded number inventory (what `GET /PhoneNumber/` searches).
 *
 * Same seed ⇒ same numbers in the same order. Layout (per seed):
 *  - US local ("fixed"/"local"): 5 numbers in each of 36 area codes; the 5th
 *    number of every area code is voice-only (sms/mms disabled) so that
 *    "must be SMS-enabled" rules can be exercised;
 *  - CA local: 4 numbers in each of 5 area codes;
 *  - US toll-free: 4 numbers in each of 800/833/844/855/866/877/888;
 *  - mobile: 5 each for GB, DE, IN, AU (IN/DE carry an address restriction).
 */
import type { InventoryItem } from "./backend";
import { badRequest, normalizeNumber, type Raw } from "../../http";
import { seededRandom } from "../../random";
import { countryRates, numberRate } from "../pricing/rates";

interface AreaCode {
  npa: string;
  state: string;
  stateCode: string;
  city: string;
  rateCenter: string;
  lata: number;
}

const US_AREA_CODES: AreaCode[] = [
  { npa: "201", state: "New Jersey", stateCode: "NJ", city: "Jersey City", rateCenter: "JERSEYCITY", lata: 224 },
  { npa: "202", state: "District of Columbia", stateCode: "DC", city: "Washington", rateCenter: "WASHINGTON", lata: 236 },
  { npa: "206", state: "Washington", stateCode: "WA", city: "Seattle", rateCenter: "SEATTLE", lata: 674 },
  { npa: "212", state: "New York", stateCode: "NY", city: "New York", rateCenter: "NWYRCYZN01", lata: 132 },
  { npa: "213", state: "California", stateCode: "CA", city: "Los Angeles", rateCenter: "LSAN DA 01", lata: 730 },
  { npa: "214", state: "Texas", stateCode: "TX", city: "Dallas", rateCenter: "DALLAS", lata: 552 },
  { npa: "303", state: "Colorado", stateCode: "CO", city: "Denver", rateCenter: "DENVER", lata: 656 },
  { npa: "305", state: "Florida", stateCode: "FL", city: "Miami", rateCenter: "MIAMI", lata: 460 },
  { npa: "312", state: "Illinois", stateCode: "IL", city: "Chicago", rateCenter: "CHICAGO", lata: 358 },
  { npa: "313", state: "Michigan", stateCode: "MI", city: "Detroit", rateCenter: "DETROIT", lata: 340 },
  { npa: "404", state: "Georgia", stateCode: "GA", city: "Atlanta", rateCenter: "ATLANTA", lata: 438 },
  { npa: "406", state: "Montana", stateCode: "MT", city: "Billings", rateCenter: "BILLINGS", lata: 648 },
  { npa: "415", state: "California", stateCode: "CA", city: "San Francisco", rateCenter: "SNFC CNTRL", lata: 722 },
  { npa: "469", state: "Texas", stateCode: "TX", city: "Dallas", rateCenter: "DALLAS", lata: 552 },
  { npa: "480", state: "Arizona", stateCode: "AZ", city: "Mesa", rateCenter: "MESA", lata: 666 },
  { npa: "503", state: "Oregon", stateCode: "OR", city: "Portland", rateCenter: "PORTLAND", lata: 672 },
  { npa: "512", state: "Texas", stateCode: "TX", city: "Austin", rateCenter: "AUSTIN", lata: 558 },
  { npa: "602", state: "Arizona", stateCode: "AZ", city: "Phoenix", rateCenter: "PHOENIX", lata: 666 },
  { npa: "612", state: "Minnesota", stateCode: "MN", city: "Minneapolis", rateCenter: "MINNEAPOLS", lata: 628 },
  { npa: "615", state: "Tennessee", stateCode: "TN", city: "Nashville", rateCenter: "NASHVILLE", lata: 474 },
  { npa: "617", state: "Massachusetts", stateCode: "MA", city: "Boston", rateCenter: "BOSTON", lata: 128 },
  { npa: "619", state: "California", stateCode: "CA", city: "San Diego", rateCenter: "SNDG DA 01", lata: 732 },
  { npa: "646", state: "New York", stateCode: "NY", city: "New York", rateCenter: "NWYRCYZN01", lata: 132 },
  { npa: "650", state: "California", stateCode: "CA", city: "San Mateo", rateCenter: "SNMATEO", lata: 722 },
  { npa: "702", state: "Nevada", stateCode: "NV", city: "Las Vegas", rateCenter: "LAS VEGAS", lata: 721 },
  { npa: "704", state: "North Carolina", stateCode: "NC", city: "Charlotte", rateCenter: "CHARLOTTE", lata: 422 },
  { npa: "713", state: "Texas", stateCode: "TX", city: "Houston", rateCenter: "HOUSTON", lata: 560 },
  { npa: "714", state: "California", stateCode: "CA", city: "Anaheim", rateCenter: "ANAHEIM", lata: 730 },
  { npa: "720", state: "Colorado", stateCode: "CO", city: "Denver", rateCenter: "DENVER", lata: 656 },
  { npa: "773", state: "Illinois", stateCode: "IL", city: "Chicago", rateCenter: "CHICAGO", lata: 358 },
  { npa: "786", state: "Florida", stateCode: "FL", city: "Miami", rateCenter: "MIAMI", lata: 460 },
  { npa: "801", state: "Utah", stateCode: "UT", city: "Salt Lake City", rateCenter: "SALTLAKCTY", lata: 660 },
  { npa: "808", state: "Hawaii", stateCode: "HI", city: "Honolulu", rateCenter: "HONOLULU", lata: 834 },
  { npa: "816", state: "Missouri", stateCode: "MO", city: "Kansas City", rateCenter: "KSCYMO", lata: 524 },
  { npa: "904", state: "Florida", stateCode: "FL", city: "Jacksonville", rateCenter: "JACKSNVL", lata: 452 },
  { npa: "916", state: "California", stateCode: "CA", city: "Sacramento", rateCenter: "SACRAMENTO", lata: 726 },
];

const CA_AREA_CODES: AreaCode[] = [
  { npa: "416", state: "Ontario", stateCode: "ON", city: "Toronto", rateCenter: "TORONTO", lata: 888 },
  { npa: "613", state: "Ontario", stateCode: "ON", city: "Ottawa", rateCenter: "OTTAWAHULL", lata: 888 },
  { npa: "514", state: "Quebec", stateCode: "QC", city: "Montreal", rateCenter: "MONTREAL", lata: 888 },
  { npa: "604", state: "British Columbia", stateCode: "BC", city: "Vancouver", rateCenter: "VANCOUVER", lata: 888 },
  { npa: "403", state: "Alberta", stateCode: "AB", city: "Calgary", rateCenter: "CALGARY", lata: 888 },
];

const TOLLFREE_PREFIXES = ["800", "833", "844", "855", "866", "877", "888"];

/** A North-American area code the emulator knows (its inventory's): the country and the state or province. */
export function nanpArea(npa: string): { country: "US" | "CA"; regionCode: string; region: string } | undefined {
  const us = US_AREA_CODES.find((a) => a.npa === npa);
  if (us) return { country: "US", regionCode: us.stateCode, region: us.state };
  const ca = CA_AREA_CODES.find((a) => a.npa === npa);
  return ca ? { country: "CA", regionCode: ca.stateCode, region: ca.state } : undefined;
}

export function isTollfreePrefix(npa: string): boolean {
  return TOLLFREE_PREFIXES.includes(npa);
}

interface MobileCountry {
  iso: string;
  dial: string;
  country: string;
  /** national-number prefixes to draw from */
  prefixes: string[];
  /** digits after the prefix */
  rest: number;
  restriction: string | null;
  restrictionText: string | null;
  mms: boolean;
}

const MOBILE_COUNTRIES: MobileCountry[] = [
  { iso: "GB", dial: "44", country: "UNITED KINGDOM", prefixes: ["7700", "7400", "7520"], rest: 6, restriction: null, restrictionText: null, mms: false },
  {
    iso: "DE",
    dial: "49",
    country: "GERMANY",
    prefixes: ["151", "160", "176"],
    rest: 8,
    restriction: "city-address",
    restrictionText: "A local address in the city of the number is required",
    mms: false,
  },
  {
    iso: "IN",
    dial: "91",
    country: "INDIA",
    prefixes: ["98", "97", "88"],
    rest: 8,
    restriction: "country-address",
    restrictionText: "An address in India is required",
    mms: false,
  },
  { iso: "AU", dial: "61", country: "AUSTRALIA", prefixes: ["4"], rest: 8, restriction: null, restrictionText: null, mms: false },
];

function digits(rand: () => number, n: number): string {
  let s = "";
  for (let i = 0; i < n; i++) s += String(Math.floor(rand() * 10));
  return s;
}

function nanpLocal(ac: AreaCode, countryIso: "US" | "CA", line: string, voiceOnly: boolean): InventoryItem {
  const country = countryIso === "US" ? "UNITED STATES" : "CANADA";
  const rate = numberRate(countryIso, "local", voiceOnly);
  const c = countryRates(countryIso)!;
  return {
    number: `1${ac.npa}${line}`,
    country_iso: countryIso,
    dial_code: "1",
    region_code: ac.stateCode,
    prefix: ac.npa,
    city: ac.city,
    country,
    region: ac.state,
    rate_center: ac.rateCenter,
    lata: ac.lata,
    type: "fixed",
    sub_type: "local",
    setup_rate: rate.setup,
    monthly_rental_rate: rate.monthly,
    sms_enabled: !voiceOnly,
    sms_rate: voiceOnly ? "0.00000" : c.sms.inbound,
    mms_enabled: !voiceOnly,
    mms_rate: voiceOnly ? "0.00000" : c.mms!.inbound,
    voice_enabled: true,
    voice_rate: c.voice.inbound.local,
    restriction: null,
    restriction_text: null,
  };
}

/** The seeded inventory (fresh copy every call). */
export function generateInventory(seed: number): InventoryItem[] {
  const rand = seededRandom(seed);
  const out: InventoryItem[] = [];
  const seen = new Set<string>();
  const push = (item: InventoryItem): boolean => {
    if (seen.has(item.number)) return false;
    seen.add(item.number);
    out.push(item);
    return true;
  };
  const nxx = (): string => String(200 + Math.floor(rand() * 800)); // 200..999

  for (const ac of US_AREA_CODES) {
    for (let i = 0; i < 5; ) {
      if (push(nanpLocal(ac, "US", nxx() + digits(rand, 4), i === 4))) i++;
    }
  }
  for (const ac of CA_AREA_CODES) {
    for (let i = 0; i < 4; ) {
      if (push(nanpLocal(ac, "CA", nxx() + digits(rand, 4), false))) i++;
    }
  }
  const us = countryRates("US")!;
  for (const tf of TOLLFREE_PREFIXES) {
    for (let i = 0; i < 4; ) {
      const item: InventoryItem = {
        number: `1${tf}${nxx()}${digits(rand, 4)}`,
        country_iso: "US",
        dial_code: "1",
        region_code: null,
        prefix: tf,
        city: "",
        country: "UNITED STATES",
        region: "UNITED STATES",
        rate_center: null,
        lata: null,
        type: "tollfree",
        sub_type: "tollfree",
        setup_rate: numberRate("US", "tollfree").setup,
        monthly_rental_rate: numberRate("US", "tollfree").monthly,
        sms_enabled: true,
        sms_rate: us.sms.inbound,
        mms_enabled: true,
        mms_rate: us.mms!.inbound,
        voice_enabled: true,
        voice_rate: us.voice.inbound.tollfree!,
        restriction: null,
        restriction_text: null,
      };
      if (push(item)) i++;
    }
  }
  for (const mc of MOBILE_COUNTRIES) {
    for (let i = 0; i < 5; ) {
      const prefix = mc.prefixes[Math.floor(rand() * mc.prefixes.length)];
      const item: InventoryItem = {
        number: `${mc.dial}${prefix}${digits(rand, mc.rest)}`,
        country_iso: mc.iso,
        dial_code: mc.dial,
        region_code: null,
        prefix,
        city: "",
        country: mc.country,
        region: mc.country,
        rate_center: null,
        lata: null,
        type: "mobile",
        sub_type: "mobile",
        setup_rate: numberRate(mc.iso, "mobile").setup,
        monthly_rental_rate: numberRate(mc.iso, "mobile").monthly,
        sms_enabled: true,
        sms_rate: countryRates(mc.iso)!.sms.inbound,
        mms_enabled: mc.mms,
        mms_rate: "0.00000",
        voice_enabled: true,
        voice_rate: countryRates(mc.iso)!.voice.inbound.mobile!,
        restriction: mc.restriction,
        restriction_text: mc.restrictionText,
      };
      if (push(item)) i++;
    }
  }
  return out;
}

/** The API-visible inventory object (`GET /PhoneNumber/`). */
export function inventoryObject(item: InventoryItem, authId: string): Record<string, unknown> {
  return {
    city: item.city,
    country: item.country,
    lata: item.lata,
    monthly_rental_rate: item.monthly_rental_rate,
    mms_enabled: item.mms_enabled,
    mms_rate: item.mms_rate,
    number: item.number,
    prefix: item.prefix,
    rate_center: item.rate_center,
    region: item.region,
    resource_uri: `/v1/Account/${authId}/PhoneNumber/${item.number}/`,
    restriction: item.restriction,
    restriction_text: item.restriction_text,
    setup_rate: item.setup_rate,
    sms_enabled: item.sms_enabled,
    sms_rate: item.sms_rate,
    sub_type: item.sub_type,
    type: item.type,
    voice_enabled: item.voice_enabled,
    voice_rate: item.voice_rate,
  };
}

const KNOWN_DIAL_CODES: Array<[string, string, string]> = [
  ["1", "US", "UNITED STATES"],
  ["44", "GB", "UNITED KINGDOM"],
  ["49", "DE", "GERMANY"],
  ["91", "IN", "INDIA"],
  ["61", "AU", "AUSTRALIA"],
];

/**
 * Build an inventory item from a partial description (control endpoint).
 * Only `number` is required; everything else is inferred (NANP ⇒ US local,
 * or toll-free for 8XX prefixes) and may be overridden.
 */
export function itemFromSpec(spec: Raw): InventoryItem {
  if (typeof spec.number !== "string" && typeof spec.number !== "number") {
    throw badRequest("each inventory entry needs a number");
  }
  const number = normalizeNumber(String(spec.number));
  if (number.length < 6) throw badRequest(`invalid number: ${String(spec.number)}`);
  const known = KNOWN_DIAL_CODES.find(([dc]) => number.startsWith(dc));
  const countryIso = (typeof spec.country_iso === "string" ? spec.country_iso : (known?.[1] ?? "US")).toUpperCase();
  const dial = typeof spec.dial_code === "string" ? spec.dial_code : (known?.[0] ?? "1");
  const national = number.slice(dial.length);
  const tollfree = dial === "1" && TOLLFREE_PREFIXES.includes(national.slice(0, 3));
  const type = (spec.type as InventoryItem["type"]) ?? (tollfree ? "tollfree" : dial === "1" ? "fixed" : "mobile");
  if (!["fixed", "mobile", "tollfree"].includes(type)) throw badRequest("type must be fixed, mobile or tollfree");
  const ac = dial === "1" ? [...US_AREA_CODES, ...CA_AREA_CODES].find((a) => a.npa === national.slice(0, 3)) : undefined;
  const rate = numberRate(countryIso, type === "fixed" ? "local" : type);
  const base: InventoryItem = {
    number,
    country_iso: countryIso,
    dial_code: dial,
    region_code: ac?.stateCode ?? null,
    prefix: dial === "1" ? national.slice(0, 3) : national.slice(0, 3),
    city: ac?.city ?? "",
    country: countryIso === "CA" ? "CANADA" : (known?.[2] ?? countryIso),
    region: ac?.state ?? (countryIso === "US" ? "UNITED STATES" : (known?.[2] ?? countryIso)),
    rate_center: ac?.rateCenter ?? null,
    lata: ac?.lata ?? null,
    type,
    sub_type: type === "fixed" ? "local" : type,
    setup_rate: rate.setup,
    monthly_rental_rate: rate.monthly,
    sms_enabled: true,
    sms_rate: "0.00550",
    mms_enabled: type !== "mobile",
    mms_rate: type !== "mobile" ? "0.01800" : "0.00000",
    voice_enabled: true,
    voice_rate: "0.00850",
    restriction: null,
    restriction_text: null,
  };
  const overridable: Array<keyof InventoryItem> = [
    "region_code",
    "prefix",
    "city",
    "country",
    "region",
    "rate_center",
    "lata",
    "sub_type",
    "setup_rate",
    "monthly_rental_rate",
    "sms_enabled",
    "sms_rate",
    "mms_enabled",
    "mms_rate",
    "voice_enabled",
    "voice_rate",
    "restriction",
    "restriction_text",
  ];
  const item = base as unknown as Record<string, unknown>;
  for (const k of overridable) if (spec[k] !== undefined) item[k] = spec[k];
  // rates are exact decimal strings: the bill computes with them (money.ts)
  for (const k of ["setup_rate", "monthly_rental_rate", "sms_rate", "mms_rate", "voice_rate"] as const) {
    if (typeof item[k] !== "string" || !/^\d+(\.\d{1,5})?$/.test(item[k] as string)) {
      throw badRequest(`${k} must be a decimal string with at most five decimals, like "0.50000"`);
    }
  }
  return base;
}
