/**
 * Where a destination number is: its country (ISO-3166 alpha-2) from the calling code, and for North American
 * numbers the area code and, where the emulator knows it, the state or province (what Local Connect matches on,
 * docs/plivo-api.md §4.6). The emulator knows the area codes of its own inventory; a destination in another area
 * code still gets its country (Canada's area codes are listed below), but no region.
 */
import { isTollfreePrefix, nanpArea } from "../numbers/inventory";

export interface Destination {
  /** digits with the country code */
  number: string;
  /** null for a calling code the emulator does not know */
  country: string | null;
  /** North American numbers: the area code */
  npa: string | null;
  /** North American numbers in a known area code: the state or province code */
  region: string | null;
  /** a North American toll-free number */
  tollfree: boolean;
}

/** Canada's area codes (the rest of +1 outside the US territories is treated as US). */
const CANADIAN_NPAS = new Set(
  (
    "204 226 236 249 250 257 263 289 306 343 354 365 367 368 382 387 403 416 418 428 431 437 438 450 460 468 474 " +
    "506 514 519 548 579 581 584 587 600 604 613 622 633 639 644 647 655 672 677 683 688 705 709 742 753 778 780 " +
    "782 807 819 825 867 873 879 902 905 942"
  ).split(" "),
);

/** Calling codes → country, longest prefix first when matching. Not exhaustive: enough for tests and demos. */
const CALLING_CODES: Record<string, string> = {
  "7": "RU",
  "20": "EG",
  "27": "ZA",
  "30": "GR",
  "31": "NL",
  "32": "BE",
  "33": "FR",
  "34": "ES",
  "36": "HU",
  "39": "IT",
  "40": "RO",
  "41": "CH",
  "43": "AT",
  "44": "GB",
  "45": "DK",
  "46": "SE",
  "47": "NO",
  "48": "PL",
  "49": "DE",
  "52": "MX",
  "54": "AR",
  "55": "BR",
  "56": "CL",
  "57": "CO",
  "60": "MY",
  "61": "AU",
  "62": "ID",
  "63": "PH",
  "64": "NZ",
  "65": "SG",
  "66": "TH",
  "81": "JP",
  "82": "KR",
  "84": "VN",
  "86": "CN",
  "90": "TR",
  "91": "IN",
  "234": "NG",
  "254": "KE",
  "351": "PT",
  "353": "IE",
  "358": "FI",
  "380": "UA",
  "420": "CZ",
  "852": "HK",
  "966": "SA",
  "971": "AE",
  "972": "IL",
};

/** Sanitise a destination the way the docs describe (`/ - . + ( )` and white space stripped); null if invalid. */
export function sanitizeDestination(raw: string): string | null {
  const s = raw.replace(/[\s/.+()-]/g, "");
  if (!/^\d{7,14}$/.test(s)) return null;
  if (s.startsWith("1") && !/^1[2-9]\d{2}[2-9]\d{6}$/.test(s)) return null; // a North American number is 1 + 10 digits
  return s;
}

export function locate(number: string): Destination {
  if (number.startsWith("1") && number.length === 11) {
    const npa = number.slice(1, 4);
    const area = nanpArea(npa);
    const country = area?.country ?? (CANADIAN_NPAS.has(npa) ? "CA" : "US");
    return { number, country, npa, region: area?.regionCode ?? null, tollfree: isTollfreePrefix(npa) };
  }
  for (const len of [3, 2, 1]) {
    const country = CALLING_CODES[number.slice(0, len)];
    if (country) return { number, country, npa: null, region: null, tollfree: false };
  }
  return { number, country: null, npa: null, region: null, tollfree: false };
}

/** US and Canada: where Powerpack number priorities, 10DLC and toll-free verification apply. */
export function isNorthAmerica(country: string | null): country is "US" | "CA" {
  return country === "US" || country === "CA";
}
