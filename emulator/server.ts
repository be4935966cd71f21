/**
 * The Plivo API emulator server (Fastify).
 *
 *   const emu = await startEmulator({ port: 0 });
 *   // emu.url = "http://127.0.0.1:PORT"; API base = `${emu.url}/v1/Account/${emu.authId}/`
 *   await emu.close();
 *
 * Wiring only: the state lives in the store (store/), the resources in their backends and routes (resources/), the
 * asynchronous lifecycles in the transition engine (engine/), the runtime knobs in control/.
 */
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import { CallbackSender } from "./callbacks/sender";
import { registerCallbackRoutes } from "./callbacks/routes";
import { Hooks, type Backends, type Ctx, type LedgerEntry, type LedgerInput, type State } from "./context";
import { ControlGuard, type ControlGuardOptions } from "./control/guard";
import { Chaos, type ChaosSpec } from "./control/chaos";
import { defaultErrorMessage } from "./control/faults";
import { registerControl } from "./control/routes";
import { Runtime, parseRateLimit, type RateLimit } from "./control/runtime";
import { TransitionEngine } from "./engine/engine";
import { applyTransitionOptions } from "./engine/flags";
import type { TransitionSetting } from "./engine/policy";
import { registerTransitionRoutes } from "./engine/routes";
import { subaccountRefused, type Caller } from "./accounts";
import { ApiError, errorBody, parseBasicAuth, safeEqual } from "./http";
import { resources as builtinResources } from "./resources";
import type { ResourceModule } from "./resources/registry";
import { Persistence } from "./store/persistence";
import { Store } from "./store/store";

export interface EmulatorOptions {
  /** default "127.0.0.1" */
  host?: string;
  /** default 0 = a free port */
  port?: number;
  /** the data file the state is loaded from and persisted to (snapshot + journal, see store/persistence.ts) */
  dataFile?: string;
  /** default "MAEMULATORACCOUNT0001" */
  authId?: string;
  /** default "emulator-auth-token" */
  authToken?: string;
  /** Fastify request logging (default false) */
  logger?: boolean;
  /** inventory seed (default 1) */
  seed?: number;
  /** optional 429 simulation, e.g. {limit: 300, windowMs: 5000}; off by default */
  rateLimit?: RateLimit | null;
  /** extra resource modules (in addition to the built-in ones) */
  resources?: ResourceModule[];
  /**
   * Initial transition policies (type defaults or per id), e.g. `["brand=reads:2", "campaign=manual",
   * {resource:"tfv", mode:"seconds", seconds:30, outcome:"failure"}]`. They override the policies of a data file
   * and are re-applied after POST /__emulator/reset.
   */
  transitions?: Array<string | TransitionSetting>;
  /** fixed latency added to every `/v1/` request (ms) */
  latencyMs?: number;
  /** seeded probabilistic faults on `/v1/` requests (see control/chaos.ts) */
  chaos?: ChaosSpec | null;
  /** the control surface requires this token (`X-Emulator-Token` or `Authorization: Bearer`) when set */
  controlToken?: string;
  /** extra host names the server may be reached by (Host header check; loopback names are always allowed) */
  allowedHosts?: string[];
  /** where the non-loopback binding warning goes (default stderr) */
  onWarning?: (message: string) => void;
  /** persistence tuning (tests, benchmarks) */
  persistence?: { minCompactBytes?: number; compactRatio?: number; compactAfterBytes?: number };
}

export interface RunningEmulator {
  /** http://HOST:PORT (no trailing slash) */
  url: string;
  authId: string;
  authToken: string;
  close(): Promise<void>;
  store: Store;
  ctx: Ctx;
  runtime: Runtime;
  app: FastifyInstance;
}

export interface BuiltApp {
  app: FastifyInstance;
  ctx: Ctx;
  store: Store;
  runtime: Runtime;
  guard: ControlGuard;
  options: Required<Pick<EmulatorOptions, "authId" | "authToken" | "seed">>;
  /** stop the timers and close the data files (after the server stopped) */
  shutdown(): Promise<void>;
}

export const DEFAULT_AUTH_ID = "MAEMULATORACCOUNT0001";
export const DEFAULT_AUTH_TOKEN = "emulator-auth-token";
export const STATE_VERSION = 2;

