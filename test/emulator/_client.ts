/** Tiny HTTP client for the emulator behaviour tests (real HTTP via undici). */
import { request } from "undici";
import { startEmulator, type EmulatorOptions, type RunningEmulator } from "../../emulator/server";

export interface Res<T = any> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: T;
  text: string;
}

export interface CallOpts {
  query?: Record<string, string | number | boolean>;
  body?: unknown;
  /** raw body string (sent as is) */
  rawBody?: string;
  contentType?: string;
  /** false = no Authorization header; [id, token] = custom credentials */
  auth?: false | [string, string];
  /** path relative to the server root instead of the account base */
  absolute?: boolean;
}

export interface Emu {
  emu: RunningEmulator;
  base: string;
  call<T = any>(method: string, path: string, opts?: CallOpts): Promise<Res<T>>;
  get<T = any>(path: string, query?: CallOpts["query"]): Promise<Res<T>>;
  post<T = any>(path: string, body?: unknown): Promise<Res<T>>;
  del<T = any>(path: string, body?: unknown): Promise<Res<T>>;
  control<T = any>(method: string, path: string, body?: unknown): Promise<Res<T>>;
  /** buy the first number matching a search; returns the number */
  buy(query: Record<string, string>, body?: unknown): Promise<string>;
  close(): Promise<void>;
}

export async function startEmu(opts: EmulatorOptions = {}): Promise<Emu> {
  const emu = await startEmulator({ port: 0, ...opts });
  const base = `/v1/Account/${emu.authId}/`;
  const call = async <T>(method: string, path: string, o: CallOpts = {}): Promise<Res<T>> => {
    const url = new URL(o.absolute ? path : base + path, emu.url);
    for (const [k, v] of Object.entries(o.query ?? {})) url.searchParams.append(k, String(v));
    const headers: Record<string, string> = {};
    const cred = o.auth === undefined ? [emu.authId, emu.authToken] : o.auth;
    if (cred) headers.authorization = "Basic " + Buffer.from(`${cred[0]}:${cred[1]}`).toString("base64");
    let body: string | undefined;
    if (o.rawBody !== undefined) body = o.rawBody;
    else if (o.body !== undefined) body = JSON.stringify(o.body);
    if (body !== undefined || o.contentType) headers["content-type"] = o.contentType ?? "application/json";
    const res = await request(url, { method: method as "GET", headers, body });
    const text = await res.body.text();
    let parsed: unknown = undefined;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = text;
    }
    return { status: res.statusCode, headers: res.headers, body: parsed as T, text };
  };
  const e: Emu = {
    emu,
    base,
    call,
    get: (path, query) => call("GET", path, { query }),
    post: (path, body) => call("POST", path, { body: body ?? {} }),
    del: (path, body) => call("DELETE", path, body === undefined ? {} : { body }),
    control: (method, path, body) =>
      call(method, `/__emulator/${path}`, { absolute: true, auth: false, body: body === undefined && method !== "GET" && method !== "DELETE" ? {} : body }),
    async buy(query, body) {
      const found = await call<any>("GET", "PhoneNumber/", { query });
      if (found.status !== 200 || !found.body.objects.length) throw new Error(`no inventory for ${JSON.stringify(query)}`);
      const n = found.body.objects[0].number as string;
      const bought = await call<any>("POST", `PhoneNumber/${n}/`, { body: body ?? {} });
      if (bought.status !== 201) throw new Error(`buy ${n} failed: ${bought.status} ${bought.text}`);
      return n;
    },
    close: () => emu.close(),
  };
  return e;
}

export const API_ID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-1[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
