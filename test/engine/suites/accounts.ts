/**
 * examples/accounts with the real Pulumi CLI, written once for the TypeScript program (accounts-plugin.test.ts) and the
 * YAML one (accounts-yaml.test.ts): one program manages two Plivo accounts — two emulators, two auth ids and tokens —
 * through two explicit providers (`plivo.Provider`, `pulumi:providers:plivo`): each account gets only its own objects;
 * no-change preview and refresh; destroy empties both; neither token appears in the state or the CLI output. For
 * TypeScript also: the CLI loads the plugin's package schema from the npm package (and binds it without a diagnostic),
 * and finds the plugin three ways (Pulumi.yaml, the plugin cache, PATH).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { packageSchema } from "../../../provider/plugin/packageSchema";
import { startTestEmulator, type TestEmulator } from "../../helpers/emulator";
import { expectLedgerBalanced } from "../../helpers/ledger";
import { expectNothingLeft, expectTokenNowhere, plivoResources, STEP_TIMEOUT_MS, useExampleProject } from "../emulatorFixture";

export function accountsSuite(variant: "plugin" | "yaml"): void {
  describe.sequential(`examples/accounts: two providers, two accounts, one program (${variant})`, () => {
    const s = useExampleProject("accounts", { variant });
    const partnerToken = `partner-tok-${randomBytes(12).toString("hex")}`;
    let partner: TestEmulator;
    beforeAll(async () => {
      partner = await startTestEmulator({ port: 0, authId: "MAPARTNERACCOUNT0002", authToken: partnerToken });
      const p = s.project;
      await p.setConfig("mainAuthId", s.emulator.emu.authId);
      await p.setConfig("mainAuthToken", s.token, { secret: true });
      await p.setConfig("mainBaseUrl", s.emulator.emu.url);
      await p.setConfig("partnerAuthId", partner.emu.authId);
      await p.setConfig("partnerAuthToken", partnerToken, { secret: true });
      await p.setConfig("partnerBaseUrl", partner.emu.url);
    });
    afterAll(() => partner?.close());

    if (s.language === "ts")
      it(
        "the CLI loads the plugin's schema through the plugin and binds it without diagnostics",
        async () => {
          const res = await s.project.run(["package", "get-schema", "./node_modules/pulumi-plivo/bin/pulumi-resource-plivo"]);
          const version = JSON.parse(fs.readFileSync(path.join(s.project.dir, "node_modules", "pulumi-plivo", "package.json"), "utf8")).version;
          expect(JSON.parse(res.stdout)).toEqual(JSON.parse(JSON.stringify(packageSchema(version))));
          expect(res.stderr).not.toMatch(/warning|error/i);
        },
        STEP_TIMEOUT_MS,
      );

    it(
      "up gives each account its own application and number; preview and refresh then show no changes",
      async () => {
        const p = s.project;
        expect((await p.up()).stdout).toMatch(/\+ 7 created/); // the stack, two providers, two apps, two numbers
        const out = await p.outputs();
        const main = await s.emulator.state();
        const other = await partner.state();
        expect(main.applications.map((a: any) => [a.app_id, a.app_name])).toEqual([[out.mainAppId, "main-dev"]]);
        expect(other.applications.map((a: any) => [a.app_id, a.app_name])).toEqual([[out.partnerAppId, "partner-dev"]]);
        expect(main.numbers.map((n: any) => n.number)).toEqual([out.mainNumber]);
        expect(other.numbers.map((n: any) => n.number)).toEqual([out.partnerNumber]);
        const providers = (await p.exportStack()).deployment.resources.filter((r: any) => r.type === "pulumi:providers:plivo");
        expect(providers.map((r: any) => r.urn.split("::").pop()).sort()).toEqual(["main", "partner"]);
        await p.preview({ expectNoChanges: true });
        await p.refresh({ expectNoChanges: true });
      },
      STEP_TIMEOUT_MS,
    );

    if (s.language === "ts")
      it(
        "the plugin also runs from the plugin cache (pulumi plugin install --file) and from PATH, without the Pulumi.yaml entry",
        async () => {
          const p = s.project;
          const yaml = path.join(p.dir, "Pulumi.yaml");
          const original = fs.readFileSync(yaml, "utf8");
          const version = JSON.parse(fs.readFileSync(path.join(p.dir, "node_modules", "pulumi-plivo", "package.json"), "utf8")).version;
          fs.writeFileSync(yaml, original.replace(/\nplugins:[\s\S]*$/, "\n"));
          try {
            await p.run(["plugin", "install", "resource", "plivo", version, "--file", "./node_modules/pulumi-plivo/bin/pulumi-resource-plivo"]);
            await p.preview({ expectNoChanges: true });
            await p.run(["plugin", "rm", "resource", "plivo", "--yes"]);
            const withBin = { PATH: `${path.join(p.dir, "node_modules", ".bin")}${path.delimiter}${p.env.PATH}` };
            await p.preview({ expectNoChanges: true, env: withBin });
          } finally {
            fs.writeFileSync(yaml, original);
          }
        },
        STEP_TIMEOUT_MS,
      );

    it(
      "destroy empties both accounts; neither token is anywhere",
      async () => {
        const p = s.project;
        await p.destroy();
        expect(await plivoResources(p)).toEqual([]);
        await expectNothingLeft(s);
        expect((await partner.state()).numbers).toEqual([]);
        expect((await partner.state()).applications).toEqual([]);
        expect(Object.keys(await expectLedgerBalanced(s.emulator))).toHaveLength(1);
        expect(Object.keys(await expectLedgerBalanced(partner))).toHaveLength(1);
        await expectTokenNowhere(s);
        const exported = JSON.stringify(await p.exportStack());
        expect(exported.includes(partnerToken)).toBe(false);
        for (const c of s.transcript) expect((c.result.stdout + c.result.stderr).includes(partnerToken)).toBe(false);
      },
      STEP_TIMEOUT_MS,
    );
  });
}