interface ReqInfo {
  fault?: { mode: string; status: number; retryAfter?: number; error?: string };
  logged?: boolean;
  /** A "delay" fault: wait this long before the handler runs. */
  delayMs?: number;
}

const ACCOUNT_PATH = /^\/v1\/Account\/([^/?]+)(?:[/?]|$)/;

/** The per-emulator context: store, identity, clock, ledger, engine, callbacks, backends, hooks. */
function createCtx(store: Store, authId: string, authToken: string, seed: number): Ctx {
  const ledger = store.table<LedgerEntry>("ledger", (e) => String(e.seq));
  const ctx = {
    store,
    authId,
    authToken,
    seed,
    hooks: new Hooks(),
    backends: {} as Backends,
    ledger,
    get state(): State {
      return store.view();
    },
    now() {
      return new Date(Date.now() + (store.getMeta<number>("clock_offset_ms") ?? 0));
    },
    uri(suffix: string) {
      return `/v1/Account/${authId}/${suffix}`;
    },
    record(entry: LedgerInput): LedgerEntry {
      const seq = (store.getMeta<number>("ledger_seq") ?? 0) + 1;
      store.setMeta("ledger_seq", seq);
      return ledger.insert({ ...entry, seq, at: ctx.now().toISOString() });
    },
  } as Omit<Ctx, "engine" | "callbacks"> as Ctx;
  (ctx as { engine: TransitionEngine }).engine = new TransitionEngine(ctx);
  (ctx as { callbacks: CallbackSender }).callbacks = new CallbackSender(ctx);
  return ctx;
}

