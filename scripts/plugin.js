#!/usr/bin/env node
// The provider plugin bundled by esbuild into one script (no node_modules; it runs on Node.js 22 or later):
//
// `npm run plugin`: a Pulumi plugin archive, self-contained, for Pulumi YAML and other languages:
//   dist/plugin/pulumi-resource-plivo-v<version>-<os>-<arch>.tar.gz
//       pulumi-resource-plivo        the executable the CLI starts (a shell script: exec node <bundle>)
//       pulumi-resource-plivo.js     the plugin and everything it needs
//   Install it like any third-party plugin: `pulumi plugin install resource plivo <version> --file <archive>`.
//
// `node scripts/plugin.js --bundle` (part of `npm run build`): dist/bundle/pulumi-resource-plivo.js, which the
// npm package's bin/pulumi-resource-plivo runs: one file to load instead of a few hundred modules, so the plugin
// the CLI starts for every command is up sooner.
"use strict";

const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const esbuild = require("esbuild");

const ROOT = path.resolve(__dirname, "..");
const { version } = require("../package.json");
const ARCH = { x64: "amd64", arm64: "arm64" }[process.arch] ?? process.arch;
const OS = { linux: "linux", darwin: "darwin" }[process.platform] ?? process.platform;
/** The bundle the package's bin runs (see bin/pulumi-resource-plivo). */
const PACKAGE_BUNDLE = path.join(ROOT, "dist", "bundle", "pulumi-resource-plivo.js");

const LAUNCHER = `#!/bin/sh
# pulumi-resource-plivo ${version}: the Pulumi provider plugin for Plivo (runs on Node.js 22 or later from PATH).
exec node "$(dirname "$0")/pulumi-resource-plivo.js" "$@"
`;

/** The entry of a bundle: serve at once (the archive's script), or export `main` (the package's, for its bin). */
const ENTRY = {
  serve: `require("./dist/provider/plugin/main.js").main(process.argv.slice(2)).catch((err) => {
  process.stderr.write("pulumi-resource-plivo: " + (err && err.stack ? err.stack : err) + "\\n");
  process.exit(1);
});`,
  module: `module.exports = require("./dist/provider/plugin/main.js");`,
};

/** Bundles the built plugin (dist/, `npm run build`) into `outfile`. */
async function bundle(outfile, entry) {
  if (!fs.existsSync(path.join(ROOT, "dist", "provider", "plugin", "main.js"))) throw new Error("dist/ is not built: run `npm run build` first");
  await esbuild.build({
    stdin: { contents: ENTRY[entry], resolveDir: ROOT, loader: "js" },
    bundle: true,
    platform: "node",
    target: "node22",
    format: "cjs",
    outfile,
    define: { __PLIVO_BUNDLED_VERSION__: JSON.stringify(version) },
    logLevel: "warning",
    legalComments: "none",
  });
  return outfile;
}

/** Bundles the built plugin into an archive in `outDir`; returns the archive's path. */
async function buildPlugin(outDir = path.join(ROOT, "dist", "plugin")) {
  const stage = fs.mkdtempSync(path.join(os.tmpdir(), "plivo-plugin-"));
  try {
    await bundle(path.join(stage, "pulumi-resource-plivo.js"), "serve");
    fs.writeFileSync(path.join(stage, "pulumi-resource-plivo"), LAUNCHER, { mode: 0o755 });
    fs.mkdirSync(outDir, { recursive: true });
    const archive = path.join(outDir, `pulumi-resource-plivo-v${version}-${OS}-${ARCH}.tar.gz`);
    execFileSync("tar", ["-czf", archive, "-C", stage, "pulumi-resource-plivo", "pulumi-resource-plivo.js"]);
    return archive;
  } finally {
    fs.rmSync(stage, { recursive: true, force: true });
  }
}

/** The bundle of the npm package (`npm run build`). */
const buildPackageBundle = () => bundle(PACKAGE_BUNDLE, "module");

module.exports = { buildPlugin, buildPackageBundle, version };

if (require.main === module) {
  // The bundle is built silently: `npm pack --json` runs it (prepare) and its stdout must stay JSON.
  const bundleOnly = process.argv.includes("--bundle");
  (bundleOnly ? buildPackageBundle() : buildPlugin()).then(
    (file) => bundleOnly || process.stdout.write(`${path.relative(process.cwd(), file)}\n`),
    (err) => {
      process.stderr.write(`${bundleOnly ? "node scripts/plugin.js --bundle" : "npm run plugin"}: ${err.message}\n`);
      process.exit(1);
    },
  );
}
