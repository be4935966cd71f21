/** `diff`: update-in-place vs replace from the schema, no diff for server-computed omissions, unknowns. */
import { describe, expect, it } from "vitest";
import { applicationSchema } from "../../schema/application";
import { numberPoolMemberSchema } from "../../schema/numberPoolMember";
import { phoneNumberSchema } from "../../schema/phoneNumber";
import { powerpackSchema } from "../../schema/powerpack";
import { profileSchema } from "../../schema/profile";
import { checkInputs } from "../../provider/core/check";
import { diffInputs } from "../../provider/core/diff";
import { UNKNOWN } from "../../provider/core/unknowns";
import { validProfile } from "../helpers/fixtures";

const checked = (schema: Parameters<typeof checkInputs>[0], news: Record<string, unknown>) => checkInputs(schema, news).inputs;

describe("diff", () => {
  const app = checked(applicationSchema, { appName: "inbound", answerUrl: "https://example.com/a" });
  const appOuts = { ...app, appId: "1", hangupUrl: "https://example.com/a", sipUri: "sip:1@app.plivo.com" };

  it.each([
    ["no change", {}, { changes: false, replaces: [], updates: [] }],
    ["a URL updates in place", { answerUrl: "https://example.com/b" }, { changes: true, replaces: [], updates: ["answerUrl"] }],
    ["the name replaces", { appName: "renamed" }, { changes: true, replaces: ["appName"], updates: [] }],
    ["a method case change is no change", { answerMethod: "post" }, { changes: false, replaces: [], updates: [] }],
  ])("Application: %s", (_what, edit, expected) => {
    expect(diffInputs(applicationSchema, appOuts, checked(applicationSchema, { ...app, ...edit }))).toEqual(expected);
  });

  it("leaving out a server-computed field (hangupUrl) is no diff; removing a set one clears it", () => {
    expect(diffInputs(applicationSchema, appOuts, app).changes).toBe(false);
    const withMessage = { ...appOuts, messageUrl: "https://example.com/sms" };
    expect(diffInputs(applicationSchema, withMessage, app)).toMatchObject({ changes: true, updates: ["messageUrl"] });
  });

  it("PhoneNumber: search criteria never replace; an explicit number does", () => {
    const olds = { number: "14155550100", search: { countryIso: "US", pattern: "415" }, appId: "9" };
    expect(diffInputs(phoneNumberSchema, olds, checked(phoneNumberSchema, { search: { countryIso: "US", pattern: "212" } })).changes).toBe(false);
    expect(diffInputs(phoneNumberSchema, olds, checked(phoneNumberSchema, { number: "14155550199" }))).toMatchObject({ replaces: ["number"] });
    expect(diffInputs(phoneNumberSchema, olds, checked(phoneNumberSchema, { number: "+1 415 555 0100", alias: "main" }))).toMatchObject({
      replaces: [],
      updates: ["alias"],
    });
  });

  it("NumberPoolMember: every input replaces", () => {
    const olds = { powerpackId: "pp", number: "14155550100", service: "SMS", tollFree: false };
    expect(diffInputs(numberPoolMemberSchema, olds, { ...olds, service: "MMS" })).toMatchObject({ replaces: ["service"] });
  });

  it("Profile: alias and customer type replace, the rest updates; read-back vocabulary is no diff", () => {
    const inputs = checked(profileSchema, validProfile);
    const outs = { ...inputs, entityType: "PRIVATE", profileUuid: "u" };
    expect(diffInputs(profileSchema, outs, checked(profileSchema, { ...validProfile, entityType: "PRIVATE_PROFIT" })).changes).toBe(false);
    expect(diffInputs(profileSchema, outs, checked(profileSchema, { ...validProfile, customerType: "RESELLER", companyName: "Acme 2" }))).toMatchObject({
      replaces: ["customerType"],
      updates: ["companyName"],
    });
  });

  it("an unknown input (preview) is a change, and a replace when the field replaces", () => {
    const olds = { powerpackId: "pp", number: "14155550100", service: "SMS" };
    expect(diffInputs(numberPoolMemberSchema, olds, { ...olds, powerpackId: UNKNOWN })).toMatchObject({ changes: true, replaces: ["powerpackId"] });
    expect(diffInputs(applicationSchema, appOuts, { ...app, answerUrl: UNKNOWN })).toMatchObject({ updates: ["answerUrl"] });
  });

  it("Powerpack priorities: entries Plivo fills beyond the declared ones are no diff (an imported pool reports all four)", () => {
    const priority = { priority1: "LONGCODE", priority2: "TOLLFREE", priority3: "SHORTCODE" };
    const entry = (countryIso: string, serviceType: string, p = priority) => ({ countryIso, serviceType, priority: p });
    const news = checked(powerpackSchema, { name: "pool", numberPriorities: [entry("US", "SMS")] });
    const imported = { ...news, numberPriorities: [entry("CA", "MMS"), entry("CA", "SMS"), entry("US", "MMS"), entry("US", "SMS")] };
    expect(diffInputs(powerpackSchema, imported, news)).toEqual({ changes: false, replaces: [], updates: [] });
    const changed = { ...imported, numberPriorities: [entry("CA", "SMS"), entry("US", "SMS", { ...priority, priority1: "SHORTCODE", priority3: "LONGCODE" })] };
    expect(diffInputs(powerpackSchema, changed, news)).toMatchObject({ changes: true, updates: ["numberPriorities"] });
  });
});
