/**
 * Request economy against the emulator, driven as the engine drives the provider (several operations at once):
 * one request per pool member add, numbers read back and refreshed in list pages, reads that see this process's
 * own writes and out-of-band changes, and waiting links polled in rounds.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { setTransition } from "../helpers/emulator";
import { apply, check, create, emulatorClient, refresh, type Managed } from "../helpers/engine";
import * as runtime from "../../provider/runtime";
import { BatchedReader } from "../../provider/core/batch";
import { makeContext } from "../../provider/core/context";
import { accountNumbers } from "../../provider/resources/lookup";
import { validCampaign, validProfile } from "../helpers/fixtures";
import { useEmulator } from "../helpers/provider";

const emulator = useEmulator();

/** Runs `fn` over `items` with at most `parallel` at once, like the engine's `--parallel`. */
async function inParallel<T, R>(parallel: number, items: T[], fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(parallel, items.length) }, async () => {
      for (let i = next++; i < items.length; i = next++) out[i] = await fn(items[i]!, i);
    }),
  );
  return out;
}

const numbersFrom = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}${String(i).padStart(4, "0")}`);

/** API requests the emulator answered since the last `clearRequests`, as `METHOD path` lines (account prefix cut). */
function requests(): { method: string; path: string; status: number }[] {
  return emulator().emu.runtime.requests.map((r) => ({ method: r.method, path: r.path.replace(/^\/v1\/Account\/[^/]+\//, ""), status: r.status }));
}
const clearRequests = () => void (emulator().emu.runtime.requests = []);
const count = (method: string, path: RegExp, filter: (r: { status: number }) => boolean = () => true) =>
  requests().filter((r) => r.method === method && path.test(r.path) && filter(r)).length;

/**
 * Numbers checked one after the other first (the program registers them all at once), then created `gapMs(i)` apart
 * whatever the earlier creates are doing, as an engine bound by its checkpoints hands them out; requests cleared
 * after the checks.
 */
async function createPaced(prefix: string, size: number, gapMs: (i: number) => number) {
  const numbers = numbersFrom(prefix, size);
  await emulator().control("POST", "inventory", { numbers: numbers.map((number) => ({ number })) });
  const checked = [];
  for (const [i, n] of numbers.entries()) checked.push(await check("PhoneNumber", `paced-${prefix}-${i}`, { number: n }));
  clearRequests();
  const creates: Promise<{ id: string; outs: Record<string, unknown> }>[] = [];
  for (const [i, c] of checked.entries()) {
    creates.push(
      runtime.create("PhoneNumber", `paced-${prefix}-${i}`, c.inputs as Record<string, unknown>) as Promise<{ id: string; outs: Record<string, unknown> }>,
    );
    await new Promise((r) => setTimeout(r, gapMs(i)));
  }
  return { numbers, created: await Promise.all(creates) };
}

async function stack(prefix: string, size: number) {
  await emulator().control("POST", "inventory", { numbers: numbersFrom(prefix, size).map((number) => ({ number })) });
  const pool = await create("Powerpack", "pool", { name: `pool-${prefix}` });
  const numbers = await inParallel(8, numbersFrom(prefix, size), (n, i) => create("PhoneNumber", `number-${i}`, { number: n }));
  const members = await inParallel(8, numbers, (n, i) => create("NumberPoolMember", `member-${i}`, { powerpackId: pool.id, number: n.id }));
  return { pool, numbers, members };
}

describe("batched reads and one-request adds", () => {
  it("adds pool members with one request each and reads numbers back in list pages", async () => {
    clearRequests();
    const { numbers, members } = await stack("1415777", 60);

    // Each add is the POST alone: the pool is known from the Powerpack's create, the number's type from its
    // read-back, and the add response is the member (no pre-check, no read-back).
    expect(count("POST", /^NumberPool\//)).toBe(60);
    expect(count("GET", /^NumberPool\//)).toBe(0);
    // The Powerpack's name is looked up by its check (unique in the account): one list page.
    expect(count("GET", /^Powerpack\//)).toBe(1);
    // Each number is read twice, batched: the check's look-up (is it already in the account?) and the read-back
    // after the buy, both with the numbers checked or bought at the same time (pages of `Number/?number_startswith=`).
    const readBacks = count("GET", /^Number\//, (r) => r.status === 200);
    console.log(
      `60 numbers + 60 members + 1 Powerpack: ${requests().length} requests, ${readBacks} number reads`,
      JSON.stringify(
        requests().reduce((a: Record<string, number>, r) => {
          const k = `${r.method} ${r.path
            .replace(/\d{11}/g, "{n}")
            .replace(/[0-9a-f-]{36}/g, "{id}")
            .replace(/\?.*/, "")} ${r.status}`;
          a[k] = (a[k] ?? 0) + 1;
          return a;
        }, {}),
      ),
    );
    expect(readBacks).toBeLessThanOrEqual(25);
    // The check's look-ups never GET a new number on its own: a complete page of the account shows it is not there.
    // (The 404s left are the buy path's own existence probes, one per number at most.)
    expect(count("GET", /^Number\/\d+\/$/, (r) => r.status === 404)).toBeLessThanOrEqual(60);
    for (const n of numbers)
      expect(n.outs).toMatchObject({
        number: n.id,
        numberType: "local",
        smsEnabled: true,
        addedOn: expect.any(String),
        resourceUri: expect.stringContaining(n.id),
      });
    for (const m of members)
      expect(m.outs).toMatchObject({ tollFree: false, numberType: "fixed", numberPoolId: expect.any(String), addedOn: expect.any(String) });
  });

  it("refreshes a stack of 121 resources with at most 0.2 requests per resource, outputs unchanged", async () => {
    const { pool, numbers, members } = await stack("1415778", 60);
    clearRequests();
    const all: Managed[] = [pool, ...numbers, ...members];
    const refreshed = await inParallel(8, all, (r) => refresh(r));
    for (const [i, r] of all.entries()) expect(refreshed[i]).toEqual(r.outs);
    expect(requests().length).toBeLessThanOrEqual(0.2 * all.length);
  });

  it("a read after this process's own write sees it, and a second read sees an out-of-band change", async () => {
    const { numbers } = await stack("1415779", 30);
    await inParallel(8, numbers, (r) => refresh(r));
    // Our write: the next read of that number is not served by an older page.
    const { next } = await apply(numbers[0]!, { number: numbers[0]!.id, alias: "ours" });
    expect(next.outs.alias).toBe("ours");
    expect((await refresh(next))?.alias).toBe("ours");
    // Somebody else's: every number was read once already, so the next reads ask the API again.
    await emulator().api("POST", `Number/${numbers[1]!.id}/`, { alias: "theirs" });
    await emulator().api("DELETE", `Number/${numbers[2]!.id}/`);
    const again = await inParallel(8, numbers.slice(1), (r) => refresh(r));
    expect(again[0]?.alias).toBe("theirs");
    expect(again[1]).toBeUndefined();
  });

  it("a check never waits for the creates in flight (the engine calls checks one after the other)", async () => {
    const numbers = numbersFrom("1415781", 24);
    await emulator().control("POST", "inventory", { numbers: numbers.map((number) => ({ number })) });
    clearRequests();
    // The engine's step generator: check a resource, start its create without waiting, check the next one.
    let inFlight = 0;
    let mostInFlight = 0;
    const creates: Promise<unknown>[] = [];
    for (const [i, n] of numbers.entries()) {
      const checked = await check("PhoneNumber", `serial-${i}`, { number: n });
      expect(checked.failures ?? []).toEqual([]);
      inFlight++;
      mostInFlight = Math.max(mostInFlight, inFlight);
      creates.push(runtime.create("PhoneNumber", `serial-${i}`, checked.inputs as Record<string, unknown>).finally(() => inFlight--));
    }
    await Promise.all(creates);
    // Checked one by one, the creates still overlap (before, each check waited for the previous create's read-back).
    expect(mostInFlight).toBeGreaterThanOrEqual(12);
    // The checks' look-ups are answered by one walk of the account's numbers (none is read on its own); the
    // read-backs share list pages, and a read-back alone in its window is one GET: never more than the buys.
    expect(count("GET", /^Number\//)).toBeLessThanOrEqual(13);
  });

  it("look-ups in an account too large to walk for them read a page of neighbours, never a GET per number", async () => {
    // 60 numbers rented under 1416 (three pages of the account's numbers starting 1416), then the checks of 20 new
    // numbers one after the other with no recent walk to answer them (a long run: its first walk is over a minute
    // old): a walk of 1416 would cost more pages than the look-ups it answers.
    const rented = numbersFrom("1416500", 60);
    await emulator().control("POST", "inventory", { numbers: rented.map((number) => ({ number })) });
    await inParallel(8, rented, (n, i) => create("PhoneNumber", `rented-${i}`, { number: n }));
    const reader = new BatchedReader(accountNumbers, { windowMs: 5, holdMs: 0, trickleMs: 0, maxAgeMs: 10_000 });
    const ctx = makeContext(emulatorClient(emulator()), "PhoneNumber", { name: "lookup" });
    clearRequests();
    for (const n of numbersFrom("1416501", 20)) expect(await reader.get(ctx, n, { informational: true })).toBeUndefined();
    // The first look-up learns the account's size from a page of 1416, then each ten numbers that differ in their
    // last digit cost one page (before: a GET per number, each a 404).
    expect(count("GET", /^Number\/\d+\/$/)).toBe(0);
    expect(count("GET", /^Number\/(\?|$)/)).toBeLessThanOrEqual(3);
    // A number already rented is found on its page.
    expect(await reader.get(ctx, rented[59]!, { informational: true })).toMatchObject({ number: rented[59] });
  });

  it("read-backs stay batched when the engine hands out creates one at a time (its checkpoints, not its slots, bound the run)", async () => {
    // One create every 100 ms whatever the earlier ones are doing: a large stack whose every step waits for a checkpoint.
    const { numbers, created } = await createPaced("1415782", 20, () => 100);
    for (const [i, c] of created.entries()) expect(c.outs).toMatchObject({ number: numbers[i], addedOn: expect.any(String) });
    // Each read-back waits for the planned numbers of its page while creates keep coming: a page per ten numbers
    // bought (one GET each if every read-back went alone).
    expect(count("POST", /^PhoneNumber\//)).toBe(20);
    expect(count("GET", /^Number\//)).toBeLessThanOrEqual(6);
  });

  it("read-backs stay batched when the engine hands out creates in bursts (a save of the whole state between them)", async () => {
    // Three creates 50 ms apart, then a pause of 170 ms, and again: a pause is not the end of the creates.
    await createPaced("1415785", 30, (i) => (i % 4 === 3 ? 170 : 50));
    expect(count("POST", /^PhoneNumber\//)).toBe(30);
    // The first read-back alone (no pace known yet), then list pages of half a page or more: 7 here (10 when a pause
    // of three usual gaps counted as the end of the creates).
    expect(count("GET", /^Number\//)).toBeLessThanOrEqual(8);
  });

  it("read-backs of updates stay batched when the engine hands them out one at a time (it diffs them all first)", async () => {
    const { numbers } = await stack("1415784", 20);
    // The engine diffs every resource as the program registers it, then starts one update every 100 ms whatever the
    // earlier ones are doing (its checkpoints bound the run), each diff and update in the provider's own calls.
    const news: Record<string, unknown>[] = [];
    for (const [i, r] of numbers.entries()) {
      const checked = await check("PhoneNumber", r.name, { number: r.id, alias: `slow-${i}` }, r.inputs);
      news.push(checked.inputs as Record<string, unknown>);
      expect(await runtime.diff("PhoneNumber", r.name, r.id, r.outs, news[i]!)).toMatchObject({ changes: true, replaces: [] });
    }
    clearRequests();
    const updates: Promise<unknown>[] = [];
    for (const [i, r] of numbers.entries()) {
      updates.push(runtime.update("PhoneNumber", r.name, r.id, r.outs, news[i]!));
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const updated = (await Promise.all(updates)) as { outs: Record<string, unknown> }[];
    for (const [i, u] of updated.entries()) expect(u.outs.alias).toBe(`slow-${i}`);
    expect(count("POST", /^Number\/\d+\/$/)).toBe(20);
    // Each read-back waits for the planned updates of its page while updates keep coming: a few list pages (one GET
    // each, 20, when a read-back waited only for updates already in flight).
    expect(count("GET", /^Number\//)).toBeLessThanOrEqual(6);
  });

  it("updates in flight together read their numbers back together", async () => {
    const { numbers } = await stack("1415783", 20);
    clearRequests();
    const updated = await inParallel(8, numbers, (r, i) => apply(r, { number: r.id, alias: `renamed-${i}` }));
    for (const [i, u] of updated.entries()) expect(u.next.outs.alias).toBe(`renamed-${i}`);
    expect(count("POST", /^Number\/\d+\/$/)).toBe(20);
    // The read-backs of concurrent updates share list pages: 4 here (7 when each went after its own short window).
    expect(count("GET", /^Number\//)).toBeLessThanOrEqual(5);
  });

  it("members of a Powerpack deleted out of band read as gone", async () => {
    const { pool, members } = await stack("1415780", 10);
    await emulator().api("DELETE", `Powerpack/${pool.id}/`, { unrent_numbers: false });
    expect(await inParallel(8, members, (m) => refresh(m))).toEqual(members.map(() => undefined));
  });
});

describe("waits", () => {
  beforeAll(() => {
    // Rounds one second apart, as in production (the suite's default polls every 20 ms).
    process.env.PLIVO_POLL_INITIAL_MS = "1000";
    process.env.PLIVO_POLL_MAX_MS = "60000";
    return () => {
      process.env.PLIVO_POLL_INITIAL_MS = "20";
      process.env.PLIVO_POLL_MAX_MS = "100";
    };
  });

  it("30 links waiting on one campaign poll it in rounds: at most one request per second, each link noticed promptly", async () => {
    const profile = await create("Profile", "acme", validProfile);
    const brand = await create("Brand", "brand", { profileUuid: profile.id, brandAlias: "Acme" });
    const campaign = await create("Campaign", "c", { ...validCampaign(brand.id), waitUntil: "ACTIVE" });
    const numbers = numbersFrom("1415781", 30);
    await emulator().control("POST", "inventory", { numbers: numbers.map((number) => ({ number })) });
    await inParallel(8, numbers, (n, i) => create("PhoneNumber", `number-${i}`, { number: n }));
    await setTransition(emulator(), "link", { mode: "seconds", seconds: 6 });
    clearRequests();
    const started = Date.now();
    const links = await inParallel(30, numbers, (n, i) => create("CampaignNumberLink", `link-${i}`, { campaignId: campaign.id, number: n }));
    const ended = Date.now();
    for (const l of links) expect(l.outs.status).toBe("COMPLETED");
    // Verdicts after 6 s are noticed within a tenth of the wait (at least 1 s) plus a round (2 s: 2 pages).
    expect((ended - started) / 1000).toBeLessThan(6 + 1 + 2 + 1.5);
    const log = emulator().emu.runtime.requests;
    expect(log.filter((r) => r.method === "POST").length).toBe(30);
    // After the first looks (the campaign, the new links: a few list pages), rounds of at most one request per
    // second however many links wait, plus the last round.
    const steady = log.filter((r) => r.method === "GET" && Date.parse(r.at) >= started + 2_000);
    expect(steady.length).toBeLessThanOrEqual((ended - started - 2_000) / 1000 + 2);
    expect(log.filter((r) => r.method === "GET").length).toBeLessThanOrEqual((ended - started) / 1000 + 8);
  }, 30_000);
});
