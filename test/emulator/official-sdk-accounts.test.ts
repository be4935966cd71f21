/**
 * The official `plivo` npm SDK drives subaccounts (create, get, list, update, delete with and without cascade), SIP
 * endpoints (create, get, list, update, delete) and pricing against the emulator, with the main account's client and
 * with a subaccount's own client (docs/plivo-api.md §16–18).
 *
 * Endpoint calls are "voice" requests, which the SDK sends to a hard-coded `https://api.plivo.com`: the test
 * re-routes them as official-sdk.test.ts does, by wrapping `axios.create`.
 */
import { createRequire } from "node:module";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startTestEmulator, type TestEmulator } from "../helpers/emulator";
import { ledger } from "../helpers/ledger";

const req = createRequire(__filename);
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;
const plivo: Any = req("plivo");
const axios: Any = req("axios");
const httpError = (status: number, message?: string | RegExp) =>
  expect.objectContaining({ status, ...(message !== undefined ? { message: typeof message === "string" ? message : expect.stringMatching(message) } : {}) });

let emu: TestEmulator;
let main: Any;
const originalCreate = axios.create;
const clientOf = (authId: string, token: string) => new plivo.Client(authId, token, { url: `${emu.url}/v1/Account/${authId}` });

beforeAll(async () => {
  emu = await startTestEmulator();
  const origin = emu.url;
  axios.create = function patchedCreate(this: unknown, ...args: unknown[]) {
    const instance = originalCreate.apply(this, args);
    instance.interceptors.request.use((config: Any) => {
      if (typeof config.url === "string") config.url = config.url.replace(/^https:\/\/api\.plivo\.com/, origin);
      return config;
    });
    return instance;
  };
  main = clientOf(emu.authId, emu.authToken);
});

afterAll(async () => {
  axios.create = originalCreate;
  await emu.close();
});

beforeEach(() => emu.reset());

/** applications.create() console.logs its request params */
async function quietly<T>(fn: () => Promise<T>): Promise<T> {
  const log = console.log;
  console.log = () => undefined;
  try {
    return await fn();
  } finally {
    console.log = log;
  }
}

