/**
 * The bad-input corpus: tables of what Plivo's documents (docs/plivo-api.md) say each field of the resources
 * must be, written here independently of the schemas, and the cases generated from them. Every case is one bad value
 * on an otherwise valid resource and the exact failure it must produce: the field's full path and the rule.
 */
import { validCampaign, validProfile, validTfv } from "../helpers/fixtures";

export type Resource =
  | "Subaccount"
  | "Application"
  | "Endpoint"
  | "PhoneNumber"
  | "Powerpack"
  | "NumberPoolMember"
  | "Profile"
  | "Brand"
  | "Campaign"
  | "CampaignNumberLink"
  | "TollfreeVerification";

export interface Case {
  resource: Resource;
  /** What the case breaks, for the test name. */
  what: string;
  /** The resource's inputs. */
  inputs: Record<string, unknown>;
  /** The one failure expected: its path, and the reason's start after `<path>: `. */
  path: string;
  rule: string;
  /** Text the reason must not contain (a credential). */
  hidden?: string;
}

/** A well-formed uuid (docs/plivo-api.md §1.7). */
const A_UUID = "0b3c2ad4-6a1c-4b8e-9d3c-2f8c9d1e7a11";

/** A valid resource of each type: each case changes one thing. */
export const VALID: Record<Resource, Record<string, unknown>> = {
  Subaccount: { name: "stage-dev" },
  Application: { appName: "inbound", answerUrl: "https://example.com/answer" },
  Endpoint: { username: "desk", password: "s3cret-pw", alias: "front-desk" },
  PhoneNumber: { search: { countryIso: "US", type: "local", pattern: "415" } },
  Powerpack: {
    name: "pool",
    numberPriorities: [{ countryIso: "US", serviceType: "SMS", priority: { priority1: "longcode", priority2: "tollfree", priority3: "shortcode" } }],
  },
  NumberPoolMember: { powerpackId: A_UUID, number: "+14155550100" },
  Profile: validProfile,
  Brand: { profileUuid: A_UUID, brandAlias: "Acme" },
  Campaign: validCampaign("BCDEF1G"),
  CampaignNumberLink: { campaignId: "CVWMV6V", number: "+14155550100" },
  TollfreeVerification: validTfv("+18005550100", A_UUID),
};

/** `inputs` with the value at `path` (dots; digits index lists) replaced, or removed when `value` is `REMOVE`. */
export const REMOVE = Symbol("remove");
export function withValue(inputs: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const root = structuredClone(inputs);
  const keys = path.split(".");
  let node: any = root;
  for (const k of keys.slice(0, -1)) node = node[k];
  const last = keys[keys.length - 1];
  if (value === REMOVE) delete node[last];
  else node[last] = value;
  return root;
}

const cases: Case[] = [];
const add = (resource: Resource, what: string, path: string, value: unknown, rule: string, extra: Partial<Case> = {}) =>
  cases.push({ resource, what, inputs: withValue(VALID[resource], path, value), path, rule, ...extra });

// --- Required fields (docs/plivo-api.md §3.2, §4.2, §5.2, §6.2, §7.2, §8.2, §9.2, §10.2) ------------------------------
const REQUIRED: [Resource, string[]][] = [
  ["Subaccount", ["name"]],
  ["Endpoint", ["username", "password", "alias"]],
  ["Application", ["appName", "answerUrl"]],
  [
    "Powerpack",
    [
      "name",
      "numberPriorities.0.countryIso",
      "numberPriorities.0.serviceType",
      "numberPriorities.0.priority",
      "numberPriorities.0.priority.priority1",
      "numberPriorities.0.priority.priority2",
      "numberPriorities.0.priority.priority3",
    ],
  ],
  ["NumberPoolMember", ["powerpackId", "number"]],
  [
    "Profile",
    [
      "profileAlias",
      "customerType",
      "entityType",
      "companyName",
      "vertical",
      "address",
      "authorizedContact",
      "address.street",
      "address.city",
      "address.state",
      "address.postalCode",
      "address.country",
      "authorizedContact.firstName",
      "authorizedContact.lastName",
      "authorizedContact.email",
      "authorizedContact.title",
      "authorizedContact.seniority",
      "authorizedContact.phone",
    ],
  ],
  ["Brand", ["profileUuid", "brandAlias"]],
  [
    "Campaign",
    [
      "brandId",
      "campaignAlias",
      "vertical",
      "usecase",
      "description",
      "sample1",
      "sample2",
      "messageFlow",
      "helpMessage",
      "optoutMessage",
      "embeddedLink",
      "embeddedPhone",
      "ageGated",
      "directLending",
      "affiliateMarketing",
    ],
  ],
  ["CampaignNumberLink", ["campaignId", "number"]],
  ["TollfreeVerification", ["number", "profileUuid", "usecases", "usecaseSummary", "messageSample", "optinImageUrl", "optinType", "volume"]],
  ["PhoneNumber", ["search.countryIso"]],
];
for (const [resource, paths] of REQUIRED) for (const path of paths) add(resource, "missing", path, REMOVE, "is required");

