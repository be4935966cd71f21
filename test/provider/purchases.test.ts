/**
 * Purchases that survive interruptions, against the emulator: the request cost of the happy paths, the purchase
 * marker, parallel creates with one search, the create journal taking over what an interrupted create bought or
 * made, a late-completing buy, and nothing new started once the process stops.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { PlivoClient } from "../../provider/client/plivoClient";
import { makeContext } from "../../provider/core/context";
import * as crud from "../../provider/core/crud";
import { CreateJournal } from "../../provider/core/journal";
import { parseMarker, purchaseMarker } from "../../provider/core/marker";
import { ProviderStoppingError } from "../../provider/process/guard";
import { handlers } from "../../provider/resources";
import { buyNumber } from "../../provider/resources/phoneNumber";
import { forgetRecoveryMemory } from "../../provider/resources/unrecorded";
import * as runtime from "../../provider/runtime";
import { startTestEmulator, type TestEmulator } from "../helpers/emulator";
import { ledger } from "../helpers/ledger";
import { check, configureFor, create, type Props } from "../helpers/engine";
import { validCampaign, validProfile } from "../helpers/fixtures";
import { submissions } from "../helpers/ledger";

let t: TestEmulator;
let journalDir: string;
let journal: CreateJournal;

beforeAll(async () => {
  t = await startTestEmulator();
  journalDir = fs.mkdtempSync(path.join(os.tmpdir(), "plivo-purchases-"));
  journal = new CreateJournal(journalDir);
  await configureFor(t, { "plivo:journalDir": journalDir });
});
afterAll(async () => {
  await t.close();
  fs.rmSync(journalDir, { recursive: true, force: true });
});
beforeEach(async () => {
  await t.reset();
  for (const f of fs.readdirSync(journalDir)) fs.rmSync(path.join(journalDir, f));
});

const urn = (name: string, type = "PhoneNumber") => `urn:pulumi:dev::shop::pulumi-nodejs:dynamic/plivo:${type}::${name}`;
const search = { countryIso: "US", type: "local", pattern: "415" };
const requests = async () =>
  ((await t.control("GET", "requests")).body as { method: string; path: string; body?: any }[]).map((r) => ({
    ...r,
    path: r.path.replace(/^\/v1\/Account\/[^/]+\//, ""),
  }));
const buys = async () => (await ledger(t, { action: "buy" })).map((e) => e.number);
/** The first inventory number for an area code (the request log is cleared after: it counts the provider's). */
const firstInventory = async (pattern: string) => {
  const number = (await t.api("GET", `PhoneNumber/?country_iso=US&pattern=${pattern}`)).body.objects[0].number as string;
  await t.control("DELETE", "requests");
  return number;
};

/** check (as the engine runs it first), then a create whose requests alone are in the emulator's log. */
async function createCounted(type: "PhoneNumber", name: string, news: Props) {
  const checked = await runtime.check(type, name, {}, news);
  expect(checked.failures ?? []).toEqual([]);
  await t.control("DELETE", "requests");
  const res = await runtime.create(type, name, checked.inputs as Props);
  return { id: res.id, inputs: checked.inputs as Props, outs: res.outs as Props };
}

