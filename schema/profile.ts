/** Profile: the business profile behind 10DLC brands and toll-free verifications (docs/plivo-api.md §6). */
import { f, noCredentials, upper, urlCredentialProblem } from "./fields";
import { CA_PROVINCES, US_STATES } from "./geo";
import { SUBACCOUNT_ID, UUID } from "./ids";
import { defineResource, fail, type CheckFailure } from "./resource";

export const VERTICALS = [
  "PROFESSIONAL",
  "REAL_ESTATE",
  "HEALTHCARE",
  "HUMAN_RESOURCES",
  "ENERGY",
  "ENTERTAINMENT",
  "RETAIL",
  "TRANSPORTATION",
  "AGRICULTURE",
  "INSURANCE",
  "POSTAL",
  "EDUCATION",
  "HOSPITALITY",
  "FINANCIAL",
  "POLITICAL",
  "GAMBLING",
  "LEGAL",
  "CONSTRUCTION",
  "NGO",
  "MANUFACTURING",
  "GOVERNMENT",
  "TECHNOLOGY",
  "COMMUNICATION",
] as const;

const STOCK_EXCHANGES = [
  "NASDAQ",
  "NYSE",
  "AMEX",
  "AMX",
  "ASX",
  "B3",
  "BME",
  "BSE",
  "FRA",
  "ICEX",
  "JPX",
  "JSE",
  "KRX",
  "LON",
  "NSE",
  "OMX",
  "SEHK",
  "SGX",
  "SSE",
  "STO",
  "SWX",
  "SZSE",
  "TSX",
  "TWSE",
  "VSE",
  "OTHER",
] as const;

const email = (wire: string, description: string, required = false) =>
  f.string({ wire, required, max: 100, pattern: /^[^\s@]+@[^\s@]+\.[^\s@]+$/, patternText: "must be an email address", description });