// --- Maximum lengths (§2.2 CNAM, §6.2 Go SDK limits, §7.2, §8.2, §10.2; names where Plivo is silent, §1.9) -----------
const long = (n: number) => "x".repeat(n);
const MAX: [Resource, string, number, (n: number) => string][] = [
  ["Subaccount", "name", 255, long],
  ["Endpoint", "username", 25, long],
  ["Endpoint", "alias", 255, long],
  ["Application", "appName", 255, long],
  ["Powerpack", "name", 255, long],
  ["PhoneNumber", "alias", 255, long],
  ["Profile", "profileAlias", 100, long],
  ["Profile", "companyName", 100, long],
  ["Profile", "ein", 100, (n) => "1".repeat(n)],
  ["Profile", "address.street", 100, long],
  ["Profile", "address.city", 100, long],
  ["Profile", "address.state", 20, long],
  ["Profile", "address.postalCode", 10, long],
  ["Profile", "authorizedContact.firstName", 100, long],
  ["Profile", "authorizedContact.lastName", 100, long],
  ["Profile", "authorizedContact.email", 100, (n) => `${"a".repeat(n - 9)}@acme.com`],
  ["Profile", "authorizedContact.title", 100, long],
  ["Profile", "stockSymbol", 10, long],
  ["Profile", "altBusinessId", 50, long],
  ["Profile", "website", 100, (n) => `www.${"a".repeat(n - 7)}.com`],
  ["Profile", "businessContactEmail", 255, (n) => `${"a".repeat(n - 9)}@acme.com`],
  ["Profile", "doingBusinessAs", 100, long],
  ["Brand", "brandAlias", 100, long],
  ["Campaign", "campaignAlias", 100, long],
  ["Campaign", "description", 4096, long],
  ["Campaign", "sample1", 1024, long],
  ["Campaign", "sample2", 1024, long],
  ["Campaign", "sample3", 1024, long],
  ["Campaign", "sample4", 1024, long],
  ["Campaign", "sample5", 1024, long],
  ["Campaign", "messageFlow", 2048, long],
  ["Campaign", "helpMessage", 255, long],
  ["Campaign", "optoutMessage", 255, long],
  ["Campaign", "optinMessage", 255, long],
  ["TollfreeVerification", "usecaseSummary", 500, long],
  ["TollfreeVerification", "messageSample", 1000, long],
  ["TollfreeVerification", "additionalInformation", 500, long],
  ["TollfreeVerification", "extraData", 500, long],
  ["PhoneNumber", "cnam", 15, long],
];
for (const [resource, path, max, make] of MAX) add(resource, `${max + 1} characters`, path, make(max + 1), `must be at most ${max} characters`);

// --- Minimum lengths: campaign texts (§8.2) and fields that must not be empty ---------------------------------------
const MIN: [string, number][] = [
  ["description", 40],
  ["sample1", 20],
  ["sample2", 20],
  ["sample3", 20],
  ["sample4", 20],
  ["sample5", 20],
  ["messageFlow", 40],
  ["helpMessage", 20],
  ["optoutMessage", 20],
  ["optinMessage", 20],
];
for (const [path, min] of MIN) add("Campaign", `${min - 1} characters`, path, long(min - 1), `must be at least ${min} characters`);
const NOT_EMPTY: [Resource, string][] = [
  ["Subaccount", "name"],
  ["Endpoint", "alias"],
  ["Powerpack", "name"],
  ["NumberPoolMember", "powerpackId"],
  ["Profile", "profileAlias"],
  ["Profile", "companyName"],
  ["Profile", "address.street"],
  ["Profile", "address.city"],
  ["Profile", "address.state"],
  ["Profile", "address.postalCode"],
  ["Profile", "authorizedContact.firstName"],
  ["Profile", "authorizedContact.lastName"],
  ["Profile", "authorizedContact.title"],
  ["Brand", "profileUuid"],
  ["Brand", "brandAlias"],
  ["Campaign", "brandId"],
  ["Campaign", "campaignAlias"],
  ["CampaignNumberLink", "campaignId"],
  ["TollfreeVerification", "profileUuid"],
  ["TollfreeVerification", "usecaseSummary"],
  ["TollfreeVerification", "messageSample"],
  ["PhoneNumber", "search.region"],
];
for (const [resource, path] of NOT_EMPTY) add(resource, "blank", path, "   ", "must not be empty");

