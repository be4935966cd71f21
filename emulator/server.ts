/**
 * The Plivo API emulator server (Fastify).
 *
 *   const emu = await startEmulator({ port: 0 });
 *   // emu.url = "http://127.0.0.1:PORT"; API base = `${emu.url}/v1/Account/${emu.authId}/`
 *   await emu.close();
 */
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import { createCtx, type Ctx } from "./context";
import { Runtime, defaultErrorMessage, parseRateLimit, registerControl, type Fault, type RateLimit } from "./control";
import { ApiError, checkBasicAuth, errorBody } from "./http";
import { generateInventory } from "./inventory";
import { resources as builtinResources } from "./resources";
import type { ResourceModule, InitCtx } from "./resources/registry";
import { STATE_VERSION, Store, type State } from "./store";
import { applyTransitionOptions } from "./transitions";

export interface EmulatorOptions {
  /** default "127.0.0.1" */
  host?: string;
  /** default 0 = a free port */
  port?: number;
  /** JSON file the state is loaded from and persisted to after every mutation */
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
  options: Required<Pick<EmulatorOptions, "authId" | "authToken" | "seed">>;
}

export const DEFAULT_AUTH_ID = "MAEMULATORACCOUNT0001";
export const DEFAULT_AUTH_TOKEN = "emulator-auth-token";

interface ReqInfo {
  fault?: Fault;
  logged?: boolean;
}

const ACCOUNT_PATH = /^\/v1\/Account\/([^/?]+)(?:[/?]|$)/;

