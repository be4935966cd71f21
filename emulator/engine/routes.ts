/**
 * Control routes of the transition engine (prefix /__emulator):
 *   GET    /transitions    {defaults, overrides, pending, lifecycles}
 *   POST   /transitions    {resource, id?, mode, count?, seconds?, outcome?, reason?} (or a list)
 *   DELETE /transitions    back to the defaults (?resource=&id= for one kind or one override)
 *   POST   /resolve        {resource, id, outcome | "processing", reason?}
 */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { Ctx } from "../context";
import { badRequest, type Raw } from "../http";
import { parseBody } from "../schemas";
import { parsePolicy } from "./policy";

const ResolveBody = z.strictObject({
  resource: z.string(),
  id: z.union([z.string().min(1), z.number()]),
  outcome: z.string(),
  reason: z.string().nullish(),
});

export function registerTransitionRoutes(app: FastifyInstance, ctx: Ctx): void {
  const engine = ctx.engine;

  app.get("/transitions", async () => engine.view());

  app.post("/transitions", async (req) => {
    const body = req.body as unknown;
    const list = Array.isArray(body) ? body : [body];
    const out = list.map((raw) => {
      if (!raw || typeof raw !== "object") throw badRequest("send {resource, id?, mode, count?, seconds?, outcome?, reason?}");
      const r = raw as Raw;
      const unknown = Object.keys(r).filter((k) => !["resource", "id", "mode", "count", "seconds", "outcome", "reason"].includes(k));
      if (unknown.length) throw badRequest(`unexpected parameter${unknown.length > 1 ? "s" : ""}: ${unknown.join(", ")}`);
      const spec = engine.spec(r.resource as string);
      const id = r.id === undefined || r.id === null || r.id === "" ? undefined : String(r.id);
      const policy = parsePolicy(spec, r);
      engine.setPolicy(spec.kind, id, policy);
      return { resource: spec.kind, ...(id !== undefined ? { id } : {}), policy };
    });
    engine.sweep(); // a new "immediate"/"seconds" policy may already apply to pending objects
    return Array.isArray(body) ? { transitions: out } : out[0];
  });

  app.delete("/transitions", async (req) => {
    const q = { ...((req.query as Raw) ?? {}), ...((req.body && typeof req.body === "object" ? req.body : {}) as Raw) };
    if (q.resource !== undefined) {
      const spec = engine.spec(q.resource as string);
      engine.resetPolicies(spec.kind, q.id !== undefined && q.id !== "" ? String(q.id) : undefined);
    } else engine.resetPolicies();
    return engine.view();
  });

  app.post("/resolve", async (req) => {
    const b = parseBody(ResolveBody, req.body ?? {}, "send {resource, id, outcome, reason?}");
    const spec = engine.spec(b.resource);
    const outcome = b.outcome.trim().toLowerCase();
    const id = String(b.id);
    const status = engine.resolve(spec.kind, id, outcome, b.reason ?? undefined);
    // the id as given (a link may be named with "+" in its number)
    return { resource: spec.kind, id, status };
  });
}