// --- Allowed values (§3.2, §2.2, §4.2, §5.2, §6.2, §7.2, §8.2, §10.2, and the wait options) -------------------------
const VERTICALS =
  "PROFESSIONAL, REAL_ESTATE, HEALTHCARE, HUMAN_RESOURCES, ENERGY, ENTERTAINMENT, RETAIL, TRANSPORTATION, AGRICULTURE, INSURANCE, " +
  "POSTAL, EDUCATION, HOSPITALITY, FINANCIAL, POLITICAL, GAMBLING, LEGAL, CONSTRUCTION, NGO, MANUFACTURING, GOVERNMENT, TECHNOLOGY, COMMUNICATION";
const USECASES =
  "2FA, ACCOUNT_NOTIFICATION, CUSTOMER_CARE, DELIVERY_NOTIFICATION, FRAUD_ALERT, HIGHER_EDUCATION, MARKETING, POLLING_VOTING, " +
  "PUBLIC_SERVICE_ANNOUNCEMENT, SECURITY_ALERT";
const ENUMS: [Resource, string, string][] = [
  ["Application", "answerMethod", "GET, POST"],
  ["Application", "hangupMethod", "GET, POST"],
  ["Application", "fallbackMethod", "GET, POST"],
  ["Application", "messageMethod", "GET, POST"],
  ["PhoneNumber", "cnamLookup", "ENABLED, DISABLED"],
  ["PhoneNumber", "callerReputation", "ENABLED, DISABLED"],
  ["Powerpack", "applicationType", "XML, PHLO"],
  ["Powerpack", "numberPriorities.0.countryIso", "US, CA"],
  ["Powerpack", "numberPriorities.0.serviceType", "SMS, MMS"],
  ["Powerpack", "numberPriorities.0.priority.priority1", "LONGCODE, SHORTCODE, TOLLFREE"],
  ["Powerpack", "numberPriorities.0.priority.priority2", "LONGCODE, SHORTCODE, TOLLFREE"],
  ["Powerpack", "numberPriorities.0.priority.priority3", "LONGCODE, SHORTCODE, TOLLFREE"],
  ["NumberPoolMember", "service", "SMS, MMS"],
  ["Profile", "customerType", "DIRECT, RESELLER"],
  ["Profile", "entityType", "PRIVATE, PUBLIC, NON_PROFIT, GOVERNMENT, INDIVIDUAL"],
  ["Profile", "vertical", VERTICALS],
  ["Profile", "altBusinessIdType", "DUNS, LEI, GIIN, NONE"],
  ["Profile", "authorizedContact.seniority", "DIRECTOR, GM, VP, CEO, CFO, GENERAL_COUNSEL, OTHER"],
  [
    "Profile",
    "stockExchange",
    "NASDAQ, NYSE, AMEX, AMX, ASX, B3, BME, BSE, FRA, ICEX, JPX, JSE, KRX, LON, NSE, OMX, SEHK, SGX, SSE, STO, SWX, SZSE, TSX, TWSE, VSE, OTHER",
  ],
  ["Brand", "brandType", "STANDARD, STARTER"],
  ["Brand", "method", "GET, POST"],
  ["Brand", "waitUntil", "SUBMITTED, COMPLETED"],
  ["Campaign", "vertical", VERTICALS],
  ["Campaign", "usecase", `${USECASES}, LOW_VOLUME, MIXED, STARTER`],
  ["Campaign", "method", "GET, POST"],
  ["Campaign", "waitUntil", "SUBMITTED, ACTIVE"],
  ["CampaignNumberLink", "method", "GET, POST"],
  ["CampaignNumberLink", "waitUntil", "SUBMITTED, COMPLETED"],
  ["TollfreeVerification", "optinType", "VERBAL, WEB_FORM, PAPER_FORM, VIA_TEXT, MOBILE_QR_CODE"],
  ["TollfreeVerification", "volume", "10, 100, 1,000, 10,000, 100,000, 250,000, 500,000, 750,000, 1,000,000, 5,000,000, 10,000,000+"],
  ["TollfreeVerification", "callbackMethod", "GET, POST"],
  ["TollfreeVerification", "waitUntil", "SUBMITTED, APPROVED"],
];
for (const [resource, path, allowed] of ENUMS) add(resource, "not an allowed value", path, "bogus", `must be one of ${allowed}`);
add("Campaign", "an unknown sub use case", "subUsecases", ["CUSTOMER_CARE", "bogus"], `items must be one of ${USECASES} (got "BOGUS")`);
add("TollfreeVerification", "an unknown use case", "usecases", ["2FA", "bogus"], `items must be one of ${USECASES} (got "BOGUS")`);
add("PhoneNumber", "an unknown search type", "search.type", "landline", "must be one of local, fixed, mobile, tollfree, national, any");
add("PhoneNumber", "an unknown service", "search.services", ["sms", "fax"], 'items must be one of VOICE, SMS, MMS (got "FAX")');

