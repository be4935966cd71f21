/**
 * Moving a stack from the dynamic resources to the provider plugin without a single Plivo mutation: examples/
 * quickstart is deployed with the dynamic classes; the commands of docs/forms.md, run as written
 * (pulumi-plivo-move-to-plugin, `pulumi state delete`, switching the program to `pulumi-plivo/plugin`, `pulumi import
 * --file`, a no-change preview) bring every resource over as `plivo:index:*`; the emulator's ledger and request log
 * show no mutation; a change previewed right after the move plans only that change; the plugin then updates and
 * destroys what the dynamic provider created.
 */
import { describe, expect, it } from "vitest";
import { editProgram, expectNothingLeft, plivoApi, plivoResources, resourceIds, STEP_TIMEOUT_MS, switchToPlugin, useExampleProject } from "./emulatorFixture";
import { mutations } from "./pluginFixture";
import { expectLedgerBalanced } from "../helpers/ledger";
import { shellBlocks } from "./markdown";

describe.sequential("moving a stack from the dynamic resources to the plugin", () => {
  const s = useExampleProject("quickstart", { config: { areaCode: "415" } });
  let ids: Record<string, string> = {};

  it(
    "deploys with the dynamic classes",
    async () => {
      const p = s.project;
      expect((await p.up()).stdout).toMatch(/\+ 3 created/);
      ids = await resourceIds(p);
      expect((await plivoResources(p)).map((r) => r.type)).toEqual(["Application", "PhoneNumber"]);
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "docs/forms.md's commands, run as written, move every resource to plivo:index tokens with no Plivo mutation; then no changes",
    async () => {
      const p = s.project;
      const before = await mutations(s);
      // What it will import, checked before the move (the tool reads `pulumi stack export` on stdin).
      const planned = await p.runShell("pulumi stack export | npx pulumi-plivo-move-to-plugin");
      expect(planned.code, planned.stderr).toBe(0);
      expect(JSON.parse(planned.stdout).resources).toEqual([
        { type: "plivo:index:Application", name: "support", id: ids["Application::support"] },
        { type: "plivo:index:PhoneNumber", name: "support-line", id: ids["PhoneNumber::support-line"] },
      ]);

      // The page's block, line by line, in the program's directory on the selected stack; its comment line is the one
      // step a person does by hand (switchToPlugin does it here).
      const block = shellBlocks("docs/forms.md").find((b) => b.includes("pulumi-plivo-move-to-plugin"));
      expect(block, "docs/forms.md has the move's commands").toBeDefined();
      for (const line of block!.split("\n").filter((l) => l.trim())) {
        if (line.trim().startsWith("#")) {
          expect(line).toContain('"pulumi-plivo/plugin"');
          switchToPlugin(p);
          continue;
        }
        const command = line.replace(/\s+#[^"'`]*$/, "");
        const res = await p.runShell(command);
        expect(res.code, `${command}\n${res.stdout}\n${res.stderr}`).toBe(0);
      }

      const state = (await p.exportStack()).deployment.resources.map((r: any) => r.type);
      expect(state.filter((t: string) => t.startsWith("pulumi-nodejs:dynamic"))).toEqual([]);
      expect(await resourceIds(p)).toEqual(ids);
      await p.refresh({ expectNoChanges: true });
      expect(await mutations(s)).toEqual(before);
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "right after the move, a preview with a change plans it, with no provider crash and no provider replacement",
    async () => {
      const p = s.project;
      editProgram(p, "appName: `support-${stack}`", "appName: `helpdesk-${stack}`");
      try {
        const preview = await p.preview({ diff: true });
        const out = preview.stdout + preview.stderr;
        expect(out).toMatch(/\+-plivo:index:Application: \(replace\)/);
        expect(out).not.toMatch(/exited prematurely|errored|\[provider: /);
        const json = await p.preview({ json: true });
        // One replace step for the application, an update of the number that follows its id: nothing about providers.
        expect(
          json.json.steps
            .filter((x: any) => x.op !== "same")
            .map((x: any) => `${x.op} ${x.urn.split("::").pop()}`)
            .sort(),
        ).toEqual(["replace support", "update support-line"]);
      } finally {
        editProgram(p, "appName: `helpdesk-${stack}`", "appName: `support-${stack}`");
      }
      await p.preview({ expectNoChanges: true });
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "the plugin then updates and destroys what the dynamic provider created",
    async () => {
      const p = s.project;
      editProgram(p, "alias: `support-${stack}`", "alias: `support-line-${stack}`");
      expect((await p.up()).stdout).toMatch(/~ 1 updated/);
      expect((await plivoApi(s, "GET", `Number/${ids["PhoneNumber::support-line"]}/`)).alias).toBe("support-line-dev");
      await p.destroy();
      await expectNothingLeft(s);
      expect(Object.keys(await expectLedgerBalanced(s.emulator))).toEqual([ids["PhoneNumber::support-line"]]);
    },
    STEP_TIMEOUT_MS,
  );
});
