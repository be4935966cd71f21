// plivo-provider language host: the LanguageRuntime gRPC service the Pulumi CLI expects from its `nodejs`
// language plugin, written in plain CommonJS so it runs without a build step.
//
// It mirrors the Go host in pulumi/pulumi (sdk/nodejs/cmd/pulumi-language-nodejs) for everything the CLI needs
// to preview/up/refresh/destroy/import a Node.js program: the program runs in a child `node` process started
// through `@pulumi/pulumi/cmd/run` resolved from the program's own node_modules, with the same flags and
// environment variables the Go host passes. Deliberate differences (see scripts/README.md):
//   - no resource-monitor proxy and no "sync invoke" pipes: only the long-deprecated synchronous invokes need
//     them, and dynamic providers never do;
//   - GetRequiredPackages reports no packages: this project only uses the bundled `pulumi-nodejs` dynamic
//     provider, and plugin auto-acquisition is disabled offline anyway;
//   - GenerateProgram (the TypeScript that `pulumi import` prints) runs Pulumi's own TypeScript generator, built
//     from the Go module proxy next to this file (codegen/, `pulumi-plivo-nodejs-codegen`);
//   - RunPlugin (plugins/policy packs written in Node.js), GenerateProject, GeneratePackage, Pack/Link and debugger
//     attachment answer UNIMPLEMENTED or an explanatory error.
"use strict";

const fs = require("node:fs");
const path = require("node:path");
const { spawn, execFileSync } = require("node:child_process");

// Exit code with which @pulumi/pulumi/cmd/run says "the user already got an actionable message": the engine
// must then fail without printing anything more (RunResponse.bail).
const EXIT_AFTER_USER_ACTIONABLE_MESSAGE = 32;
const KILL_GRACE_MS = 5000;
// The Go program that generates TypeScript from PCL (built by scripts/install-pulumi.sh from codegen/).
const CODEGEN_HELPER = "pulumi-plivo-nodejs-codegen";

// The gRPC runtime and generated stubs come from an installed @pulumi/pulumi. The copy next to this host (the
// repository's, pinned to the CLI's version) is preferred so the wire protocol matches the CLI; the program's
// copy (the CLI starts plugins in the program directory) is the fallback.
function loadSdk() {
  const searchPaths = [__dirname, process.cwd()];
  let pkgJson;
  try {
    pkgJson = require.resolve("@pulumi/pulumi/package.json", { paths: searchPaths });
  } catch (err) {
    throw new Error(`cannot find @pulumi/pulumi from ${searchPaths.join(" or ")}; run npm install first (${err.message})`);
  }
  const dir = path.dirname(pkgJson);
  const fromSdk = (id) => require(require.resolve(id, { paths: [dir] }));
  return {
    dir,
    version: require(pkgJson).version,
    grpc: fromSdk("@grpc/grpc-js"),
    langRpc: require(path.join(dir, "proto", "language_grpc_pb.js")),
    lang: require(path.join(dir, "proto", "language_pb.js")),
    plugin: require(path.join(dir, "proto", "plugin_pb.js")),
    empty: fromSdk("google-protobuf/google/protobuf/empty_pb.js"),
    hcl: require(path.join(dir, "proto", "codegen", "hcl_pb.js")),
  };
}

// Flags are those the CLI passes to every plugin (`--logtostderr`, `-v=N`, `--tracing URL`) plus the Go host's
// own; the engine address is the last positional argument. Go's flag package accepts -x and --x, = or a space.
function parseArgs(argv) {
  const opts = { tracing: "", verbose: 0, logToStderr: false, engineAddress: "", showVersion: false };
  const positional = [];
  const booleans = new Set(["logtostderr", "version", "typescript", "logflow"]);
  for (let i = 0; i < argv.length; i++) {
    const m = /^--?([^=]+)(?:=(.*))?$/.exec(argv[i]);
    if (!m) {
      positional.push(argv[i]);
      continue;
    }
    const [, name, inline] = m;
    const value = booleans.has(name) ? (inline ?? "true") : (inline ?? argv[++i] ?? "");
    if (name === "tracing") opts.tracing = value;
    else if (name === "v") opts.verbose = Number.parseInt(value, 10) || 0;
    else if (name === "logtostderr") opts.logToStderr = value !== "false";
    else if (name === "version") opts.showVersion = value !== "false";
    // -runtime, -root, -typescript, ...: accepted for compatibility, nothing to do.
  }
  opts.engineAddress = positional[0] ?? "";
  return opts;
}

