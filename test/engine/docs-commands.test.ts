/**
 * The commands the README and docs/getting-started.md tell a user to run, run as written, on a copy of the repository
 * that looks like a fresh clone (only the files git tracks, plus the installed node_modules and the built CLI copied
 * in, so nothing is downloaded or built twice), with a HOME of its own (no Pulumi login, no PULUMI_HOME, no backend).
 * Each document's `sh` blocks run in order in one bash, from the clone's root, as a reader would type them.
 *
 * Two differences from a terminal, both about the environment, not the commands: there is no terminal to answer
 * Pulumi's confirmation prompts, so PULUMI_SKIP_CONFIRMATIONS=true answers yes; and the emulator the page starts in
 * the background is stopped when the script ends. `npm test`, the README's second command, is this suite itself:
 * CI runs it (.ci/run).
 */
import { execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENGINE_DEFAULTS, ensurePulumiCli, REPO_ROOT } from "./harness";
import { shellBlocks } from "./markdown";

/** A copy of the repository as a fresh clone would hold it, in `<tmp>/pulumi-plivo` (the docs' `../pulumi-plivo`). */
function freshClone(parent: string, binDir: string): string {
  const clone = path.join(parent, "pulumi-plivo");
  const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: REPO_ROOT, encoding: "utf8" })
    .split("\0")
    .filter(Boolean);
  for (const f of files) {
    const from = path.join(REPO_ROOT, f);
    if (!fs.existsSync(from)) continue;
    fs.mkdirSync(path.dirname(path.join(clone, f)), { recursive: true });
    fs.copyFileSync(from, path.join(clone, f));
  }
  // What `npm install` and scripts/install-pulumi.sh would fetch and build: copied (hard links), not downloaded again.
  execFileSync("cp", ["-al", path.join(REPO_ROOT, "node_modules"), path.join(clone, "node_modules")]);
  fs.mkdirSync(path.join(clone, ".pulumi-cli"), { recursive: true });
  execFileSync("cp", ["-al", binDir, path.join(clone, ".pulumi-cli", "bin")]);
  return clone;
}

/** The environment of a new user: their PATH, a HOME of their own, none of Pulumi's or the provider's settings. */
function userEnv(home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(PULUMI_|PLIVO_|NODE_OPTIONS$|VITEST)/.test(k)) env[k] = v;
  return { ...env, HOME: home, PULUMI_SKIP_CONFIRMATIONS: "true", NO_COLOR: "1" };
}

/** Runs `script` in bash -e from `cwd`; background jobs the script starts are stopped when it ends. */
function runScript(script: string, cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number; output: string }> {
  const wrapped = `set -eo pipefail\ntrap 'kill $(jobs -p) 2>/dev/null || true' EXIT\n${script}`;
  return new Promise((resolve) => {
    const child = spawn("bash", ["-c", wrapped], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (output += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (output += d));
    child.on("close", (code) => resolve({ code: code ?? 1, output }));
  });
}

describe.sequential("the commands of the README and docs/getting-started.md, as written", () => {
  let parent = "";
  let clone = "";
  let env: NodeJS.ProcessEnv = {};

  beforeAll(async () => {
    const binDir = await ensurePulumiCli();
    parent = fs.mkdtempSync(path.join(os.tmpdir(), "plivo-docs-"));
    clone = freshClone(parent, binDir);
    fs.mkdirSync(path.join(parent, "home"));
    env = userEnv(path.join(parent, "home"));
  }, ENGINE_DEFAULTS.setupTimeoutMs);
  afterAll(() => {
    if (parent && process.env.PLIVO_ENGINE_KEEP_DIRS !== "1") fs.rmSync(parent, { recursive: true, force: true });
  });

  it(
    "README: the two command lines (the demo runs; `npm test` is this suite)",
    async () => {
      const [first] = shellBlocks("README.md");
      const lines = first!
        .split("\n")
        .map((l) => l.replace(/\s+#.*$/, "").trim())
        .filter(Boolean);
      expect(lines).toEqual(["npm install && npm run demo", "npm install && npm test"]);
      const demo = await runScript(lines[0]!, clone, env);
      expect(demo.code, demo.output.slice(-4000)).toBe(0);
      expect(demo.output).toMatch(/\+ \d+ created/);
      expect(demo.output).toContain("The second preview has no changes");
    },
    15 * 60_000,
  );

  it(
    "docs/getting-started.md: the toolchain, the emulator, the quickstart in TypeScript and YAML, your own program",
    async () => {
      const script = shellBlocks("docs/getting-started.md").join("\n");
      expect(script).toContain(`pulumi new "$PWD/templates/plivo-yaml"`);
      const run = await runScript(script, clone, env);
      expect(run.code, run.output.slice(-6000)).toBe(0);
      // Four `pulumi up`s (TypeScript and YAML quickstarts, both templates), each followed by its destroy.
      expect(run.output.match(/\+ \d+ created/g)?.length).toBe(4);
      expect(run.output.match(/- \d+ deleted/g)?.length).toBe(4);
      // The environment helper chose a local backend for a user with none, and said so.
      expect(run.output).toContain(`pulumi-env: stacks are kept in ${path.join(clone, ".pulumi-state")}`);
      expect(fs.existsSync(path.join(parent, "my-plivo", "index.ts"))).toBe(true);
      expect(fs.existsSync(path.join(parent, "my-plivo-yaml", "Pulumi.yaml"))).toBe(true);
    },
    20 * 60_000,
  );
});
