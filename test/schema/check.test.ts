/** `check`: normalisation, validation messages that name the field and the rule, the preview sentinel. */
import { describe, expect, it } from "vitest";
import { applicationSchema } from "../../schema/application";
import { brandSchema } from "../../schema/brand";
import { campaignNumberLinkSchema } from "../../schema/campaignNumberLink";
import { tollfreeVerificationSchema } from "../../schema/tollfreeVerification";
import { numberPoolMemberSchema } from "../../schema/numberPoolMember";
import { phoneNumberSchema } from "../../schema/phoneNumber";
import { powerpackSchema } from "../../schema/powerpack";
import { profileSchema } from "../../schema/profile";
import { checkInputs } from "../../provider/core/check";
import { UNKNOWN } from "../../provider/core/unknowns";
import { validProfile, validTfv } from "../helpers/fixtures";

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

  it("accepts every shape Plivo gives out, and what the id rules leave alone", () => {
    const uuid = "0B3C2AD4-6A1C-4B8E-9D3C-2F8C9D1E7A11";
    const ok = (schema: Parameters<typeof checkInputs>[0], news: Record<string, unknown>) => {
      const { inputs, failures } = checkInputs(schema, news);
      expect(failures, JSON.stringify(news)).toEqual([]);
      return inputs;
    };
    // Upper-case uuids; a subaccount auth id in any case (sent as Plivo writes it); "" still clears a subaccount.
    expect(ok(brandSchema, { profileUuid: uuid, brandAlias: "Acme" }).profileUuid).toBe(uuid);
    expect(ok(applicationSchema, { ...app, subaccount: " saemulatorsub0000001 " }).subaccount).toBe("SAEMULATORSUB0000001");
    ok(applicationSchema, { ...app, subaccount: "" });
    ok(phoneNumberSchema, { number: "+14155550100", appId: "", subaccount: "SAEMULATORSUB0000001", profileUuid: uuid });
    // An application or a PHLO behind a Powerpack; "" for none.
    ok(powerpackSchema, { name: "pool", applicationType: "xml", applicationId: "20468599130939380" });
    ok(powerpackSchema, { name: "pool", applicationType: "phlo", applicationId: "4c1a9f23-7f56-4879-bb80-db856e1e7701" });
    ok(powerpackSchema, { name: "pool", applicationId: "" });
    // An alternative business id with its type; NONE alone.
    ok(profileSchema, { ...validProfile, altBusinessId: "123456789", altBusinessIdType: "duns" });
    ok(profileSchema, { ...validProfile, altBusinessIdType: "none" });
    // adoptId in the forms pulumi import takes, numbers written any way.
    ok(phoneNumberSchema, { adoptId: "+1 (415) 555-0100" });
    ok(numberPoolMemberSchema, { powerpackId: uuid, number: "+14155550100", adoptId: `${uuid}/+1 (415) 555-0100` });
    ok(campaignNumberLinkSchema, { campaignId: "CVWMV6V", number: "+14155550100", adoptId: "CVWMV6V/14155550100" });
    // URLs up to 2048 characters each, however many the opt-in evidence lists.
    const url = (n: number) => `https://example.com/${"a".repeat(n - 20)}`;
    ok(applicationSchema, { ...app, answerUrl: url(2048) });
    ok(tollfreeVerificationSchema, { ...validTfv("+18005550100", uuid), optinImageUrl: `${url(2000)}, ${url(2000)}` });
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
