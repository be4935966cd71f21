/**
 * examples/powerpack through the provider plugin with the real Pulumi CLI: a preview of a fresh stack with unknown
 * inputs, up, no-change preview and refresh, in-place edits with a detailed diff, replacing pool members naming
 * service, `pulumi import` of the Powerpack and its members by id with no Plivo mutation, a member removed behind
 * Pulumi's back, destroy with the ledger, the token nowhere.
 */
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
  previewSteps,
  resourceIds,
  STEP_TIMEOUT_MS,
  useExampleProject,
} from "./emulatorFixture";
import { detailedDiffOf, forgetAndImport, mutations } from "./pluginFixture";
import { expectLedgerBalanced } from "../helpers/ledger";

const MEMBERS = ["member-0", "member-1", "member-2", "member-3"].map((n) => `NumberPoolMember::${n}`);

describe.sequential("examples/powerpack through the provider plugin", () => {
  const s = useExampleProject("powerpack", { variant: "plugin" });
  let powerpackId = "";
  let poolId = "";
  let poolNumbers: string[] = [];

  it("previews a fresh stack (members' inputs unknown), then up builds the pool; preview and refresh show no changes", async () => {
    const p = s.project;
    const steps = previewSteps((await p.preview({ json: true })).json);
    expect(steps.filter((x) => x.op === "create")).toHaveLength(10);
    expect((await s.emulator.state()).powerpacks).toEqual([]);

    expect((await p.up()).stdout).toMatch(/\+ 11 created/);
    const outputs = await p.outputs();
    powerpackId = outputs.powerpackId;
    poolId = outputs.numberPoolId;
    poolNumbers = outputs.poolNumbers;
    expect(poolNumbers).toHaveLength(4);
    const members = (await s.emulator.state()).pool_members.filter((m: any) => m.number_pool_uuid === poolId || m.powerpack_uuid === powerpackId);
    expect(members.map((m: any) => m.number).sort()).toEqual([...poolNumbers].sort());
    await p.preview({ expectNoChanges: true });
    await p.refresh({ expectNoChanges: true });
  }, STEP_TIMEOUT_MS);

  it("sticky sender off and new aliases update in place (detailed diff); members referring to the pool by uuid stay", async () => {
    const p = s.project;
    editProgram(p, "stickySender: true", "stickySender: false");
    editProgram(p, "alias: `pool-${areaCode}`", "alias: `pool-longcode-${areaCode}`");
    const preview = await p.preview({ json: true });
    expectOnlyUpdates(preview.json, ["Powerpack::notifications", "PhoneNumber::longcode-415", "PhoneNumber::longcode-212", "PhoneNumber::longcode-312"]);
    expect(detailedDiffOf(preview.json, "notifications")).toEqual({ stickySender: "update" });
    const before = await resourceIds(p);
    expect((await p.up()).stdout).toMatch(/~ 4 updated/);
    expect(await resourceIds(p)).toEqual(before);
    expect((await plivoApi(s, "GET", `Powerpack/${powerpackId}/`)).sticky_sender).toBe(false);
    await p.preview({ expectNoChanges: true });
  }, STEP_TIMEOUT_MS);

  it("a different pool service previews as replacing every member, naming service", async () => {
    const p = s.project;
    editProgram(p, "tollFree: n === tollFree }", `tollFree: n === tollFree, service: "MMS" }`);
    const preview = await p.preview({ json: true });
    for (const m of MEMBERS) expectReplacedFor(preview.json, m, "service");
    expect(Object.keys(changedOps(preview.json)).sort()).toEqual([...MEMBERS].sort());
    expect(detailedDiffOf(preview.json, "member-0")).toEqual({ service: "update-replace" });
    editProgram(p, `, service: "MMS" }`, " }");
  }, STEP_TIMEOUT_MS);

  it("pulumi import takes the Powerpack and its members back by id (compound ids too) with no Plivo mutation; then no changes", async () => {
    const p = s.project;
    const before = await mutations(s);
    const ids = await forgetAndImport(p, ["Powerpack::notifications", ...MEMBERS]);
    expect(ids["NumberPoolMember::member-0"]).toBe(`${powerpackId}/${poolNumbers[0]}`);
    await p.preview({ expectNoChanges: true });
    expect(await mutations(s)).toEqual(before);
  }, STEP_TIMEOUT_MS);

  it("a member removed from the pool outside Pulumi is dropped by refresh and added again by up", async () => {
    const p = s.project;
    const removed = poolNumbers[1]!;
    await plivoApi(s, "DELETE", `NumberPool/${poolId}/Number/${removed}/`, { unrent: false });
    await p.refresh();
    expect((await plivoResources(p)).map((r) => r.name)).not.toContain("member-1");
    expect((await p.up()).stdout).toMatch(/\+ 1 created/);
    expect((await resourceIds(p))["NumberPoolMember::member-1"]).toBe(`${powerpackId}/${removed}`);
    await p.preview({ expectNoChanges: true });
  }, STEP_TIMEOUT_MS);

  it("destroy leaves nothing behind; every number bought once and unrented once; the token is nowhere", async () => {
    const p = s.project;
    await expectTokenNowhere(s);
    const numbers = (await plivoResources(p)).filter((r) => r.type === "PhoneNumber").map((r) => r.id);
    await p.destroy();
    expect(await plivoResources(p)).toEqual([]);
    await expectNothingLeft(s);
    expect(Object.keys(await expectLedgerBalanced(s.emulator)).sort()).toEqual(numbers.sort());
    await expectTokenNowhere(s);
  }, STEP_TIMEOUT_MS);
});