// A POSIX-shell-like split for the `nodeargs` runtime option (what the Go host does with shlex).
function splitArgs(s) {
  const out = [];
  let cur = null;
  let quote = null;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === quote) quote = null;
      else if (c === "\\" && quote === '"' && i + 1 < s.length) cur += s[++i];
      else cur += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      cur ??= "";
    } else if (c === "\\" && i + 1 < s.length) {
      cur = (cur ?? "") + s[++i];
    } else if (/\s/.test(c)) {
      if (cur !== null) out.push(cur);
      cur = null;
    } else {
      cur = (cur ?? "") + c;
    }
  }
  if (quote) throw new Error(`nodeargs: unterminated ${quote} quote in ${JSON.stringify(s)}`);
  if (cur !== null) out.push(cur);
  return out;
}

// Runtime options come from `runtime.options` in Pulumi.yaml (a protobuf Struct in ProgramInfo).
function runtimeOptions(info) {
  const raw = info?.getOptions()?.toJavaScript() ?? {};
  const opts = { typescript: true, tsconfig: "", nodeargs: "", packagemanager: "auto" };
  const check = (key, type) => {
    if (raw[key] === undefined) return;
    if (typeof raw[key] !== type) throw new Error(`${key} option must be a ${type}`);
    opts[key] = raw[key];
  };
  check("typescript", "boolean");
  check("tsconfig", "string");
  check("nodeargs", "string");
  check("packagemanager", "string");
  if (!["auto", "npm", "yarn", "pnpm", "bun"].includes(opts.packagemanager)) {
    throw new Error(`packagemanager option must be one of auto, npm, yarn, pnpm or bun, got "${opts.packagemanager}"`);
  }
  return opts;
}

// The Node SDK still reads config keys in the old `<namespace>:config:<name>` form (as the Go host sends them).
function legacyConfigKey(key) {
  const parts = key.split(":");
  if (parts.length === 2 && parts[0] && parts[1]) return `${parts[0]}:config:${parts[1]}`;
  if (parts.length === 3 && parts[1] === "config" && parts[0] && parts[2]) return key;
  throw new Error(`could not parse ${key} as a configuration key (configuration keys should be of the form \`<namespace>:<name>\`)`);
}

function detectPackageManager(dir, configured) {
  if (configured !== "auto") return configured;
  const has = (f) => fs.existsSync(path.join(dir, f));
  if (has("pnpm-lock.yaml")) return "pnpm";
  if (has("yarn.lock")) return "yarn";
  if (has("bun.lock") || has("bun.lockb")) return "bun";
  return "npm";
}

function readJson(file) {
  return JSON.parse(fs.readFileSync(file, "utf8"));
}

// Direct dependencies with their installed versions, or (transitive) every package in the npm lockfile.
function programDependencies(dir, transitive) {
  const pkg = readJson(path.join(dir, "package.json"));
  const lockFile = path.join(dir, "package-lock.json");
  if (transitive && fs.existsSync(lockFile)) {
    const lock = readJson(lockFile);
    return Object.entries(lock.packages ?? {})
      .filter(([key, meta]) => key.includes("node_modules/") && meta.version)
      .map(([key, meta]) => ({ name: key.slice(key.lastIndexOf("node_modules/") + "node_modules/".length), version: meta.version }));
  }
  const declared = { ...pkg.devDependencies, ...pkg.dependencies };
  return Object.entries(declared).map(([name, range]) => {
    try {
      return { name, version: readJson(path.join(dir, "node_modules", name, "package.json")).version };
    } catch {
      return { name, version: range };
    }
  });
}

class LanguageHost {
  constructor(sdk, opts) {
    this.sdk = sdk;
    this.opts = opts;
    this.engineAddress = opts.engineAddress;
    this.children = new Set(); // running program / installer processes, for Cancel and shutdown
  }

  debug(msg) {
    // Plugin stderr is shown to the user by the CLI, so only log when the CLI asked for logs (--logflow).
    if (this.opts.logToStderr && this.opts.verbose >= 5) process.stderr.write(`[language-host] ${msg}\n`);
  }