// --- Types ---------------------------------------------------------------------------------------------------------
const BOOLEANS: [Resource, string][] = [
  ["Subaccount", "enabled"],
  ["Subaccount", "cascade"],
  ["Application", "defaultNumberApp"],
  ["Application", "defaultEndpointApp"],
  ["Application", "logIncomingMessages"],
  ["Application", "publicUri"],
  ["Powerpack", "stickySender"],
  ["Powerpack", "localConnect"],
  ["NumberPoolMember", "tollFree"],
  ["Brand", "secondaryVetting"],
  ["Campaign", "embeddedLink"],
  ["Campaign", "embeddedPhone"],
  ["Campaign", "ageGated"],
  ["Campaign", "directLending"],
  ["Campaign", "affiliateMarketing"],
  ["Campaign", "subscriberOptin"],
  ["Campaign", "subscriberOptout"],
  ["Campaign", "subscriberHelp"],
];
for (const [resource, path] of BOOLEANS) add(resource, "not a boolean", path, "maybe", "must be a boolean");
for (const resource of ["Brand", "Campaign", "CampaignNumberLink", "TollfreeVerification"] as const) {
  add(resource, "a fraction", "waitTimeoutSeconds", 1.5, "must be a whole number");
  add(resource, "zero", "waitTimeoutSeconds", 0, "must be at least 1");
  add(resource, "over a week", "waitTimeoutSeconds", 7 * 86400 + 1, "must be at most 604800");
  add(resource, "a word", "waitTimeoutSeconds", "an hour", "must be a number");
}
const STRINGS: [Resource, string][] = [
  ["Subaccount", "name"],
  ["Endpoint", "username"],
  ["Endpoint", "password"],
  ["Application", "appName"],
  ["Application", "subaccount"],
  ["PhoneNumber", "alias"],
  ["PhoneNumber", "appId"],
  ["Powerpack", "name"],
  ["Profile", "companyName"],
  ["Profile", "address.city"],
  ["Profile", "authorizedContact.title"],
  ["Brand", "brandAlias"],
  ["Campaign", "campaignAlias"],
  ["Campaign", "description"],
  ["TollfreeVerification", "usecaseSummary"],
  ["CampaignNumberLink", "campaignId"],
];
for (const [resource, path] of STRINGS) add(resource, "not a string", path, 42, "must be a string");
add("Profile", "a string for an object", "address", "1 Main St, Austin", "must be an object");
add("Profile", "a list for an object", "authorizedContact", ["Ada"], "must be an object");
add("PhoneNumber", "a string for search", "search", "US 415", "must be an object {countryIso, type?, pattern?, region?, services?}");
add("Powerpack", "an object for a list", "numberPriorities", { countryIso: "US" }, "must be a list of objects");
add("Powerpack", "a string for a list item", "numberPriorities.0", "US/SMS", "must be an object");
add("Powerpack", "a string for the ranking", "numberPriorities.0.priority", "longcode", "must be an object");
add("PhoneNumber", "letters in the pattern", "search.pattern", "41S", "must be digits after the country code (e.g. 415)");
add("PhoneNumber", "no services", "search.services", [], "must name at least one service");

// --- URLs: http(s) only, and no credentials (they would sit in clear in the state) ------------------------------------
const URLS: [Resource, string][] = [
  ["Application", "answerUrl"],
  ["Application", "hangupUrl"],
  ["Application", "fallbackAnswerUrl"],
  ["Application", "messageUrl"],
  ["Brand", "url"],
  ["Campaign", "url"],
  ["Campaign", "termsAndConditionsLink"],
  ["Campaign", "privacyPolicyLink"],
  ["CampaignNumberLink", "url"],
  ["TollfreeVerification", "callbackUrl"],
];
for (const [resource, path] of URLS) {
  add(resource, "ftp", path, "ftp://example.com/a", "must be an http(s) URL");
  add(resource, "not a URL", path, "example dot com", "must be an http(s) URL");
  add(resource, "user:password@", path, "https://hook:s3cr3t-pw@example.com/a", "must not carry credentials (user:password@)", { hidden: "s3cr3t-pw" });
  add(resource, "a token in the query", path, "https://example.com/a?token=s3cr3t-tk", "must not carry credentials in its query (token=…)", {
    hidden: "s3cr3t-tk",
  });
}
// Plivo documents no length for URLs: 2,048 characters, what web servers commonly accept in a request line (§1.9).
for (const [resource, path] of URLS) add(resource, "2049 characters", path, `https://example.com/${"a".repeat(2049 - 20)}`, "must be at most 2048 characters");
add(
  "TollfreeVerification",
  "a 2049-character URL among the opt-in evidence",
  "optinImageUrl",
  `https://acme.test/a.png, https://acme.test/${"a".repeat(2049 - 18)}`,
  "each URL must be at most 2048 characters",
);
add("TollfreeVerification", "ftp opt-in evidence", "optinImageUrl", "ftp://acme.test/optin.png", "must be one or more http(s) URLs separated by commas");
add(
  "TollfreeVerification",
  "credentials in the opt-in evidence",
  "optinImageUrl",
  "https://acme.test/a.png, https://u:s3cr3t-pw@acme.test/b.png",
  "must not carry credentials",
  {
    hidden: "s3cr3t-pw",
  },
);
add("Profile", "credentials in the website", "website", "https://admin:s3cr3t-pw@acme.example.com", "must not carry credentials", { hidden: "s3cr3t-pw" });
add("Profile", "not a website", "website", "acme", "must be a website address such as www.example.com");

