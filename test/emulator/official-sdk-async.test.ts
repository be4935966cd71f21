/**
 * The official `plivo` npm SDK drives every endpoint of the asynchronous
 * resources (Brand, Campaign, campaign numbers, TollfreeVerification) against
 * the emulator and parses the replies.
 *
 * The SDK is pointed at the emulator with its `url` client option (default
 * `https://api.plivo.com/v1/Account/{authId}`); none of these resources use the
 * hard-coded "voice" base URL. Setup that is not under test (profile, numbers,
 * transition policies) goes through raw HTTP. The SDK camel-cases every
 * response key (`brand_id` → `brandId`), except where a response class maps
 * keys itself (TollfreeVerification get/list expose snake_case fields).
 */
import { createRequire } from "node:module";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { PROFILE_BODY, buyLongCode, buyTollfree, policy, resolve, startTestEmulator, submits, webhook, type TestEmulator } from "./async-fixtures";

const req = createRequire(__filename);
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;
const plivo: Any = req("plivo");

/** SDK errors carry the HTTP status and the body's `error` as message */
const httpError = (status: number, message?: string | RegExp) =>
  expect.objectContaining({ status, ...(message !== undefined ? { message: typeof message === "string" ? message : expect.stringMatching(message) } : {}) });

let e: TestEmulator;
let client: Any;

beforeAll(async () => {
  e = await startTestEmulator();
  client = new plivo.Client(e.emu.authId, e.emu.authToken, { url: `${e.emu.url}/v1/Account/${e.emu.authId}` });
});
afterAll(async () => {
  await e.close();
});
beforeEach(async () => {
  await e.control("POST", "reset");
});

async function profile(alias = "sdk"): Promise<string> {
  const res = await e.post("Profile/", { ...PROFILE_BODY, profile_alias: alias });
  expect(res.status).toBe(200);
  return res.body.profile_uuid;
}

const campaignArgs = (brandId: string, alias: string) => [
  brandId,
  alias,
  "RETAIL",
  "MIXED",
  ["2FA", "CUSTOMER_CARE"],
  "Order status and delivery updates for customers who opted in at checkout.",
  false,
  false,
  false,
  false,
  true,
  true,
  true,
  false,
  "Your order #1234 has shipped and arrives Tuesday.",
  "Reply HELP for help or STOP to opt out of order updates.",
  "A third sample message that is long enough.",
  undefined,
  undefined,
  "Customers opt in by ticking an unchecked box at checkout on acme.example.",
  "Acme: reply STOP to opt out. Help at acme.example/help.",
  "You are unsubscribed from Acme order updates. No more messages.",
  "https://acme.example/terms",
  "https://acme.example/privacy",
];

