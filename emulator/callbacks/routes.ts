/** Control routes of the callback log: `GET /callbacks` `{callbacks:[…]}` (last 500), `DELETE /callbacks`. */
import type { FastifyInstance } from "fastify";
import type { Ctx } from "../context";

export function registerCallbackRoutes(app: FastifyInstance, ctx: Ctx): void {
  app.get("/callbacks", async () => ({ callbacks: ctx.callbacks.all() }));
  app.delete("/callbacks", async () => {
    ctx.callbacks.clear();
    return { ok: true };
  });
}
