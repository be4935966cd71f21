/** Emulator: numbers linked to 10DLC campaigns (link / unlink transitions, number mirror, callbacks). */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  activeCampaign,
  buyLongCode,
  buyTollfree,
  buyWhere,
  completedBrand,
  createCampaign,
  ledger,
  policy,
  resolve,
  startTestEmulator,
  submits,
  webhook,
  type TestEmulator,
} from "./async-fixtures";

let e: TestEmulator;
beforeAll(async () => {
  e = await startTestEmulator();
});
afterAll(async () => {
  await e.close();
});
beforeEach(async () => {
  await e.control("POST", "reset");
});

const linkPath = (c: string, n?: string) => `10dlc/Campaign/${c}/Number/${n ? `${n}/` : ""}`;
const linkStatus = async (c: string, n: string) => {
  const res = await e.get(linkPath(c, n));
  return res.status === 404 ? "GONE" : (res.body.phone_numbers[0].status as string);
};
const mirror = async (n: string) => {
  const b = (await e.get(`Number/${n}/`)).body;
  return [b.tendlc_registration_status, b.tendlc_campaign_id];
};

describe("link", () => {
  it("POST → 202; GET shows PROCESSING then COMPLETED; the number mirrors it", async () => {
    const { campaignId } = await activeCampaign(e);
    const n = await buyLongCode(e);
    expect(await mirror(n)).toEqual(["UNREGISTERED", null]);

    const res = await e.post(linkPath(campaignId), { numbers: [`+${n}`] });
    expect(res.status).toBe(202);
    expect(Object.keys(res.body).sort()).toEqual(["api_id", "message"]);
    expect(res.body.message).toBe(`Request to link ${n} to campaign ${campaignId} was received and is being processed`);
    expect(await mirror(n)).toEqual(["PROCESSING", campaignId]);

    const first = await e.get(linkPath(campaignId, n));
    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      api_id: expect.any(String),
      campaign_alias: "order updates",
      campaign_id: campaignId,
      phone_numbers: [{ number: n, status: "PROCESSING" }],
      usecase: "CUSTOMER_CARE",
    });
    const second = await e.get(`Campaign/${campaignId}/Number/${n}`);
    expect(second.body.phone_numbers).toEqual([{ number: n, status: "COMPLETED" }]);
    expect(await mirror(n)).toEqual(["COMPLETED", campaignId]);
    // the account number list filters see it
    expect((await e.get("Number/", { tendlc_campaign_id: campaignId })).body.objects.map((o: { number: string }) => o.number)).toEqual([n]);
    expect(await submits(e, "link", `${campaignId}/${n}`)).toBe(1);
    expect((await ledger(e)).find((l) => l.action === "submit" && l.resource === "link")).toMatchObject({ number: n });
  });

  it("list: phone_numbers of the campaign with limit/offset; reads count for every listed link", async () => {
    const { campaignId } = await activeCampaign(e);
    const a = await buyLongCode(e, "512");
    const b = await buyLongCode(e, "415");
    const res = await e.post(linkPath(campaignId), { numbers: [a, b] });
    expect(res.body.message).toBe(`Request to link ${a},${b} to campaign ${campaignId} was received and is being processed`);
    const first = await e.get(linkPath(campaignId));
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      campaign_alias: "order updates",
      campaign_id: campaignId,
      usecase: "CUSTOMER_CARE",
      phone_numbers: [
        { number: a, status: "PROCESSING" },
        { number: b, status: "PROCESSING" },
      ],
      meta: { limit: 20, offset: 0, total_count: 2 },
    });
    const page = await e.get(linkPath(campaignId), { limit: 1, offset: 1 });
    expect(page.body.phone_numbers).toEqual([{ number: b, status: "COMPLETED" }]);
    expect(page.body.meta).toMatchObject({ limit: 1, offset: 1, total_count: 2, previous: expect.stringContaining("offset=0") });
    expect((await e.get(linkPath("CNOPE00"))).status).toBe(404);
  });

  it("validation: campaign ACTIVE, number in the account, a US long code, SMS-enabled, not already linked", async () => {
    const brand = await completedBrand(e);
    await policy(e, { resource: "campaign", mode: "manual" });
    const pending = await createCampaign(e, brand);
    const { campaignId } = await activeCampaign(e);
    const n = await buyLongCode(e);
    const tollfree = await buyTollfree(e);
    const voiceOnly = await buyWhere(e, { country_iso: "US", type: "local", pattern: "206" }, (o) => o.sms_enabled === false);
    const canadian = await buyWhere(e, { country_iso: "CA", type: "local" }, (o) => o.sms_enabled === true);

    const cases: Array<[string, unknown, number, RegExp]> = [
      [pending, { numbers: [n] }, 400, new RegExp(`Campaign ${pending} is not ACTIVE \\(registration_status PROCESSING\\)`)],
      [campaignId, {}, 400, /^numbers parameter is missing$/],
      [campaignId, { numbers: [] }, 400, /^numbers parameter is missing$/],
      [campaignId, { numbers: { n } }, 400, /^numbers must be a list/],
      [campaignId, { numbers: ["12025550000"] }, 400, /^The number 12025550000 is not a valid number: it is not rented in this account$/],
      [campaignId, { numbers: [tollfree] }, 400, new RegExp(`^The number ${tollfree} is not a US local long code`)],
      [campaignId, { numbers: [canadian] }, 400, new RegExp(`^The number ${canadian} is not a US local long code`)],
      [campaignId, { numbers: [voiceOnly] }, 400, new RegExp(`^The number ${voiceOnly} is not SMS-enabled$`)],
      [campaignId, { numbers: [n], url: "nope" }, 400, /^url is not a valid URL$/],
      ["CNOPE00", { numbers: [n] }, 404, /^not found$/],
    ];
    for (const [c, body, status, msg] of cases) {
      const res = await e.post(linkPath(c), body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.body.error, JSON.stringify(body)).toMatch(msg);
    }
    // all-or-nothing: one bad number links none
    expect((await e.post(linkPath(campaignId), { numbers: [n, tollfree] })).status).toBe(400);
    expect((await e.get(linkPath(campaignId, n))).status).toBe(404);

    expect((await e.post(linkPath(campaignId), { numbers: [n] })).status).toBe(202);
    const again = await e.post(linkPath(campaignId), { numbers: [n] });
    expect(again.status).toBe(400);
    expect(again.body.error).toBe(`The number ${n} is already requested for linking`);
    const second = await activeCampaign(e);
    const elsewhere = await e.post(linkPath(second.campaignId), { numbers: [n] });
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.body.error).toBe(`The number ${n} is already requested for linking`);
    expect(await submits(e, "link")).toBe(1);
  });

  it("GET of a number that is not linked to the campaign → 404 not found", async () => {
    const { campaignId } = await activeCampaign(e);
    const n = await buyLongCode(e);
    expect(await e.get(linkPath(campaignId, n))).toMatchObject({ status: 404, body: { error: "not found" } });
  });

  it("failure outcome: FAILED, the number is free again and can be relinked", async () => {
    const { campaignId } = await activeCampaign(e);
    const n = await buyLongCode(e);
    await policy(e, { resource: "link", id: `${campaignId}/${n}`, mode: "immediate", outcome: "failure" });
    await e.post(linkPath(campaignId), { numbers: [n] });
    expect(await linkStatus(campaignId, n)).toBe("FAILED");
    expect(await mirror(n)).toEqual(["UNREGISTERED", null]);
    await policy(e, { resource: "link", id: `${campaignId}/${n}`, mode: "immediate" });
    expect((await e.post(linkPath(campaignId), { numbers: [n] })).status).toBe(202);
    expect(await linkStatus(campaignId, n)).toBe("COMPLETED");
    expect(await submits(e, "link", `${campaignId}/${n}`)).toBe(2);
  });

  it("modes: seconds on the emulator clock, manual + resolve with {campaign_id}/{number}", async () => {
    const { campaignId } = await activeCampaign(e);
    const a = await buyLongCode(e, "512");
    const b = await buyLongCode(e, "415");
    await policy(e, { resource: "link", mode: "seconds", seconds: 60 });
    await e.post(linkPath(campaignId), { numbers: [a] });
    expect(await linkStatus(campaignId, a)).toBe("PROCESSING");
    await e.control("POST", "clock", { advanceMs: 61_000 });
    // the account number mirror follows without reading the link
    expect(await mirror(a)).toEqual(["COMPLETED", campaignId]);

    await policy(e, { resource: "link", mode: "manual" });
    await e.post(linkPath(campaignId), { numbers: [b] });
    expect(await linkStatus(campaignId, b)).toBe("PROCESSING");
    expect(await linkStatus(campaignId, b)).toBe("PROCESSING");
    const r = await resolve(e, "link", `${campaignId}/+${b}`, "success");
    expect(r.body).toEqual({ resource: "link", id: `${campaignId}/+${b}`, status: "COMPLETED" });
    expect(await linkStatus(campaignId, b)).toBe("COMPLETED");
    expect((await resolve(e, "link", `${campaignId}/${b}`, "success")).status).toBe(400);
    expect((await resolve(e, "link", `${campaignId}/12025550000`, "success")).status).toBe(404);
    expect((await resolve(e, "link", "no-slash", "success")).status).toBe(400);
  });
});

