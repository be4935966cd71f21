/**
 * Engine-test harness: runs a real Pulumi program (an example directory) through the real `pulumi` CLI, offline,
 * with a throw-away file backend.
 *
 *   await withPulumiProject({ exampleDir, stack: "dev", config: { "plivo:baseUrl": url } }, async (p) => {
 *     await p.up();
 *     await p.preview({ expectNoChanges: true });
 *     expect((await p.outputs()).numberId).toBeDefined();
 *   });
 *
 * Per project: the example is copied to a temp dir, `pulumi-plivo` is installed from an `npm pack` tarball of this
 * repository (a real copy in node_modules, as users get it: closures serialize `require("pulumi-plivo")`, not the
 * implementation), then a stack is created in a temp file backend. The CLI comes from scripts/install-pulumi.sh.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import { ENGINE_DEFAULTS, ensurePluginArchive, ensurePulumiCli, packPlivoTarball, REPO_ROOT, runCommand, SDK_VERSION, tail } from "./harness-setup";

// scripts/pulumi-env.js is plain CommonJS shared with the shell scripts; load it with require, not the test bundler.
const { pulumiEnv } = createRequire(__filename)("../../scripts/pulumi-env.js") as {
  pulumiEnv(opts: { binDir?: string; stateDir?: string; homeDir?: string; base?: NodeJS.ProcessEnv }): NodeJS.ProcessEnv;
};

export { ENGINE_DEFAULTS, ensurePulumiCli, packPlivoTarball, REPO_ROOT, SDK_VERSION };

export interface ProjectOptions {
  /** Directory holding Pulumi.yaml and package.json; copied, never modified. */
  exampleDir: string;
  stack: string;
  /** Plain stack config, e.g. {"plivo:baseUrl": url}; keys without a namespace get the project's. */
  config?: Record<string, string>;
  /** Secret stack config; values go to the CLI on stdin and are redacted from error messages. */
  secrets?: Record<string, string>;
  /** Extra environment for every CLI command (and so for the program and the dynamic provider). */
  env?: Record<string, string>;
  /** Run `pulumi destroy` when `fn` returns (default true). Skipped when `fn` threw. */
  destroyOnExit?: boolean;
}

export interface RunOptions {
  /** Return the result instead of throwing when the exit code is non-zero. */
  allowFailure?: boolean;
  env?: Record<string, string>;
  /** Written to the command's stdin (then closed). */
  stdin?: string;
  timeoutMs?: number;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface PreviewResult extends RunResult {
  /** Parsed stdout when `json: true`. */
  json?: any;
}

/** A CLI command that failed: carries the command, directory and both outputs (secrets redacted). */
export class PulumiCommandError extends Error {
  constructor(
    readonly args: string[],
    readonly cwd: string,
    readonly result: RunResult,
    reason: string,
  ) {
    super(`pulumi ${args.join(" ")} ${reason} (in ${cwd})\n` + `--- stdout ---\n${tail(result.stdout)}\n--- stderr ---\n${tail(result.stderr)}`);
    this.name = "PulumiCommandError";
  }
}

export class PulumiProject {
  /** Secret values this harness handed to the CLI; never shown in error messages. */
  private readonly secretValues = new Set<string>();

  constructor(
    /** The program directory (temp copy of the example). */
    readonly dir: string,
    readonly stack: string,
    /** Environment every command runs with (offline Pulumi env + options.env). */
    readonly env: NodeJS.ProcessEnv,
    /** File-backend directory holding the stack's state. */
    readonly stateDir: string,
  ) {}

  /** Runs `pulumi <args>` in the program directory. Throws PulumiCommandError on failure unless allowFailure. */
  run(args: string[], opts: RunOptions = {}): Promise<RunResult> {
    const timeoutMs = opts.timeoutMs ?? ENGINE_DEFAULTS.commandTimeoutMs;
    return new Promise((resolve, reject) => {
      // Own process group so a timeout can stop the CLI and the plugins it started.
      const child = spawn("pulumi", args, {
        cwd: this.dir,
        env: { ...this.env, ...opts.env },
        stdio: ["pipe", "pipe", "pipe"],
        detached: true,
      });
      let stdout = "";
      let stderr = "";
      child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
      child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
      child.stdin.end(opts.stdin ?? "");
      let timedOut = false;
      const signalGroup = (sig: NodeJS.Signals) => {
        try {
          process.kill(-child.pid!, sig);
        } catch {
          // already gone
        }
      };
      const timer = setTimeout(() => {
        timedOut = true;
        // Like pressing ^C twice: the CLI cancels, then stops its plugins (each in its own process group, so a
        // SIGKILL of the CLI alone would orphan the dynamic provider). SIGKILL only as a last resort.
        signalGroup("SIGINT");
        setTimeout(() => signalGroup("SIGINT"), 5_000).unref();
        setTimeout(() => signalGroup("SIGKILL"), 20_000).unref();
      }, timeoutMs);
      child.on("error", (err) => {
        clearTimeout(timer);
        reject(new Error(`could not start pulumi (PATH=${this.env.PATH}): ${err.message}`));
      });
      child.on("close", (code, signal) => {
        clearTimeout(timer);
        const result = { code: code ?? 128, stdout, stderr };
        // Errors end up in test reports and CI logs: redact secrets there (results stay exact for assertions).
        const error = (why: string) => {
          const shown = { code: result.code, stdout: this.redact(stdout), stderr: this.redact(stderr) };
          return new PulumiCommandError(
            args.map((a) => this.redact(a)),
            this.dir,
            shown,
            why,
          );
        };
        if (timedOut) reject(error(`timed out after ${timeoutMs} ms`));
        else if (code !== 0 && !opts.allowFailure) reject(error(code === null ? `was killed by ${signal}` : `exited with code ${code}`));
        else resolve(result);
      });
    });
  }

