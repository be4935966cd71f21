/** Seeded probabilistic faults (chaos) and fixed latency on `/v1/` requests. */
import { request } from "undici";
import { beforeEach, describe, expect, it } from "vitest";
import { parseChaosFlag } from "../../emulator/control/chaos";
import { useTestEmulator, type TestEmulator } from "../helpers/emulator";
import { ledger } from "../helpers/ledger";

const t = useTestEmulator();
beforeEach(async () => {
  await t().control("DELETE", "chaos");
  await t().control("DELETE", "latency");
});

/** What a client sees for each of `n` GETs: the status, or "reset" when the connection died. */
async function outcomes(e: TestEmulator, n: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    try {
      const r = await e.get("Application/");
      out.push(r.status === 429 ? `429:${r.headers["retry-after"]}` : String(r.status));
    } catch {
      out.push("reset");
    }
  }
  return out;
}

describe("chaos", () => {
  it("the same seed gives the same decisions for the same requests; another seed others", async () => {
    const spec = { seed: 42, probability: 0.5, kinds: ["429", "500", "503", "reset"] };
    await t().control("POST", "chaos", spec);
    const first = await outcomes(t(), 40);
    await t().control("POST", "chaos", spec); // configuring again restarts the sequence
    const second = await outcomes(t(), 40);
    expect(second).toEqual(first);
    expect(new Set(first)).toEqual(new Set(["200", "429:1", "500", "503", "reset"]));
    await t().control("POST", "chaos", { ...spec, seed: 43 });
    expect(await outcomes(t(), 40)).not.toEqual(first);
  });

  it("counts injected faults per kind; probability 0 and 1; DELETE turns it off", async () => {
    await t().control("POST", "chaos", { seed: 1, probability: 1, kinds: ["503"] });
    expect(await outcomes(t(), 5)).toEqual(["503", "503", "503", "503", "503"]);
    expect((await t().control("GET", "chaos")).body).toMatchObject({ enabled: true, seed: 1, probability: 1, requests: 5, injected: { "503": 5 }, total: 5 });
    await t().control("POST", "chaos", { seed: 1, probability: 0 });
    expect(await outcomes(t(), 5)).toEqual(["200", "200", "200", "200", "200"]);
    expect((await t().control("GET", "chaos")).body.total).toBe(0);
    await t().control("DELETE", "chaos");
    expect((await t().control("GET", "chaos")).body).toEqual({ enabled: false });
  });

  it("after: the request is processed (state changes) and answered 500; after-reset: processed, connection dropped", async () => {
    await t().control("POST", "chaos", { seed: 7, probability: 1, kinds: ["after"], methods: ["POST"] });
    const r = await t().post("Application/", { app_name: "ambiguous", answer_url: "https://e.com/a" });
    expect(r.status).toBe(500);
    expect(r.body.error).toBe("internal server error");
    expect((await t().get("Application/")).status).toBe(200); // GETs do not match methods:[POST]
    expect((await ledger(t(), { action: "create" })).map((x) => x.resource)).toEqual(["Application"]);
    await t().control("POST", "chaos", { seed: 7, probability: 1, kinds: ["after-reset"], paths: ["/Powerpack/"] });
    await expect(t().post("Powerpack/", { name: "dropped" })).rejects.toThrow();
    expect((await ledger(t(), { action: "create", resource: "Powerpack" })).length).toBe(1);
    expect((await t().control("GET", "chaos")).body.injected).toEqual({ "after-reset": 1 });
  });

  it("a reset happens before processing: nothing changes", async () => {
    await t().control("POST", "chaos", { seed: 3, probability: 1, kinds: ["reset"], methods: ["POST"] });
    await expect(t().post("Application/", { app_name: "lost", answer_url: "https://e.com/a" })).rejects.toThrow();
    expect(await ledger(t())).toEqual([]);
  });

  it("specs are validated: an unknown key, a bad kind or probability is a 400, never a catch-all fault", async () => {
    for (const bad of [
      { seed: 1, probability: 0.5, colour: "red" },
      { seed: 1, probability: 1.5 },
      { seed: 1, probability: 0.5, kinds: ["418"] },
      { probability: 0.5 },
      { seed: "x", probability: 0.5 },
    ]) {
      const r = await t().control("POST", "chaos", bad);
      expect(r.status, JSON.stringify(bad)).toBe(400);
    }
    expect((await t().control("POST", "chaos", { seed: 1, probability: 0.5, colour: "red" })).body.error).toContain("unexpected parameter: colour");
    expect((await t().control("GET", "chaos")).body).toEqual({ enabled: false });
    expect((await t().get("Application/")).status).toBe(200);
  });

  it("--chaos flag syntax", () => {
    expect(parseChaosFlag("seed=7,probability=0.2,kinds=429+reset,methods=POST,paths=/Number/")).toEqual({
      seed: 7,
      probability: 0.2,
      kinds: ["429", "reset"],
      methods: ["POST"],
      paths: ["/Number/"],
    });
    for (const bad of ["seed=7", "seed=7,probability=2", "seed=7,probability=0.2,colour=red", "nonsense"])
      expect(() => parseChaosFlag(bad), bad).toThrow(/invalid --chaos/);
  });

  it("startEmulator({chaos}) starts with it on; reset turns it off", async () => {
    const { startTestEmulator } = await import("../helpers/emulator");
    const e = await startTestEmulator({ chaos: { seed: 5, probability: 1, kinds: ["500"] } });
    try {
      expect((await e.get("Application/")).status).toBe(500);
      await e.reset();
      expect((await e.get("Application/")).status).toBe(200);
    } finally {
      await e.close();
    }
  });
});

describe("latency", () => {
  it("POST /__emulator/latency adds a fixed delay to every API request (not to the control surface)", async () => {
    expect((await t().control("POST", "latency", { ms: 150 })).body).toEqual({ ms: 150 });
    const t0 = Date.now();
    await t().get("Application/");
    expect(Date.now() - t0).toBeGreaterThanOrEqual(145);
    const t1 = Date.now();
    await t().control("GET", "health");
    expect(Date.now() - t1).toBeLessThan(145);
    expect((await t().control("POST", "latency", { ms: -1 })).status).toBe(400);
    expect((await t().control("POST", "latency", { ms: 10, extra: 1 })).status).toBe(400);
    await t().control("DELETE", "latency");
    expect((await t().control("GET", "latency")).body).toEqual({ ms: 0 });
  });

  it("latencyMs option (the --latency-ms flag)", async () => {
    const { startTestEmulator } = await import("../helpers/emulator");
    const e = await startTestEmulator({ latencyMs: 120 });
    try {
      const t0 = Date.now();
      const r = await request(`${e.url}/v1/Account/${e.authId}/`, {
        headers: { authorization: `Basic ${Buffer.from(`${e.authId}:${e.authToken}`).toString("base64")}` },
      });
      await r.body.text();
      expect(r.statusCode).toBe(200);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(115);
    } finally {
      await e.close();
    }
  });
});