export async function buildApp(opts: EmulatorOptions = {}): Promise<BuiltApp> {
  const authId = opts.authId ?? DEFAULT_AUTH_ID;
  const authToken = opts.authToken ?? DEFAULT_AUTH_TOKEN;
  const seed = opts.seed ?? 1;
  const modules = [...builtinResources, ...(opts.resources ?? [])];

  const store = new Store();
  const ctx = createCtx(store, authId, authToken, seed);
  for (const m of modules) m.setup?.(ctx);

  /** A fresh seeded state: the scalars, then every module's seed (inventory, primary profile, …). */
  const fresh = (): void => {
    store.setMeta("version", STATE_VERSION);
    store.setMeta("created_at", new Date().toISOString());
    store.setMeta("auth_id", authId);
    store.setMeta("seed", seed);
    store.setMeta("clock_offset_ms", 0);
    store.setMeta("ledger_seq", 0);
    for (const m of modules) m.seed?.(ctx);
  };
  if (opts.dataFile) await Persistence.open(opts.dataFile, store, fresh, opts.persistence);
  else fresh();
  if (store.getMeta("auth_id") !== authId) store.setMeta("auth_id", authId);
  applyTransitionOptions(ctx, opts.transitions); // --transition
  ctx.hooks.on("state.reset", () => ctx.engine.applyStartupSettings());

  const runtime = new Runtime();
  runtime.setRateLimit(opts.rateLimit ?? null);
  runtime.latencyMs = opts.latencyMs ?? 0;
  const chaos = new Chaos();
  if (opts.chaos) chaos.configure(opts.chaos);
  const guard = new ControlGuard({ host: opts.host ?? "127.0.0.1", token: opts.controlToken, allowedHosts: opts.allowedHosts } satisfies ControlGuardOptions);

  const app = Fastify({
    logger: opts.logger ? { level: "info" } : false,
    routerOptions: { ignoreTrailingSlash: true, ignoreDuplicateSlashes: true, caseSensitive: true },
    bodyLimit: 1024 * 1024,
    keepAliveTimeout: 65_000,
    // a URL the router cannot decode (bad percent-encoding, invalid UTF-8) answers like any other Plivo 400
    frameworkErrors: (err, _req, reply) => {
      (reply as unknown as FastifyReply).code(400).send(errorBody(plivoMessage(err as FastifyError)));
    },
  });
  const info = new WeakMap<FastifyRequest, ReqInfo>();
  const infoOf = (req: FastifyRequest): ReqInfo => {
    let i = info.get(req);
    if (!i) info.set(req, (i = {}));
    return i;
  };

  // ---- body parsing: JSON (empty body tolerated), form, anything else tried as JSON
  app.removeAllContentTypeParsers();
  const parseJson = (body: string): unknown => {
    if (body.trim() === "") return undefined;
    try {
      return JSON.parse(body);
    } catch {
      throw new ApiError(400, "request body is not valid JSON");
    }
  };
  const asText = (buf: Buffer): string => {
    try {
      return new TextDecoder("utf-8", { fatal: true }).decode(buf);
    } catch {
      throw new ApiError(400, "request body is not valid UTF-8");
    }
  };
  const jsonParser = (_req: FastifyRequest, body: Buffer, done: (err: Error | null, v?: unknown) => void) => {
    try {
      done(null, parseJson(asText(body)));
    } catch (e) {
      done(e as Error, undefined);
    }
  };
  app.addContentTypeParser("application/json", { parseAs: "buffer" }, jsonParser);
  app.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "buffer" }, (_req, body, done) => {
    try {
      done(null, Object.fromEntries(new URLSearchParams(asText(body as Buffer))));
    } catch (e) {
      done(e as Error, undefined);
    }
  });
  app.addContentTypeParser("*", { parseAs: "buffer" }, jsonParser);

  // ---- route table for 405 detection
  const routeTable: Array<{ method: string; re: RegExp }> = [];
  app.addHook("onRoute", (r) => {
    const methods = Array.isArray(r.method) ? r.method : [r.method];
    const re = patternToRegex(r.url ?? r.path);
    for (const m of methods) routeTable.push({ method: String(m).toUpperCase(), re });
  });

  // ---- every request: host check; control surface: origin, content type, token; API: latency, faults, chaos,
  // rate limit, auth. Time-based transitions are applied first.
  app.addHook("onRequest", async (req, reply) => {
    const refused = guard.check(req);
    if (refused) return reply.code(refused.status).send(errorBody(refused.message));
    if (ctx.engine.sweep()) await store.commit();
    if (!req.url.startsWith("/v1/")) return;
    if (runtime.latencyMs > 0) await new Promise((r) => setTimeout(r, runtime.latencyMs));
    const fault = runtime.faults.take(req.method, req.url) ?? chaos.decide(req.method, req.url);
    if (fault) {
      switch (fault.mode) {
        case "status":
          if (fault.retryAfter !== undefined) reply.header("retry-after", String(fault.retryAfter));
          infoOf(req).fault = fault;
          return reply.code(fault.status).send(errorBody(fault.error ?? defaultErrorMessage(fault.status)));
        case "reset":
          runtime.log(logEntry(req, 0, "reset"));
          infoOf(req).logged = true;
          reply.hijack();
          req.raw.socket?.destroy();
          return reply;
        case "delay":
          // Waited for in preHandler, once the body is read: like a slow server, the request is processed even
          // if the client gave up meanwhile (a late-completing create).
          infoOf(req).delayMs = fault.delayMs;
          break;
        case "after":
        case "after-reset":
          infoOf(req).fault = fault;
          break;
      }
    }
    // one budget for the whole account, its subaccounts included (docs/plivo-api.md §1.3)
    if (runtime.overLimit(Date.now())) return reply.code(429).send(errorBody("too many requests"));
    const caller = authenticate(req.headers.authorization);
    if (caller === "disabled")
      return reply.code(403).send(errorBody("this subaccount is disabled; the main account can enable it (POST Subaccount/{id}/ enabled=true)"));
    if (!caller) {
      reply.header("www-authenticate", 'Basic realm="Plivo"');
      return reply.code(401).send({ error: "Authentication credentials invalid" });
    }
    const m = ACCOUNT_PATH.exec(req.url);
    let pathAccount: string | undefined;
    try {
      pathAccount = m ? decodeURIComponent(m[1]) : undefined;
    } catch {
      pathAccount = m?.[1];
    }
    if (m && pathAccount !== caller.authId) {
      // Valid credentials but another account in the path: Plivo treats the path auth_id as part of the credentials.
      return reply.code(401).send({ error: "Authentication credentials invalid" });
    }
    req.caller = caller;
  });

  /** The main account's credentials, or an enabled subaccount's (emulator/accounts.ts). */
  function authenticate(header: string | undefined): Caller | "disabled" | undefined {
    const cred = parseBasicAuth(header);
    if (!cred) return undefined;
    if (safeEqual(cred.id, authId) && safeEqual(cred.token, authToken)) return { authId, sub: null };
    const sub = ctx.backends.subaccounts?.authenticate(cred.id, cred.token);
    if (!sub || sub.kind === "unknown") return undefined;
    return sub.kind === "disabled" ? "disabled" : { authId: sub.record.auth_id, sub: sub.record.auth_id };
  }

  app.addHook("preHandler", async (req) => {
    const ms = info.get(req)?.delayMs;
    if (ms) await new Promise((r) => setTimeout(r, ms));
  });

  // ---- durability: every change is journaled before the response leaves; "after" faults answer after that
  app.addHook("onSend", async (req, reply, payload) => {
    // Plivo's responses carry the server's date; here the emulator clock's (a cost estimate pro-rates on it).
    reply.header("date", ctx.now().toUTCString());
    if (store.hasChanges) {
      try {
        await store.commit();
      } catch (err) {
        req.log.error({ err }, "emulator: persisting state failed");
        reply.code(500);
        reply.header("content-type", "application/json; charset=utf-8");
        return JSON.stringify(errorBody("state could not be persisted"));
      }
    }
    const i = info.get(req);
    const f = i?.fault;
    if (f && (f.mode === "after" || f.mode === "after-reset")) {
      if (f.mode === "after-reset") {
        runtime.log(logEntry(req, 0, "after-reset"));
        i.logged = true;
        req.raw.socket?.destroy();
        return payload;
      }
      if (f.retryAfter !== undefined) reply.header("retry-after", String(f.retryAfter));
      reply.code(f.status);
      reply.header("content-type", "application/json; charset=utf-8");
      return JSON.stringify(errorBody(f.error ?? defaultErrorMessage(f.status)));
    }
    return payload;
  });

  app.addHook("onResponse", async (req, reply) => {
    if (!req.url.startsWith("/v1/")) return;
    const i = info.get(req);
    if (i?.logged) return;
    runtime.log(logEntry(req, reply.statusCode, i?.fault?.mode));
  });

  app.setErrorHandler((err: FastifyError | ApiError, req, reply) => {
    if (err instanceof ApiError) {
      for (const [k, v] of Object.entries(err.headers)) reply.header(k, v);
      return reply.code(err.status).send(errorBody(err.message));
    }
    const status = (err as FastifyError).statusCode;
    if (status && status >= 400 && status < 500) return reply.code(status).send(errorBody(plivoMessage(err as FastifyError)));
    req.log.error({ err }, "emulator: unhandled error");
    return reply.code(500).send(errorBody("internal server error"));
  });

  app.setNotFoundHandler((req, reply) => notFoundOrNotAllowed(req, reply, routeTable));

  // ---- routes
  app.decorateRequest("caller", null);
  await app.register(
    async (api) => {
      for (const m of modules) {
        if (!m.routes) continue;
        const mainOnly = m.mainOnly;
        if (mainOnly === undefined) {
          m.routes(api, ctx);
          continue;
        }
        // the module's own context: its routes refuse subaccounts before any handler runs
        await api.register(async (scoped) => {
          scoped.addHook("preHandler", async (req) => {
            if (req.caller?.sub) throw subaccountRefused(mainOnly, req.caller);
          });
          m.routes!(scoped, ctx);
        });
      }
    },
    { prefix: "/v1/Account/:authId" },
  );
  const reset = (): void => {
    for (const name of store.tableNames()) store.getTable(name)!.clear();
    store.meta.clear();
    fresh();
    runtime.faults.clear();
    runtime.requests = [];
    chaos.disable();
    ctx.hooks.emit("state.reset", {});
  };
  await app.register(
    async (control) => {
      registerControl(control, { ctx, runtime, reset });
      registerTransitionRoutes(control, ctx);
      registerCallbackRoutes(control, ctx);
      chaos.registerRoutes(control);
      for (const m of modules) m.control?.(control, ctx);
    },
    { prefix: "/__emulator" },
  );

  // the state page, for whoever opens the emulator's address in a browser
  app.get("/", async (_req, reply) => reply.redirect("/__emulator/"));

  // time-based transitions fire without any request
  const timer = setInterval(() => {
    try {
      if (ctx.engine.sweep()) void store.commit().catch(() => undefined);
    } catch {
      // never let a timer tick crash the process
    }
  }, 500);
  timer.unref();
  await store.commit();

  return {
    app,
    ctx,
    store,
    runtime,
    guard,
    options: { authId, authToken, seed },
    async shutdown() {
      clearInterval(timer);
      await store.close();
    },
  };
}

