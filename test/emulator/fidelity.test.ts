/** Fidelity fixes (issue 11), each against what Plivo's documents and recorded responses show (docs/plivo-api.md). */
import { request } from "undici";
import { describe, expect, it } from "vitest";
import { useTestEmulator } from "../helpers/emulator";
import { API_ID_RE, PROFILE_BODY, buyTollfree, campaignBody, completedBrand, createTfv, makeProfile, policy, resolve, tfvBody } from "./async-fixtures";

const e = useTestEmulator();

describe("campaigns", () => {
  it("mno_metadata on PROCESSING and FAILED campaigns too, not only ACTIVE (§8.1)", async () => {
    await policy(e(), { resource: "campaign", mode: "manual" });
    const brand = await completedBrand(e());
    const id = (await e().post("10dlc/Campaign/", campaignBody(brand))).body.campaign_id;
    const mno = { "AT&T": { tpm: 4500 }, "T-Mobile": { brand_tier: "TOP" }, "US Cellular": { tpm: 4500 }, "Verizon Wireless": { tpm: 4500 } };
    const processing = (await e().get(`10dlc/Campaign/${id}/`)).body.campaign;
    expect(processing).toMatchObject({ registration_status: "PROCESSING", mno_metadata: mno });
    await resolve(e(), "campaign", id, "failure");
    const failed = (await e().get(`10dlc/Campaign/${id}/`)).body.campaign;
    expect(failed).toMatchObject({ registration_status: "FAILED", mno_metadata: mno, error_code: "1001" });
    expect((await e().get("10dlc/Campaign/", { brand_id: brand })).body.campaigns[0].mno_metadata).toEqual(mno);
  });

  it("a brand whose campaigns are all FAILED or EXPIRED can be deleted; an ACTIVE or PROCESSING one still blocks (§7.5)", async () => {
    await policy(e(), { resource: "campaign", mode: "manual" });
    const brand = await completedBrand(e());
    const failed = (await e().post("10dlc/Campaign/", campaignBody(brand))).body.campaign_id;
    await resolve(e(), "campaign", failed, "failure");
    const active = (await e().post("10dlc/Campaign/", campaignBody(brand, { campaign_alias: "two" }))).body.campaign_id;
    await resolve(e(), "campaign", active, "success");
    const blocked = await e().del(`10dlc/Brand/${brand}/`);
    expect(blocked.status).toBe(400);
    expect(blocked.body.error).toContain(active);
    expect(blocked.body.error).not.toContain(failed);
    expect((await e().del(`10dlc/Campaign/${active}/`)).status).toBe(200); // EXPIRED
    const del = await e().del(`10dlc/Brand/${brand}/`);
    expect(del.status).toBe(200);
    expect(del.body).toMatchObject({ brand_id: brand, message: "Brand Deactivated" });
  });
});

describe("toll-free verification", () => {
  it("after REJECTED the use case cannot be submitted again for that number; another use case can (§10.3)", async () => {
    await policy(e(), { resource: "tfv", mode: "manual" });
    const profile = await makeProfile(e());
    const n = await buyTollfree(e());
    const first = await createTfv(e(), profile, n, { usecase: "2FA,CUSTOMER_CARE" });
    await resolve(e(), "tfv", first, "failure", "opt-in not shown");
    const again = await e().post("TollfreeVerification/", tfvBody(profile, n, { usecase: "CUSTOMER_CARE" }));
    expect(again.status).toBe(400);
    expect(again.body).toMatchObject({
      api_id: expect.stringMatching(API_ID_RE),
      error: `number ${n}: use case CUSTOMER_CARE was REJECTED (request ${first}) and cannot be submitted for verification again`,
    });
    expect((await e().post(`TollfreeVerification/${first}/`, { usecase_summary: "resubmitting" })).status).toBe(400);
    expect((await e().post("TollfreeVerification/", tfvBody(profile, n, { usecase: "MARKETING" }))).status).toBe(201);
  });
});

describe("number pools", () => {
  it("the pool's Number list honours type=tollfree / toll-free with the toll-free member (§5.2, §14.13)", async () => {
    const pp = (await e().post("Powerpack/", { name: "pool" })).body;
    const pool = pp.number_pool.split("/")[5];
    const long = await e().buy({ country_iso: "US", type: "local", pattern: "415", services: "sms" });
    const tf = await buyTollfree(e());
    await e().post(`NumberPool/${pool}/Number/${long}/`);
    await e().post(`NumberPool/${pool}/Tollfree/${tf}/`);
    for (const type of ["tollfree", "toll-free", "Toll-Free"]) {
      const listed = (await e().get(`NumberPool/${pool}/Number/`, { type })).body;
      expect(listed.objects.map((o: any) => [o.number, o.type])).toEqual([[tf, "tollfree"]]);
      expect(listed.meta.total_count).toBe(1);
    }
    // unfiltered, the Number list holds the long codes (the official SDK's list_numbers/count_numbers expect that)
    expect((await e().get(`NumberPool/${pool}/Number/`)).body.objects.map((o: any) => o.number)).toEqual([long]);
    expect((await e().get(`NumberPool/${pool}/Number/`, { type: "fixed" })).body.objects.map((o: any) => o.number)).toEqual([long]);
    expect((await e().get(`NumberPool/${pool}/Tollfree/${tf}/`)).body.type).toBe("tollfree");
    // reading, adding and removing the toll-free one by one still goes through Tollfree/
    expect((await e().get(`NumberPool/${pool}/Number/${tf}/`)).status).toBe(404);
    expect((await e().del(`NumberPool/${pool}/Number/${tf}/`)).status).toBe(404);
    expect((await e().del(`NumberPool/${pool}/Tollfree/${tf}/`)).status).toBe(200);
  });
});

