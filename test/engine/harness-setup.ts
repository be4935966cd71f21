/**
 * One-time work shared by all engine tests of a run: the Pulumi CLI (scripts/install-pulumi.sh) and the
 * `npm pack` tarball of this package. Each is memoized per process and cached on disk across the forked test
 * workers: the CLI directory behind a lock (a build takes minutes and must not run twice at once), the tarball
 * under a content hash (written atomically, so concurrent packs are merely wasted work).
 *
 * Call `ensureEngineReady()` from a `beforeAll` with `ENGINE_DEFAULTS.setupTimeoutMs` to keep the first test's
 * timeout about the test itself; it also works as a vitest `globalSetup` module (default export).
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

export const REPO_ROOT = path.resolve(__dirname, "..", "..");

/**
 * The toolchain leg this run tests (scripts/test.js sets PLIVO_TOOLCHAIN): `current` (the newest CLI and
 * @pulumi/pulumi of scripts/toolchain.json) or `oldest` (the oldest ones the package supports). The Node.js of a leg
 * is the `node` on PATH, which scripts/test.js chooses.
 */
export const TOOLCHAIN_LEG: "current" | "oldest" = process.env.PLIVO_TOOLCHAIN === "oldest" ? "oldest" : "current";
const TOOLCHAIN = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "scripts", "toolchain.json"), "utf8"));
/** The Pulumi CLI version of this leg. */
export const CLI_VERSION: string = TOOLCHAIN.pulumiCli[TOOLCHAIN_LEG];
/** The exact @pulumi/pulumi every test program gets in this leg (whatever range its package.json declares). */
export const SDK_VERSION: string = TOOLCHAIN.pulumiSdk[TOOLCHAIN_LEG];

export const ENGINE_DEFAULTS = {
  /** One CLI command; an `up` takes 5-40 s on 2 cores. */
  commandTimeoutMs: 240_000,
  npmInstallTimeoutMs: 300_000,
  /** Building the CLI from an empty Go module cache takes about 4 minutes (scripts/README.md). */
  setupTimeoutMs: 30 * 60_000,
  /** A whole test: copy + npm install + stack init + a few up/preview/refresh/destroy rounds. */
  testTimeoutMs: 10 * 60_000,
};

const OUTPUT_LIMIT = 20_000;
/** The end of a long output, which is where CLI errors are. */
export const tail = (s: string) => (s.length > OUTPUT_LIMIT ? `…(${s.length - OUTPUT_LIMIT} chars cut)…\n${s.slice(-OUTPUT_LIMIT)}` : s);

/** Runs a command to completion and returns stdout; on failure the error carries stdout and stderr. */
export function runCommand(cmd: string, args: string[], cwd: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", (err) => {
      clearTimeout(timer);
      reject(new Error(`${cmd} ${args.join(" ")} could not start in ${cwd}: ${err.message}`));
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) return resolve(stdout);
      const why = code === null ? `killed by ${signal}${signal === "SIGKILL" ? ` (timeout ${timeoutMs} ms?)` : ""}` : `exit code ${code}`;
      reject(new Error(`${cmd} ${args.join(" ")} failed in ${cwd} (${why})\n--- stdout ---\n${tail(stdout)}\n--- stderr ---\n${tail(stderr)}`));
    });
  });
}

/** A cross-process lock: an atomic mkdir holding the owner's pid; a dead owner's lock is taken over. */
async function withLock<T>(lockDir: string, timeoutMs: number, fn: () => Promise<T>): Promise<T> {
  fs.mkdirSync(path.dirname(lockDir), { recursive: true });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      fs.writeFileSync(path.join(lockDir, "pid"), String(process.pid));
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      if (!lockOwnerAlive(lockDir)) {
        fs.rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for lock ${lockDir}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lockDir, { recursive: true, force: true });
  }
}

