#!/usr/bin/env node
// The demo (`npm run demo`): build the package, install the demo program's dependencies and the Pulumi CLI when
// missing, start the Plivo emulator with persistent data in .demo/, `pulumi up` the root project's `dev` stack,
// print its outputs, then show that a second preview has no changes. Safe to re-run: it converges.
"use strict";

const { spawn, spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");
const { pulumiEnv, ROOT } = require("./pulumi-env.js");

const DEMO_DIR = path.join(ROOT, ".demo");
const PROGRAM_DIR = path.join(ROOT, "demo");
const STACK = process.env.DEMO_STACK || "dev";

function step(title) {
  process.stdout.write(`\n=== ${title}\n`);
}

/** Runs a command with inherited output; throws with the command line on failure. */
function run(cmd, args, opts = {}) {
  const res = spawnSync(cmd, args, { stdio: opts.capture ? ["ignore", "pipe", "inherit"] : "inherit", encoding: "utf8", ...opts });
  if (res.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (exit ${res.status ?? res.signal})`);
  return res.stdout ?? "";
}

/** Starts the emulator and resolves with its URL once it printed its listening line. */
function startEmulator() {
  const child = spawn(process.execPath, [path.join(ROOT, "dist/emulator/cli.js"), "--port", "0", "--data", path.join(DEMO_DIR, "plivo-emulator.json")], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    let buffer = "";
    const timer = setTimeout(() => reject(new Error("the emulator did not start within 10 s")), 10_000);
    child.stdout.on("data", (chunk) => {
      buffer += chunk;
      const m = /Plivo emulator listening on (http:\/\/\S+)/.exec(buffer);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1] });
      }
    });
    child.on("exit", (code) => reject(new Error(`the emulator exited with code ${code}`)));
  });
}

async function main() {
  fs.mkdirSync(DEMO_DIR, { recursive: true });

  step("Building pulumi-plivo");
  run("npm", ["run", "--silent", "build"], { cwd: ROOT });

  step("Installing the demo program's dependencies (pulumi-plivo is copied in, as users get it from npm)");
  fs.rmSync(path.join(PROGRAM_DIR, "node_modules", "pulumi-plivo"), { recursive: true, force: true });
  run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: PROGRAM_DIR });

  step("Pulumi CLI");
  const binDir = run("bash", [path.join(ROOT, "scripts/install-pulumi.sh")], { capture: true })
    .trim()
    .split("\n")
    .pop();
  // The program runs on the `node` the CLI finds on PATH; @pulumi/pulumi needs Node.js 22 or later.
  const nodeMajor = Number(process.versions.node.split(".")[0]);
  const nodeBin =
    nodeMajor >= 22
      ? undefined
      : run("bash", [path.join(ROOT, "scripts/install-node.sh")], { capture: true })
          .trim()
          .split("\n")
          .pop();
  if (nodeBin) process.stdout.write(`Node.js ${process.versions.node} is older than 22: the program runs on ${nodeBin}/node\n`);

  step("Starting the Plivo emulator (state in .demo/plivo-emulator.json)");
  const { child, url } = await startEmulator();
  process.stdout.write(`emulator at ${url}\n`);
  const stop = () => child.kill("SIGTERM");
  process.on("exit", stop);

  try {
    // The demo's stacks, plugin cache and create journal stay in .demo/, away from your own Pulumi setup.
    const env = pulumiEnv({ binDir, stateDir: path.join(DEMO_DIR, "state"), homeDir: path.join(DEMO_DIR, "home") });
    if (nodeBin) env.PATH = `${nodeBin}${path.delimiter}${env.PATH}`;
    const pulumi = (args, opts = {}) => run("pulumi", [...args, "--non-interactive"], { cwd: ROOT, env, ...opts });

    step(`Stack ${STACK}`);
    pulumi(["stack", "select", STACK, "--create"]);
    pulumi(["config", "set", "plivo:baseUrl", url]);
    pulumi(["config", "set", "plivo:authId", "MAEMULATORACCOUNT0001"]);
    // The token goes in encrypted; it never reaches the state or the logs.
    run("pulumi", ["config", "set", "--secret", "plivo:authToken", "--non-interactive"], {
      cwd: ROOT,
      env,
      input: "emulator-auth-token",
      stdio: ["pipe", "inherit", "inherit"],
    });

    step("pulumi up");
    pulumi(["up", "--yes", "--skip-preview"]);

    step("Stack outputs");
    pulumi(["stack", "output"]);

    step("A second preview: nothing to change");
    pulumi(["preview", "--expect-no-changes", "--diff"]);
    process.stdout.write("\nThe second preview has no changes: the stack matches the program.\n");

    // The emulator's ledger records every purchase: re-running the demo converges without buying again.
    const { ledger } = await (await fetch(`${url}/__emulator/ledger`)).json();
    const bought = ledger.filter((e) => e.action === "buy").map((e) => e.number);
    process.stdout.write(`Emulator ledger: ${bought.length} number purchase(s) so far (${bought.join(", ") || "none"}).\n`);
  } finally {
    stop();
  }
}

main().catch((err) => {
  process.stderr.write(`\ndemo failed: ${err.message}\n`);
  process.exit(1);
});