describe("happy paths cost (the create's own requests)", () => {
  it("an exact number is one request (the buy) plus the read-back; no existence probe", async () => {
    const number = await firstInventory("212");
    const pn = await createCounted("PhoneNumber", "exact", { number, __urn: urn("exact") });
    expect(pn.id).toBe(number);
    expect((await requests()).map((r) => `${r.method} ${r.path}`)).toEqual([`POST PhoneNumber/${number}/`, `GET Number/${number}/`]);
  });

  it("a number found by search is search, buy and marker (plus the read-back, and the process's one walk of the account); the marker names the resource", async () => {
    forgetRecoveryMemory();
    const pn = await createCounted("PhoneNumber", "line", { search, __urn: urn("line") });
    const log = (await requests()).map((r) => `${r.method} ${r.path}`);
    expect(log).toEqual(["GET Number/", "GET PhoneNumber/", `POST PhoneNumber/${pn.id}/`, `POST Number/${pn.id}/`, `GET Number/${pn.id}/`]);
    const alias = (await t.api("GET", `Number/${pn.id}/`)).body.alias;
    expect(alias).toBe(purchaseMarker(urn("line")));
    expect(parseMarker(alias)).toMatchObject({ stack: "dev", project: "shop", name: "line" });
    // The marker is not the user's alias: no alias output, no diff, nothing to clear.
    expect(pn.outs.alias).toBeUndefined();
    expect(await runtime.diff("PhoneNumber", "line", pn.id, pn.outs, pn.inputs)).toMatchObject({ changes: false });
    const refreshed = await runtime.read("PhoneNumber", "line", pn.id, pn.outs);
    expect(refreshed.props?.alias).toBeUndefined();
  });

  it("a declared alias is the marker, set in the same request", async () => {
    const pn = await createCounted("PhoneNumber", "line", { search, alias: "support", __urn: urn("line") });
    const updates = (await requests()).filter((r) => r.method === "POST" && r.path.startsWith("Number/"));
    expect(updates.map((r) => r.body)).toEqual([{ alias: "support" }]);
    expect(pn.outs.alias).toBe("support");
  });

  it("parallel creates with one search buy distinct numbers without racing for the same candidate", async () => {
    const made = await Promise.all(
      [0, 1, 2, 3, 4, 5].map((i) => create("PhoneNumber", `n${i}`, { search: { countryIso: "US", type: "local" }, __urn: urn(`n${i}`) })),
    );
    expect(new Set(made.map((m) => m.id)).size).toBe(6);
    expect((await buys()).sort()).toEqual(made.map((m) => m.id).sort());
    const buyReplies = (await requests()).filter((r) => r.method === "POST" && r.path.startsWith("PhoneNumber/"));
    expect(buyReplies).toHaveLength(6); // no 404 "taken meanwhile" retries
  });
});

describe("the create journal", () => {
  const interrupted = (name: string, number: string) =>
    journal.record({ urn: urn(name), type: "PhoneNumber", account: t.emu.authId, key: `buy ${number}`, id: number });

  it("is written before the buy and cleared once the state holds the number (diff)", async () => {
    const pn = await create("PhoneNumber", "line", { search, __urn: urn("line") });
    expect(journal.entriesFor(urn("line")).map((e) => e.id)).toEqual([pn.id]);
    await runtime.diff("PhoneNumber", "line", pn.id, pn.outs, pn.inputs);
    expect(journal.entriesFor(urn("line"))).toEqual([]);
  });

  it("takes over a number an interrupted create bought before writing its marker: nothing bought again", async () => {
    const number = await firstInventory("415");
    interrupted("line", number);
    await t.api("POST", `PhoneNumber/${number}/`, {}); // the killed run's buy went through
    const pn = await create("PhoneNumber", "line", { search, alias: "support", __urn: urn("line") });
    expect(pn.id).toBe(number);
    expect(await buys()).toEqual([number]);
    expect((await t.api("GET", `Number/${number}/`)).body.alias).toBe("support");
    expect((await requests()).some((r) => r.method === "GET" && r.path === "PhoneNumber/")).toBe(false); // no new search
  });

  it("re-sends the buy of the same number when the interrupted one never went through", async () => {
    const number = await firstInventory("415");
    interrupted("line", number);
    const pn = await create("PhoneNumber", "line", { search, __urn: urn("line") });
    expect(pn.id).toBe(number);
    expect(await buys()).toEqual([number]);
    expect((await t.api("GET", `Number/${number}/`)).body.alias).toBe(purchaseMarker(urn("line")));
  });

  it("drops an entry whose number went to someone else and buys another", async () => {
    const number = await firstInventory("415");
    interrupted("line", number);
    await t.api("POST", `PhoneNumber/${number}/`, {});
    await t.api("POST", `Number/${number}/`, { alias: "someone-else" });
    const pn = await create("PhoneNumber", "line", { search, __urn: urn("line") });
    expect(pn.id).not.toBe(number);
    expect(journal.entriesFor(urn("line")).map((e) => e.id)).toEqual([pn.id]);
  });

  it("takes over an application whose create was interrupted before its reply (found by name), creating none", async () => {
    const args = { appName: "support", answerUrl: "https://example.com/a" };
    journal.record({ urn: urn("app", "Application"), type: "Application", account: t.emu.authId, key: "application support" });
    const made = await t.api("POST", "Application/", { app_name: "support", answer_url: "https://example.com/old" });
    const app = await create("Application", "app", { ...args, __urn: urn("app", "Application") });
    expect(app.id).toBe(made.body.app_id);
    expect((await t.state()).applications).toHaveLength(1);
    // The declared values win over what the interrupted run sent.
    expect((await t.api("GET", `Application/${app.id}/`)).body.answer_url).toBe("https://example.com/a");
    expect(journal.entriesFor(urn("app", "Application")).map((e) => e.id)).toEqual([app.id]);
  });

  it("forgets an entry whose create made nothing, and creates normally", async () => {
    journal.record({ urn: urn("app", "Application"), type: "Application", account: t.emu.authId, key: "application support" });
    const app = await create("Application", "app", { appName: "support", answerUrl: "https://example.com/a", __urn: urn("app", "Application") });
    expect((await t.state()).applications.map((a: any) => a.app_id)).toEqual([app.id]);
    expect(journal.entriesFor(urn("app", "Application")).map((e) => e.id)).toEqual([app.id]);
  });

  it("ignores entries of another account", async () => {
    const number = await firstInventory("415");
    journal.record({ urn: urn("line"), type: "PhoneNumber", account: "MAOTHERACCOUNT000001", key: `buy ${number}`, id: number });
    const pn = await create("PhoneNumber", "line", { search, __urn: urn("line") });
    expect(
      journal
        .entriesFor(urn("line"))
        .filter((e) => e.account === t.emu.authId)
        .map((e) => e.id),
    ).toEqual([pn.id]);
    expect((await requests())[0]).toMatchObject({ method: "GET", path: "PhoneNumber/" });
  });
});

