import { afterEach, describe, expect, it } from "vitest";
import { claimAdvice, claimsOn, describeClaims, forgetClaims } from "./claims";
import { purchaseMarker } from "./marker";

const urn = (stack: string, name: string, project = "shop") => `urn:pulumi:${stack}::${project}::plivo:index:PhoneNumber::${name}`;

describe("claims", () => {
  afterEach(forgetClaims);

  it("without a URN the states cannot be read: only a purchase marker of another stack speaks", async () => {
    const wire = { alias: purchaseMarker(urn("dev", "line")) };
    expect(await claimsOn({ type: "PhoneNumber", urn: undefined }, "14155550100", wire)).toEqual({
      by: [{ stack: "dev", name: "line", sameStack: false, how: "purchase marker" }],
      unreadable: "the resource's URN is not known",
    });
  });

  it("outside the program's directory the states are not read; a marker of this resource or this stack is no claim", async () => {
    const mine = urn("prod", "line");
    const res = await claimsOn({ type: "PhoneNumber", urn: mine }, "14155550100", { alias: purchaseMarker(mine) });
    expect(res).toEqual({ by: [], unreadable: "the provider does not run in the directory of project shop" });
    const sibling = await claimsOn({ type: "PhoneNumber", urn: mine }, "14155550100", { alias: purchaseMarker(urn("prod", "other")) });
    expect(sibling.by).toEqual([]);
    const otherProject = await claimsOn({ type: "PhoneNumber", urn: mine }, "14155550100", { alias: purchaseMarker(urn("prod", "line", "billing")) });
    expect(otherProject.by).toEqual([{ stack: "prod", name: "line", sameStack: false, how: "purchase marker" }]);
  });

  it("says whose it is and what to do", () => {
    const dev = { stack: "dev", name: "line", urn: urn("dev", "line"), sameStack: false, how: "state" as const };
    const here = { stack: "prod", name: "old-line", urn: urn("prod", "old-line"), sameStack: true, how: "state" as const };
    expect(describeClaims("PhoneNumber", [dev, here])).toBe('stack dev (PhoneNumber "line") and this stack (PhoneNumber "old-line")');
    expect(claimAdvice([dev])).toBe(`to move it here, forget it there first (\`pulumi state delete ${urn("dev", "line")} --stack dev\`)`);
    expect(claimAdvice([here])).toMatch(/rename resources with `aliases`/);
  });
});
