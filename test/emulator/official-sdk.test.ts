/**
 * The official `plivo` npm SDK drives every endpoint of the emulated
 * resources and parses what comes back.
 *
 * Routing the SDK to the emulator happens here, in the test:
 *  - most resources honour the client option `url` (default
 *    `https://api.plivo.com/v1/Account/{authId}`);
 *  - "voice" requests (all Application calls) hard-code
 *    `https://api.plivo.com/v1/Account/` and go through `axios.create()`;
 *    we wrap `axios.create` so those instances rewrite the origin.
 */
import { createRequire } from "node:module";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startTestEmulator, type TestEmulator } from "../helpers/emulator";
import { ledger as ledgerOf } from "../helpers/ledger";

const req = createRequire(__filename);
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;
const plivo: Any = req("plivo");
const axios: Any = req("axios");
/**
 * The SDK's error classes are Babel-compiled subclasses of Error whose
 * constructors return a plain Error (so `instanceof` never holds); what the
 * SDK does give us is the parsed body: `status`, `message` (= body.error)
 * and `apiID` (= body.api_id).
 */
const httpError = (status: number, message?: string | RegExp) =>
  expect.objectContaining({ status, ...(message !== undefined ? { message: typeof message === "string" ? message : expect.stringMatching(message) } : {}) });

let emu: TestEmulator;
let client: Any;
const originalCreate = axios.create;

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
  client = new plivo.Client(emu.authId, emu.authToken, { url: `${origin}/v1/Account/${emu.authId}` });
});

afterAll(async () => {
  axios.create = originalCreate;
  await emu.close();
});

beforeEach(async () => {
  await emu.reset();
});

const silence = async <T>(fn: () => Promise<T>): Promise<T> => {
  // applications.create() console.logs its request params
  const log = console.log;
  console.log = () => undefined;
  try {
    return await fn();
  } finally {
    console.log = log;
  }
};

async function inventoryNumber(query: Record<string, string>): Promise<string> {
  const found = await client.numbers.search(query.country_iso, { ...query });
  return found[0].number;
}