  /**
   * Runs a shell command line in the program directory with the project's environment (its backend, PULUMI_HOME and
   * selected stack), as a user types it; never throws on failure.
   */
  runShell(command: string, opts: RunOptions = {}): Promise<RunResult> {
    return new Promise((resolve) => {
      const child = spawn("bash", ["-c", command], { cwd: this.dir, env: { ...this.env, ...opts.env }, stdio: ["ignore", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
      child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
      child.on("close", (code) => resolve({ code: code ?? 1, stdout: this.redact(stdout), stderr: this.redact(stderr) }));
    });
  }

  /** `pulumi up --yes`; skips the separate preview pass unless `skipPreview: false` (halves the time). */
  up(opts: RunOptions & { skipPreview?: boolean; diff?: boolean; expectNoChanges?: boolean } = {}) {
    const args = ["up", "--yes", ...this.stackArgs()];
    if (opts.skipPreview ?? true) args.push("--skip-preview");
    if (opts.diff) args.push("--diff");
    if (opts.expectNoChanges) args.push("--expect-no-changes");
    return this.run(args, opts);
  }

  async preview(opts: RunOptions & { expectNoChanges?: boolean; diff?: boolean; json?: boolean } = {}): Promise<PreviewResult> {
    const args = ["preview", ...this.stackArgs()];
    if (opts.expectNoChanges) args.push("--expect-no-changes");
    if (opts.diff) args.push("--diff");
    if (opts.json) args.push("--json");
    const result = await this.run(args, opts);
    return opts.json ? { ...result, json: parseJson(result.stdout, args) } : result;
  }

  refresh(opts: RunOptions & { expectNoChanges?: boolean } = {}) {
    const args = ["refresh", "--yes", "--skip-preview", ...this.stackArgs()];
    if (opts.expectNoChanges) args.push("--expect-no-changes");
    return this.run(args, opts);
  }

  destroy(opts: RunOptions = {}) {
    return this.run(["destroy", "--yes", "--skip-preview", ...this.stackArgs()], opts);
  }

  /**
   * `pulumi import <type> <name> <id>`. Without `out`, code generation is off; with it, the CLI's language host writes
   * the program code for the imported resource to that file (TypeScript or YAML).
   */
  import(type: string, name: string, id: string, opts: RunOptions & { out?: string } = {}) {
    const codegen = opts.out ? ["--out", opts.out] : ["--generate-code=false"];
    return this.run(["import", type, name, id, "--yes", "--skip-preview", ...codegen, ...this.stackArgs()], opts);
  }

  /**
   * Installs the plugin archive of this build into the project's plugin cache, as a user of a YAML (or any other
   * language's) program does: `pulumi plugin install resource plivo <version> --file <archive>`.
   */
  async installPlugin(): Promise<void> {
    const archive = await ensurePluginArchive();
    const { version } = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { version: string };
    await this.run(["plugin", "install", "resource", "plivo", version, "--file", archive]);
  }

  /** Stack outputs, secrets in clear text (for assertions; never printed by the harness). */
  async outputs(): Promise<Record<string, any>> {
    const args = ["stack", "output", "--json", "--show-secrets", ...this.stackArgs()];
    return parseJson((await this.run(args)).stdout, args);
  }

  /** The stack's deployment (`pulumi stack export`); secrets stay encrypted unless showSecrets. */
  async exportStack(opts: { showSecrets?: boolean } = {}): Promise<any> {
    const args = ["stack", "export", ...this.stackArgs()];
    if (opts.showSecrets) args.push("--show-secrets");
    return parseJson((await this.run(args)).stdout, args);
  }

  /** `pulumi config set`; a secret value is passed on stdin so it never appears in a command line. */
  async setConfig(key: string, value: string, opts: { secret?: boolean } = {}): Promise<void> {
    if (opts.secret) {
      this.secretValues.add(value);
      await this.run(["config", "set", "--secret", ...this.stackArgs(), key], { stdin: value });
    } else {
      await this.run(["config", "set", ...this.stackArgs(), "--", key, value]);
    }
  }

  private stackArgs() {
    return ["--stack", this.stack, "--non-interactive"];
  }

  private redact(s: string): string {
    let out = s;
    for (const v of this.secretValues) if (v.length >= 3) out = out.split(v).join("[secret]");
    return out;
  }
}

function parseJson(text: string, args: string[]): any {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new Error(`pulumi ${args.join(" ")} printed invalid JSON (${(err as Error).message}):\n${tail(text)}`);
  }
}

/**
 * Copies `opts.exampleDir` to a temp dir, installs its dependencies (pulumi-plivo from the packed tarball),
 * creates the stack with its config, runs `fn`, destroys the stack and removes the temp dir.
 * Set PLIVO_ENGINE_KEEP_DIRS=1 to keep the temp dir for debugging (its path is logged).
 */
export async function withPulumiProject(opts: ProjectOptions, fn: (p: PulumiProject) => Promise<void>): Promise<void> {
  const binDir = await ensurePulumiCli();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `plivo-engine-${path.basename(opts.exampleDir)}-`));
  const dir = path.join(root, "project");
  const stateDir = path.join(root, "state");
  fs.mkdirSync(stateDir);
  const keep = process.env.PLIVO_ENGINE_KEEP_DIRS === "1";
  let project: PulumiProject | undefined;
  let failed = false;
  try {
    copyExample(opts.exampleDir, dir);
    await installDependencies(dir);
    // A per-project PULUMI_HOME keeps stack selection and any plugin cache isolated between parallel tests.
    const env = { ...pulumiEnv({ binDir, stateDir, homeDir: path.join(root, "home") }), NO_COLOR: "1", ...opts.env };
    project = new PulumiProject(dir, opts.stack, env, stateDir);
    await project.run(["stack", "init", opts.stack, "--non-interactive"]);
    for (const [k, v] of Object.entries(opts.config ?? {})) await project.setConfig(k, v);
    for (const [k, v] of Object.entries(opts.secrets ?? {})) await project.setConfig(k, v, { secret: true });
    await fn(project);
  } catch (err) {
    failed = true;
    throw err;
  } finally {
    // Destroy only after success: after a failure the first error is what matters (keep the dir to inspect state).
    if (project && !failed && opts.destroyOnExit !== false) await project.destroy();
    if (keep) console.log(`[engine-harness] kept ${root}`);
    else fs.rmSync(root, { recursive: true, force: true });
  }
}

/** Copies the example without its top-level node_modules/, bin/ and .pulumi/. */
function copyExample(exampleDir: string, dest: string): void {
  const src = path.resolve(exampleDir);
  if (!fs.existsSync(path.join(src, "Pulumi.yaml"))) throw new Error(`${src} has no Pulumi.yaml: not a Pulumi project`);
  const skip = new Set(["node_modules", "bin", ".pulumi"]);
  fs.cpSync(src, dest, { recursive: true, filter: (p) => !skip.has(path.basename(p)) || path.dirname(p) !== src });
}

async function installDependencies(dir: string): Promise<void> {
  const pkgFile = path.join(dir, "package.json");
  if (!fs.existsSync(pkgFile)) return;
  const pkg = JSON.parse(fs.readFileSync(pkgFile, "utf8"));
  let rewrote = false;
  for (const section of ["dependencies", "devDependencies", "optionalDependencies"]) {
    if (pkg[section]?.["pulumi-plivo"] !== undefined) {
      // Examples say "file:../.." (a symlink when installed); tests need what users get: a packed copy.
      pkg[section]["pulumi-plivo"] = `file:${await packPlivoTarball()}`;
      rewrote = true;
    }
    if (pkg[section]?.["@pulumi/pulumi"] !== undefined && pkg[section]["@pulumi/pulumi"] !== SDK_VERSION) {
      // Programs declare a range; a test run pins its leg's exact SDK (scripts/toolchain.json).
      pkg[section]["@pulumi/pulumi"] = SDK_VERSION;
      rewrote = true;
    }
  }
  if (rewrote) {
    fs.writeFileSync(pkgFile, `${JSON.stringify(pkg, null, 2)}\n`);
    // A lockfile would still record the file:../.. link.
    fs.rmSync(path.join(dir, "package-lock.json"), { force: true });
  }
  await runCommand("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"], dir, ENGINE_DEFAULTS.npmInstallTimeoutMs);
  assertSinglePulumiSdk(dir);
}

/**
 * Two copies of @pulumi/pulumi in one program break dynamic resources in confusing ways (each copy has its own
 * runtime state); fail early with a clear message instead.
 */
function assertSinglePulumiSdk(dir: string): void {
  const nested = path.join(dir, "node_modules", "pulumi-plivo", "node_modules", "@pulumi", "pulumi");
  if (fs.existsSync(nested)) {
    const version = (p: string) => JSON.parse(fs.readFileSync(path.join(p, "package.json"), "utf8")).version;
    const top = path.join(dir, "node_modules", "@pulumi", "pulumi");
    throw new Error(
      `pulumi-plivo got its own @pulumi/pulumi ${version(nested)} next to the program's ` +
        `${fs.existsSync(top) ? version(top) : "(none)"}: align the example's @pulumi/pulumi version with the package's`,
    );
  }
}
