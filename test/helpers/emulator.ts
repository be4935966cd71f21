/** Starts the emulator for a test file and gives raw access to its API and control surface. */
import { request } from "undici";
import { startEmulator, type RunningEmulator } from "../../emulator/server";

export interface TestEmulator {
  emu: RunningEmulator;
  /** Raw Plivo API call (what an out-of-band console or script would do). */
  api<T = any>(method: "GET" | "POST" | "DELETE", path: string, body?: unknown): Promise<{ status: number; body: T }>;
  /** `/__emulator/...` control call. */
  control<T = any>(method: "GET" | "POST" | "DELETE", path: string, body?: unknown): Promise<{ status: number; body: T }>;
  state(): Promise<any>;
  reset(): Promise<void>;
  close(): Promise<void>;
}

export async function startTestEmulator(options: Parameters<typeof startEmulator>[0] = {}): Promise<TestEmulator> {
  const emu = await startEmulator({ port: 0, ...options });
  const auth = "Basic " + Buffer.from(`${emu.authId}:${emu.authToken}`).toString("base64");
  const call = async (url: string, method: string, body?: unknown, withAuth = true) => {
    const res = await request(url, {
      method: method as "GET",
      headers: { ...(withAuth ? { authorization: auth } : {}), ...(body !== undefined ? { "content-type": "application/json" } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await res.body.text();
    return { status: res.statusCode, body: text ? JSON.parse(text) : {} };
  };
  return {
    emu,
    api: (method, path, body) => call(`${emu.url}/v1/Account/${emu.authId}/${path}`, method, body),
    control: (method, path, body) => call(`${emu.url}/__emulator/${path}`, method, body, false),
    state: async () => (await call(`${emu.url}/__emulator/state`, "GET", undefined, false)).body,
    reset: async () => {
      await call(`${emu.url}/__emulator/reset`, "POST", {}, false);
    },
    close: () => emu.close(),
  };
}

/** Ledger entries of one action (e.g. every `buy`, or every `submit` of a resource type). */
export async function ledger(t: TestEmulator, action: string, filter: { number?: string; resource?: string } = {}) {
  const entries = (await t.state()).ledger as { action: string; number?: string; resource?: string }[];
  return entries.filter((e) => e.action === action && (!filter.number || e.number === filter.number) && (!filter.resource || e.resource === filter.resource));
}

/** How an asynchronous resource type (or one object) moves on: see emulator/README.md. */
export const setTransition = (t: TestEmulator, resource: string, policy: Record<string, unknown>) => t.control("POST", "transitions", { resource, ...policy });

/** Resolves a pending asynchronous object by hand (approve, reject, ...). */
export const resolvePending = (t: TestEmulator, resource: string, id: string, outcome: string, reason?: string) =>
  t.control("POST", "resolve", { resource, id, outcome, reason });
