/**
 * Seeded probabilistic faults ("chaos") on `/v1/` requests: each matching request is hit with probability `p`, and
 * the kind of fault is drawn from `kinds`, both from one PRNG seeded with `seed` — the same seed gives the same
 * decisions for the same sequence of requests. Kinds:
 *   429          reply 429 with `Retry-After` (seconds, default 1), nothing processed
 *   500, 503     reply that status, nothing processed
 *   reset        the connection is destroyed before the request is processed
 *   after        processed (state changes, persisted), then a 500: an ambiguous outcome
 *   after-reset  processed, then the connection is destroyed
 *
 *   POST /__emulator/chaos {seed, probability, kinds?, methods?, paths?, retryAfter?}  (strict: unknown key → 400)
 *   GET  /__emulator/chaos → the setting and the counters of injected faults per kind
 *   DELETE /__emulator/chaos → off
 *   CLI: --chaos seed=7,probability=0.2[,kinds=429+500+503+reset+after+after-reset][,methods=GET+POST][,paths=/Number/]
 */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { parseBody } from "../schemas";
import { PathMatcher } from "./match";
import { seededRandom } from "../random";

export const CHAOS_KINDS = ["429", "500", "503", "reset", "after", "after-reset"] as const;
export type ChaosKind = (typeof CHAOS_KINDS)[number];

export const ChaosSpecSchema = z.strictObject({
  seed: z.number().int(),
  probability: z.number().min(0).max(1),
  kinds: z.array(z.enum(CHAOS_KINDS)).min(1).optional(),
  methods: z.array(z.string().min(1)).min(1).optional(),
  paths: z.array(z.string().min(1)).min(1).optional(),
  retryAfter: z.number().min(0).optional(),
});
export type ChaosSpec = z.input<typeof ChaosSpecSchema>;

export interface ChaosFault {
  mode: "status" | "reset" | "after" | "after-reset";
  status: number;
  retryAfter?: number;
  error?: string;
  delayMs: 0;
}

export class Chaos {
  private spec: (z.output<typeof ChaosSpecSchema> & { kinds: ChaosKind[] }) | undefined;
  private rand: () => number = Math.random;
  private matchers: PathMatcher[] = [];
  private considered = 0;
  private injected: Record<string, number> = {};

  configure(raw: unknown): void {
    const spec = parseBody(ChaosSpecSchema, raw);
    this.matchers = (spec.paths ?? []).map((p) => new PathMatcher(p));
    this.spec = { ...spec, kinds: [...(spec.kinds ?? CHAOS_KINDS)], methods: spec.methods?.map((m) => m.toUpperCase()) };
    this.rand = seededRandom(spec.seed);
    this.considered = 0;
    this.injected = Object.fromEntries(this.spec.kinds.map((k) => [k, 0]));
  }

  disable(): void {
    this.spec = undefined;
  }

  /** The fault for this request, if the dice say so. */
  decide(method: string, url: string): ChaosFault | undefined {
    const s = this.spec;
    if (!s) return undefined;
    if (s.methods && !s.methods.includes(method.toUpperCase())) return undefined;
    if (this.matchers.length && !this.matchers.some((m) => m.test(url))) return undefined;
    this.considered++;
    if (this.rand() >= s.probability) return undefined;
    const kind = s.kinds[Math.min(s.kinds.length - 1, Math.floor(this.rand() * s.kinds.length))];
    this.injected[kind] = (this.injected[kind] ?? 0) + 1;
    switch (kind) {
      case "429":
        return { mode: "status", status: 429, retryAfter: s.retryAfter ?? 1, error: "too many requests", delayMs: 0 };
      case "500":
      case "503":
        return { mode: "status", status: Number(kind), delayMs: 0 };
      case "reset":
        return { mode: "reset", status: 0, delayMs: 0 };
      case "after":
        return { mode: "after", status: 500, delayMs: 0 };
      case "after-reset":
        return { mode: "after-reset", status: 0, delayMs: 0 };
    }
  }

  view(): Record<string, unknown> {
    if (!this.spec) return { enabled: false };
    const total = Object.values(this.injected).reduce((a, b) => a + b, 0);
    return { enabled: true, ...this.spec, requests: this.considered, injected: { ...this.injected }, total };
  }

  registerRoutes(app: FastifyInstance): void {
    app.get("/chaos", async () => this.view());
    app.post("/chaos", async (req) => {
      this.configure(req.body ?? {});
      return this.view();
    });
    app.delete("/chaos", async () => {
      this.disable();
      return this.view();
    });
  }
}

/** `--chaos seed=7,probability=0.2,kinds=429+reset,methods=POST,paths=/Number/` → a spec (validated on use). */
export function parseChaosFlag(text: string): ChaosSpec {
  const out: Record<string, unknown> = {};
  for (const part of text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = /^([a-zA-Z]+)=(.*)$/.exec(part);
    if (!m) throw new Error(`invalid --chaos "${text}": expected key=value pairs separated by commas`);
    const [, key, value] = m;
    if (key === "kinds" || key === "methods" || key === "paths") out[key] = value.split("+").filter(Boolean);
    else if (key === "seed" || key === "probability" || key === "retryAfter") out[key] = Number(value);
    else throw new Error(`invalid --chaos "${text}": unknown key ${key}`);
  }
  const r = ChaosSpecSchema.safeParse(out);
  if (!r.success) throw new Error(`invalid --chaos "${text}": ${r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  return out as ChaosSpec;
}
