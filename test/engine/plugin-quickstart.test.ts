/**
 * examples/quickstart through the provider plugin (`pulumi-plivo/plugin`, plugins.providers in Pulumi.yaml) with
 * the real Pulumi CLI: up, no-change preview and refresh, in-place edits with a detailed diff, a replacement naming
 * the property, `pulumi import` and the `import` resource option (which the dynamic resources cannot serve), drift,
 * the token nowhere, destroy with the ledger.
 */
import { describe, expect, it } from "vitest";
import {
  appendToProgram,
  buyNumberOutOfBand,
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
import { detailedDiffOf, expectImported, mutations } from "./pluginFixture";
import { expectLedgerBalanced, ledger } from "../helpers/ledger";

describe.sequential("examples/quickstart through the provider plugin", () => {
  const s = useExampleProject("quickstart", { form: "plugin", config: { areaCode: "415" } });
  let appId = "";
  let number = "";

  it("up creates plivo:index resources with the plugin; preview and refresh then show no changes", async () => {
    const p = s.project;
    const up = await p.up();
    expect(up.stdout).toMatch(/\+ 3 created/);
    const outputs = await p.outputs();
    appId = outputs.applicationId;
    number = outputs.phoneNumber;
    expect(number).toMatch(/^1415\d{7}$/);
    expect(await resourceIds(p)).toEqual({ "Application::support": appId, "PhoneNumber::support-line": number });
    const types = (await p.exportStack()).deployment.resources.map((r: any) => r.type);
    expect(types).toEqual(expect.arrayContaining(["pulumi:providers:plivo", "plivo:index:Application", "plivo:index:PhoneNumber"]));
    expect(types.filter((t: string) => t.startsWith("pulumi-nodejs"))).toEqual([]);
    await p.preview({ expectNoChanges: true });
    await p.refresh({ expectNoChanges: true });
  }, STEP_TIMEOUT_MS);

  it("an edited URL and alias update in place, with a detailed diff per property", async () => {
    const p = s.project;
    editProgram(p, `messageUrl: "https://example.com/sms/inbound"`, `messageUrl: "https://example.com/sms/inbound-v2"`);
    editProgram(p, "alias: `support-${stack}`", "alias: `support-line-${stack}`");
    const preview = await p.preview({ json: true });
    expectOnlyUpdates(preview.json, ["Application::support", "PhoneNumber::support-line"]);
    expect(detailedDiffOf(preview.json, "support")).toEqual({ messageUrl: "update" });
    expect(detailedDiffOf(preview.json, "support-line")).toEqual({ alias: "update" });
    const text = await p.preview({ diff: true });
    expect(text.stdout).toMatch(/~ messageUrl\s*: "https:\/\/example\.com\/sms\/inbound" => "https:\/\/example\.com\/sms\/inbound-v2"/);

    const before = await resourceIds(p);
    expect((await p.up()).stdout).toMatch(/~ 2 updated/);
    expect(await resourceIds(p)).toEqual(before);
    expect((await plivoApi(s, "GET", `Application/${appId}/`)).message_url).toBe("https://example.com/sms/inbound-v2");
    expect((await plivoApi(s, "GET", `Number/${number}/`)).alias).toBe("support-line-dev");
    await p.preview({ expectNoChanges: true });
  }, STEP_TIMEOUT_MS);

  it("a new appName previews as a replacement naming appName (and only an update of the number)", async () => {
    const p = s.project;
    editProgram(p, "appName: `support-${stack}`", "appName: `helpdesk-${stack}`");
    const preview = await p.preview({ json: true });
    expectReplacedFor(preview.json, "Application::support", "appName");
    expect(detailedDiffOf(preview.json, "support")).toEqual({ appName: "update-replace" });
    expect(preview.json.steps.find((x: any) => x.urn.endsWith("::support-line")).op).toBe("update");
    expect((await p.preview({ diff: true })).stdout).toMatch(/\+-plivo:index:Application: \(replace\)/);
    editProgram(p, "appName: `helpdesk-${stack}`", "appName: `support-${stack}`");
    await p.preview({ expectNoChanges: true });
  }, STEP_TIMEOUT_MS);

  it("pulumi import brings an application and a number created outside Pulumi in by id; then no changes", async () => {
    const p = s.project;
    const created = await plivoApi(s, "POST", "Application/", { app_name: "legacy-ivr", answer_url: "https://legacy.example.com/answer" });
    const legacyId = String(created.app_id);
    const legacyNumber = await buyNumberOutOfBand(s, "country_iso=US&type=local&pattern=212&services=sms");
    const before = await mutations(s);

    await p.import("plivo:index:Application", "legacy-ivr", legacyId);
    await p.import("plivo:index:PhoneNumber", "legacy-line", `+1 ${legacyNumber.slice(1)}`);
    expect((await resourceIds(p))["PhoneNumber::legacy-line"]).toBe(legacyNumber);
    appendToProgram(
      p,
      [
        `new plivo.Application("legacy-ivr", { appName: "legacy-ivr", answerUrl: "https://legacy.example.com/answer" }, { protect: true });`,
        `new plivo.PhoneNumber("legacy-line", { number: "${legacyNumber}" }, { protect: true });`,
      ].join("\n"),
    );
    await p.preview({ expectNoChanges: true });
    await expectImported(p, ["Application::legacy-ivr", "PhoneNumber::legacy-line"]);
    expect(await mutations(s)).toEqual(before);
  }, STEP_TIMEOUT_MS);

  it("the import resource option takes an existing application over at up; then no changes", async () => {
    const p = s.project;
    const created = await plivoApi(s, "POST", "Application/", { app_name: "legacy-sms", answer_url: "https://legacy.example.com/sms-answer" });
    const id = String(created.app_id);
    const before = await mutations(s);
    appendToProgram(p, `new plivo.Application("legacy-sms", { appName: "legacy-sms", answerUrl: "https://legacy.example.com/sms-answer" }, { import: "${id}" });`);
    const preview = await p.preview({ json: true });
    expect(preview.json.steps.find((x: any) => x.urn.endsWith("::legacy-sms")).op).toBe("import");
    expect((await p.up()).stdout).toMatch(/= 1 imported/);
    expect((await resourceIds(p))["Application::legacy-sms"]).toBe(id);
    expect(await mutations(s)).toEqual(before);
    await p.preview({ expectNoChanges: true });
  }, STEP_TIMEOUT_MS);

  it("an application deleted outside Pulumi is dropped by refresh and recreated by up", async () => {
    const p = s.project;
    await plivoApi(s, "DELETE", `Application/${appId}/`);
    await p.refresh();
    expect((await plivoResources(p)).map((r) => r.name)).not.toContain("support");
    expect((await p.up()).stdout).toMatch(/\+ 1 created/);
    const ids = await resourceIds(p);
    expect(ids["Application::support"]).not.toBe(appId);
    appId = ids["Application::support"]!;
    expect(String((await plivoApi(s, "GET", `Number/${number}/`)).application)).toContain(appId);
    await p.preview({ expectNoChanges: true });
  }, STEP_TIMEOUT_MS);

  it("destroy unrents every number once; the token is nowhere", async () => {
    const p = s.project;
    await expectTokenNowhere(s);
    await p.run(["state", "unprotect", "--all", "--yes", "--stack", p.stack, "--non-interactive"]);
    const rented = (await plivoResources(p)).filter((r) => r.type === "PhoneNumber").map((r) => r.id!);
    await p.destroy();
    expect(await plivoResources(p)).toEqual([]);
    await expectNothingLeft(s);
    expect(Object.keys(await expectLedgerBalanced(s.emulator)).sort()).toEqual(rented.sort());
    // The numbers bought outside Pulumi (one imported) were bought once each, by hand.
    expect((await ledger(s.emulator, { action: "buy" })).length).toBe(rented.length);
    await expectTokenNowhere(s);
  }, STEP_TIMEOUT_MS);
});
