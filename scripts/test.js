#!/usr/bin/env node
// The test command (`npm test`): the whole suite on the current toolchain of scripts/toolchain.json, then the smoke
// legs on the oldest supported ones — each leg runs what it claims (test/engine/smoke.test.ts checks the versions).
//
//   node scripts/test.js                 # everything: lint, unit, engine, legs (what CI runs)
//   node scripts/test.js lint            # Biome's format and lint check of the tree (biome.json)
//   node scripts/test.js unit [files…]   # the unit project on the current Node.js
//   node scripts/test.js engine [files…] # the engine project on the current toolchain
//   node scripts/test.js legs            # only the smoke legs
//
// The Node.js binaries come from the npm registry (scripts/install-node.sh), the CLIs from scripts/install-pulumi.sh;
// the CLIs are built while the unit project runs (it needs none).
"use strict";

const { spawn, spawnSync } = require("node:child_process");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "..");
const TOOLCHAIN = require("./toolchain.json");

/** The engine files every leg runs: the toolchain itself, then each form of the provider and YAML, briefly. */
const SMOKE = ["test/engine/smoke.test.ts", "test/engine/toolchain-smoke.test.ts"];

function log(message) {
  process.stderr.write(`[test] ${message}\n`);
}

function minutes(ms) {
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
}

/** Runs a script of scripts/ and returns the last line of its stdout (the directory it installed). */
function installed(script, arg) {
  const res = spawnSync("bash", [path.join(ROOT, "scripts", script), arg], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"], encoding: "utf8" });
  if (res.status !== 0) throw new Error(`scripts/${script} ${arg} failed (exit ${res.status})`);
  return res.stdout.trim().split("\n").pop();
}

function installedAsync(script, arg) {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", [path.join(ROOT, "scripts", script), arg], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (d) => (out += d));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve(out.trim().split("\n").pop()) : reject(new Error(`scripts/${script} ${arg} failed (exit ${code})`))));
  });
}

/** Runs vitest under the given Node.js (first on PATH for every process the tests start); resolves with its exit code. */
function vitest(args, { nodeBin, nodeVersion, leg, smokeLeg = false }) {
  const env = {
    ...process.env,
    PATH: `${nodeBin}${path.delimiter}${process.env.PATH}`,
    PLIVO_TOOLCHAIN: leg,
    PLIVO_EXPECT_NODE: nodeVersion,
    // The engine project runs the legs' own smoke file only in a leg (vitest.config.ts).
    ...(smokeLeg ? { PLIVO_SMOKE_LEG: "1" } : {}),
  };
  const bin = path.join(ROOT, "node_modules", "vitest", "vitest.mjs");
  return run(path.join(nodeBin, "node"), [bin, "run", ...args], env);
}

async function main(argv) {
  const [mode = "all", ...rest] = argv;
  if (!["all", "lint", "unit", "engine", "legs"].includes(mode)) throw new Error(`unknown mode "${mode}" (all, lint, unit, engine, legs)`);
  const phases = [];
  const phase = async (name, run) => {
    const start = Date.now();
    const code = await run();
    phases.push({ name, ms: Date.now() - start, code });
  };

  if (mode === "all" || mode === "lint") {
    await phase("lint (npm run lint: Biome's format and lint check, biome.json)", () => run("npm", ["run", "--silent", "lint"]));
    if (mode === "lint") return report(phases);
  }
  const current = { nodeBin: installed("install-node.sh", "current"), nodeVersion: TOOLCHAIN.node.current, leg: "current" };

  // The CLIs are built (minutes on an empty Go cache) while the unit project runs.
  const needsCli = mode !== "unit";
  const clis = needsCli
    ? installedAsync("install-pulumi.sh", "current").then(async (dir) =>
        mode === "engine" ? [dir] : [dir, await installedAsync("install-pulumi.sh", "oldest")],
      )
    : Promise.resolve([]);
  clis.catch(() => {});

  if (mode === "all" || mode === "unit") {
    await phase(`unit (Node ${current.nodeVersion})`, () => vitest(["--project", "unit", ...(mode === "unit" ? rest : [])], current));
  }
  if (needsCli) {
    const start = Date.now();
    await clis;
    if (Date.now() - start > 1000) log(`waited ${minutes(Date.now() - start)} for the Pulumi CLIs`);
  }
  if (mode === "all" || mode === "engine") {
    await phase(`engine (Node ${current.nodeVersion}, CLI ${TOOLCHAIN.pulumiCli.current})`, () =>
      vitest(["--project", "engine", ...(mode === "engine" ? rest : [])], current),
    );
  }
  if (mode === "all" || mode === "legs") {
    const oldestNode = { nodeBin: installed("install-node.sh", "oldest"), nodeVersion: TOOLCHAIN.node.oldest };
    await phase(`leg: Node ${oldestNode.nodeVersion}, CLI ${TOOLCHAIN.pulumiCli.current}, @pulumi/pulumi ${TOOLCHAIN.pulumiSdk.current}`, () =>
      vitest(["--project", "engine", ...SMOKE], { ...oldestNode, leg: "current", smokeLeg: true }),
    );
    await phase(`leg: Node ${oldestNode.nodeVersion}, CLI ${TOOLCHAIN.pulumiCli.oldest}, @pulumi/pulumi ${TOOLCHAIN.pulumiSdk.oldest}`, () =>
      vitest(["--project", "engine", ...SMOKE], { ...oldestNode, leg: "oldest", smokeLeg: true }),
    );
  }
  return report(phases);
}

/** Prints each phase's outcome and time; 1 when any failed. */
function report(phases) {
  log("phases:");
  for (const p of phases) log(`  ${p.code === 0 ? "passed" : "FAILED"}  ${minutes(p.ms).padStart(7)}  ${p.name}`);
  log(`total ${minutes(phases.reduce((sum, p) => sum + p.ms, 0))}`);
  return phases.some((p) => p.code !== 0) ? 1 : 0;
}

/** Runs a command in the repository with the output shown; resolves to its exit code. */
function run(command, args, env = process.env) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: "inherit" });
    child.on("close", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    log(err.message);
    process.exit(1);
  },
);