  // Starts a child and resolves with {code, signal} or rejects when it could not be started at all.
  track(child) {
    this.children.add(child);
    return new Promise((resolve, reject) => {
      child.once("error", (err) => {
        this.children.delete(child);
        reject(err);
      });
      child.once("exit", (code, signal) => {
        this.children.delete(child);
        resolve({ code, signal });
      });
    });
  }

  interruptChildren() {
    for (const child of this.children) {
      child.kill("SIGINT");
      setTimeout(() => child.exitCode === null && child.signalCode === null && child.kill("SIGKILL"), KILL_GRACE_MS).unref();
    }
  }

  handshake(req) {
    this.engineAddress = req.getEngineAddress();
    return new this.sdk.lang.LanguageHandshakeResponse();
  }

  getPluginInfo() {
    const info = new this.sdk.plugin.PluginInfo();
    info.setVersion(this.sdk.version);
    return info;
  }

  getRequiredPlugins() {
    return new this.sdk.lang.GetRequiredPluginsResponse();
  }

  getRequiredPackages() {
    return new this.sdk.lang.GetRequiredPackagesResponse();
  }

  async run(req, call) {
    const { lang } = this.sdk;
    const response = (error, bail = false) => {
      const resp = new lang.RunResponse();
      resp.setError(error);
      resp.setBail(bail);
      return resp;
    };
    if (!this.engineAddress) {
      throw Object.assign(new Error("when debugging or running explicitly, must call Handshake before Run"), {
        code: this.sdk.grpc.status.FAILED_PRECONDITION,
      });
    }
    if (req.getAttachDebugger()) return response("attaching a debugger is not supported by the project's language host");

    const info = req.getInfo();
    const programDir = info?.getProgramDirectory() || req.getPwd() || process.cwd();
    let opts, env, runPath;
    try {
      opts = runtimeOptions(info);
      const config = {};
      for (const [k, v] of req.getConfigMap().entries()) config[legacyConfigKey(k)] = v;
      env = {
        ...process.env,
        PULUMI_CONFIG: JSON.stringify(config),
        PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(req.getConfigsecretkeysList()),
      };
      if (opts.typescript) env.PULUMI_NODEJS_TYPESCRIPT = "true";
      if (opts.tsconfig) env.PULUMI_NODEJS_TSCONFIG_PATH = opts.tsconfig;
    } catch (err) {
      return response(err.message);
    }
    try {
      const runModule = process.env.PULUMI_LANGUAGE_NODEJS_RUN_PATH || "@pulumi/pulumi/cmd/run";
      runPath = require.resolve(runModule, { paths: [programDir] });
    } catch {
      return response(`It looks like the Pulumi SDK has not been installed in ${programDir}. Have you run pulumi install?`);
    }

    // Same command line as the Go host: node [nodeargs] <run> --monitor … <entry point> [args…]
    const args = [...splitArgs(opts.nodeargs), runPath];
    const flag = (name, value) => value !== "" && value !== undefined && args.push(`--${name}`, String(value));
    flag("monitor", req.getMonitorAddress());
    flag("engine", this.engineAddress);
    flag("organization", req.getOrganization());
    flag("project", req.getProject());
    flag("root-directory", info?.getRootDirectory());
    flag("stack", req.getStack());
    flag("pwd", programDir);
    if (req.getDryrun()) args.push("--dry-run");
    flag("parallel", req.getParallel());
    flag("tracing", this.opts.tracing);
    args.push(info?.getEntryPoint() || req.getProgram() || ".", ...req.getArgsList());
    this.debug(`launching: node ${args.join(" ")}`);

    const child = spawn("node", args, { env, stdio: ["ignore", "inherit", "inherit"] });
    // The engine cancels the call when the update is cancelled: stop the program like the Go host does.
    call.on("cancelled", () => this.interruptChildren());
    let result;
    try {
      result = await this.track(child);
    } catch (err) {
      const hint = err.code === "ENOENT" ? " (is node on the $PATH?)" : "";
      return response(`Problem executing program (could not run language executor): ${err.message}${hint}`);
    }
    if (result.code === 0) return response("");
    if (result.code === EXIT_AFTER_USER_ACTIONABLE_MESSAGE) return response("", true);
    if (result.code !== null) return response(`Program exited with non-zero exit code: ${result.code}`);
    return response(`Program exited unexpectedly: signal ${result.signal}`);
  }