// --- Ids (§1.7): the shape of what Plivo gives out, never a name, another object's id or URL path characters ---------
// (the id of an input that references an object may end up in a request path: `/Powerpack/{uuid}/`, `/10dlc/Campaign/
// {campaign_id}/Number/`, `/Application/{app_id}/` for adoptId).
const UUID_RULE = "must be a UUID (8-4-4-4-12 hexadecimal digits";
const APP_ID_RULE = "must be an application id: digits only";
const BRAND_ID_RULE = "must be a brand id: B and 6 upper-case letters or digits";
const CAMPAIGN_ID_RULE = "must be a campaign id: C and 6 upper-case letters or digits";
const SUBACCOUNT_RULE = "must be a subaccount auth id: SA and 18 letters or digits";
const IDS: [Resource, string, string, [string, unknown][]][] = [
  [
    "NumberPoolMember",
    "powerpackId",
    UUID_RULE,
    [
      ["a name", "pool"],
      ["path characters", `${A_UUID}/Number`],
      ["a digit short", A_UUID.slice(0, -1)],
    ],
  ],
  [
    "Brand",
    "profileUuid",
    UUID_RULE,
    [
      ["a name", "acme"],
      ["path characters", `../Profile/${A_UUID}`],
      ["no dashes", A_UUID.replace(/-/g, "")],
    ],
  ],
  [
    "TollfreeVerification",
    "profileUuid",
    UUID_RULE,
    [
      ["a name", "acme"],
      ["path characters", `${A_UUID}?x=1`],
    ],
  ],
  [
    "PhoneNumber",
    "profileUuid",
    UUID_RULE,
    [
      ["a name", "acme"],
      ["path characters", `${A_UUID}#`],
    ],
  ],
  [
    "Campaign",
    "brandId",
    BRAND_ID_RULE,
    [
      ["a name", "Acme"],
      ["path characters", "B/CDEF1"],
      ["a campaign id", "CVWMV6V"],
      ["lower case", "bcdef1g"],
      ["too long", "BCDEF1GH"],
    ],
  ],
  [
    "CampaignNumberLink",
    "campaignId",
    CAMPAIGN_ID_RULE,
    [
      ["an alias", "order-updates"],
      ["path characters", "C/VWMV6"],
      ["a brand id", "BCDEF1G"],
    ],
  ],
  [
    "PhoneNumber",
    "appId",
    APP_ID_RULE,
    [
      ["a name", "support"],
      ["path characters", "20468599130939380/"],
    ],
  ],
  ["Endpoint", "appId", APP_ID_RULE, [["a name", "support"]]],
  [
    "Application",
    "subaccount",
    SUBACCOUNT_RULE,
    [
      ["too short", "SA123"],
      ["a main account", "MAEMULATORACCOUNT0001"],
      ["path characters", "SAEMULATORSUB000000/"],
    ],
  ],
  [
    "PhoneNumber",
    "subaccount",
    SUBACCOUNT_RULE,
    [
      ["a name", "sales"],
      ["too long", `SA${"X".repeat(19)}`],
    ],
  ],
  [
    "Profile",
    "plivoSubaccount",
    SUBACCOUNT_RULE,
    [
      ["21 characters", "x".repeat(21)],
      ["a main account", "MAEMULATORACCOUNT0001"],
    ],
  ],
];
for (const [resource, path, rule, values] of IDS) for (const [what, value] of values) add(resource, what, path, value, rule);
add("Powerpack", "a name for the application", "applicationId", "inbound", "must be an application id (digits) or a PHLO id (a UUID)");
add("Powerpack", "none for no application", "applicationId", "none", "must be an application id (digits) or a PHLO id (a UUID); leave applicationId out");

