/** `check`: normalisation, validation messages that name the field and the rule, the preview sentinel. */
import { describe, expect, it } from "vitest";
import { applicationSchema } from "../../schema/application";
import { numberPoolMemberSchema } from "../../schema/numberPoolMember";
import { phoneNumberSchema } from "../../schema/phoneNumber";
import { powerpackSchema } from "../../schema/powerpack";
import { profileSchema } from "../../schema/profile";
import { checkInputs } from "../../provider/core/check";
import { UNKNOWN } from "../../provider/core/unknowns";
import { validProfile } from "../helpers/fixtures";

const app = { appName: "inbound", answerUrl: "https://example.com/answer" };

describe("check", () => {
  it("fills defaults and keeps declared values", () => {
    const { inputs, failures } = checkInputs(applicationSchema, app);
    expect(failures).toEqual([]);
    expect(inputs).toMatchObject({ ...app, answerMethod: "POST", hangupMethod: "POST", defaultNumberApp: false, logIncomingMessages: true });
    expect(inputs).not.toHaveProperty("hangupUrl");
  });

  it.each([
    [{ ...app, appName: "has space" }, "appName", "may contain only letters, digits, '-' and '_'"],
    [{ ...app, answerUrl: "ftp://x" }, "answerUrl", "must be an http(s) URL"],
    [{ ...app, answerMethod: "PUT" }, "answerMethod", "must be one of GET, POST"],
    [{ answerUrl: "https://example.com" }, "appName", "is required"],
    [{ ...app, logIncomingMessages: "maybe" }, "logIncomingMessages", "must be a boolean"],
    [{ ...app, answerUrll: "https://typo" }, "answerUrll", "is not an input of plivo.Application"],
  ])("rejects %j on %s", (news, property, rule) => {
    const { failures } = checkInputs(applicationSchema, news as Record<string, unknown>);
    expect(failures).toHaveLength(1);
    expect(failures[0].property).toBe(property);
    expect(failures[0].reason).toContain(`${property}: ${rule}`);
  });

  it("normalises enum case, booleans given as strings and E.164 numbers", () => {
    const { inputs, failures } = checkInputs(phoneNumberSchema, { number: "+1 (415) 555-0100", cnamLookup: "Enabled" });
    expect(failures).toEqual([]);
    expect(inputs).toMatchObject({ number: "14155550100", cnamLookup: "ENABLED" });
    const pp = checkInputs(powerpackSchema, { name: "pool", stickySender: "False" });
    expect(pp.inputs.stickySender).toBe(false);
  });

  it("normalises search criteria so reordering services is not a change", () => {
    const a = checkInputs(phoneNumberSchema, { search: { countryIso: "us", services: ["sms", "voice"], pattern: 415 } });
    const b = checkInputs(phoneNumberSchema, { search: { countryIso: "US", services: "voice,sms", pattern: "415" } });
    expect(a.failures).toEqual([]);
    expect(a.inputs.search).toEqual(b.inputs.search);
  });

  it("requires a number, search criteria or adoptId", () => {
    const { failures } = checkInputs(phoneNumberSchema, { alias: "main" });
    expect(failures[0].reason).toMatch(/number: give an exact number, search criteria \(search.countryIso, ...\) or adoptId/);
  });

  it("names the nested field of an object input", () => {
    const bad = { ...validProfile, authorizedContact: { ...validProfile.authorizedContact, email: "not-an-email" } };
    const { failures } = checkInputs(profileSchema, bad);
    expect(failures[0].reason).toContain("authorizedContact.email: must be an email address");
  });

  it("maps Plivo's read-back vocabulary onto the input enum (PRIVATE_PROFIT ≡ PRIVATE)", () => {
    const { inputs, failures } = checkInputs(profileSchema, { ...validProfile, entityType: "private_profit" });
    expect(failures).toEqual([]);
    expect(inputs.entityType).toBe("PRIVATE");
    expect(inputs.address).toMatchObject({ state: "TX", country: "US" });
    expect((inputs.authorizedContact as Record<string, unknown>).phone).toBe("15125550100");
  });

  it("applies cross-field rules", () => {
    const { failures } = checkInputs(profileSchema, { ...validProfile, entityType: "PUBLIC" });
    expect(failures.map((f) => f.reason)).toEqual([
      "stockSymbol: is required when entityType is PUBLIC",
      "stockExchange: is required when entityType is PUBLIC",
    ]);
    const pp = checkInputs(powerpackSchema, { name: "pool", applicationId: "123" });
    expect(pp.failures[0]).toMatchObject({ property: "applicationType" });
  });

  it("never validates the preview sentinel for unknown values", () => {
    const { inputs, failures } = checkInputs(numberPoolMemberSchema, { powerpackId: UNKNOWN, number: "14155550100" });
    expect(failures).toEqual([]);
    expect(inputs.powerpackId).toBe(UNKNOWN);
    const nested = checkInputs(profileSchema, { ...validProfile, address: { ...validProfile.address, city: UNKNOWN } });
    expect(nested.failures).toEqual([]);
  });

  it("rejects priority lists that rank a number type twice", () => {
    const { failures } = checkInputs(powerpackSchema, {
      name: "pool",
      numberPriorities: [{ countryIso: "US", serviceType: "SMS", priority: { priority1: "longcode", priority2: "longcode", priority3: "tollfree" } }],
    });
    expect(failures[0].reason).toContain("must rank longcode, shortcode and tollfree once each");
  });
});
