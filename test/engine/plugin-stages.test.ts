/**
 * examples/stages through the provider plugin with the real Pulumi CLI: one program, a dev and a staging stack on
 * one emulator, each with its own default provider, never touching each other's resources; a stack-config edit
 * updates in place, appName replaces (naming it), a number unrented behind Pulumi's back is dropped by refresh and
 * replaced by up, and destroying both stacks leaves nothing.
 */
import { describe, expect, it } from "vitest";
import type { PulumiProject } from "./harness";
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
import { detailedDiffOf } from "./pluginFixture";
import { expectLedgerBalanced } from "../helpers/ledger";

describe.sequential("examples/stages through the provider plugin (dev and staging stacks)", () => {
  const s = useExampleProject("stages", { stack: "dev", variant: "plugin" });
  let staging: PulumiProject;
  let dev: { phoneNumbers: string[]; powerpackId: string };

  it("up on dev and on staging: separate objects; each stack then previews and refreshes with no changes", async () => {
    const p = s.project;
    expect((await p.up()).stdout).toMatch(/\+ 5 created/);
    dev = (await p.outputs()) as typeof dev;
    // Same directory as dev: the program already uses the plugin.
    staging = await s.stack("staging");
    expect((await staging.up()).stdout).toMatch(/\+ 7 created/);
    const out = await staging.outputs();
    expect(out.phoneNumbers).toHaveLength(2);
    expect(out.phoneNumbers).not.toContain(dev.phoneNumbers[0]);
    expect((await s.emulator.state()).applications.map((a: any) => a.app_name).sort()).toEqual(["messaging-dev", "messaging-staging"]);
    await p.preview({ expectNoChanges: true });
    await staging.preview({ expectNoChanges: true });
    await staging.refresh({ expectNoChanges: true });
  }, STEP_TIMEOUT_MS);

  it("a new baseUrl in dev's config updates dev's application in place (detailed diff), and only that", async () => {
    const p = s.project;
    await p.setConfig("baseUrl", "https://dev2.example.com");
    const preview = await p.preview({ json: true });
    expectOnlyUpdates(preview.json, ["Application::app"]);
    expect(detailedDiffOf(preview.json, "app")).toEqual({ answerUrl: "update", messageUrl: "update" });
    expect((await p.up()).stdout).toMatch(/~ 1 updated/);
    await staging.preview({ expectNoChanges: true });
  }, STEP_TIMEOUT_MS);

  it("a new appName previews as a replacement naming appName; the pool and number follow in place", async () => {
    const p = s.project;
    editProgram(p, "appName: `messaging-${stage}`", "appName: `sms-${stage}`");
    const preview = await p.preview({ json: true });
    expectReplacedFor(preview.json, "Application::app", "appName");
    expect(changedOps(preview.json)).toEqual({ "Application::app": "replace", "Powerpack::pool": "update", "PhoneNumber::number-415-0": "update" });
    editProgram(p, "appName: `sms-${stage}`", "appName: `messaging-${stage}`");
  }, STEP_TIMEOUT_MS);

  it("a number unrented outside Pulumi is dropped by refresh (with its pool membership) and replaced by up", async () => {
    const p = s.project;
    const gone = dev.phoneNumbers[0]!;
    await plivoApi(s, "DELETE", `Number/${gone}/`);
    await p.refresh();
    expect((await plivoResources(p)).map((r) => r.name)).not.toContain("number-415-0");
    expect((await p.up()).stdout).toMatch(/\+ 2 created/);
    const ids = await resourceIds(p);
    expect(ids["PhoneNumber::number-415-0"]).not.toBe(gone);
    expect(ids["NumberPoolMember::member-415-0"]).toBe(`${dev.powerpackId}/${ids["PhoneNumber::number-415-0"]}`);
    await p.preview({ expectNoChanges: true });
  }, STEP_TIMEOUT_MS);

  it("destroying both stacks leaves nothing; every number bought once and unrented once; the token is nowhere", async () => {
    const p = s.project;
    await expectTokenNowhere(s, [p, staging]);
    await p.destroy();
    await staging.refresh({ expectNoChanges: true });
    await staging.destroy();
    expect([...(await plivoResources(p)), ...(await plivoResources(staging))]).toEqual([]);
    await expectNothingLeft(s);
    expect(Object.keys(await expectLedgerBalanced(s.emulator))).toHaveLength(4);
    await expectTokenNowhere(s, [p, staging]);
  }, STEP_TIMEOUT_MS);
});