function lockOwnerAlive(lockDir: string): boolean {
  let pid: number;
  try {
    pid = Number(fs.readFileSync(path.join(lockDir, "pid"), "utf8"));
  } catch {
    // Just created and pid not written yet (alive unless old), or already released (not alive: retry).
    const st = fs.statSync(lockDir, { throwIfNoEntry: false });
    return st !== undefined && Date.now() - st.mtimeMs < 10_000;
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

let cliPromise: Promise<string> | undefined;

/** Makes the leg's Pulumi CLI + plugins available (scripts/install-pulumi.sh) and returns their directory. */
export function ensurePulumiCli(): Promise<string> {
  cliPromise ??= withLock(path.join(REPO_ROOT, ".pulumi-cli", `.install-lock-${TOOLCHAIN_LEG}`), ENGINE_DEFAULTS.setupTimeoutMs, async () => {
    const out = await runCommand("bash", [path.join(REPO_ROOT, "scripts", "install-pulumi.sh"), TOOLCHAIN_LEG], REPO_ROOT, ENGINE_DEFAULTS.setupTimeoutMs);
    const binDir = out.trim().split("\n").pop() ?? "";
    if (!fs.existsSync(path.join(binDir, "pulumi"))) throw new Error(`install-pulumi.sh printed ${JSON.stringify(binDir)}, which holds no pulumi binary`);
    return binDir;
  });
  return cliPromise;
}

let packPromise: Promise<string> | undefined;

/** `npm pack` of this repository (needs a current `npm run build`), cached by content; returns the .tgz path. */
export function packPlivoTarball(): Promise<string> {
  packPromise ??= (async () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8"));
    const main = path.join(REPO_ROOT, pkg.main ?? "index.js");
    if (!fs.existsSync(main)) {
      throw new Error(`${pkg.name} is not built (${path.relative(REPO_ROOT, main)} is missing): run \`npm run build\` before the engine tests`);
    }
    const cacheDir = path.join(REPO_ROOT, ".vitest-tmp", "engine-pack");
    const target = path.join(cacheDir, `${pkg.name}-${contentHash()}.tgz`);
    if (fs.existsSync(target)) return target;
    fs.mkdirSync(cacheDir, { recursive: true });
    const work = fs.mkdtempSync(path.join(cacheDir, "pack-"));
    try {
      const out = await runCommand("npm", ["pack", "--json", "--loglevel=error", "--pack-destination", work], REPO_ROOT, 120_000);
      const [{ filename }] = JSON.parse(out) as { filename: string }[];
      fs.renameSync(path.join(work, filename), target); // atomic: a concurrent worker sees all or nothing
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
    pruneOldTarballs(cacheDir, target);
    return target;
  })();
  return packPromise;
}

/** Hash of what `npm pack` would ship: package.json, README and every file under dist/ (path, size, mtime). */
function contentHash(): string {
  const hash = createHash("sha256");
  const add = (file: string) => {
    const st = fs.statSync(file, { throwIfNoEntry: false });
    if (st) hash.update(`${path.relative(REPO_ROOT, file)}\0${st.size}\0${st.mtimeMs}\0`);
  };
  add(path.join(REPO_ROOT, "package.json"));
  add(path.join(REPO_ROOT, "README.md"));
  const dist = path.join(REPO_ROOT, "dist");
  if (fs.existsSync(dist)) {
    for (const entry of fs.readdirSync(dist, { recursive: true, withFileTypes: true })) {
      if (entry.isFile()) add(path.join(entry.parentPath, entry.name));
    }
  }
  return hash.digest("hex").slice(0, 12);
}

/** Keeps the cache small without pulling a tarball from under a concurrent run (only prunes ones > 1 h old). */
function pruneOldTarballs(cacheDir: string, keep: string): void {
  for (const name of fs.readdirSync(cacheDir)) {
    const file = path.join(cacheDir, name);
    if (file === keep || !name.endsWith(".tgz")) continue;
    if (Date.now() - fs.statSync(file).mtimeMs > 3_600_000) fs.rmSync(file, { force: true });
  }
}

let pluginPromise: Promise<string> | undefined;

/**
 * The plugin archive `npm run plugin` makes (scripts/plugin.js), for tests that install the plugin as users of YAML
 * and other languages do; cached by the content of dist/ like the tarball.
 */
export function ensurePluginArchive(): Promise<string> {
  pluginPromise ??= (async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { buildPlugin } = require(path.join(REPO_ROOT, "scripts", "plugin.js")) as { buildPlugin(outDir: string): Promise<string> };
    const cacheDir = path.join(REPO_ROOT, ".vitest-tmp", "engine-plugin");
    const target = path.join(cacheDir, contentHash());
    const existing = fs.existsSync(target) ? fs.readdirSync(target).find((f) => f.endsWith(".tar.gz")) : undefined;
    if (existing) return path.join(target, existing);
    fs.mkdirSync(cacheDir, { recursive: true });
    const work = fs.mkdtempSync(path.join(cacheDir, "build-"));
    const archive = await buildPlugin(work);
    try {
      fs.renameSync(work, target); // atomic: a concurrent worker sees all or nothing
    } catch {
      fs.rmSync(work, { recursive: true, force: true }); // another worker won the race
    }
    return path.join(target, path.basename(archive));
  })();
  return pluginPromise;
}

/** CLI + (when the package is built) the tarball; use in beforeAll with ENGINE_DEFAULTS.setupTimeoutMs. */
export async function ensureEngineReady(opts: { pack?: boolean } = {}): Promise<void> {
  await ensurePulumiCli();
  if (opts.pack ?? true) await packPlivoTarball();
}

/** vitest globalSetup entry point. */
export default async function globalSetup(): Promise<void> {
  await ensureEngineReady();
}
