/**
 * Proves the engine toolchain on its own — the Pulumi CLI, the project's language host, the bundled dynamic
 * provider plugin and the harness — with a tiny dynamic-resource program that does not need pulumi-plivo, so
 * it runs (and fails loudly) before any example exists.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI_VERSION, TOOLCHAIN_LEG } from "./harness-setup";
import { ENGINE_DEFAULTS, ensurePulumiCli, SDK_VERSION, withPulumiProject } from "./harness";

// An inline dynamic provider: create returns an id, read echoes state (so refresh sees no change), and the
// program exports a plain and a secret output.
const PROVIDER_BODY = `
  async create(inputs) { return { id: "widget-" + inputs.label, outs: { ...inputs, serial: 42 } }; },
  async read(id, props) { return { id, props }; },
  async diff(id, olds, news) {
    const replace = olds.label !== news.label;
    return { changes: replace, replaces: replace ? ["label"] : [], deleteBeforeReplace: true };
  },
  async delete() {},
`;

const JS_PROGRAM = `"use strict";
const pulumi = require("@pulumi/pulumi");
const provider = {${PROVIDER_BODY}};
class Widget extends pulumi.dynamic.Resource {
  constructor(name, args, opts) { super(provider, name, { serial: undefined, ...args }, opts, "smoke", "Widget"); }
}
const config = new pulumi.Config();
const widget = new Widget("w1", { label: config.get("label") || "alpha" });
exports.widgetId = widget.id;
exports.serial = widget.serial;
exports.token = config.requireSecret("token");
`;

const TS_PROGRAM = `import * as pulumi from "@pulumi/pulumi";
const provider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: any) { return { id: "widget-" + inputs.label, outs: { ...inputs, serial: 42 } }; },
  async read(id: string, props: any) { return { id, props }; },
};
class Widget extends pulumi.dynamic.Resource {
  declare readonly serial: pulumi.Output<number>;
  constructor(name: string, args: { label: pulumi.Input<string> }, opts?: pulumi.CustomResourceOptions) {
    super(provider, name, { serial: undefined, ...args }, opts, "smoke", "Widget");
  }
}
const widget = new Widget("w1", { label: "typed" });
export const widgetId = widget.id;
export const serial = widget.serial;
// What this toolchain leg really runs: the program's Node.js and @pulumi/pulumi (no @types/node here).
declare const process: { version: string };
declare const require: (id: string) => { version: string };
export const nodeVersion = process.version;
export const sdkVersion: string = require("@pulumi/pulumi/package.json").version;
`;

function writeProject(name: string, files: Record<string, string>, pkgExtra: Record<string, unknown> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `plivo-smoke-src-${name}-`));
  const pkg = { name, private: true, dependencies: { "@pulumi/pulumi": SDK_VERSION }, ...pkgExtra };
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `name: ${name}\nruntime: nodejs\ndescription: engine smoke test\n`);
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify(pkg, null, 2));
  for (const [file, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, file), text);
  return dir;
}

describe("engine smoke: CLI + language host + dynamic provider", () => {
  const sources: string[] = [];
  beforeAll(() => ensurePulumiCli(), ENGINE_DEFAULTS.setupTimeoutMs);
  afterAll(() => sources.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  it(
    "runs a JavaScript program through up, no-change preview and refresh, outputs, replace and destroy",
    async () => {
      const src = writeProject("smoke-js", { "index.js": JS_PROGRAM }, { main: "index.js" });
      sources.push(src);
      await withPulumiProject({ exampleDir: src, stack: "dev", secrets: { token: "s3cr3t-value" } }, async (p) => {
        const up = await p.up();
        expect(up.stdout).toContain("+ 2 created");

        await p.preview({ expectNoChanges: true });
        await p.refresh({ expectNoChanges: true });

        const outputs = await p.outputs();
        expect(outputs).toEqual({ widgetId: "widget-alpha", serial: 42, token: "s3cr3t-value" });
        // Secret outputs and config stay encrypted in the state file.
        const state = JSON.stringify(await p.exportStack());
        expect(state).not.toContain("s3cr3t-value");
        expect(state).toContain("pulumi-nodejs:dynamic/smoke:Widget");

        // A config change flows into the program and the provider's diff (replacement).
        await p.setConfig("label", "beta");
        const preview = await p.preview({ diff: true });
        expect(preview.stdout).toMatch(/\+-1 to replace/);
        await p.up();
        expect((await p.outputs()).widgetId).toBe("widget-beta");

        // A failing program fails the command, and the language host's message reaches the CLI output. (Not a
        // thrown error: Node 20's util.inspect bug makes the SDK spend ~15 s formatting one; see scripts/README.md.)
        fs.appendFileSync(path.join(p.dir, "index.js"), `\nprocess.exit(3);\n`);
        const failed = await p.preview({ allowFailure: true });
        expect(failed.code).not.toBe(0);
        expect(failed.stdout + failed.stderr).toContain("Program exited with non-zero exit code: 3");
        fs.writeFileSync(path.join(p.dir, "index.js"), JS_PROGRAM);

        const destroyed = await p.destroy();
        expect(destroyed.stdout).toContain("2 deleted");
        expect(await p.outputs()).toEqual({});
      });
    },
    ENGINE_DEFAULTS.testTimeoutMs,
  );

  it(
    "runs a TypeScript program (typescript in devDependencies, ts-node from the SDK's vendored copy)",
    async () => {
      const src = writeProject("smoke-ts", { "index.ts": TS_PROGRAM }, { main: "index.ts", devDependencies: { typescript: "~5.9.3" } });
      sources.push(src);
      await withPulumiProject({ exampleDir: src, stack: "dev" }, async (p) => {
        await p.up();
        await p.preview({ expectNoChanges: true });
        // The leg runs what it claims (scripts/toolchain.json; scripts/test.js puts the leg's Node first on PATH).
        const expectedNode = execFileSync("node", ["--version"], { env: p.env, encoding: "utf8" }).trim();
        expect(await p.outputs()).toEqual({ widgetId: "widget-typed", serial: 42, nodeVersion: expectedNode, sdkVersion: SDK_VERSION });
        if (process.env.PLIVO_EXPECT_NODE) expect(expectedNode).toBe(`v${process.env.PLIVO_EXPECT_NODE}`);
        expect((await p.run(["version"])).stdout.trim()).toBe(`v${CLI_VERSION}`);
        console.log(`[toolchain ${TOOLCHAIN_LEG}] pulumi v${CLI_VERSION}, node ${expectedNode}, @pulumi/pulumi ${SDK_VERSION}`);
      });
    },
    ENGINE_DEFAULTS.testTimeoutMs,
  );
});
