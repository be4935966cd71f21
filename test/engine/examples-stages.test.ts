/**
 * examples/stages through the real Pulumi CLI: one program, a dev and a prod stack against the same emulator,
 * differing as their Pulumi.<stack>.yaml say and never touching each other's resources; stack-config edits
 * update in place, appName replaces, an out-of-band number is adopted, a number unrented behind Pulumi's back is
 * dropped by refresh and replaced by up, and destroying both stacks leaves nothing.
 */
import { describe, expect, it } from "vitest";
import type { PulumiProject } from "./harness";
import {
  appendToProgram,
  buyNumberOutOfBand,
  changedOps,
  editProgram,
  expectEngineImportUnsupported,
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
import { expectLedgerBalanced, ledger } from "../helpers/ledger";

const areaCodeOf = (n: string) => n.slice(1, 4);

describe.sequential("examples/stages with the Pulumi CLI (dev and prod stacks)", () => {
  const s = useExampleProject("stages", { stack: "dev" });
  let prod: PulumiProject;
  let dev: { phoneNumbers: string[]; powerpackId: string };

  it("up on dev: one application, a Powerpack and one 415 number; preview and refresh then show no changes", async () => {
    const p = s.project;
    expect((await p.up()).stdout).toMatch(/\+ 5 created/);
    dev = (await p.outputs()) as typeof dev;
    expect(dev).toMatchObject({ stageName: "dev" });
    expect(dev.phoneNumbers.map(areaCodeOf)).toEqual(["415"]);
    const apps = (await s.emulator.state()).applications;
    expect(apps.map((a: any) => [a.app_name, a.answer_url])).toEqual([["messaging-dev", "https://dev.example.com/voice/answer"]]);
    await p.preview({ expectNoChanges: true });
    await p.refresh({ expectNoChanges: true });
  }, STEP_TIMEOUT_MS);

  it("up on prod (same program, same emulator): 2 numbers in each of 3 area codes, nothing shared with dev", async () => {
    prod = await s.stack("prod");
    expect((await prod.up()).stdout).toMatch(/\+ 15 created/);
    const out = await prod.outputs();
    expect(out.stageName).toBe("prod");
    expect(out.phoneNumbers).toHaveLength(6);
    expect(out.phoneNumbers.map(areaCodeOf).sort()).toEqual(["212", "212", "312", "312", "415", "415"]);
    expect(new Set(out.phoneNumbers).size).toBe(6);
    expect(out.phoneNumbers).not.toContain(dev.phoneNumbers[0]);
    expect(out.powerpackId).not.toBe(dev.powerpackId);

    const state = await s.emulator.state();
    expect(state.applications.map((a: any) => [a.app_name, a.answer_url]).sort()).toEqual([
      ["messaging-dev", "https://dev.example.com/voice/answer"],
      ["messaging-prod", "https://api.example.com/voice/answer"],
    ]);
    expect(state.powerpacks.map((x: any) => x.name).sort()).toEqual(["messaging-dev", "messaging-prod"]);
    expect(state.numbers).toHaveLength(7);
    const devPool = await plivoApi(s, "GET", `Powerpack/${dev.powerpackId}/`);
    const prodPool = await plivoApi(s, "GET", `Powerpack/${out.powerpackId}/`);
    const members = (pp: any) => state.pool_members.filter((m: any) => String(pp.number_pool).includes(m.number_pool_uuid)).map((m: any) => m.number).sort();
    expect(members(devPool)).toEqual(dev.phoneNumbers);
    expect(members(prodPool)).toEqual([...out.phoneNumbers].sort());
    // Each stack still matches its own config; neither sees the other's resources.
    await s.project.preview({ expectNoChanges: true });
    await prod.preview({ expectNoChanges: true });
    await prod.refresh({ expectNoChanges: true });
  }, STEP_TIMEOUT_MS);

  it("a new baseUrl in dev's stack config updates dev's application in place, and only that", async () => {
    const p = s.project;
    await p.setConfig("baseUrl", "https://dev2.example.com");
    expectOnlyUpdates((await p.preview({ json: true })).json, ["Application::app"]);
    await prod.preview({ expectNoChanges: true });

    const before = await resourceIds(p);
    expect((await p.up()).stdout).toMatch(/~ 1 updated/);
    expect(await resourceIds(p)).toEqual(before);
    const app = await plivoApi(s, "GET", `Application/${before["Application::app"]}/`);
    expect([app.answer_url, app.message_url]).toEqual(["https://dev2.example.com/voice/answer", "https://dev2.example.com/sms/inbound"]);
    await p.preview({ expectNoChanges: true });
  }, STEP_TIMEOUT_MS);

  it("a new appName previews as a replacement of the application, naming appName", async () => {
    const p = s.project;
    editProgram(p, "appName: `messaging-${stage}`", "appName: `sms-${stage}`");
    const preview = await p.preview({ json: true });
    expectReplacedFor(preview.json, "Application::app", "appName");
    // The pool and the number follow the new app id in place; the pool member is untouched.
    expect(changedOps(preview.json)).toEqual({ "Application::app": "replace", "Powerpack::pool": "update", "PhoneNumber::number-415-0": "update" });
    editProgram(p, "appName: `sms-${stage}`", "appName: `messaging-${stage}`");
    await p.preview({ expectNoChanges: true });
  }, STEP_TIMEOUT_MS);

  it("brings a number rented and pooled outside Pulumi under dev's management; prod is unaffected", async () => {
    const p = s.project;
    const legacy = await buyNumberOutOfBand(s, "country_iso=US&type=local&pattern=646&services=sms");
    const pool = await plivoApi(s, "GET", `Powerpack/${dev.powerpackId}/`);
    const poolId = String(pool.number_pool).split("/").filter(Boolean).pop();
    await plivoApi(s, "POST", `NumberPool/${poolId}/Number/${legacy}/`, { service: "sms" });
    const memberId = `${dev.powerpackId}/${legacy}`;

    await expectEngineImportUnsupported(p, "PhoneNumber", "legacy", legacy, `new plivo.PhoneNumber("legacy", { number: "${legacy}" }`);
    appendToProgram(
      p,
      [
        `if (stage === "dev") {`,
        `  const legacy = new plivo.PhoneNumber("legacy", { adoptId: "${legacy}", appId: app.id, alias: "dev-legacy" });`,
        `  new plivo.NumberPoolMember("legacy-member", { powerpackId: pool.id, number: legacy.id, adoptId: "${memberId}" });`,
        `}`,
      ].join("\n"),
    );
    expect((await p.up()).stdout).toMatch(/\+ 2 created/);
    const ids = await resourceIds(p);
    expect([ids["PhoneNumber::legacy"], ids["NumberPoolMember::legacy-member"]]).toEqual([legacy, memberId]);
    expect((await plivoApi(s, "GET", `Number/${legacy}/`)).alias).toBe("dev-legacy");
    const entries = await ledger(s.emulator);
    expect(entries.filter((e) => e.action === "buy" && e.number === legacy)).toHaveLength(1);
    expect(entries.filter((e) => e.action === "add" && e.id === memberId)).toHaveLength(1);
    await p.preview({ expectNoChanges: true });
    await prod.preview({ expectNoChanges: true });
  }, STEP_TIMEOUT_MS);

  it("a number unrented outside Pulumi is dropped by refresh (with its pool membership) and replaced by up", async () => {
    const p = s.project;
    const gone = dev.phoneNumbers[0]!;
    await plivoApi(s, "DELETE", `Number/${gone}/`);
    await p.refresh();
    const names = (await plivoResources(p)).map((r) => r.name);
    expect(names).not.toContain("number-415-0");
    expect(names).not.toContain("member-415-0");

    expect((await p.up()).stdout).toMatch(/\+ 2 created/);
    const ids = await resourceIds(p);
    const replacement = ids["PhoneNumber::number-415-0"]!;
    expect(areaCodeOf(replacement)).toBe("415");
    expect(replacement).not.toBe(gone);
    expect(ids["NumberPoolMember::member-415-0"]).toBe(`${dev.powerpackId}/${replacement}`);
    await p.preview({ expectNoChanges: true });
    await prod.preview({ expectNoChanges: true });
  }, STEP_TIMEOUT_MS);

  it("destroying both stacks leaves nothing; every number bought once and unrented once; the token is nowhere", async () => {
    const p = s.project;
    await expectTokenNowhere(s, [p, prod]);
    const numbers = [...(await plivoResources(p)), ...(await plivoResources(prod))].filter((r) => r.type === "PhoneNumber").map((r) => r.id!);
    expect(numbers).toHaveLength(8);
    await p.destroy();
    // prod is untouched by dev's destroy.
    await prod.refresh({ expectNoChanges: true });
    await prod.destroy();
    expect([...(await plivoResources(p)), ...(await plivoResources(prod))]).toEqual([]);
    await expectNothingLeft(s);
    const counts = await expectLedgerBalanced(s.emulator);
    // The numbers in the stacks, plus the one unrented outside Pulumi.
    expect(Object.keys(counts).sort()).toEqual([...numbers, dev.phoneNumbers[0]!].sort());
    await expectTokenNowhere(s, [p, prod]);
  }, STEP_TIMEOUT_MS);
});
