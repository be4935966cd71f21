/**
 * One provider-like OS process for the account-load harness (accountLoad.ts): it resolves its configuration
 * from the PLIVO_* environment like a provider process, builds its own client (and so its own account rate
 * limiter), says "ready", and on "go" sends its share of requests: application lists, and every `postEvery`-th
 * an application create (a non-idempotent POST). It reports what happened and exits.
 */
import { closeAllClients, getClient, resolveConfig } from "../../provider/config";

export interface LoadJob {
  requests: number;
  concurrency: number;
  /** Every n-th request is a POST create (0: none). */
  postEvery: number;
  /** Prefix of the application names this process creates. */
  tag: string;
}

export interface LoadReport {
  ok: number;
  failed: number;
  /** First few error messages. */
  errors: string[];
  creates: number;
  /** HTTP attempts, retries included. */
  attempts: number;
  /** 429s this process saw. */
  throttled: number;
  decreases: number;
  finalRatePerSecond: number;
  startedAt: number;
  finishedAt: number;
}

async function run(job: LoadJob): Promise<LoadReport> {
  const client = getClient(resolveConfig()); // built before "ready": the cached one
  let next = 0;
  let ok = 0;
  let failed = 0;
  let creates = 0;
  const errors: string[] = [];
  const startedAt = Date.now();
  const worker = async () => {
    while (next < job.requests) {
      const i = next++;
      const name = `${job.tag}-${i}`;
      try {
        if (job.postEvery > 0 && i % job.postEvery === 0) {
          await client.request({
            method: "POST",
            path: "Application/",
            body: { app_name: name, answer_url: "https://example.com/answer" },
            operation: { resource: "Application", name, action: "create" },
          });
          creates++;
        } else {
          await client.request({ method: "GET", path: "Application/", query: { limit: 1 }, operation: { resource: "Application", name, action: "list" } });
        }
        ok++;
      } catch (err) {
        failed++;
        if (errors.length < 5) errors.push(err instanceof Error ? err.message : String(err));
      }
    }
  };
  await Promise.all(Array.from({ length: job.concurrency }, worker));
  const finishedAt = Date.now();
  const limiter = client.rateLimiter.stats;
  const attempts = client.stats.attempts;
  await closeAllClients();
  return {
    ok,
    failed,
    errors,
    creates,
    attempts,
    throttled: limiter.throttled,
    decreases: limiter.decreases,
    finalRatePerSecond: limiter.ratePerSecond,
    startedAt,
    finishedAt,
  };
}

if (process.send) {
  getClient(resolveConfig());
  process.on("message", (msg: { type?: string; job?: LoadJob }) => {
    if (msg?.type !== "go" || !msg.job) return;
    run(msg.job).then(
      (report) => process.send!({ type: "done", report }, () => process.exit(0)),
      (err: unknown) => process.send!({ type: "error", message: err instanceof Error ? err.message : String(err) }, () => process.exit(1)),
    );
  });
  process.send({ type: "ready" });
}