describe("unlink", () => {
  it("DELETE → 202; PROCESSING, then gone (404); the mirror returns to UNREGISTERED", async () => {
    const { campaignId } = await activeCampaign(e);
    const n = await buyLongCode(e);
    await policy(e, { resource: "link", mode: "immediate" });
    await e.post(linkPath(campaignId), { numbers: [n] });
    expect(await linkStatus(campaignId, n)).toBe("COMPLETED");

    const res = await e.del(linkPath(campaignId, n), { url: null });
    expect(res.status).toBe(202);
    expect(Object.keys(res.body).sort()).toEqual(["api_id", "message"]);
    expect(res.body.message).toBe(`Request to unlink ${n} from campaign ${campaignId} was received and is being processed`);
    expect(await mirror(n)).toEqual(["PROCESSING", campaignId]);
    // a repeated request while unlinking is accepted again (no second unlink)
    expect((await e.del(`Campaign/${campaignId}/Number/${n}`)).status).toBe(202);
    expect(await linkStatus(campaignId, n)).toBe("PROCESSING");
    expect(await linkStatus(campaignId, n)).toBe("GONE");
    expect(await mirror(n)).toEqual(["UNREGISTERED", null]);
    expect((await e.get(linkPath(campaignId))).body.phone_numbers).toEqual([]);
    expect((await ledger(e)).filter((l) => l.action === "unlink")).toEqual([
      expect.objectContaining({ resource: "link", id: `${campaignId}/${n}`, number: n }),
    ]);

    const notLinked = await e.del(linkPath(campaignId, n));
    expect(notLinked.status).toBe(400);
    expect(notLinked.body.error).toBe(`The number ${n} is not a valid number`);
    expect((await e.del(linkPath("CNOPE00", n))).status).toBe(404);
    // the number can go to another campaign now
    const other = await activeCampaign(e);
    expect((await e.post(linkPath(other.campaignId), { numbers: [n] })).status).toBe(202);
  });

  it("unlink failure: back to COMPLETED", async () => {
    const { campaignId } = await activeCampaign(e);
    const n = await buyLongCode(e);
    await policy(e, { resource: "link", mode: "immediate" });
    await policy(e, { resource: "unlink", mode: "manual" });
    await e.post(linkPath(campaignId), { numbers: [n] });
    await e.del(linkPath(campaignId, n));
    expect(await linkStatus(campaignId, n)).toBe("PROCESSING");
    expect((await resolve(e, "unlink", `${campaignId}/${n}`, "failure")).body.status).toBe("COMPLETED");
    expect(await linkStatus(campaignId, n)).toBe("COMPLETED");
    expect(await mirror(n)).toEqual(["COMPLETED", campaignId]);
  });

  it("campaign deactivation: refused while a number is PROCESSING (linking or unlinking); removes COMPLETED links", async () => {
    const { campaignId } = await activeCampaign(e);
    const n = await buyLongCode(e);
    await policy(e, { resource: "link", mode: "manual" });
    await policy(e, { resource: "unlink", mode: "manual" });
    await e.post(linkPath(campaignId), { numbers: [n] });
    const linking = await e.del(`10dlc/Campaign/${campaignId}/`);
    expect(linking.status).toBe(400);
    expect(linking.body.error).toMatch(new RegExp(`cannot be deactivated while numbers are in PROCESSING status \\(${n}\\)`));
    await resolve(e, "link", `${campaignId}/${n}`, "success");
    await e.del(linkPath(campaignId, n));
    expect((await e.del(`10dlc/Campaign/${campaignId}/`)).status).toBe(400);
    await resolve(e, "unlink", `${campaignId}/${n}`, "failure");

    const res = await e.del(`10dlc/Campaign/${campaignId}/`);
    expect(res.status).toBe(200);
    expect(await linkStatus(campaignId, n)).toBe("GONE");
    expect(await mirror(n)).toEqual(["UNREGISTERED", null]);
  });

  it("releasing (unrenting) a number drops its links", async () => {
    const { campaignId } = await activeCampaign(e);
    const n = await buyLongCode(e);
    await e.post(linkPath(campaignId), { numbers: [n] });
    expect((await e.del(`Number/${n}/`)).status).toBe(204);
    expect(await linkStatus(campaignId, n)).toBe("GONE");
    expect((await e.control("GET", "transitions")).body.pending).toEqual([]);
  });
});