export async function startEmulator(opts: EmulatorOptions = {}): Promise<RunningEmulator> {
  const built = await buildApp(opts);
  const host = opts.host ?? "127.0.0.1";
  try {
    await built.app.listen({ host, port: opts.port ?? 0 });
  } catch (err) {
    await built.shutdown();
    throw err;
  }
  const addr = built.app.server.address();
  const port = typeof addr === "object" && addr ? addr.port : (opts.port ?? 0);
  const warning = built.guard.bindWarning();
  if (warning) (opts.onWarning ?? ((m: string) => process.stderr.write(m)))(warning);
  const urlHost = host.includes(":") ? `[${host}]` : host;
  let closed: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${port}`,
    authId: built.options.authId,
    authToken: built.options.authToken,
    store: built.store,
    ctx: built.ctx,
    runtime: built.runtime,
    app: built.app,
    close() {
      closed ??= (async () => {
        await built.app.close();
        await built.shutdown();
      })();
      return closed;
    },
  };
}

/**
 * The state of a data file as it would load (snapshot + journal), without starting a server or writing anything:
 * what is on disk, for tests and tools.
 */
export async function readDataFile(dataFile: string, opts: Pick<EmulatorOptions, "resources"> = {}): Promise<State> {
  const modules = [...builtinResources, ...(opts.resources ?? [])];
  const store = new Store();
  const ctx = createCtx(store, DEFAULT_AUTH_ID, DEFAULT_AUTH_TOKEN, 1);
  for (const m of modules) m.setup?.(ctx);
  await Persistence.open(dataFile, store, () => undefined, { readOnly: true });
  return store.view();
}

export { parseRateLimit };

// ---------------------------------------------------------------------------

function logEntry(req: FastifyRequest, status: number, fault?: string) {
  const [path, query] = req.url.split("?", 2);
  return {
    method: req.method,
    path,
    ...(query ? { query } : {}),
    status,
    at: new Date().toISOString(),
    ...(req.body !== undefined && req.body !== null ? { body: withoutPasswords(req.body) } : {}),
    ...(fault ? { fault } : {}),
  };
}

/** A request body as the request log keeps it: an endpoint's password is never kept (the state holds its MD5 only). */
function withoutPasswords(body: unknown): unknown {
  if (body === null || typeof body !== "object" || Array.isArray(body) || !("password" in body)) return body;
  return { ...(body as Record<string, unknown>), password: "[not logged]" };
}

/** Fastify's own 4xx errors in Plivo's words (a bad URL, an unsupported body, a body too large). */
function plivoMessage(err: FastifyError): string {
  switch (err.code) {
    case "FST_ERR_BAD_URL":
      return "the request URL is not valid";
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return "request body is too large";
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return "unsupported content type";
    default:
      return err.message;
  }
}

function patternToRegex(pattern: string): RegExp {
  const body = pattern
    .split("/")
    .filter((seg) => seg !== "")
    .map((seg) => (seg.startsWith(":") ? "[^/]+" : seg.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
    .join("/");
  return new RegExp(`^/${body}/?$`);
}

function notFoundOrNotAllowed(req: FastifyRequest, reply: FastifyReply, table: Array<{ method: string; re: RegExp }>): FastifyReply {
  const path = req.url.split("?")[0].replace(/\/{2,}/g, "/");
  const allowed = [...new Set(table.filter((r) => r.re.test(path)).map((r) => r.method))];
  if (allowed.length > 0 && !allowed.includes(req.method.toUpperCase())) {
    reply.header("allow", allowed.join(", "));
    return reply.code(405).send(errorBody("method not allowed"));
  }
  return reply.code(404).send(errorBody("not found"));
}