describe("paid submissions interrupted where no journal survives (another machine)", () => {
  it("a brand and a campaign submitted by an interrupted run are found before paying again", async () => {
    const profile = await create("Profile", "acme", { ...validProfile, __urn: urn("acme", "Profile") });
    // The interrupted run's submissions: they reached Plivo, the state never recorded them, no journal is here.
    const brandId = (await t.api("POST", "10dlc/Brand/", { profile_uuid: profile.id, brand_alias: "Acme", brand_type: "STANDARD" })).body.brand_id;
    const brand = await create("Brand", "brand", { profileUuid: profile.id, brandAlias: "Acme", __urn: urn("brand", "Brand") });
    expect(brand.id).toBe(brandId);
    expect(await submissions(t, "brand")).toBe(1);

    const campaignBody = {
      brand_id: brandId,
      campaign_alias: "order-updates",
      vertical: "RETAIL",
      usecase: "MIXED",
      sub_usecases: "CUSTOMER_CARE,DELIVERY_NOTIFICATION",
    };
    const c = validCampaign(brandId);
    const made = await t.api("POST", "10dlc/Campaign/", {
      ...campaignBody,
      description: c.description,
      sample1: c.sample1,
      sample2: c.sample2,
      message_flow: c.messageFlow,
      help_message: c.helpMessage,
      optout_message: c.optoutMessage,
      embedded_link: false,
      embedded_phone: false,
      age_gated: false,
      direct_lending: false,
      affiliate_marketing: false,
      subscriber_optin: true,
      subscriber_optout: true,
      subscriber_help: true,
    });
    expect(made.status, made.text).toBe(200);
    const campaign = await create("Campaign", "updates", { ...c, __urn: urn("updates", "Campaign") });
    expect(campaign.id).toBe(made.body.campaign_id);
    expect(await submissions(t, "campaign")).toBe(1);
  });

  it("never takes over what another resource of the same run made", async () => {
    const profile = await create("Profile", "acme", { ...validProfile });
    const brand = await create("Brand", "brand", { profileUuid: profile.id, brandAlias: "Acme" });
    const a = await create("Campaign", "a", { ...validCampaign(brand.id), __urn: urn("a", "Campaign") });
    const b = await create("Campaign", "b", { ...validCampaign(brand.id), __urn: urn("b", "Campaign") });
    expect(b.id).not.toBe(a.id);
    expect(await submissions(t, "campaign")).toBe(2);
  });

  it("a forced replacement (pulumi up --replace) never takes over the object it replaces", async () => {
    const profile = await create("Profile", "acme", { ...validProfile });
    const brand = await create("Brand", "brand", { profileUuid: profile.id, brandAlias: "Acme" });
    const old = await create("Campaign", "updates", { ...validCampaign(brand.id), __urn: urn("updates", "Campaign") });
    // The engine diffs the old object first (the state holds it), then creates the replacement with the same inputs.
    await runtime.diff("Campaign", "updates", old.id, old.outs, old.inputs);
    const replacement = await create("Campaign", "updates", { ...validCampaign(brand.id), __urn: urn("updates", "Campaign") });
    expect(replacement.id).not.toBe(old.id);
    expect(await submissions(t, "campaign")).toBe(2);
  });

  it("a campaign that differs in a field that cannot change is left alone, and a new one submitted", async () => {
    const profile = await create("Profile", "acme", { ...validProfile });
    const brand = await create("Brand", "brand", { profileUuid: profile.id, brandAlias: "Acme" });
    const first = await create("Campaign", "updates", { ...validCampaign(brand.id) });
    const second = await create("Campaign", "updates-2", { ...validCampaign(brand.id), vertical: "TECHNOLOGY" });
    expect(second.id).not.toBe(first.id);
    expect(await submissions(t, "campaign")).toBe(2);
  });
});

