#!/usr/bin/env node
// An offline environment for the Pulumi CLI: the project's CLI directory first on PATH, the switches that would reach
// for the network turned off, and — only when you have no backend of your own — stacks kept in a local directory.
//
//   source scripts/pulumi-env.sh                                  # from a shell (prints what it chose on stderr)
//   const { pulumiEnv } = require("./scripts/pulumi-env.js");     # from Node (the engine-test harness)
//
// It never overrides what you chose: a PULUMI_BACKEND_URL or a `pulumi login` of yours wins, PULUMI_HOME (your
// credentials, plugins and the provider's create journal) stays where it is, and a passphrase of yours is kept.
"use strict";

const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "..");

/** The backend `pulumi login` recorded in PULUMI_HOME (empty when logged out). */
function loggedInBackend(env) {
  const home = env.PULUMI_HOME || path.join(os.homedir(), ".pulumi");
  try {
    return JSON.parse(fs.readFileSync(path.join(home, "credentials.json"), "utf8")).current || "";
  } catch {
    return "";
  }
}

/**
 * Returns a complete environment (base + additions) for running `pulumi` offline, and what it chose.
 * @param {object} [opts]
 * @param {string} [opts.binDir]    directory holding pulumi + plugins (default <repo>/.pulumi-cli/bin)
 * @param {string} [opts.stateDir]  a file backend to use (the harness); by default one is chosen only when the
 *                                  environment names no backend and nobody is logged in: <repo>/.pulumi-state
 * @param {string} [opts.homeDir]   a PULUMI_HOME to use (the harness); by default PULUMI_HOME is left alone
 * @param {NodeJS.ProcessEnv} [opts.base] environment to start from (default process.env)
 * @returns {NodeJS.ProcessEnv & { notes?: string[] }}
 */
function pulumiEnvWithNotes(opts = {}) {
  const base = opts.base ?? process.env;
  const binDir = path.resolve(opts.binDir ?? path.join(ROOT, ".pulumi-cli", "bin"));
  const env = { ...base };
  const notes = [];
  env.PATH = [binDir, ...(base.PATH ?? "").split(path.delimiter).filter((p) => p && p !== binDir)].join(path.delimiter);
  Object.assign(env, {
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
    PULUMI_DIY_BACKEND_NO_LEGACY_WARNING: "true",
  });
  if (opts.homeDir) env.PULUMI_HOME = path.resolve(opts.homeDir);

  let stateDir = opts.stateDir && path.resolve(opts.stateDir);
  if (!stateDir && !base.PULUMI_BACKEND_URL) {
    const current = loggedInBackend(env);
    if (current) notes.push(`using the backend you are logged in to (${current})`);
    else stateDir = path.join(ROOT, ".pulumi-state");
  } else if (!stateDir) {
    notes.push(`using your PULUMI_BACKEND_URL (${base.PULUMI_BACKEND_URL})`);
  }
  if (stateDir) {
    fs.mkdirSync(stateDir, { recursive: true });
    env.PULUMI_BACKEND_URL = `file://${stateDir}`;
    // A Pulumi Cloud token would make the CLI prefer the service; the file backend needs none.
    delete env.PULUMI_ACCESS_TOKEN;
    if (!opts.stateDir) {
      notes.push(`stacks are kept in ${stateDir} (PULUMI_BACKEND_URL); after \`pulumi login\` elsewhere, \`unset PULUMI_BACKEND_URL\``);
    }
    // Keep a caller's passphrase (file); otherwise an empty passphrase, which the passphrase provider accepts.
    if (env.PULUMI_CONFIG_PASSPHRASE === undefined && env.PULUMI_CONFIG_PASSPHRASE_FILE === undefined) {
      env.PULUMI_CONFIG_PASSPHRASE = "";
      if (!opts.stateDir) notes.push("stack secrets are encrypted with an empty passphrase (set PULUMI_CONFIG_PASSPHRASE for another)");
    }
  }
  return Object.assign(env, { notes });
}

/** The environment alone (see pulumiEnvWithNotes). */
function pulumiEnv(opts = {}) {
  const { notes: _notes, ...env } = pulumiEnvWithNotes(opts);
  return env;
}

/** The keys pulumiEnv() may set, for printing. */
const KEYS = [
  "PATH",
  "PULUMI_BACKEND_URL",
  "PULUMI_HOME",
  "PULUMI_SKIP_UPDATE_CHECK",
  "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION",
  "PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK",
  "PULUMI_DIY_BACKEND_NO_LEGACY_WARNING",
  "PULUMI_CONFIG_PASSPHRASE",
];

const shellQuote = (s) => `'${String(s).replace(/'/g, `'\\''`)}'`;

if (require.main === module) {
  const { notes, ...env } = pulumiEnvWithNotes();
  const lines = [];
  if (env.PULUMI_BACKEND_URL !== process.env.PULUMI_BACKEND_URL && process.env.PULUMI_ACCESS_TOKEN) lines.push("unset PULUMI_ACCESS_TOKEN");
  for (const key of KEYS) {
    // Never print a caller's own values (a passphrase above all): they are already in their environment.
    if (env[key] === undefined || env[key] === process.env[key]) continue;
    lines.push(`export ${key}=${shellQuote(env[key])}`);
  }
  for (const note of notes) process.stderr.write(`pulumi-env: ${note}\n`);
  process.stdout.write(`${lines.join("\n")}\n`);
}

module.exports = { pulumiEnv, pulumiEnvWithNotes, ROOT };