describe("official plivo SDK: subaccounts, endpoints, pricing", () => {
  it("subaccounts: create / get / list / update; its own credentials work on its own account", async () => {
    const created = await main.subaccounts.create("Marketing", true);
    expect(created).toMatchObject({
      message: "created",
      authId: expect.stringMatching(/^SA[A-Z0-9]{18}$/),
      authToken: expect.stringMatching(/^[A-Za-z0-9+/=]{40}$/),
    });
    const other = await main.subAccounts.create("Support"); // enabled defaults to false

    const got = await main.subaccounts.get(created.authId);
    const today = (await emu.control("GET", "bill")).body.date;
    expect(got).toMatchObject({
      authId: created.authId,
      authToken: created.authToken,
      name: "Marketing",
      enabled: true,
      created: today,
      modified: null,
      account: `/v1/Account/${emu.authId}/`,
      resourceUri: `/v1/Account/${emu.authId}/Subaccount/${created.authId}/`,
    });

    const list = await main.subaccounts.list({ limit: 20, offset: 0 });
    expect(list.map((s: Any) => s.authId)).toEqual([other.authId, created.authId]); // newest first
    expect(list.meta).toMatchObject({ totalCount: 2, limit: 20, offset: 0 });
    expect(list.find((s: Any) => s.authId === other.authId)).toMatchObject({ name: "Support", enabled: false });

    const updated = await main.subaccounts.update(created.authId, "Marketing EU", false);
    expect(updated.message).toBe("changed");
    expect(await main.subaccounts.get(created.authId)).toMatchObject({ name: "Marketing EU", enabled: false, modified: today });

    // a disabled subaccount cannot be used; enabled, its credentials work on /Account/{its id}/
    const sub = clientOf(created.authId, created.authToken);
    // (the node SDK maps no error class to 403: it rejects with a bare Error naming the status)
    const forbidden = expect.objectContaining({ message: expect.stringContaining("status code 403") });
    await expect(sub.numbers.list({})).rejects.toEqual(forbidden);
    await main.subaccounts.update(created.authId, "Marketing EU", true);
    expect(await sub.numbers.list({})).toHaveLength(0);
    expect(await sub.endpoints.list()).toHaveLength(0);
    // the subaccount does not manage subaccounts, search or buy numbers (main account only)
    await expect(sub.subaccounts.list()).rejects.toEqual(forbidden);
    await expect(sub.numbers.search("US", { type: "local" })).rejects.toEqual(forbidden);
  });

  it("numbers and applications between the main account and a subaccount; delete without cascade moves them back", async () => {
    const sa = await main.subaccounts.create("Team", true);
    const sub = clientOf(sa.authId, sa.authToken);
    const [own, theirs] = (await main.numbers.search("US", { type: "local", pattern: "415", limit: 2 })).map((x: Any) => x.number);
    await main.numbers.buy(own);
    await main.numbers.buy(theirs);
    expect((await main.numbers.update(theirs, { subAccount: sa.authId })).message).toBe("changed");

    // the main account lists both, the subaccount's marked; the subaccount sees its number only
    const mainList = await main.numbers.list({});
    expect(mainList.map((n: Any) => [n.number, n.subAccount])).toEqual([
      [own, null],
      [theirs, sa.authId],
    ]);
    expect(mainList[1].subAccountName).toBe("Team");
    expect((await main.numbers.list({ subaccount: sa.authId })).map((n: Any) => n.number)).toEqual([theirs]);
    expect((await sub.numbers.list({})).map((n: Any) => n.number)).toEqual([theirs]);
    await expect(sub.numbers.get(own)).rejects.toEqual(httpError(404));
    expect(await sub.numbers.get(theirs)).toMatchObject({ number: theirs, subAccount: sa.authId, resourceUri: `/v1/Account/${sa.authId}/Number/${theirs}/` });

    // an application created with the subaccount's credentials is its own
    const app = await quietly(() => sub.applications.create("team_app", { answerUrl: "https://example.com/a" }));
    expect(await sub.applications.get(app.appId)).toMatchObject({ appName: "team_app", subAccount: sa.authId });
    expect((await main.applications.list({ subaccount: sa.authId })).map((a: Any) => a.appId)).toEqual([app.appId]);
    await sub.numbers.update(theirs, { appId: app.appId });
    const ep = await sub.endpoints.create("teamphone", "s3cret", "team_phone", app.appId);

    // delete without cascade: everything of the subaccount moves to the main account; its credentials stop working
    expect(await main.subaccounts.delete(sa.authId, false)).toBe(true);
    await expect(main.subaccounts.get(sa.authId)).rejects.toEqual(httpError(404));
    await expect(sub.numbers.list({})).rejects.toEqual(httpError(401));
    expect(await main.numbers.get(theirs)).toMatchObject({ subAccount: null, application: `/v1/Account/${emu.authId}/Application/${app.appId}/` });
    expect(await main.applications.get(app.appId)).toMatchObject({ subAccount: null });
    expect(await main.endpoints.get(ep.endpointId)).toMatchObject({ subAccount: null, alias: "team_phone" });
    expect(await ledger(emu, { action: "unrent" })).toEqual([]);
  });

  it("delete with cascade: the subaccount's numbers are unrented, its applications and endpoints deleted", async () => {
    const sa = await main.subaccounts.create("Temp", true);
    const sub = clientOf(sa.authId, sa.authToken);
    const n = (await main.numbers.search("US", { type: "tollfree", limit: 1 }))[0].number;
    await main.numbers.buy(n);
    await main.numbers.update(n, { subAccount: sa.authId });
    const app = await quietly(() => sub.applications.create("temp_app", { answerUrl: "https://example.com/a" }));
    const ep = await sub.endpoints.create("tempphone", "s3cret", "temp_phone");
    const keep = await main.endpoints.create("mainphone", "s3cret", "main_phone");

    expect(await main.subaccounts.delete(sa.authId, true)).toBe(true);
    await expect(main.numbers.get(n)).rejects.toEqual(httpError(404));
    await expect(main.applications.get(app.appId)).rejects.toEqual(httpError(404));
    await expect(main.endpoints.get(ep.endpointId)).rejects.toEqual(httpError(404));
    expect((await main.endpoints.list()).map((e: Any) => e.endpointId)).toEqual([keep.endpointId]);
    expect(await ledger(emu, { action: "unrent", number: n })).toEqual([expect.objectContaining({ resource: "Subaccount" })]);
    const del = (await emu.control("GET", "requests")).body.find((r: Any) => r.method === "DELETE" && r.path.includes("/Subaccount/"));
    expect(del).toMatchObject({ status: 204, body: { cascade: "true" } });
  });

  it("endpoints: create / get / list / update / delete; the username gets a timestamp, the password is never shown", async () => {
    // the emulator clock on a known second: the username suffix is yyMMddHHmmss of it
    await emu.control("POST", "clock", { offsetMs: Date.UTC(2031, 9, 31, 14, 59, 58, 300) - Date.now() });
    const app = await quietly(() => main.applications.create("sip_app", { answerUrl: "https://example.com/a" }));
    const created = await main.endpoints.create("zumba", "hunter2", "zumba", app.appId);
    expect(created).toMatchObject({ message: "created", alias: "zumba", endpointId: expect.stringMatching(/^\d{14}$/) });
    expect(created.username).toMatch(/^zumba31103114595[89]$/);

    const got = await main.endpoints.get(created.endpointId);
    expect(got).toMatchObject({
      alias: "zumba",
      application: `/v1/Account/${emu.authId}/Application/${app.appId}/`,
      endpointId: created.endpointId,
      resourceUri: `/v1/Account/${emu.authId}/Endpoint/${created.endpointId}/`,
      sipRegistered: "false",
      sipUri: `sip:${created.username}@phone.plivo.com`,
      subAccount: null,
      username: created.username,
    });
    expect(got.password).toBeUndefined();
    expect(JSON.stringify(await emu.state())).not.toContain("hunter2");

    const second = await main.endpoints.create("zumba", "hunter22", "zumba_2");
    expect(second.username).not.toBe(created.username); // same second: the next timestamp
    const list = await main.endpoints.list({ limit: 20, offset: 0 });
    expect(list.map((e: Any) => e.endpointId)).toEqual([created.endpointId, second.endpointId]);
    expect(list.meta).toMatchObject({ totalCount: 2 });
    expect(list[1].application).toBeNull();

    const upd = await main.endpoints.update(created.endpointId, { alias: "zumba_desk", password: "newpass1", appId: "" });
    expect(upd.message).toBe("changed");
    expect(await main.endpoints.get(created.endpointId)).toMatchObject({ alias: "zumba_desk", application: null });
    await expect(main.endpoints.update(created.endpointId, { password: "abc" })).rejects.toEqual(httpError(400, /password/));
    await expect(main.endpoints.create("9lives", "s3cret", "x")).rejects.toEqual(httpError(400, /username/));

    expect(await main.endpoints.delete(second.endpointId)).toBe(true);
    await expect(main.endpoints.get(second.endpointId)).rejects.toEqual(httpError(404, "not found"));
  });

  it("pricing: the Pricing object, consistent with the inventory", async () => {
    const us = await main.pricings.get("US");
    expect(us).toMatchObject({ country: "United States", countryCode: 1, countryIso: "US" });
    expect(us.phoneNumbers.local).toMatchObject({ rate: "0.50000" });
    expect(us.phoneNumbers.tollfree).toMatchObject({ rate: "1.00000" });
    expect(us.phoneNumbers.local.rates).toContainEqual({ capabilities: ["voice", "sms", "mms"], rentalRate: "0.50000", setupRate: "0.50000" });
    expect(us.message).toMatchObject({ outbound: { rate: "0.00550" }, inbound: { rate: expect.any(String) } });
    expect(us.voice.inbound.local.rate).toMatch(/^\d+\.\d{5}$/);

    const local = (await main.numbers.search("US", { type: "local", pattern: "212", services: "sms", limit: 1 }))[0];
    const tf = (await main.numbers.search("US", { type: "tollfree", limit: 1 }))[0];
    const tfRate = us.phoneNumbers.tollfree.rates[0];
    expect([local.setupRate, local.monthlyRentalRate]).toEqual([us.phoneNumbers.local.rates[0].setupRate, us.phoneNumbers.local.rates[0].rentalRate]);
    expect([tf.setupRate, tf.monthlyRentalRate]).toEqual([tfRate.setupRate, tfRate.rentalRate]);
    expect((await main.pricings.get("GB")).phoneNumbers.mobile.rate).toBe("1.50000");
    await expect(main.pricings.get("FR")).rejects.toEqual(httpError(404, /no pricing for country_iso FR/));
  });
});