describe("buys that fail or complete late", () => {
  const sent: string[] = [];
  beforeEach(() => {
    sent.length = 0;
  });
  const ctxWith = (opts: { timeoutMs?: number; signal?: AbortSignal } = {}) =>
    makeContext(
      new PlivoClient({
        authId: t.emu.authId,
        authToken: t.emu.authToken,
        baseUrl: t.emu.url,
        timeoutMs: opts.timeoutMs,
        onRequest: (info) => sent.push(`${info.method} ${info.path.replace(/^.*\/Account\/[^/]+\//, "")}`),
      }),
      "PhoneNumber",
      {
        urn: urn("line"),
        signal: opts.signal,
        journal,
        log: { progress: () => {}, warn: () => {} },
      },
    );

  it("a buy that completes after the client's timeout ends with one number bought for one declared", async () => {
    await t.control("POST", "faults", { method: "POST", path: "/PhoneNumber/", mode: "delay", delayMs: 1_500, count: 1 });
    const res = await crud.create(handlers.PhoneNumber, ctxWith({ timeoutMs: 300 }), { search, __urn: urn("line") } as Props);
    expect(await buys()).toEqual([res.id]);
    // Timed out, looked for in the account until it appeared, never re-sent.
    expect(sent.filter((s) => s.startsWith("POST PhoneNumber/"))).toEqual([`POST PhoneNumber/${res.id}/`]);
    expect(sent.filter((s) => s === `GET Number/${res.id}/`).length).toBeGreaterThan(1);
  });

  it("a buy refused with a 5xx before processing is re-sent for the same number, never another", async () => {
    await t.control("POST", "faults", { method: "POST", path: "/PhoneNumber/", status: 503, count: 1 });
    const res = await crud.create(handlers.PhoneNumber, ctxWith(), { search, __urn: urn("line") } as Props);
    const posts = (await requests()).filter((r) => r.method === "POST" && r.path.startsWith("PhoneNumber/"));
    expect(posts.map((p) => p.path)).toEqual([`PhoneNumber/${res.id}/`, `PhoneNumber/${res.id}/`]);
    expect(await buys()).toEqual([res.id]);
  });

  it("after an uncertain earlier buy, 'not in the inventory' is checked against the account", async () => {
    const number = await firstInventory("415");
    await t.api("POST", `PhoneNumber/${number}/`, {});
    const ctx = ctxWith();
    expect(await buyNumber(ctx, number, {}, true)).toBe("bought");
    expect(await buyNumber(ctx, number, {}, false)).toBe("taken");
  });

  it("once the process stops (engine gone, cancel), no buy starts", async () => {
    const stop = new AbortController();
    stop.abort(new ProviderStoppingError("waiting", "the Pulumi engine is gone"));
    await expect(crud.create(handlers.PhoneNumber, ctxWith({ signal: stop.signal }), { search } as Props)).rejects.toThrow(
      /not starting buy \d+: the Pulumi engine is gone/,
    );
    expect(await buys()).toEqual([]);
  });
});