// adoptId has the id shape of its resource: it is read from Plivo by that id before anything else.
const ADOPT: [Resource, string, [string, string][]][] = [
  [
    "Subaccount",
    SUBACCOUNT_RULE,
    [
      ["a name", "stage-dev"],
      ["a main account", "MAEMULATORACCOUNT0001"],
    ],
  ],
  [
    "Endpoint",
    "must be an endpoint id: digits only",
    [
      ["a username", "desk"],
      ["path characters", "37264891234567/"],
    ],
  ],
  [
    "Application",
    APP_ID_RULE,
    [
      ["a name", "support"],
      ["path characters", "../Number/14155550100"],
    ],
  ],
  ["PhoneNumber", "must be an E.164 phone number", [["a word", "main-line"]]],
  ["Powerpack", UUID_RULE, [["a name", "pool"]]],
  [
    "NumberPoolMember",
    "must be {powerpackId}/{number}",
    [
      ["the Powerpack only", A_UUID],
      ["a name for the Powerpack", "pool/+14155550100"],
      ["three parts", `${A_UUID}/14155550100/x`],
    ],
  ],
  ["Profile", UUID_RULE, [["a name", "acme"]]],
  ["Brand", BRAND_ID_RULE, [["a query", "BCDEF1G?x"]]],
  ["Campaign", CAMPAIGN_ID_RULE, [["path characters", "CVWMV6V/Number"]]],
  [
    "CampaignNumberLink",
    "must be {campaignId}/{number}",
    [
      ["the campaign only", "CVWMV6V"],
      ["a toll-free number", "CVWMV6V/+18005550100"],
    ],
  ],
  ["TollfreeVerification", UUID_RULE, [["a number", "1234"]]],
];
for (const [resource, rule, values] of ADOPT) {
  add(resource, "blank", "adoptId", "  ", "must not be empty");
  for (const [what, value] of values) add(resource, what, "adoptId", value, rule);
}

// --- Phone numbers (E.164) and which numbers fit where (§9.2: 10DLC is for US long codes; §10.2: US/CA toll-free) ---
const E164 = "must be an E.164 phone number (country code and digits, e.g. +14155550100)";
const PHONES: [Resource, string][] = [
  ["PhoneNumber", "number"],
  ["NumberPoolMember", "number"],
  ["CampaignNumberLink", "number"],
  ["TollfreeVerification", "number"],
  ["Profile", "authorizedContact.phone"],
];
for (const [resource, path] of PHONES) {
  add(resource, "letters", path, "call me", E164);
  add(resource, "a leading zero", path, "+0415555010", E164);
}
const TOLL_FREE = "must be a US or Canadian toll-free number (+1 800, 833, 844, 855, 866, 877 or 888)";
add("TollfreeVerification", "a US local number", "number", "+14155550100", `${TOLL_FREE}; 14155550100 is a US local number`);
add("TollfreeVerification", "a UK mobile number", "number", "+447700900123", `${TOLL_FREE}; 447700900123 is a number outside the US and Canada`);
add("TollfreeVerification", "a Canadian local number", "number", "+14165550100", `${TOLL_FREE}; 14165550100 is a Canadian number`);
const LONG_CODE = "must be a US local long code (10DLC covers no other numbers)";
add("CampaignNumberLink", "a toll-free number", "number", "+18885550100", `${LONG_CODE}; 18885550100 is a toll-free number`);
add("CampaignNumberLink", "a UK mobile number", "number", "+447700900123", `${LONG_CODE}; 447700900123 is a number outside the US and Canada`);
add("CampaignNumberLink", "a Canadian number", "number", "+16045550100", `${LONG_CODE}; 16045550100 is a Canadian number`);
add("CampaignNumberLink", "a Jamaican number", "number", "+18765550100", `${LONG_CODE}; 18765550100 is a +1 number outside the US and Canada`);

// --- Countries, states and tax ids (§6.2) ---------------------------------------------------------------------------
const ISO = "must be an ISO 3166 alpha-2 country code such as US";
add("Profile", "country XX", "address.country", "XX", ISO);
add("Profile", "country UK", "address.country", "uk", `${ISO} (the United Kingdom is GB)`);
add("Profile", "a country name", "address.country", "USA", ISO);
add("Profile", "EIN country XX", "einIssuingCountry", "XX", ISO);
add("PhoneNumber", "search country XX", "search.countryIso", "XX", ISO);
add("PhoneNumber", "search country UK", "search.countryIso", "UK", `${ISO} (the United Kingdom is GB)`);
add("Profile", "state ZZ", "address.state", "ZZ", "must be a US state code such as TX");
add("Profile", "a state name", "address.state", "Texas", "must be a US state code such as TX");
cases.push({
  resource: "Profile",
  what: "a US state in Canada",
  inputs: withValue(withValue(VALID.Profile, "address.country", "CA"), "address.state", "TX"),
  path: "address.state",
  rule: "must be a Canadian province or territory code such as ON",
});
add("Profile", "an EIN of letters", "ein", "ABCDEFGHI", "must be a tax id made of digits");
add("Profile", "a short US EIN", "ein", "12-345678", "must be a US EIN: 9 digits such as 12-3456789");
add("Profile", "a long US EIN", "ein", "1234567890", "must be a US EIN: 9 digits such as 12-3456789");
add("Profile", "a bad contact email", "authorizedContact.email", "ada at acme", "must be an email address");
add("Profile", "a bad business email", "businessContactEmail", "ops@", "must be an email address");

