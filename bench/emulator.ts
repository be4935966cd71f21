/**
 * Emulator benchmarks (the emulator runs as `plivo-emulator` in a child process, built in dist/):
 *
 *  1. Cost of an acknowledged write as the state grows: an account with N rented numbers (100, 1,000, 10,000; "ci":
 *     100 and 1,000), persisted to a data file; one client updates number aliases one after the other and the mean
 *     round trip is the cost of a write that was journaled (fdatasync) before it was answered. The ratio of the
 *     largest state to the smallest must stay near 1 (the whole state used to be rewritten after every write).
 *  2. Keep-alive GET throughput on loopback: a load generator in another child process (undici pool, 32
 *     connections) reads one number for a fixed time; target ≥ 3,000 requests/s on 2 cores.
 *
 *   BENCH_MAIN=emulator npx vite-node bench/emulator.ts [full]      (or through `npm run bench`)
 */
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, fsyncSync, mkdtempSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { Pool } from "undici";
import { twoSizes, type BenchOptions, type BenchResult } from "./types";

const ROOT = path.resolve(__dirname, "..");
const CLI = path.join(ROOT, "dist", "emulator", "cli.js");
const AUTH_ID = "MAEMULATORACCOUNT0001";
const TOKEN = "emulator-auth-token";
const AUTH = `Basic ${Buffer.from(`${AUTH_ID}:${TOKEN}`).toString("base64")}`;

interface Emu {
  proc: ChildProcess;
  url: string;
  pool: Pool;
  stop(): Promise<void>;
}

async function startCli(args: string[]): Promise<Emu> {
  const proc = spawn(process.execPath, [CLI, "--port", "0", ...args], { stdio: ["ignore", "pipe", "pipe"] });
  const url = await new Promise<string>((resolve, reject) => {
    let buf = "";
    let err = "";
    proc.stderr!.on("data", (d) => (err += d));
    proc.stdout!.on("data", (d) => {
      buf += d;
      const m = /listening on (http:\/\/\S+)/.exec(buf);
      if (m) resolve(m[1]);
    });
    proc.on("exit", (code) => reject(new Error(`emulator exited (${code}): ${err}`)));
  });
  const pool = new Pool(url, { connections: 16 });
  return {
    proc,
    url,
    pool,
    async stop() {
      await pool.close();
      proc.kill("SIGTERM");
      await new Promise((r) => proc.once("exit", r));
    },
  };
}

async function call(pool: Pool, method: "GET" | "POST", p: string, body?: unknown, control = false): Promise<{ status: number; body: any }> {
  const res = await pool.request({
    method,
    path: control ? `/__emulator/${p}` : `/v1/Account/${AUTH_ID}/${p}`,
    headers: { ...(control ? {} : { authorization: AUTH }), ...(body !== undefined ? { "content-type": "application/json" } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await res.body.text();
  return { status: res.statusCode, body: text ? JSON.parse(text) : undefined };
}

/** Rent `n` numbers: add them to the inventory, then buy them (16 at a time). */
async function rentNumbers(pool: Pool, n: number): Promise<string[]> {
  const numbers = Array.from({ length: n }, (_, i) => `1213${String(5_000_000 + i)}`);
  for (let i = 0; i < n; i += 2_000) {
    const r = await call(pool, "POST", "inventory", numbers.slice(i, i + 2_000), true);
    if (r.status !== 201) throw new Error(`inventory: ${r.status} ${JSON.stringify(r.body)}`);
  }
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < numbers.length) {
        const number = numbers[next++];
        const r = await call(pool, "POST", `PhoneNumber/${number}/`, {});
        if (r.status !== 201) throw new Error(`buy ${number}: ${r.status}`);
      }
    }),
  );
  return numbers;
}

/**
 * Mean ms per acknowledged (journaled) write for each state size. The emulators run side by side and the writes
 * go in interleaved rounds (a few to each in turn), so that disk and CPU noise from the rest of the machine falls
 * on every size alike and the ratio compares like with like.
 */
