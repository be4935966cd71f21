#!/usr/bin/env node
// `npm run plugin`: the provider plugin as a Pulumi plugin archive, self-contained (one bundled script, no
// node_modules; it runs on the `node` found on PATH, Node.js 22 or later):
//
//   dist/plugin/pulumi-resource-plivo-v<version>-<os>-<arch>.tar.gz
//       pulumi-resource-plivo        the executable the CLI starts (a shell script: exec node <bundle>)
//       pulumi-resource-plivo.js     the plugin and everything it needs, bundled by esbuild
//
// Install it like any third-party plugin: `pulumi plugin install resource plivo <version> --file <archive>`.
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

const LAUNCHER = `#!/bin/sh
# pulumi-resource-plivo ${version}: the Pulumi provider plugin for Plivo (runs on Node.js 22 or later from PATH).
exec node "$(dirname "$0")/pulumi-resource-plivo.js" "$@"
`;

/** Bundles the built plugin (dist/, `npm run build`) into an archive in `outDir`; returns the archive's path. */
async function buildPlugin(outDir = path.join(ROOT, "dist", "plugin")) {
  if (!fs.existsSync(path.join(ROOT, "dist", "provider", "plugin", "main.js"))) throw new Error("dist/ is not built: run `npm run build` first");
  const stage = fs.mkdtempSync(path.join(os.tmpdir(), "plivo-plugin-"));
  try {
    await esbuild.build({
      stdin: {
        contents: `require("./dist/provider/plugin/main.js").main(process.argv.slice(2)).catch((err) => {
  process.stderr.write("pulumi-resource-plivo: " + (err && err.stack ? err.stack : err) + "\\n");
  process.exit(1);
});`,
        resolveDir: ROOT,
        loader: "js",
      },
      bundle: true,
      platform: "node",
      target: "node22",
      format: "cjs",
      outfile: path.join(stage, "pulumi-resource-plivo.js"),
      define: { __PLIVO_BUNDLED_VERSION__: JSON.stringify(version) },
      logLevel: "warning",
      legalComments: "none",
    });
    fs.writeFileSync(path.join(stage, "pulumi-resource-plivo"), LAUNCHER, { mode: 0o755 });
    fs.mkdirSync(outDir, { recursive: true });
    const archive = path.join(outDir, `pulumi-resource-plivo-v${version}-${OS}-${ARCH}.tar.gz`);
    execFileSync("tar", ["-czf", archive, "-C", stage, "pulumi-resource-plivo", "pulumi-resource-plivo.js"]);
    return archive;
  } finally {
    fs.rmSync(stage, { recursive: true, force: true });
  }
}

module.exports = { buildPlugin, version };

if (require.main === module) {
  buildPlugin().then(
    (archive) => process.stdout.write(`${path.relative(process.cwd(), archive)}\n`),
    (err) => {
      process.stderr.write(`npm run plugin: ${err.message}\n`);
      process.exit(1);
    },
  );
}