describe("callbacks", () => {
  it("number_linking created → success|failed, number_unlinking created → success", async () => {
    const hook = await webhook();
    try {
      const { campaignId } = await activeCampaign(e);
      const a = await buyLongCode(e, "512");
      const b = await buyLongCode(e, "415");
      await policy(e, { resource: "link", mode: "immediate" });
      await policy(e, { resource: "link", id: `${campaignId}/${b}`, mode: "immediate", outcome: "failure" });
      await e.post(linkPath(campaignId), { numbers: [a, b], url: hook.url, method: "POST" });
      await hook.waitFor(4);
      const words = (from: number) => hook.received.slice(from).map((r) => [r.body?.event, r.body?.number, r.body?.status]);
      expect(words(0)).toEqual([
        ["number_linking", a, "created"],
        ["number_linking", a, "success"],
        ["number_linking", b, "created"],
        ["number_linking", b, "failed"],
      ]);
      expect(hook.received[0].body).toMatchObject({ campaign_id: campaignId });

      await policy(e, { resource: "unlink", mode: "immediate" });
      await e.del(linkPath(campaignId, a), { url: `${hook.url}?u=1`, method: "GET" });
      await hook.waitFor(6);
      expect(hook.received.slice(4).map((r) => [r.method, r.query.event, r.query.status, r.query.u])).toEqual([
        ["GET", "number_unlinking", "created", "1"],
        ["GET", "number_unlinking", "success", "1"],
      ]);
      const log = (await e.control("GET", "callbacks")).body.callbacks;
      expect(log.map((c: { resource: string; status: string }) => `${c.resource}:${c.status}`)).toEqual([
        "link:created",
        "link:success",
        "link:created",
        "link:failed",
        "unlink:created",
        "unlink:success",
      ]);
    } finally {
      await hook.close();
    }
  });
});
