/**
 * The core control routes under `/__emulator/` (not part of Plivo; for tests, demos and benchmarks): health, reset,
 * state page (`GET /__emulator/`), state, ledger, inventory, faults, request log, rate limit, latency and clock. Resource modules and the engine add
 * their own (`/transitions`, `/resolve`, `/callbacks`, `/shortcodes`).
 */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { Ctx } from "../context";
import { badRequest, type Raw } from "../http";
import { itemFromSpec } from "../resources/numbers/inventory";
import { parseBody } from "../schemas";
import { renderStatePage } from "./page";
import { parseRateLimit, type Runtime } from "./runtime";

export interface ControlDeps {
  ctx: Ctx;
  runtime: Runtime;
  /** replace the state with a fresh seeded one */
  reset(): void;
}

const ClockBody = z.strictObject({ advanceMs: z.number().finite().optional(), offsetMs: z.number().finite().optional() });
const LatencyBody = z.strictObject({ ms: z.number().int().min(0).max(60_000) });

export function registerControl(app: FastifyInstance, deps: ControlDeps): void {
  const { ctx, runtime } = deps;

  app.get("/health", async () => ({ ok: true, auth_id: ctx.authId }));

  // the read-only state page: no script may run in it, nothing may embed it
  app.get("/", async (_req, reply) =>
    reply
      .header("content-type", "text/html; charset=utf-8")
      .header("content-security-policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
      .header("x-content-type-options", "nosniff")
      .header("referrer-policy", "no-referrer")
      .header("cache-control", "no-store")
      .send(renderStatePage(ctx, runtime)),
  );

  app.post("/reset", async () => {
    deps.reset();
    return { ok: true };
  });

  app.get("/state", async () => ctx.state);

  app.get("/ledger", async () => ({ ledger: ctx.ledger.all() }));

  app.get("/persistence", async () => ({ data_file: ctx.store.dataFile ?? null, ...(ctx.store.persistenceStats ?? {}) }));

  app.post("/inventory", async (req, reply) => {
    const body = req.body as unknown;
    const specs: unknown[] = Array.isArray(body)
      ? body
      : body && typeof body === "object" && Array.isArray((body as Raw).numbers)
        ? ((body as Raw).numbers as unknown[])
        : body && typeof body === "object"
          ? [body]
          : [];
    if (specs.length === 0) throw badRequest("send {numbers:[{number, …}]} or a single {number, …}");
    const items = specs.map((s) => {
      if (typeof s === "string" || typeof s === "number") return itemFromSpec({ number: String(s) });
      if (!s || typeof s !== "object") throw badRequest("each inventory entry must be an object or a number");
      return itemFromSpec(s as Raw);
    });
    return reply.code(201).send({ added: ctx.backends.numbers.addInventory(items) });
  });

  app.get("/faults", async () => runtime.faults.list);
  app.post("/faults", async (req, reply) => {
    const body = req.body as unknown;
    const specs = Array.isArray(body) ? body : [body ?? {}];
    const faults = specs.map((s) => {
      if (!s || typeof s !== "object" || Array.isArray(s)) throw badRequest("a fault must be an object");
      return runtime.faults.add(s);
    });
    return reply.code(201).send(Array.isArray(body) ? { faults } : faults[0]);
  });
  app.delete("/faults", async () => {
    runtime.faults.clear();
    return { ok: true };
  });

  app.get("/requests", async () => runtime.recent());
  app.delete("/requests", async () => {
    runtime.requests = [];
    return { ok: true };
  });

  app.get("/rate-limit", async () => ({ rateLimit: runtime.rateLimit }));
  app.post("/rate-limit", async (req) => {
    runtime.setRateLimit(parseRateLimit(req.body ?? null));
    return { rateLimit: runtime.rateLimit };
  });
  app.delete("/rate-limit", async () => {
    runtime.setRateLimit(null);
    return { rateLimit: null };
  });

  app.get("/latency", async () => ({ ms: runtime.latencyMs }));
  app.post("/latency", async (req) => {
    runtime.latencyMs = parseBody(LatencyBody, req.body ?? {}).ms;
    return { ms: runtime.latencyMs };
  });
  app.delete("/latency", async () => {
    runtime.latencyMs = 0;
    return { ms: 0 };
  });

  /** Shift the emulator clock: {advanceMs} adds to the offset, {offsetMs} sets it. */
  app.post("/clock", async (req) => {
    const b = parseBody(ClockBody, req.body ?? {});
    const current = ctx.store.getMeta<number>("clock_offset_ms") ?? 0;
    if (b.offsetMs !== undefined) ctx.store.setMeta("clock_offset_ms", b.offsetMs);
    else if (b.advanceMs !== undefined) ctx.store.setMeta("clock_offset_ms", current + b.advanceMs);
    else throw badRequest("send {advanceMs} or {offsetMs}");
    ctx.engine.sweep(); // time-based transitions that are now due
    return { now: ctx.now().toISOString(), clock_offset_ms: ctx.store.getMeta<number>("clock_offset_ms") };
  });
}