describe("official plivo SDK: asynchronous resources", () => {
  it("brand: create / get / list / get_usecases / deleteBrand", async () => {
    const hook = await webhook();
    try {
      const p = await profile();
      const created = await client.brand.create("sdk brand", p, "STANDARD", "true", { url: hook.url, method: "POST" });
      expect(created.brand_id).toMatch(/^B[A-Z0-9]{6}$/);
      expect(created.message).toBe("Request to create brand was received and is being processed.");
      expect(created.apiId).toMatch(/^[0-9a-f-]{36}$/);
      const id = created.brand_id;

      const first = await client.brand.get(id);
      expect(first.brand).toMatchObject({ brandId: id, brandAlias: "sdk brand", brandType: "STANDARD", profileUuid: p, registrationStatus: "PROCESSING" });
      const second = await client.brand.get(id);
      expect(second.brand).toMatchObject({
        registrationStatus: "COMPLETED",
        vettingStatus: "ACTIVE",
        vettingScore: 80,
        companyName: "Acme Widgets Inc.",
        entityType: "PRIVATE_PROFIT",
        address: { street: "1 Main St", city: "Austin", state: "TX", postalCode: "78701", country: "US" },
        authorizedContact: expect.objectContaining({ firstName: "Ada", email: "ada@acme.example" }),
      });

      const list = await client.brand.list({ type: "STANDARD", limit: 5 });
      expect(list.meta).toMatchObject({ limit: 5, offset: 0, totalCount: 1 });
      expect(list.brands.map((b: Any) => b.brandId)).toEqual([id]);
      expect((await client.brand.list({ registration_status: "FAILED" })).brands).toEqual([]);

      const uc = await client.brand.get_usecases(id);
      expect(uc.brandId).toBe(id);
      expect(uc.useCases).toHaveLength(12);
      expect(uc.useCases[0]).toEqual({ code: "2FA", name: "Two-Factor Authentication", details: expect.any(String) });

      await expect(client.brand.create("again", p, "STANDARD", "true")).rejects.toEqual(
        httpError(400, /The profile should not have been used to create another brand/),
      );
      await expect(client.brand.create("starter", await profile("other"), undefined, undefined)).rejects.toEqual(
        httpError(400, /paused support for Starter brands/),
      );

      const del = await client.brand.deleteBrand(id);
      expect(del).toMatchObject({ brandId: id, message: "Brand Deactivated" });
      await expect(client.brand.get(id)).rejects.toEqual(httpError(404, "not found"));
      await hook.waitFor(2);
      expect(hook.received.map((r) => r.body?.status)).toEqual(["created", "registered"]);
    } finally {
      await hook.close();
    }
  });

  it("campaign: create / get / list / update / deleteCampaign", async () => {
    await policy(e, { resource: "brand", mode: "immediate" });
    await policy(e, { resource: "campaign", mode: "manual" });
    const brand = (await client.brand.create("sdk brand", await profile(), "STANDARD", "false")).brand_id;

    const created = await client.campaign.create(...campaignArgs(brand, "sdk campaign"), {
      optin_message: "You are now subscribed to Acme order updates.",
      help_keywords: "HELP",
      url: "http://127.0.0.1:9/none",
    });
    expect(created.campaignId).toMatch(/^C[A-Z0-9]{6}$/);
    expect(created.message).toBe("Request to create campaign was received and is being processed.");
    const id = created.campaignId;

    const got = await client.campaign.get(id);
    expect(got.campaign).toMatchObject({
      campaignId: id,
      brandId: brand,
      campaignAlias: "sdk campaign",
      usecase: "MIXED",
      subUsecase: "2FA,CUSTOMER_CARE",
      vertical: "RETAIL",
      sample1: "Your order #1234 has shipped and arrives Tuesday.",
      sample3: "A third sample message that is long enough.", // sent by the SDK as sample_3
      optinMessage: "You are now subscribed to Acme order updates.",
      helpKeywords: "HELP",
      termsAndConditionsLink: "https://acme.example/terms",
      campaignAttributes: {
        embeddedLink: false,
        embeddedPhone: false,
        ageGated: false,
        directLending: false,
        subscriberOptin: true,
        subscriberOptout: true,
        subscriberHelp: true,
        affiliateMarketing: false,
      },
      registrationStatus: "PROCESSING",
      campaignSource: "plivo",
    });

    // update while PROCESSING: in place
    const upd = await client.campaign.update(id, "R1", "Shipping notifications for customers who opted in at checkout.");
    expect(upd.campaign).toMatchObject({
      campaignId: id,
      resellerId: "R1",
      description: "Shipping notifications for customers who opted in at checkout.",
      registrationStatus: "PROCESSING",
    });
    // update while FAILED: resubmitted
    await resolve(e, "campaign", id, "failure", "samples do not match");
    expect((await client.campaign.get(id)).campaign).toMatchObject({
      registrationStatus: "FAILED",
      errorCode: "1001",
      errorDescription: "samples do not match",
    });
    const resubmitted = await client.campaign.update(
      id,
      undefined,
      undefined,
      "Your Acme order 5678 is out for delivery today.",
      undefined,
      "",
      undefined,
      undefined,
      undefined,
      undefined,
      "START",
      undefined,
      "STOP,END",
    );
    expect(resubmitted.campaign).toMatchObject({
      registrationStatus: "PROCESSING",
      sample1: "Your Acme order 5678 is out for delivery today.",
      sample3: "",
      optinKeywords: "START",
      optoutKeywords: "STOP,END",
    });
    expect(await submits(e, "campaign", id)).toBe(2);
    await resolve(e, "campaign", id, "success");
    const active = await client.campaign.get(id);
    expect(active.campaign.registrationStatus).toBe("ACTIVE");
    expect(active.campaign.mnoMetadata).toBeDefined();
    await expect(client.campaign.update(id, "R2")).rejects.toEqual(httpError(400, /only allowed while registration_status is FAILED or PROCESSING/));

    const list = await client.campaign.list({ brand_id: brand, registration_status: "ACTIVE" });
    expect(list.meta.totalCount).toBe(1);
    expect(list.campaigns.map((c: Any) => c.campaignId)).toEqual([id]);
    expect((await client.campaign.list({ usecase: "2FA" })).campaigns).toEqual([]);

    await expect(client.campaign.create(...campaignArgs(brand, "x").map((v, i) => (i === 5 ? "too short" : v)))).rejects.toEqual(
      httpError(400, /^description must be at least 40 characters long$/),
    );

    const del = await client.campaign.deleteCampaign(id);
    expect(del).toMatchObject({ campaignId: id, message: "Campaign Deactivated" });
    expect((await client.campaign.get(id)).campaign.registrationStatus).toBe("EXPIRED");
  });

  it("campaign numbers: linkNumber / listNumber / getNumber / unlinkNumber", async () => {
    await policy(e, { resource: "brand", mode: "immediate" });
    await policy(e, { resource: "campaign", mode: "immediate" });
    const brand = (await client.brand.create("sdk brand", await profile(), "STANDARD", "true")).brand_id;
    const campaign = (await client.campaign.create(...campaignArgs(brand, "links"))).campaignId;
    const a = await buyLongCode(e, "512");
    const b = await buyLongCode(e, "415");

    const linked = await client.campaign.linkNumber(campaign, [a, b], { url: "http://127.0.0.1:9/none", method: "POST" });
    expect(linked.message).toBe(`Request to link ${a},${b} to campaign ${campaign} was received and is being processed`);
    expect(linked.apiId).toMatch(/^[0-9a-f-]{36}$/);
    await expect(client.campaign.linkNumber(campaign, [a])).rejects.toEqual(httpError(400, `The number ${a} is already requested for linking`));

    const one = await client.campaign.getNumber(campaign, a);
    expect(one).toMatchObject({ campaignId: campaign, campaignAlias: "links", usecase: "MIXED", phoneNumbers: [{ number: a, status: "PROCESSING" }] });
    const list = await client.campaign.listNumber(campaign, { limit: 10, offset: 0 });
    expect(list.phoneNumbers).toEqual([
      { number: a, status: "COMPLETED" },
      { number: b, status: "PROCESSING" },
    ]);
    expect(list.meta).toMatchObject({ limit: 10, totalCount: 2 });
    expect((await client.campaign.getNumber(campaign, b)).phoneNumbers).toEqual([{ number: b, status: "COMPLETED" }]);

    const unlinked = await client.campaign.unlinkNumber(campaign, a, { url: "http://127.0.0.1:9/none", method: "POST" });
    expect(unlinked.message).toBe(`Request to unlink ${a} from campaign ${campaign} was received and is being processed`);
    expect((await client.campaign.getNumber(campaign, a)).phoneNumbers).toEqual([{ number: a, status: "PROCESSING" }]);
    await expect(client.campaign.getNumber(campaign, a)).rejects.toEqual(httpError(404, "not found"));
    await expect(client.campaign.unlinkNumber(campaign, a)).rejects.toEqual(httpError(400, `The number ${a} is not a valid number`));
    expect((await client.numbers.get(a)).tendlcRegistrationStatus).toBe("UNREGISTERED");
    expect(await client.numbers.get(b)).toMatchObject({ tendlcRegistrationStatus: "COMPLETED", tendlcCampaignId: campaign });
  });

  it("tollfreeVerification: create / get / list / update / delete", async () => {
    await policy(e, { resource: "tfv", mode: "manual" });
    const p = await profile();
    const n = await buyTollfree(e, "833");
    const n2 = await buyTollfree(e, "844");
    const params = {
      profileUuid: p,
      number: n,
      usecase: "2FA,CUSTOMER_CARE",
      usecaseSummary: "One-time passcodes and support replies for Acme customers.",
      messageSample: "Your Acme code is 123456. It expires in 10 minutes.",
      optinImageUrl: "https://acme.example/optin.png",
      optinType: "WEB_FORM",
      volume: "1,000",
      additionalInformation: "Privacy: https://acme.example/privacy",
      extraData: "ticket-1",
      callbackUrl: "http://127.0.0.1:9/none",
      callbackMethod: "POST",
    };
    const created = await client.tollfreeVerification.create(params);
    expect(created.message).toBe("created");
    expect(created.uuid).toMatch(/^[0-9a-f-]{36}$/);
    const id = created.uuid;
    await expect(client.tollfreeVerification.create(params)).rejects.toEqual(httpError(400, /already has a toll-free verification request/));
    await expect(client.tollfreeVerification.create({ ...params, number: await buyLongCode(e) })).rejects.toEqual(
      httpError(400, /Only US and Canadian toll-free numbers will be accepted/),
    );

    const got = await client.tollfreeVerification.get(id);
    expect(got).toMatchObject({
      uuid: id,
      profile_uuid: p,
      number: n,
      usecase: "2FA,CUSTOMER_CARE",
      optin_type: "WEB_FORM",
      volume: "1,000",
      callback_url: "http://127.0.0.1:9/none",
      callback_method: "POST",
      status: "SUBMITTED",
      error_message: "",
      extra_data: "ticket-1",
    });
    expect(got.created).toMatch(/Z$/);

    const upd = await client.tollfreeVerification.update(id, { usecaseSummary: "Passcodes and support replies.", volume: "10,000" });
    expect(upd.message).toBe(`Tollfree verification request for uuid ${id} updated successfully.`);
    expect(await client.tollfreeVerification.get(id)).toMatchObject({ usecase_summary: "Passcodes and support replies.", volume: "10,000" });

    const other = (await client.tollfreeVerification.create({ ...params, number: n2, usecase: "MARKETING" })).uuid;
    await resolve(e, "tfv", other, "success");
    const list = await client.tollfreeVerification.list({ status: "SUBMITTED" });
    expect(list.meta).toMatchObject({ totalCount: 1 });
    expect(list.map((t: Any) => [t.uuid, t.status, t.number])).toEqual([[id, "SUBMITTED", n]]);
    expect((await client.tollfreeVerification.list({ number: n2 })).map((t: Any) => t.uuid)).toEqual([other]);

    await expect(client.tollfreeVerification.update(other, { extraData: "x" })).rejects.toEqual(httpError(400, /cannot be updated in APPROVED status/));
    await expect(client.tollfreeVerification.delete(other)).rejects.toEqual(httpError(400, /cannot be deleted in APPROVED status/));
    expect(await client.tollfreeVerification.delete(id)).toBe(true);
    await expect(client.tollfreeVerification.get(id)).rejects.toEqual(httpError(404, "not found"));
  });
});
