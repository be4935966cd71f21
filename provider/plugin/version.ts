/** The package's version, from its package.json (the plugin reports it; the SDKs request it). */
import * as fs from "node:fs";
import * as path from "node:path";

let cached: string | undefined;

/** Set by the bundler of the self-contained plugin (scripts/plugin.js), which ships no package.json. */
declare const __PLIVO_BUNDLED_VERSION__: string | undefined;

/** Walks up from this file (source or dist/) to pulumi-plivo's package.json, unless the version was bundled in. */
export function packageVersion(): string {
  if (cached) return cached;
  if (typeof __PLIVO_BUNDLED_VERSION__ === "string") return (cached = __PLIVO_BUNDLED_VERSION__);
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const file = path.join(dir, "package.json");
    if (fs.existsSync(file)) {
      const pkg = JSON.parse(fs.readFileSync(file, "utf8")) as { name?: string; version?: string };
      if (pkg.name === "pulumi-plivo" && pkg.version) return (cached = pkg.version);
    }
    if (path.dirname(dir) === dir) throw new Error(`pulumi-plivo's package.json not found above ${__dirname}`);
  }
}
