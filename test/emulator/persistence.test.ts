/**
 * The `plivo-emulator` CLI in a child process: startup line and time, flags,
 * durable state across restarts and `kill -9` (also in the middle of a burst
 * of writes), graceful SIGTERM.
 *
 * Needs a build (`npm test` builds first); when dist/emulator is missing or
 * older than the sources this file runs `tsc` itself.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { readDataFile } from "../../emulator/server";
import { formatCents, proratedFirstMonth } from "../../emulator/money";
import { emulatorClient } from "../helpers/emulator";
import { ledger } from "../helpers/ledger";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "../..");
const CLI = path.join(ROOT, "dist/emulator/cli.js");

function newestMtime(dir: string): number {
  let max = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    max = Math.max(max, e.isDirectory() ? newestMtime(p) : e.name.endsWith(".ts") ? statSync(p).mtimeMs : 0);
  }
  return max;
}

function ensureBuilt(): void {
  if (existsSync(CLI) && statSync(CLI).mtimeMs >= newestMtime(path.join(ROOT, "emulator"))) return;
  // tsc emits even when unrelated files fail to type-check; we only need dist/emulator.
  spawnSync(process.execPath, [path.join(ROOT, "node_modules/typescript/bin/tsc"), "-p", path.join(ROOT, "tsconfig.json")], { cwd: ROOT, stdio: "ignore" });
  if (!existsSync(CLI)) throw new Error("could not build dist/emulator/cli.js");
}

interface Running {
  proc: ChildProcess;
  url: string;
  lines: string[];
  startupMs: number;
  exited: Promise<number | null>;
}

const children: ChildProcess[] = [];

function startCli(args: string[], env: Record<string, string> = {}): Promise<Running> {
  const t0 = process.hrtime.bigint();
  const proc = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env } });
  children.push(proc);
  const exited = new Promise<number | null>((resolve) => proc.on("exit", (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let buf = "";
    let stderr = "";
    let firstLineMs = -1;
    const timer = setTimeout(() => reject(new Error(`emulator did not start: ${stderr}`)), 10_000);
    proc.stderr!.on("data", (d) => (stderr += d));
    proc.stdout!.on("data", (d) => {
      buf += d;
      if (firstLineMs < 0 && buf.includes("\n")) firstLineMs = Number(process.hrtime.bigint() - t0) / 1e6;
      const lines = buf.split("\n").filter(Boolean);
      if (lines.length >= 4) {
        clearTimeout(timer);
        const m = /^Plivo emulator listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(lines[0]);
        if (!m) return reject(new Error(`unexpected first line: ${lines[0]}`));
        resolve({ proc, url: m[1], lines, startupMs: firstLineMs, exited });
      }
    });
    proc.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`emulator exited with ${code}: ${stderr}`));
    });
  });
}

async function kill9(r: Running): Promise<void> {
  r.proc.kill("SIGKILL");
  await r.exited;
}

const AUTH = "MAEMULATORACCOUNT0001";
const TOKEN = "emulator-auth-token";

/** The Plivo API of the emulator at `url` (what a script would call). */
function client(url: string, authId = AUTH, token = TOKEN) {
  return emulatorClient({ url, authId, authToken: token }).api;
}

