/**
 * What the ids Plivo gives out look like (docs/plivo-api.md §1.7). An input that references an object by its id is
 * checked against its shape, so a typo (or a name where an id goes) fails at preview instead of as a 404 from Plivo,
 * and nothing that ends up in a URL path (`/Powerpack/{uuid}/`, `/10dlc/Campaign/{campaign_id}/Number/`) can carry
 * `/`, `?`, `#` or spaces: every shape below is made of letters, digits and `-` only.
 */
export interface IdFormat {
  readonly pattern: RegExp;
  /** The rule in words, as check reports it ("must be a UUID such as …"). */
  readonly rule: string;
}

/** Powerpack, number pool, profile and toll-free verification uuids; PHLO ids. Plivo's are not all version 4. */
export const UUID: IdFormat = {
  pattern: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  rule: "must be a UUID (8-4-4-4-12 hexadecimal digits, e.g. 0b3c2ad4-6a1c-4b8e-9d3c-2f8c9d1e7a11)",
};

/** `app_id`: 17 digits in every recorded example; 1 to 20 are accepted (docs/plivo-api.md §1.9). */
export const APP_ID: IdFormat = {
  pattern: /^\d{1,20}$/,
  rule: "must be an application id: digits only, e.g. 20468599130939380",
};

/** The Campaign Registry's brand ids: `B` and 6 upper-case letters or digits. */
export const BRAND_ID: IdFormat = {
  pattern: /^B[A-Z0-9]{6}$/,
  rule: "must be a brand id: B and 6 upper-case letters or digits, e.g. BCDEF1G",
};

/** The Campaign Registry's campaign ids: `C` and 6 upper-case letters or digits. */
export const CAMPAIGN_ID: IdFormat = {
  pattern: /^C[A-Z0-9]{6}$/,
  rule: "must be a campaign id: C and 6 upper-case letters or digits, e.g. CVWMV6V",
};

/** A subaccount's auth id: `SA` and 18 letters or digits (a main account's starts with `MA`). */
export const SUBACCOUNT_ID: IdFormat = {
  pattern: /^SA[A-Z0-9]{18}$/,
  rule: "must be a subaccount auth id: SA and 18 letters or digits, e.g. SAXXXXXXXXXXXXXXXXXX",
};

/** Why `value` does not have the shape of `format`, or undefined. */
export const idProblem = (format: IdFormat, value: string): string | undefined => (format.pattern.test(value) ? undefined : format.rule);
