/**
 * Parameter schemas with zod, answered the Plivo way: a failed parse is a 400 `{api_id, error}` whose message names
 * the parameter and the rule (`limit: must be an integer between 1 and 20`, `unexpected parameter: colour`).
 */
import type { FastifyRequest } from "fastify";
import { z } from "zod";
import { badRequest, normalizeNumber, notFound } from "./http";

/** A zod error as one readable sentence naming the parameter(s). */
export function describeIssues(err: z.ZodError): string {
  return err.issues
    .map((i) => {
      if (i.code === "unrecognized_keys") return `unexpected parameter${i.keys.length > 1 ? "s" : ""}: ${i.keys.join(", ")}`;
      const where = i.path.length ? i.path.join(".") : "body";
      if (i.code === "invalid_type" && /received undefined/.test(i.message)) return `${where} parameter is missing`;
      return `${where}: ${i.message}`;
    })
    .join("; ");
}

/** Parse a body (or any value) with `schema`; a 400 naming what is wrong otherwise. */
export function parseBody<S extends z.ZodType>(schema: S, raw: unknown, hint?: string): z.infer<S> {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const msg = describeIssues(r.error);
  throw badRequest(hint && r.error.issues.some((i) => i.path.length === 0) ? `${msg} (${hint})` : msg);
}

/** Path parameters: an invalid one means "no such resource" (404), as Plivo answers for unknown ids. */
export function pathParams<S extends z.ZodType>(schema: S, req: FastifyRequest): z.infer<S> {
  const r = schema.safeParse(req.params);
  if (!r.success) throw notFound();
  return r.data;
}

/** A phone number in a path: "+", spaces and punctuation stripped; at least one digit. */
export const PathNumber = z.string().transform((s, c) => {
  const n = normalizeNumber(s);
  if (!n) {
    c.addIssue({ code: "custom", message: "not a phone number" });
    return z.NEVER;
  }
  return n;
});

/** An id in a path (non-empty, no slash). */
export const PathId = z
  .string()
  .min(1)
  .regex(/^[^/]+$/);
