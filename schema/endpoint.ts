/** Endpoint: a SIP user that a softphone, desk phone or Plivo voice SDK registers as (docs/plivo-api.md §17). */
import { f } from "./fields";
import { APP_ID, type IdFormat } from "./ids";
import { appIdFromUri } from "./phoneNumber";
import { defineResource, fromConfig, ref } from "./resource";

/** `endpoint_id`: 14 digits in every recorded example (docs/plivo-api.md §17.1); 1 to 20 digits are accepted. */
const ENDPOINT_ID: IdFormat = { pattern: /^\d{1,20}$/, rule: "must be an endpoint id: digits only, e.g. 37264891234567" };

/** Plivo appends the creation time (yyMMddHHmmss, 12 digits) to the username asked for (docs/plivo-api.md §17.2). */
const withoutStamp = (stored: unknown) => (typeof stored === "string" && /^[A-Za-z][A-Za-z0-9]*\d{12}$/.test(stored) ? stored.slice(0, -12) : stored);

export const endpointSchema = defineResource({
  type: "Endpoint",
  description:
    "A SIP endpoint: the user a softphone, desk phone or Plivo voice SDK registers as, with the application its calls go to. " +
    "It belongs to the account whose credentials create it: under a subaccount's `plivo.Provider`, to that subaccount.",
  deletion: "Deletes the endpoint: phones registered with it can no longer make or receive calls.",
  idDescription: "the endpoint id (`endpoint_id`, digits such as 37264891234567)",
  idField: "endpointId",
  idFormat: ENDPOINT_ID,
  example: { name: "desk", inputs: { username: "desk", password: fromConfig("deskPassword", { secret: true }), alias: "desk", appId: ref("support.id") } },
  inputs: {
    username: f.string({
      wire: "username",
      required: true,
      onChange: "replace",
      max: 25,
      pattern: /^[A-Za-z][A-Za-z0-9]*$/,
      patternText: "must start with a letter and contain only letters and digits",
      declaredFrom: withoutStamp,
      description:
        "The username asked for. Plivo appends its creation time (12 digits, yyMMddHHmmss) to it: the output `username` is " +
        "what phones register with. Changing it replaces the endpoint.",
    }),
    password: f.string({
      wire: "password",
      required: true,
      min: 5,
      writeOnly: true,
      secret: true,
      description: "Password phones register with. Changing it updates the endpoint in place.",
    }),
    alias: f.string({
      wire: "alias",
      required: true,
      min: 1,
      max: 255,
      // Empty is the business of min (one message per bad value).
      pattern: /^[A-Za-z0-9_-]*$/,
      patternText: "may contain only letters, digits, '-' and '_'",
      description: "A friendly name for the endpoint.",
    }),
    appId: f.id(APP_ID, {
      wire: "app_id",
      readWire: "application",
      fromWire: appIdFromUri,
      computed: true,
      description: "Application that calls to and from the endpoint go to. When omitted Plivo attaches the account's default endpoint application.",
    }),
  },
  outputs: {
    endpointId: f.output("endpoint_id", "The endpoint id."),
    sipUri: f.output("sip_uri", "SIP URI phones register at (sip:{username}@phone.plivo.com)."),
    subaccount: f.output("sub_account", "Auth id of the subaccount the endpoint belongs to; absent for the main account."),
    resourceUri: f.output("resource_uri", "API URI of the endpoint."),
    // Not outputs: `sip_registered`, `sip_contact`, `sip_expires` and `sip_user_agent` say whether a phone is registered
    // right now; they change whenever a phone comes and goes, so every refresh would show a change nobody made.
  },
});
