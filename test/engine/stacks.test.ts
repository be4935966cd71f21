/**
 * Two stacks of one program in one Plivo account, as a new user would run them (the dynamic classes, real CLI): with
 * names that leave the stack out, prod's `up` fails at its preview on the Powerpack name dev holds — before anything is
 * bought — and a fixed number dev manages fails prod's preview naming dev; prod's application with dev's name and
 * values is created anew, never taken over from dev; an explicit adoptId of dev's number says loudly that both stacks
 * now manage it, and `pulumi-plivo scan` flags that number as claimed twice. Names with the stack in them pass. And the
 * dynamic classes keep a Subaccount's token and an Endpoint's password secret (a password change previews as [secret]).
 */
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { mutations } from "./pluginFixture";
import { plivoApi, plivoResources, resourceIds, runScan, STEP_TIMEOUT_MS, useExampleProject } from "./emulatorFixture";
import { REPO_ROOT, type PulumiProject } from "./harness";
import { ledger } from "../helpers/ledger";

const PASSWORD = "desk-pw-4vKq9sLm";
const NEW_PASSWORD = "desk-pw-Zt6cW1pe";

/** One line of a CLI's output, whatever the terminal width did to it. */
const oneLine = (text: string) => text.replace(/\s*\n\s*/g, " ");

describe.sequential("two stacks of one program in one account", () => {
  const names = { appName: "support", poolName: "support-pool" };
  const s = useExampleProject("shared-account", { programDir: path.join(REPO_ROOT, "test", "engine", "programs", "shared-account"), config: names });
  let prod: PulumiProject;
  let dev: Record<string, string>;

  it(
    "with names that leave the stack out, prod's up fails at its preview on dev's Powerpack name, before anything is bought",
    async () => {
      await s.project.setConfig("deskPassword", PASSWORD, { secret: true });
      expect((await s.project.up()).stdout).toMatch(/\+ 6 created/);
      dev = await s.project.outputs();
      prod = await s.stack("prod", names);
      await prod.setConfig("deskPassword", PASSWORD, { secret: true });
      const before = await mutations(s);
      // `pulumi up` as a user runs it: the preview first.
      const up = await prod.up({ allowFailure: true, skipPreview: false });
      expect(up.code).not.toBe(0);
      expect(oneLine(up.stdout)).toContain(
        `name: must be unique in the Plivo account: Powerpack ${dev.powerpackId} is named "support-pool" and belongs to stack dev (Powerpack "pool"); give this stack's another name (e.g. with the stack's name in it)`,
      );
      // Nothing was bought, created or changed: the preview stopped the up.
      expect(await mutations(s)).toEqual(before);
      expect(await ledger(s.emulator, { action: "buy" })).toHaveLength(1);
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "a fixed number dev manages fails prod's preview naming dev (no silent takeover)",
    async () => {
      await prod.setConfig("poolName", "support-pool-prod");
      await prod.setConfig("number", dev.phoneNumber);
      const before = await mutations(s);
      const preview = await prod.preview({ allowFailure: true });
      expect(preview.code).not.toBe(0);
      expect(oneLine(preview.stdout)).toContain(
        `number: PhoneNumber ${dev.phoneNumber} is already in the account and belongs to stack dev (PhoneNumber "line"): it would be taken over, and destroying either would delete it for both`,
      );
      expect(await mutations(s)).toEqual(before);
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "prod's application with dev's name and values is its own, not dev's taken over; names with the stack pass",
    async () => {
      await prod.run(["config", "rm", "number", "--stack", "prod", "--non-interactive"]);
      expect((await prod.up()).stdout).toMatch(/\+ 6 created/);
      const ours = await prod.outputs();
      expect(ours.applicationId).not.toBe(dev.applicationId);
      expect(ours.phoneNumber).not.toBe(dev.phoneNumber);
      const apps = (await s.emulator.state()).applications.map((a: any) => [a.app_id, a.app_name]).sort();
      expect(apps).toEqual(
        [
          [dev.applicationId, "support"],
          [ours.applicationId, "support"],
        ].sort(),
      );
      expect((await resourceIds(s.project))["Application::support"]).toBe(dev.applicationId);
      await s.project.preview({ expectNoChanges: true });
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "an explicit adoptId of dev's number says loudly that both stacks now manage it; the scan flags it claimed twice",
    async () => {
      await prod.setConfig("adoptNumber", dev.phoneNumber);
      const up = await prod.up();
      expect(up.stdout).toMatch(/\+ 1 created/);
      expect(oneLine(up.stdout)).toContain(
        `Adopts existing PhoneNumber ${dev.phoneNumber} instead of creating one; its fields already match the declaration. Warning: it belongs to stack dev (PhoneNumber "line") too; both will manage it, and destroying either deletes it for both`,
      );
      expect(await ledger(s.emulator, { action: "buy" })).toHaveLength(2);
      await s.project.preview({ expectNoChanges: true });

      const res = await runScan(s.project, ["--json", "--exit-code"]);
      expect(res.stderr).toBe("");
      expect(res.code).toBe(3);
      const [report] = JSON.parse(res.stdout);
      expect(report.unmanaged).toEqual([]);
      expect(report.shared.map((x: any) => [x.object.type, x.object.id, x.holders.map((h: any) => h.stack).sort()])).toEqual([
        ["PhoneNumber", dev.phoneNumber, ["dev", "prod"]],
      ]);
      const text = await runScan(s.project);
      expect(text.stdout).toContain(
        `PhoneNumber ${dev.phoneNumber}: held by line in stack dev and adopted-line in stack prod: destroying either deletes it for both`,
      );
      expect((await plivoApi(s, "GET", `Number/${dev.phoneNumber}/`)).number).toBe(dev.phoneNumber);
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "the dynamic classes keep a subaccount's token and an endpoint's password secret; a password change previews as [secret]",
    async () => {
      const p = s.project;
      const token = (await plivoApi(s, "GET", `Subaccount/${dev.teamSubaccount}/`)).auth_token as string;
      const exported = JSON.stringify(await p.exportStack());
      for (const secret of [token, PASSWORD]) expect(exported.includes(secret), "a secret in the exported state").toBe(false);
      const resources = await plivoResources(p);
      const secretValue = expect.objectContaining({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270" });
      expect(resources.find((r) => r.type === "Subaccount")!.outputs.authToken).toEqual(secretValue);
      const desk = resources.find((r) => r.type === "Endpoint")!;
      expect([desk.inputs.password, desk.outputs.password]).toEqual([secretValue, secretValue]);

      await p.setConfig("deskPassword", NEW_PASSWORD, { secret: true });
      const text = await p.preview({ diff: true });
      // The endpoint alone is updated, its password marked as changed and never shown: the dynamic form sends the engine
      // the same detailed diff as the plugin (provider/process/hostDiff.ts; test/engine/suites/stages.ts for the plugin).
      expect(text.stdout).toMatch(/~ 1 to update/);
      expect(text.stdout).toContain("~ pulumi-nodejs:dynamic/plivo:Endpoint: (update)");
      expect(text.stdout).toMatch(/~ password\s*: \[secret\] => \[secret\]/);
      for (const c of s.transcript) {
        if (c.args.includes("--show-secrets")) continue;
        for (const secret of [token, PASSWORD, NEW_PASSWORD])
          expect((c.result.stdout + c.result.stderr).includes(secret), `pulumi ${c.args.join(" ")}`).toBe(false);
      }
    },
    STEP_TIMEOUT_MS,
  );
});
