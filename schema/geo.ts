/**
 * Country, state and number-plan facts the validation rules need: ISO 3166-1 alpha-2 codes, US state and Canadian
 * province codes (a profile's `address.state` is "a valid state code, e.g. TX": docs/plivo-api.md §6.2), and the
 * North American Numbering Plan area codes that tell a US local long code (what 10DLC links, §9.2) from a US or
 * Canadian toll-free number (what toll-free verification takes, §10.2).
 */

/** ISO 3166-1 alpha-2: the 249 officially assigned codes. */
export const ISO_COUNTRIES: ReadonlySet<string> = new Set(
  (
    "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ " +
    "CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR " +
    "GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP " +
    "KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS " +
    "MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS " +
    "RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW " +
    "TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW"
  ).split(" "),
);

/** USPS codes: the 50 states, DC, the inhabited territories and the military "states" (AA, AE, AP). */
export const US_STATES: ReadonlySet<string> = new Set(
  (
    "AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA " +
    "RI SC SD TN TX UT VT VA WA WV WI WY DC AS GU MP PR VI UM AA AE AP"
  ).split(" "),
);

/** Canada Post codes of the 10 provinces and 3 territories. */
export const CA_PROVINCES: ReadonlySet<string> = new Set("AB BC MB NB NL NS NT NU ON PE QC SK YT".split(" "));

/** Area codes in service for toll-free numbers, shared by the US and Canada. */
export const NANP_TOLL_FREE: ReadonlySet<string> = new Set(["800", "833", "844", "855", "866", "877", "888"]);

/** Canadian area codes (geographic and non-geographic): numbers under them are not US long codes. */
const CANADA_AREA_CODES = new Set(
  (
    "204 226 236 249 250 257 263 289 306 343 354 365 367 368 382 387 403 416 418 428 431 437 438 450 460 468 474 506 " +
    "514 519 548 579 581 584 587 600 604 613 622 639 647 672 683 705 709 742 753 778 780 782 807 819 825 867 873 879 " +
    "902 905 942"
  ).split(" "),
);

/** Area codes of the other NANP countries (Caribbean and Atlantic): +1, but not the US. */
const OTHER_NANP_AREA_CODES = new Set("242 246 264 268 284 345 441 473 649 658 664 721 758 767 784 809 829 849 868 869 876".split(" "));

/** The area code of a +1 number given as E.164 digits (`14155550100` → `415`), or undefined for other countries. */
export function nanpAreaCode(digits: string): string | undefined {
  const m = /^1([2-9]\d\d)\d{7}$/.exec(digits);
  return m ? m[1] : undefined;
}

/** A US or Canadian toll-free number. */
export const isNanpTollFree = (digits: string) => NANP_TOLL_FREE.has(nanpAreaCode(digits) ?? "");

/** Where a number belongs, in the words validation messages use. */
export function describeNumber(digits: string): string {
  const npa = nanpAreaCode(digits);
  if (npa === undefined) return digits.startsWith("1") ? "not a valid +1 number" : "a number outside the US and Canada";
  if (NANP_TOLL_FREE.has(npa)) return "a toll-free number";
  if (CANADA_AREA_CODES.has(npa)) return "a Canadian number";
  if (OTHER_NANP_AREA_CODES.has(npa)) return "a +1 number outside the US and Canada";
  return "a US local number";
}

/** A US long code (local, not toll-free, not Canadian or Caribbean). */
export const isUsLocal = (digits: string) => describeNumber(digits) === "a US local number";
