#!/usr/bin/env node
// An offline environment for the Pulumi CLI: the project's CLI directory first on PATH, state in a local file
// backend, a project-local PULUMI_HOME, and every switch that would otherwise reach for the network turned off.
//
//   const { pulumiEnv } = require("./scripts/pulumi-env.js");   // from Node (the engine-test harness)
//   eval "$(node scripts/pulumi-env.js)"                          // from a shell: prints `export` lines
//   scripts/pulumi-env.sh pulumi up --yes                         // run one command in the environment
"use strict";

const path = require("node:path");

const ROOT = path.resolve(__dirname, "..");

/**
 * Returns a complete environment (base + overrides) for running `pulumi` offline.
 * @param {object} [opts]
 * @param {string} [opts.binDir]    directory holding pulumi + plugins (default <repo>/.pulumi-cli/bin)
 * @param {string} [opts.stateDir]  file-backend directory (default <repo>/.pulumi-state)
 * @param {string} [opts.homeDir]   PULUMI_HOME (default <repo>/.pulumi-cli/home); plugin cache, credentials
 * @param {NodeJS.ProcessEnv} [opts.base] environment to start from (default process.env)
 */
function pulumiEnv(opts = {}) {
  const base = opts.base ?? process.env;
  const binDir = path.resolve(opts.binDir ?? path.join(ROOT, ".pulumi-cli", "bin"));
  const stateDir = path.resolve(opts.stateDir ?? path.join(ROOT, ".pulumi-state"));
  const homeDir = path.resolve(opts.homeDir ?? path.join(ROOT, ".pulumi-cli", "home"));
  const env = { ...base };
  // A Pulumi Cloud token would make the CLI prefer the service; the file backend URL below wins anyway, but
  // don't hand credentials to programs that do not need them.
  delete env.PULUMI_ACCESS_TOKEN;
  Object.assign(env, {
    PATH: [binDir, ...(base.PATH ?? "").split(path.delimiter).filter((p) => p && p !== binDir)].join(path.delimiter),
    PULUMI_BACKEND_URL: `file://${stateDir}`,
    PULUMI_HOME: homeDir,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
    PULUMI_DIY_BACKEND_NO_LEGACY_WARNING: "true",
    NO_COLOR: "1",
  });
  // Keep a caller's passphrase (file); otherwise an empty passphrase, which the passphrase provider accepts.
  if (env.PULUMI_CONFIG_PASSPHRASE === undefined && env.PULUMI_CONFIG_PASSPHRASE_FILE === undefined) {
    env.PULUMI_CONFIG_PASSPHRASE = "";
  }
  return env;
}

/** The keys pulumiEnv() sets or may set, for printing. */
const KEYS = [
  "PATH",
  "PULUMI_BACKEND_URL",
  "PULUMI_HOME",
  "PULUMI_SKIP_UPDATE_CHECK",
  "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION",
  "PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK",
  "PULUMI_DIY_BACKEND_NO_LEGACY_WARNING",
  "NO_COLOR",
  "PULUMI_CONFIG_PASSPHRASE",
];

const shellQuote = (s) => `'${String(s).replace(/'/g, `'\\''`)}'`;

if (require.main === module) {
  const env = pulumiEnv();
  const lines = ["unset PULUMI_ACCESS_TOKEN"];
  for (const key of KEYS) {
    // Never print a caller's passphrase: it is already in their environment.
    if (key === "PULUMI_CONFIG_PASSPHRASE" && process.env[key] !== undefined) continue;
    if (env[key] !== undefined) lines.push(`export ${key}=${shellQuote(env[key])}`);
  }
  process.stdout.write(`${lines.join("\n")}\n`);
}

module.exports = { pulumiEnv, ROOT };