describe("profiles", () => {
  it("seniority accepts free-form values as recorded responses show; listed values read back upper case (§6.2)", async () => {
    for (const [given, shown] of [
      ["admin", "admin"],
      ["Mr.", "Mr."],
      ["ceo", "CEO"],
    ]) {
      const res = await e().post("Profile/", { ...PROFILE_BODY, authorized_contact: { ...PROFILE_BODY.authorized_contact, seniority: given } });
      expect(res.status, given).toBe(200);
      expect((await e().get(`Profile/${res.body.profile_uuid}/`)).body.profile.authorized_contact.seniority).toBe(shown);
    }
  });
});

describe("phone numbers", () => {
  it("buying with ha_enable returns fallback_number, a second number of the same kind (§2.1)", async () => {
    const search = (await e().get("PhoneNumber/", { country_iso: "US", type: "local", pattern: "512" })).body.objects.map((o: any) => o.number);
    const res = await e().post(`PhoneNumber/${search[0]}/`, { ha_enable: true });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      message: "created",
      status: "fulfilled",
      numbers: [{ number: search[0], status: "Success" }],
      fallback_number: expect.stringMatching(/^1512\d{7}$/),
    });
    expect(res.body.fallback_number).not.toBe(search[0]);
    // the fallback is taken out of the inventory; a plain purchase has no fallback_number
    expect((await e().post(`PhoneNumber/${res.body.fallback_number}/`, {})).status).toBe(404);
    const plain = await e().post(`PhoneNumber/${search.find((n: string) => n !== search[0] && n !== res.body.fallback_number)}/`, {});
    expect(plain.body.fallback_number).toBeUndefined();
  });

  it("an unrented number is reclaimable in the console for 5 days and reserved by the carrier for 10 (§2.5)", async () => {
    const n = await e().buy({ country_iso: "US", pattern: "415" });
    expect((await e().del(`Number/${n}/`)).status).toBe(204);
    const r = (await e().state()).reserved.find((x: any) => x.number === n);
    const day = 86_400_000;
    expect(Date.parse(r.reclaimable_until) - Date.parse(r.unrented_at)).toBe(5 * day);
    expect(Date.parse(r.reserved_until) - Date.parse(r.unrented_at)).toBe(10 * day);
    expect((await e().get("PhoneNumber/", { country_iso: "US", pattern: n.slice(1, 7) })).body.objects.map((o: any) => o.number)).not.toContain(n);
  });
});

describe("malformed requests answer Plivo-shaped errors", () => {
  const auth = () => ({ authorization: `Basic ${Buffer.from(`${e().authId}:${e().authToken}`).toString("base64")}` });

  it("a URL that cannot be decoded → 400 {api_id, error}", async () => {
    for (const p of [`/v1/Account/${e().authId}/Number/%E0%A4%A/`, `/v1/Account/${e().authId}/Application/%FF/`, "/v1/Account/%ZZ/Application/"]) {
      const res = await request(`${e().url}${p}`, { headers: auth() });
      const body = JSON.parse(await res.body.text());
      expect(res.statusCode, p).toBe(400);
      expect(body).toEqual({ api_id: expect.stringMatching(API_ID_RE), error: "the request URL is not valid" });
    }
  });

  it("a body that is not valid UTF-8 → 400 {api_id, error}", async () => {
    const bytes = Buffer.concat([Buffer.from('{"app_name":"'), Buffer.from([0xff, 0xfe]), Buffer.from('","answer_url":"https://e.com/a"}')]);
    for (const type of ["application/json", "application/x-www-form-urlencoded"]) {
      const res = await request(`${e().url}/v1/Account/${e().authId}/Application/`, {
        method: "POST",
        headers: { ...auth(), "content-type": type },
        body: bytes,
      });
      expect(res.statusCode, type).toBe(400);
      expect(JSON.parse(await res.body.text())).toEqual({ api_id: expect.stringMatching(API_ID_RE), error: "request body is not valid UTF-8" });
    }
    expect((await e().state()).applications).toEqual([]);
  });
});
