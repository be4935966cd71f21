/**
 * Waits that cost little: many 10DLC number links waiting on one campaign at once (as `pulumi up --parallel 100`
 * would run them), each verdict due after a fixed time, driven through the provider in this process against the
 * emulator (its latency and 300/5 s rate limit on, production polling schedule). Measures the API requests per
 * second while they wait and how late the verdicts are noticed.
 */
import * as runtime from "../provider/runtime";
import { validCampaign, validProfile } from "../test/helpers/fixtures";
import { startBenchEmulator } from "./lib/emulator";
import { benchNumbers } from "./lib/sdkScript";
import { round } from "./lib/suite";
import { twoSizes, type BenchOptions, type BenchResult } from "./types";

const SCENARIOS = {
  ci: { links: Number(process.env.BENCH_WAITS_LINKS ?? 20), seconds: Number(process.env.BENCH_WAITS_SECONDS ?? 5) },
  full: { links: 100, seconds: 60 },
} as const;

export async function run(opts: BenchOptions): Promise<BenchResult[]> {
  const { links, seconds } = SCENARIOS[twoSizes(opts.size)];
  const latencyMs = 50;
  const emu = await startBenchEmulator({ latencyMs });
  const saved = { initial: process.env.PLIVO_POLL_INITIAL_MS, max: process.env.PLIVO_POLL_MAX_MS };
  // Without an engine the provider prints its progress and preview notes on stderr: one line per link and status.
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]) =>
    /^(warning: )?(PhoneNumber|CampaignNumberLink|Campaign|Brand|Profile) "/.test(String(chunk)) ||
    write(chunk as string, ...(rest as []))) as typeof process.stderr.write;
  delete process.env.PLIVO_POLL_INITIAL_MS;
  delete process.env.PLIVO_POLL_MAX_MS;
  try {
    const config: Record<string, string> = { "plivo:authId": emu.authId, "plivo:authToken": emu.authToken, "plivo:baseUrl": emu.url };
    await runtime.configure({ config: { get: (k: string) => config[k], require: (k: string) => config[k] } } as never);
    const create = async (type: Parameters<typeof runtime.create>[0], name: string, news: Record<string, unknown>) => {
      const checked = await runtime.check(type, name, {}, news);
      if (checked.failures?.length) throw new Error(`${type} ${name}: ${JSON.stringify(checked.failures)}`);
      return runtime.create(type, name, checked.inputs as Record<string, unknown>);
    };
    const profile = await create("Profile", "acme", validProfile);
    const brand = await create("Brand", "brand", { profileUuid: profile.id, brandAlias: "Acme" });
    const campaign = await create("Campaign", "campaign", { ...validCampaign(brand.id), waitUntil: "ACTIVE" });
    const numbers = benchNumbers("1415561", links);
    await emu.addInventory(numbers);
    for (let i = 0; i < numbers.length; i += 10) await Promise.all(numbers.slice(i, i + 10).map((n, j) => create("PhoneNumber", `n${i + j}`, { number: n })));
    await emu.control("POST", "transitions", { resource: "link", mode: "seconds", seconds });

    const from = emu.log.length;
    const started = performance.now();
    const doneAt = new Map<string, number>();
    await Promise.all(
      numbers.map(async (n, i) => {
        await create("CampaignNumberLink", `link-${i}`, { campaignId: campaign.id, number: n });
        doneAt.set(n, Date.now());
      }),
    );
    // How late each verdict was noticed: from when the emulator submitted the link (its verdict is due `seconds`
    // later) to when its create returned.
    const state = await emu.control<{ campaign_links: { number: string; created_at: string }[] }>("GET", "state");
    const late = state.campaign_links.filter((l) => doneAt.has(l.number)).map((l) => (doneAt.get(l.number)! - Date.parse(l.created_at)) / 1000 - seconds);
    const elapsed = (performance.now() - started) / 1000;
    if (process.env.BENCH_WAITS_TRACE) {
      for (const r of emu.log.slice(from))
        process.stderr.write(`${((r.at - started) / 1000).toFixed(2)} ${r.method} ${r.path.replace(/^\/v1\/Account\/[^/]+\//, "")} ${r.status}\n`);
    }
    const requests = emu.log.slice(from);
    const gets = requests.filter((r) => r.method === "GET");
    // Polls while every link waits: from shortly after the last link was submitted (each create's first look at its
    // link, batched, is done by then) until the first verdict is due.
    const lastPost = Math.max(...requests.filter((r) => r.method === "POST").map((r) => r.at));
    const from2 = lastPost + 1_500;
    const waiting = gets.filter((r) => r.at > from2 && r.at < started + seconds * 1000);
    const perSecond = waiting.length / Math.max(1, (started + seconds * 1000 - from2) / 1000);
    const lateness = Math.max(...late);
    const notes = `${links} links, verdicts after ${seconds} s, latency ${latencyMs} ms, rate limit 300/5 s; ${gets.length} GETs in all (${round(gets.length / links)} per link), ${requests.filter((r) => r.status === 429).length} × 429`;
    return [
      {
        name: `waits: poll requests per second while ${links} links wait`,
        figure: round(perSecond),
        unit: "req/s",
        anchor: { name: "rate-limit ceiling", figure: 60 },
        ratio: round(perSecond / 60, 3),
        target: "≤ 1 per second",
        pass: perSecond <= 1,
        notes,
      },
      {
        name: `waits: verdict noticed after (the latest of ${links})`,
        figure: round(seconds + lateness),
        unit: "s",
        anchor: { name: "verdict due", figure: seconds },
        ratio: round((seconds + lateness) / seconds),
        target: "late by ≤ 10 % of the wait + a round",
        pass: lateness <= Math.max(2, seconds * 0.1) + Math.ceil(links / 20),
        notes: `late by ${round(lateness)} s at most (${round(late.reduce((a, b) => a + b, 0) / late.length)} s on average); all ${links} done ${round(elapsed)} s after the first was created`,
      },
    ];
  } finally {
    process.stderr.write = write;
    process.env.PLIVO_POLL_INITIAL_MS = saved.initial;
    process.env.PLIVO_POLL_MAX_MS = saved.max;
    if (saved.initial === undefined) delete process.env.PLIVO_POLL_INITIAL_MS;
    if (saved.max === undefined) delete process.env.PLIVO_POLL_MAX_MS;
    await emu.close();
  }
}