export async function buildApp(opts: EmulatorOptions = {}): Promise<BuiltApp> {
  const authId = opts.authId ?? DEFAULT_AUTH_ID;
  const authToken = opts.authToken ?? DEFAULT_AUTH_TOKEN;
  const seed = opts.seed ?? 1;
  const modules = [...builtinResources, ...(opts.resources ?? [])];

  const initCtx = (): InitCtx => ({
    authId,
    seed,
    now: new Date(),
    uri: (suffix: string) => `/v1/Account/${authId}/${suffix}`,
  });
  const fresh = (): State => {
    const now = new Date();
    return {
      version: STATE_VERSION,
      created_at: now.toISOString(),
      auth_id: authId,
      seed,
      clock_offset_ms: 0,
      ledger_seq: 0,
      ledger: [],
      inventory: generateInventory(seed),
      reserved: [],
    } as unknown as State;
  };
  const upgrade = (s: State): void => {
    s.version ??= STATE_VERSION;
    s.created_at ??= new Date().toISOString();
    s.auth_id = authId;
    s.seed ??= seed;
    s.clock_offset_ms ??= 0;
    s.ledger_seq ??= 0;
    s.ledger ??= [];
    s.inventory ??= generateInventory(s.seed);
    s.reserved ??= [];
    const init = initCtx();
    for (const m of modules) m.initState(s, init);
  };

  const store = await Store.open(opts.dataFile, fresh, upgrade);
  const ctx = createCtx(store, authId, authToken);
  const runtime = new Runtime();
  runtime.setRateLimit(opts.rateLimit ?? null);
  for (const m of modules) m.setup?.(ctx);
  applyTransitionOptions(ctx, opts.transitions); // --transition / EmulatorOptions.transitions (declared in transitions.ts)

  const app = Fastify({
    logger: opts.logger ? { level: "info" } : false,
    routerOptions: { ignoreTrailingSlash: true, ignoreDuplicateSlashes: true, caseSensitive: true },
    bodyLimit: 1024 * 1024,
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
  app.addContentTypeParser("application/json", { parseAs: "string" }, (_req, body, done) => {
    try {
      done(null, parseJson(body as string));
    } catch (e) {
      done(e as Error, undefined);
    }
  });
  app.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string" }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });
  app.addContentTypeParser("*", { parseAs: "string" }, (_req, body, done) => {
    try {
      done(null, parseJson(body as string));
    } catch (e) {
      done(e as Error, undefined);
    }
  });

  // ---- route table for 405 detection
  const routeTable: Array<{ method: string; re: RegExp }> = [];
  app.addHook("onRoute", (r) => {
    const methods = Array.isArray(r.method) ? r.method : [r.method];
    const re = patternToRegex(r.url ?? r.path);
    for (const m of methods) routeTable.push({ method: String(m).toUpperCase(), re });
  });

  // ---- faults, rate limit, auth (API paths only)
  app.addHook("onRequest", async (req, reply) => {
    if (!req.url.startsWith("/v1/")) return;
    const fault = runtime.takeFault(req.method, req.url);
    if (fault) {
      switch (fault.mode) {
        case "status":
          if (fault.retryAfter !== undefined) reply.header("retry-after", String(fault.retryAfter));
          reply.code(fault.status).send(errorBody(fault.error ?? defaultErrorMessage(fault.status)));
          infoOf(req).fault = fault;
          return reply;
        case "reset":
          runtime.log(logEntry(req, 0, "reset"));
          infoOf(req).logged = true;
          reply.hijack();
          req.raw.socket?.destroy();
          return reply;
        case "delay":
          await new Promise((r) => setTimeout(r, fault.delayMs));
          break;
        case "after":
        case "after-reset":
          infoOf(req).fault = fault;
          break;
      }
    }
    if (runtime.overLimit(Date.now())) {
      reply.code(429).send(errorBody("too many requests"));
      return reply;
    }
    if (!checkBasicAuth(req.headers.authorization, authId, authToken)) {
      reply.header("www-authenticate", 'Basic realm="Plivo"');
      reply.code(401).send({ error: "Authentication credentials invalid" });
      return reply;
    }
    const m = ACCOUNT_PATH.exec(req.url);
    if (m && decodeURIComponent(m[1]) !== authId) {
      // Credentials are valid but the path names another account: Plivo treats
      // the path auth_id as part of the credentials ⇒ 401.
      reply.code(401).send({ error: "Authentication credentials invalid" });
      return reply;
    }
  });

  // ---- durability: persist before any mutating request is answered; "after" faults
  app.addHook("onSend", async (req, reply, payload) => {
    const isApi = req.url.startsWith("/v1/");
    const isControl = req.url.startsWith("/__emulator/");
    if ((isApi || isControl) && req.method !== "GET" && req.method !== "HEAD") {
      try {
        await store.commit();
      } catch (err) {
        req.log.error({ err }, "emulator: persisting state failed");
        reply.code(500);
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
    if (status && status >= 400 && status < 500) {
      return reply.code(status).send(errorBody(err.message));
    }
    req.log.error({ err }, "emulator: unhandled error");
    return reply.code(500).send(errorBody("internal server error"));
  });

  app.setNotFoundHandler((req, reply) => notFoundOrNotAllowed(req, reply, routeTable));

  // ---- routes
  await app.register(
    async (api) => {
      for (const m of modules) m.routes(api, ctx);
    },
    { prefix: "/v1/Account/:authId" },
  );
  const reset = (): void => {
    const s = fresh();
    upgrade(s);
    store.state = s;
    runtime.faults = [];
    runtime.requests = [];
    ctx.hooks.emit("state.reset", {});
  };
  await app.register(
    async (control) => {
      registerControl(control, { ctx, runtime, reset });
      for (const m of modules) m.control?.(control, ctx);
    },
    { prefix: "/__emulator" },
  );

  return { app, ctx, store, runtime, options: { authId, authToken, seed } };
}

export async function startEmulator(opts: EmulatorOptions = {}): Promise<RunningEmulator> {
  const built = await buildApp(opts);
  const host = opts.host ?? "127.0.0.1";
  await built.app.listen({ host, port: opts.port ?? 0 });
  const addr = built.app.server.address();
  const port = typeof addr === "object" && addr ? addr.port : opts.port ?? 0;
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
        await built.store.flush();
      })();
      return closed;
    },
  };
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
    ...(req.body !== undefined && req.body !== null ? { body: req.body } : {}),
    ...(fault ? { fault: fault as Fault["mode"] } : {}),
  };
}

function patternToRegex(pattern: string): RegExp {
  const body = pattern
    .split("/")
    .filter((seg) => seg !== "")
    .map((seg) => (seg.startsWith(":") ? "[^/]+" : seg.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
    .join("/");
  return new RegExp(`^/${body}/?$`);
}

function notFoundOrNotAllowed(
  req: FastifyRequest,
  reply: FastifyReply,
  table: Array<{ method: string; re: RegExp }>,
): FastifyReply {
  const path = req.url.split("?")[0].replace(/\/{2,}/g, "/");
  const allowed = [...new Set(table.filter((r) => r.re.test(path)).map((r) => r.method))];
  if (allowed.length > 0 && !allowed.includes(req.method.toUpperCase())) {
    reply.header("allow", allowed.join(", "));
    return reply.code(405).send(errorBody("method not allowed"));
  }
  return reply.code(404).send(errorBody("not found"));
}
