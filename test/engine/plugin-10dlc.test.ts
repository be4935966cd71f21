/**
 * examples/10dlc through the provider plugin with the real Pulumi CLI: Profile → Brand → Campaign (ACTIVE) → two
 * numbers and their links. No-change preview and refresh, in-place edits that never touch the paid registrations,
 * the state gate on the ACTIVE campaign at preview, replacements naming the property, `pulumi import` of the
 * profile, brand, campaign and links by id with no submission, a link removed behind Pulumi's back, destroy.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import {
  changedOps,
  editProgram,
  expectNothingLeft,
  expectOnlyUpdates,
  expectReplacedFor,
  expectTokenNowhere,
  plivoApi,
  plivoResources,
  resourceIds,
  STEP_TIMEOUT_MS,
  useExampleProject,
} from "./emulatorFixture";
import { detailedDiffOf, forgetAndImport, mutations } from "./pluginFixture";
import { expectLedgerBalanced, submissions } from "../helpers/ledger";

describe.sequential("examples/10dlc through the provider plugin", () => {
  const s = useExampleProject("10dlc", { variant: "plugin" });
  let out: { brandId: string; campaignId: string; campaignStatus: string; linkedNumbers: string[] };
  let numbers: string[] = [];

  it("up registers brand and campaign (ACTIVE) and links two numbers; then no changes", async () => {
    const p = s.project;
    expect((await p.up()).stdout).toMatch(/\+ 8 created/);
    out = (await p.outputs()) as typeof out;
    expect(out.campaignStatus).toBe("ACTIVE");
    numbers = out.linkedNumbers.map((l) => l.split(" ")[0]!);
    expect(out.linkedNumbers.map((l) => l.split(" ")[1])).toEqual(["COMPLETED", "COMPLETED"]);
    expect([await submissions(s.emulator, "brand"), await submissions(s.emulator, "campaign"), await submissions(s.emulator, "link")]).toEqual([1, 1, 2]);
    await p.preview({ expectNoChanges: true });
    await p.refresh({ expectNoChanges: true });
  }, STEP_TIMEOUT_MS);

  it("editing the profile's website and the numbers' aliases updates only those, in place", async () => {
    const p = s.project;
    editProgram(p, `website: "https://acme.example.com"`, `website: "https://www.acme.example.com"`);
    editProgram(p, "alias: `10dlc-${areaCode}`", "alias: `sms-${areaCode}`");
    const preview = await p.preview({ json: true });
    expectOnlyUpdates(preview.json, ["Profile::acme", "PhoneNumber::sender-415", "PhoneNumber::sender-212"]);
    expect(detailedDiffOf(preview.json, "acme")).toEqual({ website: "update" });
    expect((await p.up()).stdout).toMatch(/~ 3 updated/);
    expect(await submissions(s.emulator, "campaign")).toBe(1);
    await p.preview({ expectNoChanges: true });
  }, STEP_TIMEOUT_MS);

  it("editing the ACTIVE campaign fails at preview with what Plivo allows; a new brandAlias previews as a replacement naming it", async () => {
    const p = s.project;
    const file = path.join(p.dir, "index.ts");
    const before = fs.readFileSync(file, "utf8");
    editProgram(p, `description: "Order confirmations and delivery updates`, `description: "Order confirmations, delivery and returns updates`);
    const gated = await p.preview({ allowFailure: true });
    expect(gated.code).not.toBe(0);
    expect(gated.stdout + gated.stderr).toContain(`Campaign ${out.campaignId}: description cannot be changed while the campaign is ACTIVE`);
    fs.writeFileSync(file, before);

    editProgram(p, `brandAlias: "Acme"`, `brandAlias: "Acme Stores"`);
    const preview = await p.preview({ json: true });
    expectReplacedFor(preview.json, "Brand::acme", "brandAlias");
    expect(changedOps(preview.json)["Profile::acme"]).toBeUndefined();
    fs.writeFileSync(file, before);
  }, STEP_TIMEOUT_MS);

  it("pulumi import takes profile, brand, campaign and links back by id, submitting nothing; then no changes", async () => {
    const p = s.project;
    const before = await mutations(s);
    const ids = await forgetAndImport(p, ["Profile::acme", "Brand::acme", "Campaign::order-updates", "CampaignNumberLink::link-415", "CampaignNumberLink::link-212"]);
    expect(ids["Campaign::order-updates"]).toBe(out.campaignId);
    expect(ids["CampaignNumberLink::link-415"]).toBe(`${out.campaignId}/${numbers[0]}`);
    await p.preview({ expectNoChanges: true });
    expect((await p.outputs()).campaignStatus).toBe("ACTIVE");
    expect(await mutations(s)).toEqual(before);
  }, STEP_TIMEOUT_MS);

  it("a number unlinked outside Pulumi is dropped by refresh and linked again by up", async () => {
    const p = s.project;
    const n = numbers[1]!;
    const linkId = `${out.campaignId}/${n}`;
    await plivoApi(s, "DELETE", `10dlc/Campaign/${out.campaignId}/Number/${n}/`);
    await s.emulator.control("POST", "resolve", { resource: "unlink", id: linkId, outcome: "success" });
    await p.refresh();
    expect((await plivoResources(p)).map((r) => r.name)).not.toContain("link-212");
    expect((await p.up()).stdout).toMatch(/\+ 1 created/);
    expect((await resourceIds(p))["CampaignNumberLink::link-212"]).toBe(linkId);
    await p.preview({ expectNoChanges: true });
  }, STEP_TIMEOUT_MS);

  it("destroy unlinks, deactivates and deletes everything; numbers bought once and unrented once; the token is nowhere", async () => {
    const p = s.project;
    await expectTokenNowhere(s);
    const rented = (await plivoResources(p)).filter((r) => r.type === "PhoneNumber").map((r) => r.id!);
    await p.destroy();
    expect(await plivoResources(p)).toEqual([]);
    const state = await expectNothingLeft(s);
    expect(state.campaigns.map((c: any) => [c.campaign_id, c.registration_status])).toEqual([[out.campaignId, "EXPIRED"]]);
    expect(Object.keys(await expectLedgerBalanced(s.emulator)).sort()).toEqual(rented.sort());
    await expectTokenNowhere(s);
  }, STEP_TIMEOUT_MS);
});