// --- Cross-field rules -------------------------------------------------------------------------------------------------
const rule = (resource: Resource, what: string, inputs: Record<string, unknown>, path: string, text: string) =>
  cases.push({ resource, what, inputs, path, rule: text });
rule("PhoneNumber", "number and search", { number: "+14155550100", search: { countryIso: "US" } }, "search", "cannot be combined with number");
rule("PhoneNumber", "adoptId and search", { adoptId: "14155550100", search: { countryIso: "US" } }, "search", "has no effect with adoptId");
rule(
  "PhoneNumber",
  "adoptId names another number",
  { adoptId: "14155550100", number: "+12125550100" },
  "adoptId",
  "names another number than number (12125550100)",
);
rule("PhoneNumber", "neither number nor search", { alias: "main" }, "number", "give an exact number, search criteria (search.countryIso, ...) or adoptId");
rule(
  "PhoneNumber",
  "caller reputation without a profile",
  { number: "+14155550100", callerReputation: "enabled" },
  "callerReputation",
  "enabling caller reputation requires profileUuid",
);
rule(
  "PhoneNumber",
  "CNAM lookup on a UK number",
  { number: "+447700900123", cnamLookup: "enabled" },
  "cnamLookup",
  "caller-name lookup exists for US numbers only (447700900123 is a number outside the US and Canada)",
);
rule(
  "PhoneNumber",
  "CNAM on a German search",
  { search: { countryIso: "DE" }, cnam: "ACME" },
  "cnam",
  "an outbound caller name can be registered for US numbers only (search.countryIso is DE)",
);
rule(
  "PhoneNumber",
  "caller reputation on a Canadian number",
  { number: "+16045550100", callerReputation: "enabled", profileUuid: A_UUID },
  "callerReputation",
  "caller reputation exists for US local and toll-free numbers only (16045550100 is a Canadian number)",
);
rule(
  "Powerpack",
  "an application without its type",
  { name: "pool", applicationId: "20468599130939380" },
  "applicationType",
  "is required when applicationId is set",
);
rule(
  "Powerpack",
  "a PHLO id typed XML",
  { name: "pool", applicationType: "xml", applicationId: A_UUID },
  "applicationId",
  "is a PHLO id (a UUID) but applicationType is XML",
);
rule(
  "Powerpack",
  "an application id typed PHLO",
  { name: "pool", applicationType: "phlo", applicationId: "20468599130939380" },
  "applicationId",
  "is an application id but applicationType is PHLO",
);
const priorities = (p1: string, p2: string) => [{ countryIso: "US", serviceType: "SMS", priority: { priority1: p1, priority2: p2, priority3: "shortcode" } }];
rule(
  "Powerpack",
  "a type ranked twice",
  { name: "pool", numberPriorities: priorities("longcode", "longcode") },
  "numberPriorities",
  "US/SMS must rank longcode, shortcode and tollfree once each",
);
rule(
  "Powerpack",
  "a destination listed twice",
  { name: "pool", numberPriorities: [...priorities("longcode", "tollfree"), ...priorities("tollfree", "longcode")] },
  "numberPriorities",
  "US/SMS is listed twice",
);
rule(
  "NumberPoolMember",
  "a local number as the toll-free one",
  { ...VALID.NumberPoolMember, tollFree: true },
  "tollFree",
  "14155550100 is not a toll-free number",
);
rule(
  "NumberPoolMember",
  "a toll-free number as a long code",
  { ...VALID.NumberPoolMember, number: "+18005550100", tollFree: false },
  "tollFree",
  "18005550100 is a toll-free number",
);
rule(
  "Profile",
  "PUBLIC without a stock symbol",
  { ...VALID.Profile, entityType: "public", stockExchange: "NYSE" },
  "stockSymbol",
  "is required when entityType is PUBLIC",
);
rule(
  "Profile",
  "an alternative id without its type",
  { ...VALID.Profile, altBusinessId: "123456789" },
  "altBusinessIdType",
  "is required when altBusinessId is set (DUNS, LEI or GIIN)",
);
rule(
  "Profile",
  "an alternative id typed NONE",
  { ...VALID.Profile, altBusinessId: "123456789", altBusinessIdType: "none" },
  "altBusinessIdType",
  "is required when altBusinessId is set (DUNS, LEI or GIIN); NONE says there is no id",
);
rule("Profile", "a DUNS type without the id", { ...VALID.Profile, altBusinessIdType: "duns" }, "altBusinessId", "is required when altBusinessIdType is DUNS");
rule(
  "Profile",
  "PUBLIC without a stock exchange",
  { ...VALID.Profile, entityType: "public", stockSymbol: "ACME" },
  "stockExchange",
  "is required when entityType is PUBLIC",
);
rule("Brand", "a STARTER brand", { ...VALID.Brand, brandType: "starter" }, "brandType", "Plivo has paused support for STARTER brands; use STANDARD");
rule("Campaign", "a STARTER campaign", { ...VALID.Campaign, usecase: "starter" }, "usecase", "STARTER is only for STARTER brands, which Plivo has paused");
rule(
  "Campaign",
  "MIXED without sub use cases",
  withValue(VALID.Campaign, "subUsecases", REMOVE),
  "subUsecases",
  "2 to 5 sub use cases are required for usecase MIXED",
);
rule(
  "Campaign",
  "sub use cases with MARKETING",
  { ...VALID.Campaign, usecase: "marketing" },
  "subUsecases",
  "only allowed with usecase MIXED or LOW_VOLUME (got usecase MARKETING)",
);
add("Campaign", "one sub use case", "subUsecases", ["CUSTOMER_CARE"], "must have at least 2 items");
add(
  "Campaign",
  "six sub use cases",
  "subUsecases",
  ["2FA", "CUSTOMER_CARE", "FRAUD_ALERT", "MARKETING", "POLLING_VOTING", "SECURITY_ALERT"],
  "must have at most 5 items",
);
for (const k of ["subscriberOptin", "subscriberOptout", "subscriberHelp"]) add("Campaign", "false", k, false, "must be true (carriers require it)");
add(
  "Campaign",
  "a public URL shortener",
  "sample2",
  "Track your order at https://bit.ly/3xYz now.",
  "carriers refuse links through public URL shorteners (bit.ly)",
);
add("Campaign", "keywords with spaces", "optoutKeywords", "STOP NOW", "must be a comma-separated list of single words");
add("Campaign", "keywords separated by semicolons", "optinKeywords", "YES;START", "must be a comma-separated list of single words");
add("Campaign", "keywords with symbols", "helpKeywords", "HELP,INFO!", "must be a comma-separated list of single words");
add("TollfreeVerification", "no use case", "usecases", [], "must have at least 1 item");
add("TollfreeVerification", "an unlisted volume", "volume", "20,000", "must be one of 10, 100, 1,000");
add("Application", "a name with spaces", "appName", "support line", "may contain only letters, digits, '-' and '_'");
// Endpoints (§17.2): the username starts with a letter and has letters and digits only; the password is never echoed.
add("Endpoint", "a leading digit", "username", "9desk", "must start with a letter and contain only letters and digits");
add("Endpoint", "a dot in the username", "username", "front.desk", "must start with a letter and contain only letters and digits");
add("Endpoint", "a 4-character password", "password", "s3cr", "must be at least 5 characters", { hidden: "s3cr" });
add("Endpoint", "spaces in the alias", "alias", "front desk", "may contain only letters, digits, '-' and '_'");

