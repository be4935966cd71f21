import { describe, expect, it } from "vitest";
import { isMarker, parseMarker, parseUrn, purchaseMarker } from "./marker";

const urn = "urn:pulumi:dev::quickstart::pulumi-nodejs:dynamic/plivo:PhoneNumber::support-line";

describe("purchase marker", () => {
  it("names stack, project and resource, with a hash of the URN", () => {
    const m = purchaseMarker(urn);
    expect(m).toMatch(/^pulumi:dev\/quickstart\/support-line#[0-9a-f]{8}$/);
    expect(parseMarker(m)).toEqual({ stack: "dev", project: "quickstart", name: "support-line", hash: m.slice(-8) });
    expect(isMarker(m)).toBe(true);
    expect(isMarker("support")).toBe(false);
    expect(isMarker(null)).toBe(false);
  });

  it("stays within 100 characters and unique for long names and parents", () => {
    const long = `urn:pulumi:production::telephony::my:component:Stack$pulumi-nodejs:dynamic/plivo:PhoneNumber::${"n".repeat(150)}`;
    const other = long.replace("my:component:Stack", "other:Stack");
    expect(purchaseMarker(long).length).toBeLessThanOrEqual(100);
    expect(purchaseMarker(long)).not.toBe(purchaseMarker(other));
    expect(parseMarker(purchaseMarker(long))?.stack).toBe("production");
  });

  it("parses URNs, including a parent's type chain", () => {
    expect(parseUrn(urn)).toEqual({ stack: "dev", project: "quickstart", type: "pulumi-nodejs:dynamic/plivo:PhoneNumber", name: "support-line" });
    expect(parseUrn("urn:pulumi:s::p::a:b:C$pulumi-nodejs:dynamic/plivo:Brand::x")?.type).toBe("pulumi-nodejs:dynamic/plivo:Brand");
    expect(parseUrn("nope")).toBeUndefined();
  });
});