export const profileSchema = defineResource({
  type: "Profile",
  description: "A Plivo business profile, required to register 10DLC brands and verify toll-free numbers.",
  deletion:
    "Deletes the profile (irreversible; the account's PRIMARY profile cannot be deleted, and one still used by a brand or a verification is refused, docs/plivo-api.md §6.5).",
  idDescription: "the profile uuid",
  idField: "profileUuid",
  idFormat: UUID,
  example: {
    name: "acme",
    inputs: {
      profileAlias: "acme",
      customerType: "DIRECT",
      entityType: "PRIVATE",
      companyName: "Acme Inc",
      vertical: "RETAIL",
      ein: "123456789",
      einIssuingCountry: "US",
      website: "https://acme.example.com",
      address: { street: "1 Main St", city: "Austin", state: "TX", postalCode: "73301", country: "US" },
      authorizedContact: { firstName: "Ada", lastName: "Lovelace", email: "ada@acme.example.com", title: "CTO", seniority: "CEO", phone: "+15125550100" },
    },
  },
  inputs: {
    profileAlias: f.string({
      wire: "profile_alias",
      required: true,
      onChange: "replace",
      min: 1,
      max: 100,
      description: "Friendly name. Cannot be changed: replaces the profile.",
    }),
    customerType: f.enum(["DIRECT", "RESELLER"], {
      wire: "customer_type",
      required: true,
      onChange: "replace",
      description: "RESELLER if you provide communications services to other businesses.",
    }),
    entityType: f.enum(["PRIVATE", "PUBLIC", "NON_PROFIT", "GOVERNMENT", "INDIVIDUAL"], {
      wire: "entity_type",
      required: true,
      // Plivo reports TCR's vocabulary back; both spellings mean the same entity type.
      aliases: { PRIVATE_PROFIT: "PRIVATE", PUBLIC_PROFIT: "PUBLIC" },
      description: "Legal form of the business.",
    }),
    companyName: f.string({ wire: "company_name", required: true, min: 1, max: 100, description: "Legal company name." }),
    vertical: f.enum(VERTICALS, { wire: "vertical", required: true, description: "Industry of the business." }),
    ein: f.string({
      wire: "ein",
      max: 100,
      // Documented as an integer, sent as a string (docs/plivo-api.md §6.2); tax ids of other countries may carry
      // letters, but none is made of letters alone.
      pattern: /^(?=.*\d)[A-Za-z0-9][A-Za-z0-9 ./-]*$/,
      patternText: "must be a tax id made of digits (letters, '-', '.', '/' and spaces allowed around them), e.g. 12-3456789",
      description: "Tax id (EIN in the US: 9 digits). Needed for STANDARD brands.",
    }),
    einIssuingCountry: f.country({ wire: "ein_issuing_country", description: "Country that issued the tax id (ISO 3166 alpha-2)." }),
    address: f.object(
      {
        street: f.string({ wire: "street", required: true, min: 1, max: 100, description: "Street." }),
        city: f.string({ wire: "city", required: true, min: 1, max: 100, description: "City." }),
        state: f.string({
          wire: "state",
          required: true,
          min: 1,
          max: 20,
          normalize: (v) => (typeof v === "string" ? v.trim().toUpperCase() : v),
          description: "State code, e.g. TX (a US state or Canadian province code for those countries).",
        }),
        postalCode: f.string({ wire: "postal_code", required: true, min: 1, max: 10, description: "Postal code." }),
        country: f.country({ wire: "country", required: true, description: "Country code (ISO 3166 alpha-2)." }),
      },
      { wire: "address", required: true, description: "Registered business address." },
    ),
    authorizedContact: f.object(
      {
        firstName: f.string({ wire: "first_name", required: true, min: 1, max: 100, description: "First name." }),
        lastName: f.string({ wire: "last_name", required: true, min: 1, max: 100, description: "Last name." }),
        email: email("email", "Email.", true),
        title: f.string({ wire: "title", required: true, min: 1, max: 100, description: "Job title." }),
        seniority: f.enum(["DIRECTOR", "GM", "VP", "CEO", "CFO", "GENERAL_COUNSEL", "OTHER"], { wire: "seniority", required: true, description: "Seniority." }),
        phone: f.phone({ wire: "phone", required: true, description: "Phone in E.164." }),
      },
      { wire: "authorized_contact", required: true, description: "The person authorised to represent the business." },
    ),
    stockSymbol: f.string({ wire: "stock_symbol", onChange: "replace", max: 10, description: "Stock symbol (required for PUBLIC entities)." }),
    stockExchange: f.enum(STOCK_EXCHANGES, { wire: "stock_exchange", onChange: "replace", description: "Stock exchange (required for PUBLIC entities)." }),
    altBusinessId: f.string({ wire: "alt_business_id", max: 50, description: "Alternative business id (DUNS, LEI, GIIN)." }),
    altBusinessIdType: f.enum(["DUNS", "LEI", "GIIN", "NONE"], {
      wire: "alt_business_id_type",
      computed: true,
      description: "Type of altBusinessId (Plivo reports NONE when omitted).",
    }),
    website: f.string({
      wire: "website",
      max: 100,
      // Plivo's examples give bare host names (`www.example.com`): a scheme is optional.
      pattern: /^(https?:\/\/)?([^\s/?#@]+@)?[^\s/?#@]+\.[^\s/?#@]+([/?#]\S*)?$/i,
      patternText: "must be a website address such as www.example.com",
      problem: { says: noCredentials.says, check: (v) => urlCredentialProblem(/^https?:\/\//i.test(v) ? v : `https://${v}`) },
      description: "Company website, e.g. www.example.com.",
    }),
    plivoSubaccount: f.id(SUBACCOUNT_ID, { wire: "plivo_subaccount", normalize: upper, description: "Subaccount auth id the profile belongs to." }),
    businessContactEmail: f.string({
      wire: "business_contact_email",
      max: 255,
      pattern: /^[^\s@]+@[^\s@]+\.[^\s@]+$/,
      patternText: "must be an email address",
      description: "Business contact email (public companies).",
    }),
    doingBusinessAs: f.string({ wire: "doing_business_as", max: 100, description: "Trade name, if different from the legal name." }),
  },
  outputs: {
    profileUuid: f.output("profile_uuid", "The profile uuid."),
    profileType: f.output("profile_type", "PRIMARY or SECONDARY (API-created profiles are SECONDARY)."),
    primaryProfile: f.output("primary_profile", "uuid of the account's primary profile."),
    createdAt: f.output("created_at", "Creation time."),
  },
  rules: [
    {
      reads: ["entityType", "stockSymbol", "stockExchange"],
      says: "stockSymbol and stockExchange are required when entityType is PUBLIC",
      check(i) {
        if (i.entityType !== "PUBLIC") return [];
        const failures: CheckFailure[] = [];
        if (!i.stockSymbol) failures.push(fail("stockSymbol", "is required when entityType is PUBLIC"));
        if (!i.stockExchange) failures.push(fail("stockExchange", "is required when entityType is PUBLIC"));
        return failures;
      },
    },
    {
      // "state: a valid state code, e.g. TX" (docs/plivo-api.md §6.2): checked where the codes are known.
      reads: ["address"],
      says: "address.state must be a US state code in the US and a Canadian province or territory code in Canada",
      check(i) {
        const { country, state } = i.address;
        if (country === "US" && !US_STATES.has(state))
          return [fail("address.state", "must be a US state code such as TX (two letters, as the US postal service writes it)", state)];
        if (country === "CA" && !CA_PROVINCES.has(state)) return [fail("address.state", "must be a Canadian province or territory code such as ON", state)];
        return [];
      },
    },
    {
      // A US Employer Identification Number has 9 digits, written 12-3456789.
      reads: ["ein", "einIssuingCountry", "address"],
      says: "ein must be a US EIN (9 digits such as 12-3456789) when the US issued it (einIssuingCountry, else address.country)",
      check(i) {
        if (i.ein === undefined || (i.einIssuingCountry ?? i.address.country) !== "US") return [];
        return /^\d{2}-?\d{7}$/.test(i.ein) ? [] : [fail("ein", "must be a US EIN: 9 digits such as 12-3456789", i.ein)];
      },
    },
    {
      // An alternative business id is a DUNS, LEI or GIIN number: its type says which (docs/plivo-api.md §6.2).
      reads: ["altBusinessId", "altBusinessIdType"],
      says: "altBusinessId and altBusinessIdType go together: an id needs its type (DUNS, LEI or GIIN), a type other than NONE needs an id",
      check(i) {
        const typed = i.altBusinessIdType !== undefined && i.altBusinessIdType !== "NONE";
        if (i.altBusinessId && !typed) {
          return [
            fail(
              "altBusinessIdType",
              `is required when altBusinessId is set (DUNS, LEI or GIIN)${i.altBusinessIdType === "NONE" ? "; NONE says there is no id" : ""}`,
            ),
          ];
        }
        if (!i.altBusinessId && typed) return [fail("altBusinessId", `is required when altBusinessIdType is ${i.altBusinessIdType}`)];
        return [];
      },
    },
  ],
});