async function writeCosts(sizes: number[], writes: number): Promise<Array<{ n: number; ms: number; stateBytes: number; rewriteMs: number }>> {
  const dir = mkdtempSync(path.join(tmpdir(), "plivo-bench-emu-"));
  const emus: Array<{ n: number; emu: Emu; rented: string[]; ns: bigint }> = [];
  try {
    for (const n of sizes) {
      const emu = await startCli(["--data", path.join(dir, `state-${n}.json`)]);
      emus.push({ n, emu, rented: await rentNumbers(emu.pool, n), ns: 0n });
    }
    const update = async (e: (typeof emus)[number], i: number, alias: string) => {
      const r = await call(e.emu.pool, "POST", `Number/${e.rented[(i * 7919) % e.rented.length]}/`, { alias });
      if (r.status !== 202) throw new Error(`update: ${r.status}`);
    };
    for (const e of emus) for (let i = 0; i < 100; i++) await update(e, i, `warm-${i}`);
    const rounds = 20;
    const perRound = Math.max(1, Math.round(writes / rounds));
    for (let r = 0; r < rounds; r++) {
      const order = r % 2 === 0 ? emus : [...emus].reverse(); // no size always goes first
      for (const e of order) {
        const t0 = process.hrtime.bigint();
        for (let i = 0; i < perRound; i++) await update(e, r * perRound + i, `w-${r}-${i}`);
        e.ns += process.hrtime.bigint() - t0;
      }
    }
    const out = [];
    for (const e of emus) {
      const state = await e.emu.pool.request({ method: "GET", path: "/__emulator/state" });
      const text = await state.body.text();
      out.push({ n: e.n, ms: Number(e.ns) / 1e6 / (rounds * perRound), stateBytes: Buffer.byteLength(text), rewriteMs: rewriteCost(text, dir) });
    }
    return out;
  } finally {
    for (const e of emus) await e.emu.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * What the previous persistence paid per write: serialize the whole state, write it to a temporary file, fsync,
 * rename (median of 5).
 */
function rewriteCost(stateText: string, dir: string): number {
  const state = JSON.parse(stateText);
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = process.hrtime.bigint();
    const tmp = path.join(dir, "rewrite.tmp");
    const fd = openSync(tmp, "w");
    writeSync(fd, JSON.stringify(state));
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, path.join(dir, "rewrite.json"));
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return times.sort((a, b) => a - b)[2];
}

/** A load generator in its own process: keep-alive GETs for `seconds`; returns requests per second. */
function loadGenerator(url: string, number: string, seconds: number, connections: number): Promise<{ rps: number; errors: number }> {
  const script = `
    const { Pool } = require("undici");
    const pool = new Pool(${JSON.stringify(url)}, { connections: ${connections}, pipelining: 1 });
    const headers = { authorization: ${JSON.stringify(AUTH)} };
    const p = "/v1/Account/${AUTH_ID}/Number/${number}/";
    let done = 0, errors = 0;
    const until = Date.now() + ${seconds * 1000};
    const worker = async () => {
      while (Date.now() < until) {
        try {
          const r = await pool.request({ method: "GET", path: p, headers });
          await r.body.dump();
          if (r.statusCode === 200) done++; else errors++;
        } catch { errors++; }
      }
    };
    const t0 = Date.now();
    Promise.all(Array.from({ length: ${connections} }, worker)).then(async () => {
      const s = (Date.now() - t0) / 1000;
      await pool.close();
      process.stdout.write(JSON.stringify({ rps: done / s, errors }));
    });
  `;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["-e", script], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("exit", (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`load generator failed: ${err}`))));
  });
}

async function getThroughput(seconds: number): Promise<{ rps: number; errors: number }> {
  const emu = await startCli([]);
  try {
    const [number] = await rentNumbers(emu.pool, 1);
    await loadGenerator(emu.url, number, 1, 32); // warm-up (JIT, connections)
    return await loadGenerator(emu.url, number, seconds, 32);
  } finally {
    await emu.stop();
  }
}

export async function run(opts: BenchOptions): Promise<BenchResult[]> {
  const full = twoSizes(opts.size) === "full";
  const sizes = full ? [100, 1_000, 10_000] : [100, 1_000];
  const writes = full ? 1_000 : 100;
  const results: BenchResult[] = [];
  const costs = await writeCosts(sizes, writes);
  const base = costs[0];
  for (const c of costs) {
    const ratio = c.ms / base.ms;
    results.push({
      name: `emulator: ms per acknowledged write, ${c.n} numbers`,
      figure: round(c.ms),
      unit: "ms",
      ...(c !== base ? { anchor: { name: `${base.n} numbers`, figure: round(base.ms) }, ratio: round(ratio), target: "ratio ≤ 1.5", pass: ratio <= 1.5 } : {}),
      notes: `${writes} sequential alias updates in interleaved rounds, each journaled (fdatasync) before its reply; state ${(c.stateBytes / 1048576).toFixed(1)} MB`,
    });
  }
  const largest = costs[costs.length - 1];
  results.push({
    name: `emulator: whole-state rewrite per write (the previous persistence), ${largest.n} numbers`,
    figure: round(largest.rewriteMs),
    unit: "ms",
    anchor: { name: `journaled write, ${largest.n} numbers`, figure: round(largest.ms) },
    ratio: round(largest.rewriteMs / largest.ms),
    notes: `JSON.stringify of the ${(largest.stateBytes / 1048576).toFixed(1)} MB state + write + fsync + rename, measured in this process; ratio = how many times the journal is cheaper`,
  });
  const t = await getThroughput(full ? 10 : 3);
  results.push({
    name: "emulator: keep-alive GET requests per second",
    figure: Math.round(t.rps),
    unit: "req/s",
    target: "≥ 3000",
    pass: t.rps >= 3000 && t.errors === 0,
    notes: `GET Number/{n}/, 32 keep-alive connections from a load generator in another process, ${t.errors} errors`,
  });
  return results;
}

const round = (x: number) => Math.round(x * 1000) / 1000;

// run on its own: `BENCH_MAIN=emulator npx vite-node bench/emulator.ts [full]`
if (process.env.BENCH_MAIN === "emulator") {
  const size = process.argv.includes("full") ? "full" : "ci";
  run({ size }).then(
    (r) => {
      for (const x of r)
        console.log(
          `${x.name}: ${x.figure} ${x.unit}${x.ratio !== undefined ? ` (×${x.ratio} of ${x.anchor?.name})` : ""}${x.pass === undefined ? "" : x.pass ? " PASS" : " MISS"} — ${x.notes ?? ""}`,
        );
    },
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
