import { describe, expect, it } from "vitest";
import { campaignNumberLinkSchema } from "../../schema/campaignNumberLink";
import { numberPoolMemberSchema } from "../../schema/numberPoolMember";
import { phoneNumberSchema } from "../../schema/phoneNumber";
import { applicationSchema } from "../../schema/application";
import { InvalidIdError, canonicalId, formatId, parseId } from "./ids";

describe("compound ids", () => {
  it("parse into named parts, each normalised by its input's field", () => {
    expect(parseId(numberPoolMemberSchema, "5b6a2e4c-0000-4000-8000-000000000001/+1 (415) 555-0100")).toEqual({
      powerpackId: "5b6a2e4c-0000-4000-8000-000000000001",
      number: "14155550100",
    });
    expect(parseId(campaignNumberLinkSchema, " CABC123 /14155550100")).toEqual({ campaignId: "CABC123", number: "14155550100" });
  });

  it("format from input values and round-trip through canonicalId", () => {
    const id = formatId(campaignNumberLinkSchema, { campaignId: "CABC123", number: "+14155550100" });
    expect(id).toBe("CABC123/14155550100");
    expect(canonicalId(campaignNumberLinkSchema, "CABC123/+1 415 555 0100")).toBe(id);
  });

  it.each(["CABC123", "CABC123/", "/14155550100", "a/b/c", ""])("refuse %j with the expected shape named", (bad) => {
    const err = (() => {
      try {
        canonicalId(campaignNumberLinkSchema, bad);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(InvalidIdError);
    expect((err as Error).message).toBe(`CampaignNumberLink id "${bad}" is not valid: expected {campaignId}/{number}`);
  });
});

describe("simple ids", () => {
  it("are normalised by the field they come from", () => {
    expect(canonicalId(phoneNumberSchema, "+1 (415) 555-0100")).toBe("14155550100");
    expect(canonicalId(applicationSchema, " 12345678901234567 ")).toBe("12345678901234567");
  });

  it("refuse an empty id", () => {
    expect(() => canonicalId(applicationSchema, "  ")).toThrow(InvalidIdError);
  });
});