let dir: string;
beforeAll(() => {
  ensureBuilt();
  dir = mkdtempSync(path.join(tmpdir(), "plivo-emu-"));
}, 120_000);
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("plivo-emulator CLI", () => {
  it("--port 0 prints the listening line first (in < 1 s), then the credentials", async () => {
    // best of up to 3 starts, so a loaded CI machine does not make this flaky
    let r = await startCli(["--port", "0"]);
    for (let i = 0; i < 2 && r.startupMs >= 1000; i++) {
      await kill9(r);
      r = await startCli(["--port", "0"]);
    }
    expect(r.startupMs).toBeLessThan(1000);
    expect(r.lines.slice(1, 4)).toEqual([`PLIVO_AUTH_ID=${AUTH}`, `PLIVO_AUTH_TOKEN=${TOKEN}`, `PLIVO_BASE_URL=${r.url}`]);
    expect((await client(r.url)("GET", "")).status).toBe(200);
    expect((await client(r.url, AUTH, "wrong")("GET", "Application/")).status).toBe(401);
  });

  it("--auth-id/--auth-token/--rate-limit flags; SIGTERM stops gracefully", async () => {
    const r = await startCli(["--port", "0", "--auth-id", "MACUSTOMACCOUNT00001", "--auth-token", "tok", "--rate-limit", "2/60"]);
    expect(r.lines[1]).toBe("PLIVO_AUTH_ID=MACUSTOMACCOUNT00001");
    const c = client(r.url, "MACUSTOMACCOUNT00001", "tok");
    expect([(await c("GET", "")).status, (await c("GET", "")).status, (await c("GET", "")).status]).toEqual([200, 200, 429]);
    r.proc.kill("SIGTERM");
    expect(await r.exited).toBe(0);
  });

  it("rejects bad flags", () => {
    const res = spawnSync(process.execPath, [CLI, "--port", "nope"], { encoding: "utf8" });
    expect(res.status).toBe(2);
    expect(res.stderr).toContain("--port");
    const unknown = spawnSync(process.execPath, [CLI, "--frobnicate"], { encoding: "utf8" });
    expect(unknown.status).toBe(2);
  });

  it("state survives kill -9 and a restart on the same --data file (parent directories are created)", async () => {
    const file = path.join(dir, "nested", "deeper", "state.json");
    const r1 = await startCli(["--port", "0", "--data", file]);
    const c1 = client(r1.url);
    const app = (await c1("POST", "Application/", { app_name: "persisted", answer_url: "https://e.com/a", default_number_app: true })).body.app_id;
    const n = (await c1("GET", "PhoneNumber/?country_iso=US&pattern=415&limit=1")).body.objects[0].number;
    expect((await c1("POST", `PhoneNumber/${n}/`, {})).status).toBe(201);
    const pp = (await c1("POST", "Powerpack/", { name: "pool" })).body;
    const pool = pp.number_pool.split("/")[5];
    expect((await c1("POST", `NumberPool/${pool}/Number/${n}/`, {})).status).toBe(200);
    const prof = (
      await c1("POST", "Profile/", {
        profile_alias: "p",
        customer_type: "DIRECT",
        entity_type: "PRIVATE",
        company_name: "Acme",
        vertical: "RETAIL",
        address: { street: "1 Main", city: "Austin", state: "TX", postal_code: "73301", country: "US" },
        authorized_contact: { first_name: "A", last_name: "B", email: "a@b.co" },
      })
    ).body.profile_uuid;
    // a subaccount, a number assigned to it and its own endpoint (tables subaccounts, endpoints, billing_items)
    const sub = (await c1("POST", "Subaccount/", { name: "durable", enabled: true })).body;
    expect((await c1("POST", `Number/${n}/`, { subaccount: sub.auth_id })).status).toBe(202);
    const ep = (await client(r1.url, sub.auth_id, sub.auth_token)("POST", "Endpoint/", { username: "durable", password: "s3cret", alias: "d" })).body
      .endpoint_id;
    const bill = (await emulatorClient({ url: r1.url, authId: AUTH, authToken: TOKEN }).control("GET", "bill")).body;
    // the setup fee and the first month pro-rated on the bill's date
    expect(bill.oneTime).toBe(formatCents(50 + proratedFirstMonth("0.50000", new Date(`${bill.date}T12:00:00Z`)).cents));
    await kill9(r1);

    const onDisk = await readDataFile(file); // snapshot + journal, as a restart loads it
    expect(onDisk.applications.map((a: any) => a.app_id)).toEqual([app]);

    const r2 = await startCli(["--port", "0", "--data", file]);
    const c2 = client(r2.url);
    expect((await c2("GET", `Application/${app}/`)).body).toMatchObject({ app_name: "persisted", default_app: true });
    expect((await c2("GET", `Number/${n}/`)).body.application).toContain(app);
    expect((await c2("GET", `Powerpack/${pp.uuid}/`)).body.name).toBe("pool");
    expect((await c2("GET", `NumberPool/${pool}/Number/${n}/`)).status).toBe(200);
    expect((await c2("GET", `Profile/${prof}/`)).body.profile.company_name).toBe("Acme");
    expect((await c2("POST", `PhoneNumber/${n}/`, {})).status).toBe(404); // still bought
    expect(await ledger(emulatorClient({ url: r2.url, authId: AUTH, authToken: TOKEN }), { action: "buy" })).toHaveLength(1);
    expect((await client(r2.url, AUTH, "wrong")("GET", `Application/${app}/`)).status).toBe(401);
    const c2sub = client(r2.url, sub.auth_id, sub.auth_token);
    expect((await c2sub("GET", `Endpoint/${ep}/`)).body).toMatchObject({ alias: "d", sub_account: sub.auth_id });
    expect((await c2sub("GET", "Number/")).body.objects.map((o: any) => o.number)).toEqual([n]);
    expect((await emulatorClient({ url: r2.url, authId: AUTH, authToken: TOKEN }).control("GET", "bill")).body).toEqual(bill);
    await kill9(r2);
  });

  it("kill -9 in the middle of a burst of writes: the file parses and every acknowledged write is there", async () => {
    const file = path.join(dir, "burst.json");
    const r1 = await startCli(["--port", "0", "--data", file]);
    const c1 = client(r1.url);
    const acked: string[] = [];
    let killed = false;
    const workers = Array.from({ length: 8 }, async (_, w) => {
      for (let i = 0; !killed; i++) {
        try {
          const res = await c1("POST", "Application/", { app_name: `w${w}_${i}`, answer_url: "https://e.com/a" });
          if (res.status === 201) acked.push(res.body.app_id);
        } catch {
          return; // connection died with the process
        }
        if (acked.length >= 60 && !killed) {
          killed = true;
          r1.proc.kill("SIGKILL");
        }
      }
    });
    await Promise.all(workers);
    await r1.exited;
    expect(acked.length).toBeGreaterThanOrEqual(60);

    const onDisk = await readDataFile(file); // snapshot + journal, as a restart loads it
    const stored = new Set(onDisk.applications.map((a: any) => a.app_id));
    for (const id of acked) expect(stored.has(id)).toBe(true);

    const r2 = await startCli(["--port", "0", "--data", file]);
    const c2 = client(r2.url);
    const total = (await c2("GET", "Application/?limit=1")).body.meta.total_count;
    expect(total).toBeGreaterThanOrEqual(acked.length);
    for (const id of acked.slice(-5)) expect((await c2("GET", `Application/${id}/`)).status).toBe(200);
    expect(readdirSync(dir).filter((f) => f.startsWith("burst.json.tmp-"))).toEqual([]);
    await kill9(r2);
  });

  it("kill -9 during a burst of writes on a large state, while the journal is being compacted: every acknowledged write is there", async () => {
    const file = path.join(dir, "large.json");
    // compact every 256 KB of journal: several snapshots of the ~4 MB state are written during the burst
    const env = { PLIVO_EMULATOR_COMPACT_AFTER_BYTES: String(256 * 1024) };
    const r1 = await startCli(["--port", "0", "--data", file], env);
    const c1 = client(r1.url);
    const control = emulatorClient({ url: r1.url, authId: AUTH, authToken: TOKEN });
    const numbers = Array.from({ length: 10_000 }, (_, i) => `1213${String(5_000_000 + i)}`);
    for (let i = 0; i < numbers.length; i += 2_000) {
      expect((await control.control("POST", "inventory", numbers.slice(i, i + 2_000))).status).toBe(201);
    }
    const acked: string[] = [];
    let killed = false;
    let compactionsBeforeKill = 0;
    const workers = Array.from({ length: 8 }, async (_, w) => {
      for (let i = 0; !killed; i++) {
        try {
          const res = await c1("POST", "Application/", { app_name: `l${w}_${i}`, answer_url: "https://e.com/a" });
          if (res.status === 201) acked.push(res.body.app_id);
        } catch {
          return; // the process died
        }
        if (acked.length >= 400 && !killed) {
          killed = true;
          compactionsBeforeKill = (await control.control("GET", "persistence").catch(() => ({ body: {} }))).body.compactions ?? 0;
          r1.proc.kill("SIGKILL");
        }
      }
    });
    await Promise.all(workers);
    await r1.exited;
    expect(acked.length).toBeGreaterThanOrEqual(400);
    expect(compactionsBeforeKill).toBeGreaterThan(0);

    const onDisk = await readDataFile(file);
    const stored = new Set(onDisk.applications.map((a: any) => a.app_id));
    for (const id of acked) expect(stored.has(id)).toBe(true);
    expect(onDisk.inventory.length).toBeGreaterThanOrEqual(10_000);

    const r2 = await startCli(["--port", "0", "--data", file]);
    const c2 = client(r2.url);
    expect((await c2("GET", "Application/?limit=1")).body.meta.total_count).toBeGreaterThanOrEqual(acked.length);
    for (const id of acked.slice(-5)) expect((await c2("GET", `Application/${id}/`)).status).toBe(200);
    expect((await c2("GET", "PhoneNumber/?country_iso=US&pattern=213500&limit=1")).body.meta.total_count).toBeGreaterThan(0);
    await kill9(r2);
  }, 120_000);

  it("refuses to start on a corrupt data file instead of silently wiping it", async () => {
    const file = path.join(dir, "corrupt.json");
    writeFileSync(file, "{not json");
    await expect(startCli(["--port", "0", "--data", file])).rejects.toThrow(/not valid JSON/);
    expect(readFileSync(file, "utf8")).toBe("{not json");
  });
});
