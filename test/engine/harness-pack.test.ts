/**
 * The harness installs pulumi-plivo the way users get it: `npm pack` of this repository (so `files`, `main` and
 * dependencies are exercised), a real copy in node_modules rather than a `file:../..` symlink, sharing the
 * program's single @pulumi/pulumi. Needs a current `npm run build` (npm test does it).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENGINE_DEFAULTS, ensurePulumiCli, packPlivoTarball, REPO_ROOT, withPulumiProject } from "./harness";

const ROOT_PKG = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8"));

describe("engine harness: packed pulumi-plivo", () => {
  let src = "";
  beforeAll(async () => {
    await ensurePulumiCli();
    await packPlivoTarball();
    src = fs.mkdtempSync(path.join(os.tmpdir(), "plivo-pack-src-"));
    fs.writeFileSync(path.join(src, "Pulumi.yaml"), "name: pack-check\nruntime: nodejs\n");
    const pkg = {
      name: "pack-check",
      private: true,
      main: "index.js",
      // What examples will say; the harness must rewrite it to the tarball.
      dependencies: { "@pulumi/pulumi": ROOT_PKG.dependencies["@pulumi/pulumi"], "pulumi-plivo": "file:../.." },
    };
    fs.writeFileSync(path.join(src, "package.json"), JSON.stringify(pkg, null, 2));
    fs.writeFileSync(
      path.join(src, "index.js"),
      `const plivo = require("pulumi-plivo");\nexports.exportsOfPackage = Object.keys(plivo).sort();\n` +
        `exports.resolvedFrom = require.resolve("pulumi-plivo");\n`,
    );
  }, ENGINE_DEFAULTS.setupTimeoutMs);
  afterAll(() => fs.rmSync(src, { recursive: true, force: true }));

  it(
    "installs a real copy from the tarball and the program can load it",
    async () => {
      await withPulumiProject({ exampleDir: src, stack: "dev" }, async (p) => {
        const installed = path.join(p.dir, "node_modules", "pulumi-plivo");
        expect(fs.lstatSync(installed).isSymbolicLink()).toBe(false);
        expect(JSON.parse(fs.readFileSync(path.join(p.dir, "package.json"), "utf8")).dependencies["pulumi-plivo"]).toMatch(/^file:.*\.tgz$/);

        await p.up();
        const outputs = await p.outputs();
        expect(outputs.resolvedFrom).toBe(path.join(fs.realpathSync(p.dir), "node_modules", "pulumi-plivo", ROOT_PKG.main));
        expect(outputs.exportsOfPackage).toContain("Application");
      });
    },
    ENGINE_DEFAULTS.testTimeoutMs,
  );
});