describe("where no journal survives (a fresh runner, PULUMI_SKIP_CHECKPOINTS)", () => {
  const tollfree = { countryIso: "US", type: "tollfree" };
  beforeAll(() => {
    process.env.PLIVO_UNMARKED_SETTLE_MS = "300";
  });
  afterAll(() => {
    delete process.env.PLIVO_UNMARKED_SETTLE_MS;
  });
  beforeEach(() => forgetRecoveryMemory());

  /** What the killed run did: bought `number` (and wrote `alias` when it got that far). */
  async function killedRunBought(pattern: string, alias?: string): Promise<string> {
    const number = await firstInventory(pattern);
    expect((await t.api("POST", `PhoneNumber/${number}/`, {})).status).toBe(201);
    if (alias !== undefined) await t.api("POST", `Number/${number}/`, { alias });
    await t.control("DELETE", "requests");
    return number;
  }

  it("a number carrying this resource's marker is taken over: one walk of the account, no search, no buy", async () => {
    const number = await killedRunBought("415", purchaseMarker(urn("line")));
    const pn = await createCounted("PhoneNumber", "line", { search, __urn: urn("line") });
    expect(pn.id).toBe(number);
    expect(await buys()).toEqual([number]);
    const log = (await requests()).map((r) => `${r.method} ${r.path}`);
    expect(log.filter((l) => l.startsWith("GET PhoneNumber/") || l.startsWith("POST PhoneNumber/"))).toEqual([]);
    expect(log[0]).toBe("GET Number/");
  });

  it("one walk serves every create of the process; the ordinary path adds that walk only", async () => {
    const made = await Promise.all([0, 1, 2].map((i) => create("PhoneNumber", `n${i}`, { search, __urn: urn(`n${i}`) })));
    const walks = (await requests()).filter((r) => r.method === "GET" && r.path === "Number/");
    expect(walks).toHaveLength(1);
    expect(new Set(made.map((m) => m.id)).size).toBe(3);
  });

  it("another stack's marker is never taken: that number stays, another is bought", async () => {
    const theirs = await killedRunBought("415", purchaseMarker(urn("line").replace("urn:pulumi:dev::", "urn:pulumi:prod::")));
    const pn = await create("PhoneNumber", "line", { search, __urn: urn("line") });
    expect(pn.id).not.toBe(theirs);
    expect((await t.api("GET", `Number/${theirs}/`)).body.alias).toMatch(/^pulumi:prod\/shop\/line#/);
  });

  it("a recent purchase without marker that matches the search is taken over once it stays unmarked, and marked", async () => {
    const number = await killedRunBought("415");
    const pn = await create("PhoneNumber", "line", { search, __urn: urn("line") });
    expect(pn.id).toBe(number);
    expect(await buys()).toEqual([number]);
    expect((await t.api("GET", `Number/${number}/`)).body.alias).toBe(purchaseMarker(urn("line")));
  });

  it("an unmarked number is not taken when it carries an alias, misses the search, or the program declares it", async () => {
    const aliased = await killedRunBought("415", "front-desk");
    const otherType = await killedRunBought("212");
    const declared = await killedRunBought("415");
    await check("PhoneNumber", "exact", { number: declared, __urn: urn("exact") });
    const pn = await create("PhoneNumber", "line", { search, __urn: urn("line") });
    expect([aliased, otherType, declared]).not.toContain(pn.id);
    const tf = await create("PhoneNumber", "tf", { search: tollfree, __urn: urn("tf") });
    expect([aliased, otherType, declared, pn.id]).not.toContain(tf.id);
    expect((await buys()).length).toBe(5);
  });

  it("a Powerpack an interrupted run made is found only once its create is refused (its name is unique), and taken over", async () => {
    const left = (await t.api("POST", "Powerpack/", { name: "pool-dev" })).body.uuid;
    await t.control("DELETE", "requests");
    const pp = await create("Powerpack", "pool", { name: "pool-dev", __urn: urn("pool", "Powerpack") });
    expect(pp.id).toBe(left);
    expect((await t.state()).powerpacks).toHaveLength(1);
    // The check's look-up of the name (one list walk per process: it has the declared values and nobody holds it, so
    // the preview passes), the create refused, the look that takes it over.
    expect((await requests()).map((r) => `${r.method} ${r.path}`).slice(0, 3)).toEqual(["GET Powerpack/", "POST Powerpack/", "GET Powerpack/"]);
    // The ordinary path sends the create alone (the check is answered by the process's walk of the names).
    forgetRecoveryMemory();
    await t.control("DELETE", "requests");
    await create("Powerpack", "other", { name: "other-dev", __urn: urn("other", "Powerpack") });
    expect((await requests()).map((r) => `${r.method} ${r.path}`)).toEqual(["POST Powerpack/"]);
  });

  it("an application with the same name and values is taken over; one that differs is left alone", async () => {
    const args = { appName: "support-dev", answerUrl: "https://example.com/a" };
    const left = (await t.api("POST", "Application/", { app_name: "support-dev", answer_url: "https://example.com/a" })).body.app_id;
    const app = await create("Application", "app", { ...args, __urn: urn("app", "Application") });
    expect(app.id).toBe(left);
    const other = (await t.api("POST", "Application/", { app_name: "ivr-dev", answer_url: "https://example.com/prod" })).body.app_id;
    forgetRecoveryMemory();
    const ivr = await create("Application", "ivr", { appName: "ivr-dev", answerUrl: "https://example.com/dev", __urn: urn("ivr", "Application") });
    expect(ivr.id).not.toBe(other);
    expect((await t.api("GET", `Application/${other}/`)).body.answer_url).toBe("https://example.com/prod");
  });
});