  // Streams the package manager's output back to the CLI (`pulumi install`, `pulumi new`).
  async installDependencies(req, call) {
    const { lang } = this.sdk;
    const send = (field, chunk) => {
      const msg = new lang.InstallDependenciesResponse();
      msg[field](chunk);
      call.write(msg);
    };
    const out = (text) => send("setStdout", Buffer.from(text));
    const dir = req.getInfo()?.getProgramDirectory() || req.getDirectory();
    const pm = detectPackageManager(dir, runtimeOptions(req.getInfo()).packagemanager);
    // Installing only when node_modules is missing keeps repeated runs offline and fast; delete node_modules
    // to force a fresh install.
    if (fs.existsSync(path.join(dir, "node_modules"))) {
      out(`node_modules already present in ${dir}; skipping ${pm} install\n`);
      return;
    }
    out(`Installing dependencies...\n\n`);
    const child = spawn(pm, ["install"], { cwd: dir, env: process.env, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.on("data", (chunk) => send("setStdout", chunk));
    child.stderr.on("data", (chunk) => send("setStderr", chunk));
    call.on("cancelled", () => this.interruptChildren());
    const { code, signal } = await this.track(child);
    if (code !== 0) throw new Error(`${pm} install in ${dir} failed (${code !== null ? `exit code ${code}` : `signal ${signal}`})`);
    out(`Finished installing dependencies\n\n`);
  }

  runtimeOptionsPrompts() {
    return new this.sdk.lang.RuntimeOptionsResponse();
  }

  template() {
    return new this.sdk.lang.TemplateResponse();
  }

  about(req) {
    const dir = req.getInfo()?.getProgramDirectory() || process.cwd();
    const pm = detectPackageManager(dir, runtimeOptions(req.getInfo()).packagemanager);
    const resp = new this.sdk.lang.AboutResponse();
    resp.setExecutable(process.execPath);
    resp.setVersion(process.version);
    resp.getMetadataMap().set("packagemanager", pm);
    try {
      const version = execFileSync(pm, ["--version"], { cwd: dir, timeout: 10_000, encoding: "utf8" }).trim();
      resp.getMetadataMap().set("packagemanagerVersion", version);
    } catch {
      // Like the Go host: an unknown package manager version is not an error.
    }
    return resp;
  }

  getProgramDependencies(req) {
    const dir = req.getInfo()?.getProgramDirectory() || req.getPwd() || process.cwd();
    let deps;
    try {
      deps = programDependencies(dir, req.getTransitivedependencies());
    } catch (err) {
      throw new Error(`failed to get node dependencies in ${dir}: ${err.message}`);
    }
    const resp = new this.sdk.lang.GetProgramDependenciesResponse();
    resp.setDependenciesList(
      deps.map(({ name, version }) => {
        const d = new this.sdk.lang.DependencyInfo();
        d.setName(name);
        d.setVersion(String(version));
        return d;
      }),
    );
    return resp;
  }

  // `pulumi import` (and `pulumi convert`) hand the program as PCL with the address of the CLI's schema loader; the
  // Go helper binds it and runs Pulumi's TypeScript generator, as the Go host does in-process.
  async generateProgram(req) {
    const { lang, hcl } = this.sdk;
    const helper = path.join(__dirname, CODEGEN_HELPER);
    if (!fs.existsSync(helper)) {
      throw new Error(`${CODEGEN_HELPER} is missing next to the language host (${__dirname}): run scripts/install-pulumi.sh to build it`);
    }
    const request = {
      source: Object.fromEntries(req.getSourceMap().entries()),
      loaderTarget: req.getLoaderTarget(),
      strict: req.getStrict(),
    };
    const child = spawn(helper, [], { stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d) => (stderr += d));
    child.stdin.end(JSON.stringify(request));
    const { code, signal } = await this.track(child);
    if (code !== 0) throw new Error(stderr.trim() || `${CODEGEN_HELPER} failed (${code !== null ? `exit code ${code}` : `signal ${signal}`})`);
    const result = JSON.parse(stdout);
    const resp = new lang.GenerateProgramResponse();
    for (const [name, text] of Object.entries(result.source ?? {})) resp.getSourceMap().set(name, Buffer.from(text, "utf8"));
    resp.setDiagnosticsList(
      (result.diagnostics ?? []).map((d) => {
        const diag = new hcl.Diagnostic();
        diag.setSeverity(d.severity === "error" ? hcl.DiagnosticSeverity.DIAG_ERROR : hcl.DiagnosticSeverity.DIAG_WARNING);
        diag.setSummary(d.summary ?? "");
        diag.setDetail(d.detail ?? "");
        return diag;
      }),
    );
    return resp;
  }

  cancel() {
    this.interruptChildren();
    return new this.sdk.empty.Empty();
  }
}

// Wires LanguageHost methods to grpc-js handlers; everything else in the service answers UNIMPLEMENTED, which
// the engine tolerates for optional methods.
function serviceImplementation(host) {
  const { grpc, langRpc } = host.sdk;
  const fail = (err) => ({ code: err.code ?? grpc.status.UNKNOWN, details: err.message ?? String(err) });
  const impl = {};
  for (const [method, def] of Object.entries(langRpc.LanguageRuntimeService)) {
    const name = method.charAt(0).toLowerCase() + method.slice(1);
    const fn = typeof host[name] === "function" ? host[name].bind(host) : null;
    if (!fn) {
      impl[name] = (call, callback) => {
        const err = { code: grpc.status.UNIMPLEMENTED, details: `${method} is not implemented by the project's language host` };
        if (callback) callback(err);
        else call.emit("error", err);
      };
    } else if (def.responseStream) {
      impl[name] = (call) =>
        Promise.resolve()
          .then(() => fn(call.request, call))
          .then(
            () => call.end(),
            (err) => call.emit("error", fail(err)),
          );
    } else {
      impl[name] = (call, callback) =>
        Promise.resolve()
          .then(() => fn(call.request, call))
          .then(
            (resp) => callback(null, resp),
            (err) => callback(fail(err)),
          );
    }
  }
  return impl;
}

function main(argv) {
  const opts = parseArgs(argv);
  let sdk;
  try {
    sdk = loadSdk();
  } catch (err) {
    process.stderr.write(`pulumi-language-nodejs: ${err.message}\n`);
    process.exit(1);
  }
  if (opts.showVersion) {
    process.stdout.write(`${sdk.version}\n`);
    return;
  }
  const host = new LanguageHost(sdk, opts);
  const maxMessage = 400 * 1024 * 1024; // same limit as the CLI's gRPC channels
  const server = new sdk.grpc.Server({
    "grpc.max_receive_message_length": maxMessage,
    "grpc.max_send_message_length": maxMessage,
  });
  server.addService(sdk.langRpc.LanguageRuntimeService, serviceImplementation(host));

  let stopping = false;
  const shutdown = (why) => {
    if (stopping) return;
    stopping = true;
    host.debug(`shutting down: ${why}`);
    host.interruptChildren();
    server.forceShutdown();
    const exitWhenIdle = setInterval(() => host.children.size === 0 && process.exit(0), 50);
    setTimeout(() => process.exit(0), KILL_GRACE_MS + 500).unref();
    exitWhenIdle.unref();
  };
  // The CLI stops plugins with SIGINT to their process group, then SIGKILL after 5 s.
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  // If the CLI dies without stopping us (SIGKILL, crash), don't linger: the Go host health-checks the engine
  // for the same reason.
  const parent = process.ppid;
  setInterval(() => process.ppid !== parent && shutdown("the Pulumi CLI exited"), 1000).unref();

  server.bindAsync("127.0.0.1:0", sdk.grpc.ServerCredentials.createInsecure(), (err, port) => {
    if (err) {
      process.stderr.write(`pulumi-language-nodejs: could not start the language host gRPC server: ${err.message}\n`);
      process.exit(1);
    }
    // The CLI reads exactly one line from stdout: the port to dial.
    process.stdout.write(`${port}\n`);
  });
}

module.exports = { main, parseArgs, splitArgs, legacyConfigKey, runtimeOptions, programDependencies };
