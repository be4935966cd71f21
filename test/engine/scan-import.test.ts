/**
 * Bulk adoption through the real CLI: a populated account (an application, a number with an alias, a Powerpack, a
 * profile) that no stack manages → `pulumi-plivo scan --import-file` → `pulumi import --file` into an empty program on
 * the plugin → the generated program pasted in previews with no changes, and the account saw no mutation. In YAML
 * (code from the real YAML language host) and in TypeScript (code from the project's Node.js host, GenerateProgram).
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { buyLongCode, makeProfile } from "../emulator/async-fixtures";
import { pasteGenerated, plivoApi, plivoResources, STEP_TIMEOUT_MS, useExampleProject } from "./emulatorFixture";
import { REPO_ROOT, type PulumiProject } from "./harness";
import { mutations } from "./pluginFixture";

const CLI = path.join(REPO_ROOT, "dist", "cli", "index.js");

function scan(p: PulumiProject, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, "scan", ...args], { cwd: p.dir, env: p.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

for (const language of ["yaml", "ts"] as const) {
  describe.sequential(`scan --import-file → pulumi import --file → the generated ${language === "yaml" ? "YAML" : "TypeScript"} program`, () => {
    const programDir = path.join(REPO_ROOT, "test", "engine", "programs", `import-${language}`);
    const s = useExampleProject(`import-${language}`, language === "yaml" ? { programDir } : { programDir, variant: "plugin" });

    it(
      "brings a whole account under management; the pasted program previews with no changes",
      async () => {
        const p = s.project;
        // The YAML program uses the plugin of this checkout (its bin/ serves dist/); the TypeScript one is on the plugin
        // through the fixture's variant.
        if (language === "yaml") {
          fs.appendFileSync(path.join(p.dir, "Pulumi.yaml"), `plugins:\n  providers:\n    - name: plivo\n      path: ${path.join(REPO_ROOT, "bin")}\n`);
        }
        const app = await plivoApi(s, "POST", "Application/", {
          app_name: "legacy-ivr",
          answer_url: "https://example.com/ivr",
          message_url: "https://example.com/sms",
        });
        const number = await buyLongCode(s.emulator, "415");
        await plivoApi(s, "POST", `Number/${number}/`, { alias: "front-desk", app_id: app.app_id });
        const pool = await plivoApi(s, "POST", "Powerpack/", { name: "legacy-pool" });
        const profile = await makeProfile(s.emulator, { profile_alias: "acme-legacy" });
        const before = await mutations(s);

        const file = path.join(p.dir, "..", "plivo-import.json");
        const res = await scan(p, ["--import-file", file]);
        expect(res.code, res.stderr).toBe(0);
        const imported = JSON.parse(fs.readFileSync(file, "utf8"));
        expect(imported.resources.map((r: any) => `${r.type} ${r.id}`).sort()).toEqual(
          [
            `plivo:index:Application ${app.app_id}`,
            `plivo:index:PhoneNumber ${number}`,
            `plivo:index:Powerpack ${pool.uuid}`,
            `plivo:index:Profile ${profile}`,
          ].sort(),
        );

        const out = path.join(p.dir, "..", `generated.${language}`);
        await p.run(["import", "--file", file, "--yes", "--skip-preview", "--protect=false", "--out", out, "--stack", p.stack, "--non-interactive"]);
        const generated = fs.readFileSync(out, "utf8");
        if (language === "yaml") expect(generated).toMatch(/type: plivo:(index:)?Application/);
        else expect(generated).toMatch(/new plivo\.Application\(/);
        expect(generated).toContain("legacy-ivr");
        expect((await plivoResources(p)).map((r) => r.type).sort()).toEqual(["Application", "PhoneNumber", "Powerpack", "Profile"]);

        // Paste the generated program into the project: it declares exactly what the state now holds.
        if (language === "yaml") fs.appendFileSync(path.join(p.dir, "Pulumi.yaml"), `\n${generated}`);
        else pasteGenerated(s, generated);
        await p.preview({ expectNoChanges: true });
        expect((await scan(p, ["--exit-code"])).code).toBe(0);
        expect(await mutations(s)).toEqual(before);
        console.log(`[scan-import] ${imported.resources.length} resources imported; generated ${language} program:\n${generated}`);
      },
      STEP_TIMEOUT_MS,
    );
  });
}
