/**
 * The one emulator toolkit of every suite: start an emulator (in process, port 0) or talk to one running elsewhere
 * (a child process), over real HTTP, on its Plivo API and on its control surface (`/__emulator/…`).
 *
 *   const emulator = useTestEmulator();                 // beforeAll start, afterAll close, reset before each test
 *   await emulator().post("Application/", {...});       // API path relative to /v1/Account/{auth_id}/
 *   await emulator().control("POST", "faults", {...});  // control surface
 *
 * Ledger helpers live in ./ledger.ts.
 */
import { request } from "undici";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { startEmulator, type EmulatorOptions, type RunningEmulator } from "../../emulator/server";

export interface Res<T = any> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** parsed JSON (the raw text when it is not JSON; undefined when empty) */
  body: T;
  text: string;
}

export interface CallOpts {
  query?: Record<string, string | number | boolean>;
  body?: unknown;
  /** raw body string (sent as is) */
  rawBody?: string;
  contentType?: string;
  headers?: Record<string, string>;
  /** false = no Authorization header; [id, token] = other credentials */
  auth?: false | [string, string];
  /** path relative to the server root instead of the account base */
  absolute?: boolean;
}

/** Where an emulator listens and with which credentials. */
export interface EmulatorTarget {
  url: string;
  authId: string;
  authToken: string;
  /** the emulator's `--control-token`, sent with every control request when set */
  controlToken?: string;
}

export interface EmulatorClient extends EmulatorTarget {
  /** `/v1/Account/{auth_id}/` */
  base: string;
  call<T = any>(method: string, path: string, opts?: CallOpts): Promise<Res<T>>;
  get<T = any>(path: string, query?: CallOpts["query"]): Promise<Res<T>>;
  post<T = any>(path: string, body?: unknown): Promise<Res<T>>;
  del<T = any>(path: string, body?: unknown): Promise<Res<T>>;
  /** A Plivo API call as an out-of-band console or script would make it (path may carry a query string). */
  api<T = any>(method: "GET" | "POST" | "DELETE", path: string, body?: unknown): Promise<Res<T>>;
  /** `/__emulator/{path}`: writes are sent as JSON (the control surface refuses anything else). */
  control<T = any>(method: string, path: string, body?: unknown): Promise<Res<T>>;
  /** The whole state (`GET /__emulator/state`). */
  state(): Promise<any>;
  /** A fresh seeded state (`POST /__emulator/reset`). */
  reset(): Promise<void>;
  /** Buys the first inventory number matching a search; returns it. */
  buy(query: Record<string, string>, body?: unknown): Promise<string>;
}

export interface TestEmulator extends EmulatorClient {
  /** The in-process emulator (store, engine, options). */
  emu: RunningEmulator;
  close(): Promise<void>;
}

/** A client for an emulator listening at `target.url` (in this process or another). */
export function emulatorClient(target: EmulatorTarget): EmulatorClient {
  const base = `/v1/Account/${target.authId}/`;
  const call = async <T>(method: string, path: string, o: CallOpts = {}): Promise<Res<T>> => {
    const url = new URL(o.absolute ? path : base + path, target.url);
    for (const [k, v] of Object.entries(o.query ?? {})) url.searchParams.append(k, String(v));
    const headers: Record<string, string> = { ...o.headers };
    const cred = o.auth === undefined ? [target.authId, target.authToken] : o.auth;
    if (cred) headers.authorization = `Basic ${Buffer.from(`${cred[0]}:${cred[1]}`).toString("base64")}`;
    let body: string | undefined;
    if (o.rawBody !== undefined) body = o.rawBody;
    else if (o.body !== undefined) body = JSON.stringify(o.body);
    if (body !== undefined || o.contentType) headers["content-type"] = o.contentType ?? "application/json";
    const res = await request(url, { method: method as "GET", headers, body });
    const text = await res.body.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = text;
    }
    return { status: res.statusCode, headers: res.headers, body: parsed as T, text };
  };
  const control = <T>(method: string, path: string, body?: unknown) => {
    const write = method !== "GET" && method !== "HEAD";
    return call<T>(method, `/__emulator/${path}`, {
      absolute: true,
      auth: false,
      ...(target.controlToken !== undefined ? { headers: { "x-emulator-token": target.controlToken } } : {}),
      ...(body !== undefined ? { body } : write ? { rawBody: method === "DELETE" ? "" : "{}", contentType: "application/json" } : {}),
    });
  };
  const client: EmulatorClient = {
    ...target,
    base,
    call,
    get: (path, query) => call("GET", path, { query }),
    post: (path, body) => call("POST", path, { body: body ?? {} }),
    del: (path, body) => call("DELETE", path, body === undefined ? {} : { body }),
    api: (method, path, body) => call(method, path, body === undefined ? {} : { body }),
    control,
    async state() {
      const res = await control("GET", "state");
      if (res.status !== 200) throw new Error(`GET /__emulator/state: ${res.status} ${res.text}`);
      return res.body;
    },
    async reset() {
      const res = await control("POST", "reset");
      if (res.status !== 200) throw new Error(`POST /__emulator/reset: ${res.status} ${res.text}`);
    },
    async buy(query, body) {
      const found = await call<any>("GET", "PhoneNumber/", { query });
      if (found.status !== 200 || !found.body.objects.length) throw new Error(`no inventory for ${JSON.stringify(query)}`);
      const n = found.body.objects[0].number as string;
      const bought = await call<any>("POST", `PhoneNumber/${n}/`, { body: body ?? {} });
      if (bought.status !== 201) throw new Error(`buy ${n} failed: ${bought.status} ${bought.text}`);
      return n;
    },
  };
  return client;
}

/** Starts an in-process emulator on a free port. */
export async function startTestEmulator(opts: EmulatorOptions = {}): Promise<TestEmulator> {
  const emu = await startEmulator({ port: 0, ...opts });
  return { ...emulatorClient({ ...emu, controlToken: opts.controlToken }), emu, close: () => emu.close() };
}

export interface UseOptions {
  /** `POST /__emulator/reset` before each test (default true) */
  resetBeforeEach?: boolean;
}

/**
 * One emulator per test file: started in beforeAll, closed in afterAll, reset before each test (unless told not
 * to). Returns an accessor (the emulator exists only once beforeAll ran).
 */
export function useTestEmulator(opts: EmulatorOptions = {}, use: UseOptions = {}): () => TestEmulator {
  let t: TestEmulator | undefined;
  beforeAll(async () => {
    t = await startTestEmulator(opts);
  });
  afterAll(() => t?.close());
  if (use.resetBeforeEach !== false) beforeEach(() => t!.reset());
  return () => {
    if (!t) throw new Error("emulator not started (beforeAll failed?)");
    return t;
  };
}

/** How an asynchronous resource type (or one object) moves on: see emulator/README.md. */
export const setTransition = (t: EmulatorClient, resource: string, policy: Record<string, unknown>) =>
  t.control("POST", "transitions", { resource, ...policy });

/** Resolves a pending asynchronous object by hand (approve, reject, ...). */
export const resolvePending = (t: EmulatorClient, resource: string, id: string, outcome: string, reason?: string) =>
  t.control("POST", "resolve", { resource, id, outcome, ...(reason !== undefined ? { reason } : {}) });

export const API_ID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-1[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