describe("official plivo SDK against the emulator", () => {
  it("applications: create / get / list / update / delete", async () => {
    const created = await silence(() =>
      client.applications.create("sdk_app", { answerUrl: "https://example.com/answer", answerMethod: "GET", defaultNumberApp: true }),
    );
    expect(created.message).toBe("created");
    expect(created.appId).toMatch(/^\d{17}$/);
    expect(created.apiId).toMatch(/^[0-9a-f-]{36}$/);

    const got = await client.applications.get(created.appId);
    expect(got).toMatchObject({
      appId: created.appId,
      appName: "sdk_app",
      answerUrl: "https://example.com/answer",
      answerMethod: "GET",
      defaultApp: true,
      enabled: true,
      sipUri: `sip:${created.appId}@app.plivo.com`,
      resourceUri: `/v1/Account/${emu.authId}/Application/${created.appId}/`,
    });

    const list = await client.applications.list({ appName: "sdk_app" });
    expect(list).toHaveLength(1);
    expect(list[0].appId).toBe(created.appId);
    expect(list.meta).toMatchObject({ totalCount: 1, limit: 20, offset: 0 });

    const updated = await client.applications.update(created.appId, { messageUrl: "https://example.com/sms" });
    expect(updated.message).toBe("changed");
    expect((await client.applications.get(created.appId)).messageMethod).toBe("POST");
    const raw = await emu.state();
    expect(raw.applications[0].message_url).toBe("https://example.com/sms");

    expect(await client.applications.delete(created.appId, { cascade: false })).toBe(true);
    await expect(client.applications.get(created.appId)).rejects.toEqual(httpError(404, "not found"));
    const log = (await emu.control("GET", "requests")).body;
    const del = log.find((r: Any) => r.method === "DELETE");
    expect(del).toMatchObject({ status: 204, body: { cascade: "false" } });
  });

  it("numbers: search / buy / get / list / update / unrent", async () => {
    const found = await client.numbers.search("US", { type: "local", pattern: "415", limit: 3 });
    expect(found).toHaveLength(3);
    expect(found.meta).toMatchObject({ limit: 3, totalCount: 5 });
    expect(found[0]).toMatchObject({ country: "UNITED STATES", prefix: "415", type: "fixed", smsEnabled: true });
    const n = found[0].number;

    const bought = await client.numbers.buy(n);
    expect(bought).toMatchObject({ message: "created", status: "fulfilled", numbers: [{ number: n, status: "Success" }], statusCode: 201 });
    await expect(client.numbers.buy(n)).rejects.toEqual(httpError(404, "not found"));

    const got = await client.numbers.get(n);
    expect(got).toMatchObject({ number: n, numberType: "local", carrier: "Plivo", tendlcRegistrationStatus: "UNREGISTERED", application: null });

    const app = await silence(() => client.applications.create("num_app", { answerUrl: "https://example.com/a" }));
    const sa = (await client.subaccounts.create("sdk team", true)).authId;
    const upd = await client.numbers.update(n, { alias: "sdk line", appId: app.appId, subAccount: sa });
    expect(upd.message).toBe("changed");
    const after = await client.numbers.get(n);
    expect(after).toMatchObject({
      alias: "sdk line",
      subAccount: sa,
      subAccountName: "sdk team",
      application: `/v1/Account/${emu.authId}/Application/${app.appId}/`,
    });

    const listed = await client.numbers.list({ alias: "sdk line" });
    expect(listed.map((x: Any) => x.number)).toEqual([n]);
    expect(listed.meta.totalCount).toBe(1);

    expect(await client.numbers.unrent(n)).toBe(true);
    await expect(client.numbers.get(n)).rejects.toEqual(httpError(404, "not found"));
  });

  it("powerpacks: create / get / list / update / delete", async () => {
    const created = await client.powerpacks.create("sdk_pack", {
      stickySender: false,
      numberPriority: [{ countryIso: "US", serviceType: "SMS", priority: { priority1: "longcode", priority2: "tollfree", priority3: "shortcode" } }],
    });
    expect(created).toMatchObject({ name: "sdk_pack", stickySender: false, localConnect: true, applicationId: "", applicationType: "" });
    expect(created.numberPriority[0]).toEqual({
      countryIso: "US",
      serviceType: "SMS",
      priority: { priority1: "longcode", priority2: "tollfree", priority3: "shortcode" },
    });

    const pp = await client.powerpacks.get(created.uuid);
    expect(pp.number_pool_id).toBe(created.numberPool.split("/")[5]);
    expect(pp.name).toBe("sdk_pack");

    const list = await client.powerpacks.list();
    expect(list.map((x: Any) => x.uuid)).toEqual([created.uuid]);
    expect(list.meta.totalCount).toBe(1);

    const app = await silence(() => client.applications.create("pp_app", { answerUrl: "https://example.com/a" }));
    const upd = await client.powerpacks.update(created.uuid, { name: "renamed", applicationType: "xml", applicationId: app.appId });
    expect(upd).toMatchObject({ uuid: created.uuid, name: "renamed", applicationType: "XML", applicationId: app.appId });

    const del = await pp.delete();
    expect(del.response).toBe("success");
    await expect(client.powerpacks.get(created.uuid)).rejects.toEqual(httpError(404, "not found"));
  });

  it("number pool: add_number / add_tollfree / find / list / remove / buy_add_number (+ NumberPool sub-objects)", async () => {
    const created = await client.powerpacks.create("pool_pack");
    const pp = await client.powerpacks.get(created.uuid);
    const local = await inventoryNumber({ country_iso: "US", pattern: "212" });
    await client.numbers.buy(local);
    const tf = await inventoryNumber({ country_iso: "US", type: "tollfree" });
    await client.numbers.buy(tf);

    const added = await pp.add_number(local);
    expect(added).toMatchObject({ number: local, numberPoolUuid: pp.number_pool_id, countryIso2: "US", type: "fixed", service: "sms" });
    expect(added.accountPhoneNumberResource).toBe(`/v1/Account/${emu.authId}/Number/${local}/`);
    const addedTf = await pp.add_tollfree(tf);
    expect(addedTf).toMatchObject({ number: tf, type: "tollfree" });

    expect(await pp.find_number(local)).toMatchObject({ number: local, type: "fixed" });
    expect(await pp.find_tollfree(tf)).toMatchObject({ number: tf });
    const listed = await pp.list_numbers({ service: "sms" });
    expect(listed.objects.map((o: Any) => o.number)).toEqual([local]);
    expect(listed.meta).toMatchObject({ totalCount: 1, next: "", previous: "" });
    expect(await pp.count_numbers({ type: "fixed" })).toBe(1);
    expect((await pp.list_tollfree()).objects.map((o: Any) => o.number)).toEqual([tf]);
    expect((await pp.list_shortcodes()).objects).toEqual([]);

    // a second toll-free is refused
    const tf2 = await inventoryNumber({ country_iso: "US", type: "tollfree", pattern: "888" });
    await client.numbers.buy(tf2);
    await expect(pp.add_tollfree(tf2)).rejects.toEqual(httpError(400, /only one toll-free number/));

    expect((await pp.remove_number(local, false)).response).toBe("success");
    expect((await pp.remove_tollfree(tf, false)).response).toBe("success");
    expect((await client.numbers.get(local)).number).toBe(local);

    // buy_add_number with an explicit number, then via a search
    const fresh = await inventoryNumber({ country_iso: "US", pattern: "305" });
    const viaNumber = await pp.buy_add_number({ number: fresh });
    expect(viaNumber).toMatchObject({ number: fresh, numberPoolUuid: pp.number_pool_id });
    const viaSearch = await pp.buy_add_number({ country_iso2: "US", type: "local", pattern: "617" });
    expect(viaSearch.number).toMatch(/^1617/);
    expect((await client.numbers.get(viaSearch.number)).number).toBe(viaSearch.number);

    // NumberPool sub-objects (numbers / tollfree / shortcodes)
    const np = pp.number_pool;
    expect((await np.numbers.find(fresh)).number).toBe(fresh);
    const npList = await np.numbers.list({ service: "sms" });
    expect(npList.objects.map((o: Any) => o.number).sort()).toEqual([fresh, viaSearch.number].sort());
    expect(await np.numbers.count({})).toBe(2);
    expect((await np.numbers.remove(fresh, true)).response).toBe("success");
    await expect(client.numbers.get(fresh)).rejects.toEqual(httpError(404, "not found"));
    expect((await np.numbers.add(local)).number).toBe(local);
    const viaSub = await np.numbers.buy_add_number({ number: await inventoryNumber({ country_iso: "US", pattern: "713" }) });
    expect(viaSub.number).toMatch(/^1713/);
    expect((await np.tollfree.add(tf)).number).toBe(tf);
    expect((await np.tollfree.find(tf)).type).toBe("tollfree");
    expect((await np.tollfree.list()).objects).toHaveLength(1);
    expect((await np.tollfree.remove(tf, false)).response).toBe("success");
    await emu.control("POST", "shortcodes", { powerpack_uuid: created.uuid, shortcode: "44444" });
    expect((await np.shortcodes.list()).objects[0].shortcode).toBe("44444");
    // the docs' wire key is `shortcode`; the SDK's typed wrapper reads `shortCode` (absent), the rest parses
    expect(await pp.find_shortcode("44444")).toMatchObject({ numberPoolUuid: pp.number_pool_id, countryIso2: "US" });
    expect((await np.shortcodes.find("44444")).shortcode).toBe("44444");
    expect((await pp.remove_shortcode("44444")).response).toBe("success");

    const buys = (await ledgerOf(emu, { action: "buy" })).map((e) => e.number);
    expect(new Set(buys).size).toBe(buys.length);
  });

  it("profile: create / get / list / update / delete", async () => {
    const created = await client.profile.create(
      "sdk_profile",
      "",
      "reseller",
      "public",
      "ABC Inc.",
      "122321231",
      "Entertainment",
      "US",
      "ABC",
      "NYSE",
      "DUNS",
      "https://abc.example",
      { street: "660 Broadway", city: "New York City", state: "NY", postal_code: "10001", country: "US" },
      { first_name: "John", last_name: "Doe", email: "john@abc.example", title: "Mr", seniority: "ceo", phone: "12125557777" },
      "contact@abc.example",
      "ABC",
    );
    expect(created.message).toBe("Profile created successfully.");
    expect(created.profileUuid).toMatch(/^[0-9a-f-]{36}$/);

    const got = await client.profile.get(created.profileUuid);
    expect(got.profile).toMatchObject({
      profileUuid: created.profileUuid,
      profileType: "SECONDARY",
      customerType: "RESELLER",
      entityType: "PUBLIC_PROFIT",
      vertical: "ENTERTAINMENT",
      stockExchange: "NYSE",
      altBusinessIdType: "DUNS",
      address: { street: "660 Broadway", postalCode: "10001" },
      authorizedContact: { seniority: "CEO" },
      doingBusinessAs: "ABC",
    });

    const list = await client.profile.list({ limit: 10 });
    expect(list.profiles.map((p: Any) => p.profileType).sort()).toEqual(["PRIMARY", "SECONDARY"]);
    expect(list.meta).toMatchObject({ limit: 10, offset: 0 });

    const upd = await client.profile.update(created.profileUuid, { companyName: "ABC Holdings", vertical: "retail" });
    expect(upd.profile).toMatchObject({ companyName: "ABC Holdings", vertical: "RETAIL" });
    await expect(client.profile.update(created.profileUuid, { profileAlias: "nope" })).rejects.toEqual(httpError(400, /profile_alias/));

    const del = await client.profile.delete(created.profileUuid);
    expect(del.message).toBe("Profile deleted successfully.");
    await expect(client.profile.get(created.profileUuid)).rejects.toEqual(httpError(404, "not found"));
  });

  it("wrong credentials surface as the SDK's 401 error", async () => {
    const bad = new plivo.Client(emu.authId, "wrong-token", { url: `${emu.url}/v1/Account/${emu.authId}` });
    await expect(bad.numbers.list()).rejects.toEqual(httpError(401, "Authentication credentials invalid"));
  });
});