// --- Unknown keys, at any depth -------------------------------------------------------------------------------------
for (const resource of Object.keys(VALID) as Resource[]) {
  cases.push({
    resource,
    what: "an unknown input",
    inputs: { ...VALID[resource], colour: "blue" },
    path: "colour",
    rule: `is not an input of plivo.${resource}`,
  });
}
rule(
  "Application",
  "a misspelt input",
  { ...VALID.Application, answerUrll: "https://example.com" },
  "answerUrll",
  "is not an input of plivo.Application (did you mean answerUrl?)",
);
add("Profile", "an unknown address field", "address.zip", "73301", "is not a field of address (fields: street, city, state, postalCode, country)");
add("Profile", "a misspelt address field", "address.stat", "TX", "is not a field of address (did you mean state?)");
add(
  "Profile",
  "an unknown contact field",
  "authorizedContact.mobile",
  "+15125550100",
  "is not a field of authorizedContact (fields: firstName, lastName, email, title, seniority, phone)",
);
add("PhoneNumber", "an unknown search field", "search.areaCode", "415", "is not a field of search (fields: countryIso, type, pattern, region, services)");
add(
  "Powerpack",
  "an unknown priority entry field",
  "numberPriorities.0.weight",
  1,
  "is not a field of numberPriorities.0 (fields: countryIso, serviceType, priority)",
);
add("Powerpack", "a fourth priority", "numberPriorities.0.priority.priority4", "longcode", "is not a field of numberPriorities.0.priority");

export const CORPUS: readonly Case[] = cases;
