/**
 * The Python SDK (sdk/python/) is what Pulumi's own Python code generator makes of the package schema: codegen/python
 * binds the schema with Pulumi's binder (validating it against the package metaschema, failing on any diagnostic) and
 * runs the generator that `pulumi package gen-sdk --language python` runs inside pulumi-language-python. This test
 * regenerates it and fails when the committed copy drifts, then byte-compiles it. It needs Go (the module cache of
 * scripts/install-pulumi.sh serves the generator's modules). The `pulumi` Python package itself cannot be installed
 * here (no PyPI), so the SDK is not run against the engine.
 */
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(__dirname, "..", "..");
const hasGo = spawnSync("go", ["version"]).status === 0;
const hasPython = spawnSync("python3", ["--version"]).status === 0;

function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && !e.parentPath.includes("__pycache__"))
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

describe.skipIf(!hasGo)("the Python SDK", () => {
  it("is what Pulumi's Python generator makes of the package schema (run `npm run generate:python` after schema changes)", () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "plivo-python-sdk-"));
    try {
      execFileSync("go", ["run", ".", path.join(root, "provider", "plugin", "schema.json"), out], {
        cwd: path.join(root, "codegen", "python"),
        env: { ...process.env, GOFLAGS: "-mod=mod -buildvcs=false" },
        stdio: ["ignore", "pipe", "pipe"],
      });
      const committed = path.join(root, "sdk", "python");
      expect(filesUnder(committed)).toEqual(filesUnder(out));
      for (const f of filesUnder(out)) expect(fs.readFileSync(path.join(committed, f), "utf8"), f).toBe(fs.readFileSync(path.join(out, f), "utf8"));
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
    // A machine with an empty Go module cache downloads the generator's modules first (scripts/README.md).
  }, 900_000);

  it.skipIf(!hasPython)(
    "byte-compiles, with a class per resource and the provider's config",
    () => {
      const pkg = path.join(root, "sdk", "python", "pulumi_plivo");
      const cache = fs.mkdtempSync(path.join(os.tmpdir(), "plivo-pycache-"));
      try {
        execFileSync("python3", ["-m", "compileall", "-q", pkg], { env: { ...process.env, PYTHONPYCACHEPREFIX: cache } });
      } finally {
        fs.rmSync(cache, { recursive: true, force: true });
      }
      const init = fs.readFileSync(path.join(pkg, "__init__.py"), "utf8");
      for (const m of [
        "application",
        "phone_number",
        "powerpack",
        "number_pool_member",
        "profile",
        "brand",
        "campaign",
        "campaign_number_link",
        "tollfree_verification",
        "provider",
      ]) {
        expect(init).toContain(`from .${m} import *`);
      }
      expect(fs.readFileSync(path.join(pkg, "campaign.py"), "utf8")).toMatch(/super\(Campaign, __self__\).__init__\(\s*'plivo:index:Campaign',/);
      expect(fs.readFileSync(path.join(pkg, "provider.py"), "utf8")).toContain('additional_secret_outputs=["authToken"]');
    },
    60_000,
  );
});
