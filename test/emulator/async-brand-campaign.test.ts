/** Emulator: 10DLC Brand and Campaign, the transition manager and its control surface. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { applyTransitionOptions, parseTransitionFlag } from "../../emulator/engine/flags";
import {
  API_ID_RE,
  BRAND_ID_RE,
  CAMPAIGN_ID_RE,
  activeCampaign,
  campaignBody,
  completedBrand,
  createBrand,
  createCampaign,
  ledger,
  makeProfile,
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

const brandStatus = async (id: string) => (await e.get(`10dlc/Brand/${id}/`)).body.brand.registration_status as string;
const campaignStatus = async (id: string) => (await e.get(`10dlc/Campaign/${id}/`)).body.campaign.registration_status as string;

describe("Brand", () => {
  it("create → 200 {api_id, brand_id, message}; the first read is PROCESSING, the next COMPLETED (default policy)", async () => {
    const profile = await makeProfile(e);
    const res = await e.post("10dlc/Brand/", { profile_uuid: profile, brand_alias: "acme", brand_type: "standard", secondary_vetting: "true" });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(["api_id", "brand_id", "message"]);
    expect(res.body.api_id).toMatch(API_ID_RE);
    expect(res.body.brand_id).toMatch(BRAND_ID_RE);
    expect(res.body.message).toBe("Request to create brand was received and is being processed.");
    const id = res.body.brand_id;

    const first = await e.get(`10dlc/Brand/${id}/`);
    expect(first.status).toBe(200);
    expect(first.body.api_id).toMatch(API_ID_RE);
    expect(first.body.brand).toMatchObject({ brand_id: id, registration_status: "PROCESSING", vetting_status: null, vetting_score: null });
    expect(first.body.brand.declined_reasons).toBeUndefined();

    const second = await e.get(`10dlc/Brand/${id}`); // no trailing slash
    expect(second.body.brand).toEqual({
      brand_id: id,
      brand_alias: "acme",
      brand_type: "STANDARD",
      profile_uuid: profile,
      company_name: "Acme Widgets Inc.",
      ein: "987654321",
      ein_issuing_country: "US",
      entity_type: "PRIVATE_PROFIT",
      vertical: "RETAIL",
      website: "https://acme.example",
      stock_symbol: "",
      stock_exchange: "",
      alt_business_id: "",
      alt_business_id_type: "NONE",
      address: { street: "1 Main St", city: "Austin", state: "TX", postal_code: "78701", country: "US" },
      authorized_contact: { first_name: "Ada", last_name: "Lovelace", email: "ada@acme.example", title: "CEO", seniority: "CEO", phone: "15125550100" },
      registration_status: "COMPLETED",
      vetting_status: "ACTIVE",
      vetting_score: 80,
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/),
    });
    // the documented spelling without the 10dlc/ prefix serves the same object
    expect((await e.get(`Brand/${id}/`)).body.brand.registration_status).toBe("COMPLETED");
  });

  it("copies the profile at registration: later profile edits do not propagate", async () => {
    const profile = await makeProfile(e);
    const id = await createBrand(e, profile);
    expect((await e.post(`Profile/${profile}/`, { company_name: "Renamed Corp" })).status).toBe(200);
    expect((await e.get(`10dlc/Brand/${id}/`)).body.brand.company_name).toBe("Acme Widgets Inc.");
  });

  it("validation: each rule is a 400 naming the parameter", async () => {
    const profile = await makeProfile(e);
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ brand_alias: "x", brand_type: "STANDARD" }, /^profile_uuid parameter is missing$/],
      [{ profile_uuid: profile, brand_type: "STANDARD" }, /^brand_alias parameter is missing$/],
      [{ profile_uuid: "00000000-0000-4000-8000-000000000000", brand_alias: "x", brand_type: "STANDARD" }, /profile_uuid .* is not a valid profile/],
      [{ profile_uuid: profile, brand_alias: "x" }, /brand_type STARTER.*paused support for Starter brands/],
      [{ profile_uuid: profile, brand_alias: "x", brand_type: "STARTER" }, /brand_type STARTER.*paused/],
      [{ profile_uuid: profile, brand_alias: "x", brand_type: "PREMIUM" }, /^brand_type must be one of: STANDARD, STARTER$/],
      [{ profile_uuid: profile, brand_alias: "x", brand_type: "STANDARD", secondary_vetting: "maybe" }, /^secondary_vetting must be a boolean/],
      [{ profile_uuid: profile, brand_alias: "x", brand_type: "STANDARD", url: "not a url" }, /^url is not a valid URL$/],
      [{ profile_uuid: profile, brand_alias: "x", brand_type: "STANDARD", method: "PUT" }, /^method must be one of: GET, POST$/],
    ];
    for (const [body, msg] of cases) {
      const res = await e.post("10dlc/Brand/", body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error, JSON.stringify(body)).toMatch(msg);
    }
    const noEin = await makeProfile(e, { ein: undefined, profile_alias: "no-ein" });
    const res = await e.post("10dlc/Brand/", { profile_uuid: noEin, brand_alias: "x", brand_type: "STANDARD" });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(/STANDARD is not allowed for profiles not containing an EIN/);
    expect(await submits(e, "brand")).toBe(0);
  });

  it("a profile backs one brand", async () => {
    const profile = await makeProfile(e);
    const first = await createBrand(e, profile);
    const again = await e.post("10dlc/Brand/", { profile_uuid: profile, brand_alias: "again", brand_type: "STANDARD" });
    expect(again.status).toBe(400);
    expect(again.body.error).toContain("The profile should not have been used to create another brand");
    expect(again.body.error).toContain(first);
    // once the brand is deleted the profile is free again
    expect((await e.del(`10dlc/Brand/${first}/`)).status).toBe(200);
    expect((await e.post("10dlc/Brand/", { profile_uuid: profile, brand_alias: "again", brand_type: "STANDARD" })).status).toBe(200);
  });

  it("list: `brands` with meta, filters type and registration_status (case-insensitive); lists count as reads", async () => {
    await policy(e, { resource: "brand", mode: "manual" });
    const a = await createBrand(e, await makeProfile(e));
    const b = await createBrand(e, await makeProfile(e, { profile_alias: "b" }));
    await resolve(e, "brand", b, "success");
    const all = await e.get("10dlc/Brand/");
    expect(all.status).toBe(200);
    expect(all.body.meta).toEqual({ limit: 20, offset: 0, next: null, previous: null, total_count: 2 });
    expect(all.body.brands.map((x: { brand_id: string }) => x.brand_id).sort()).toEqual([a, b].sort());
    const completed = await e.get("10dlc/Brand/", { registration_status: "completed" });
    expect(completed.body.brands.map((x: { brand_id: string }) => x.brand_id)).toEqual([b]);
    expect(completed.body.meta.total_count).toBe(1);
    expect((await e.get("10dlc/Brand/", { status: "PROCESSING" })).body.brands.map((x: { brand_id: string }) => x.brand_id)).toEqual([a]);
    expect((await e.get("10dlc/Brand/", { type: "STARTER" })).body.brands).toEqual([]);
    expect((await e.get("Brand/", { type: "standard", limit: 1 })).body.meta).toMatchObject({
      limit: 1,
      total_count: 2,
      next: expect.stringContaining("offset=1"),
    });
    expect((await e.get("10dlc/Brand/", { registration_status: "DONE" })).status).toBe(400);

    // a list is a read of every brand it considers
    await policy(e, { resource: "brand", mode: "reads", count: 1 });
    const c = await createBrand(e, await makeProfile(e, { profile_alias: "c" }));
    await e.get("10dlc/Brand/");
    const listed = await e.get("10dlc/Brand/");
    expect(listed.body.brands.find((x: { brand_id: string }) => x.brand_id === c).registration_status).toBe("COMPLETED");
  });

  it("usecases: {api_id, brand_id, use_cases:[{code, name, details}]}", async () => {
    const id = await createBrand(e, await makeProfile(e));
    for (const path of [`10dlc/Brand/${id}/usecases/`, `Brand/${id}/usecases`]) {
      const res = await e.get(path);
      expect(res.status).toBe(200);
      expect(Object.keys(res.body).sort()).toEqual(["api_id", "brand_id", "use_cases"]);
      expect(res.body.brand_id).toBe(id);
      expect(res.body.use_cases.map((u: { code: string }) => u.code)).toEqual([
        "2FA",
        "ACCOUNT_NOTIFICATION",
        "CUSTOMER_CARE",
        "DELIVERY_NOTIFICATION",
        "FRAUD_ALERT",
        "HIGHER_EDUCATION",
        "LOW_VOLUME",
        "MARKETING",
        "MIXED",
        "POLLING_VOTING",
        "PUBLIC_SERVICE_ANNOUNCEMENT",
        "SECURITY_ALERT",
      ]);
      expect(res.body.use_cases[0]).toEqual({ code: "2FA", name: "Two-Factor Authentication", details: expect.any(String) });
    }
    expect((await e.get("10dlc/Brand/BNOPE00/usecases/")).status).toBe(404);
  });

  it("delete: 200 Brand Deactivated, then gone; refused while a campaign is not EXPIRED; the profile is guarded", async () => {
    const profile = await makeProfile(e);
    const id = await createBrand(e, profile);
    await resolve(e, "brand", id, "success");
    const campaign = await createCampaign(e, id);

    const blocked = await e.del(`10dlc/Brand/${id}/`);
    expect(blocked.status).toBe(400);
    expect(blocked.body.error).toMatch(new RegExp(`Brand ${id} cannot be deleted: .*${campaign}`));

    const profileDelete = await e.del(`Profile/${profile}/`);
    expect(profileDelete.status).toBe(400);
    expect(profileDelete.body.error).toContain(`brand ${id}`);

    expect((await e.del(`10dlc/Campaign/${campaign}/`)).status).toBe(200);
    const res = await e.del(`10dlc/Brand/${id}/`);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(["api_id", "brand_id", "message"]);
    expect(res.body).toMatchObject({ brand_id: id, message: "Brand Deactivated" });
    expect(await e.get(`10dlc/Brand/${id}/`)).toMatchObject({ status: 404, body: { error: "not found" } });
    expect((await e.del(`Brand/${id}/`)).status).toBe(404);
    expect((await e.del(`Profile/${profile}/`)).status).toBe(200);
    expect((await ledger(e)).filter((l) => l.action === "deactivate").map((l) => [l.resource, l.id])).toEqual([
      ["campaign", campaign],
      ["brand", id],
    ]);
  });

  it("failure outcome: FAILED with declined_reasons (reason from the policy)", async () => {
    await policy(e, { resource: "brand", mode: "immediate", outcome: "failure", reason: "EIN does not match the legal name" });
    const id = await createBrand(e, await makeProfile(e));
    const b = (await e.get(`10dlc/Brand/${id}/`)).body.brand;
    expect(b.registration_status).toBe("FAILED");
    expect(b.declined_reasons).toEqual([{ code: "TAX_ID_MISMATCH", message: "EIN does not match the legal name" }]);
    // campaigns need a COMPLETED brand
    const c = await e.post("10dlc/Campaign/", campaignBody(id));
    expect(c.status).toBe(400);
    expect(c.body.error).toMatch(/brand_id .* is not registered \(registration_status FAILED\)/);
  });
});

describe("transition modes", () => {
  it("immediate: the first read shows the outcome", async () => {
    await policy(e, { resource: "brand", mode: "immediate" });
    const id = await createBrand(e, await makeProfile(e));
    expect(await brandStatus(id)).toBe("COMPLETED");
  });

  it("reads:N: N reads show PROCESSING, read N+1 the outcome", async () => {
    await policy(e, { resource: "campaign", mode: "reads", count: 3 });
    const brand = await completedBrand(e);
    const id = await createCampaign(e, brand);
    expect([await campaignStatus(id), await campaignStatus(id), await campaignStatus(id)]).toEqual(["PROCESSING", "PROCESSING", "PROCESSING"]);
    expect(await campaignStatus(id)).toBe("ACTIVE");
    expect(await campaignStatus(id)).toBe("ACTIVE");
  });

  it("reads:0: already decided on the first read", async () => {
    await policy(e, { resource: "brand", mode: "reads", count: 0, outcome: "failure" });
    const id = await createBrand(e, await makeProfile(e));
    expect(await brandStatus(id)).toBe("FAILED");
  });

  it("seconds:T on the emulator clock (POST /__emulator/clock)", async () => {
    await policy(e, { resource: "brand", mode: "seconds", seconds: 30 });
    const id = await createBrand(e, await makeProfile(e));
    expect(await brandStatus(id)).toBe("PROCESSING");
    await e.control("POST", "clock", { advanceMs: 29_000 });
    expect(await brandStatus(id)).toBe("PROCESSING");
    await e.control("POST", "clock", { advanceMs: 1_500 });
    // any request evaluates deadlines: the list and the pending view agree
    expect((await e.control("GET", "transitions")).body.pending).toEqual([]);
    expect(await brandStatus(id)).toBe("COMPLETED");
  });

  it("seconds: deadlines fire without any read (timer)", async () => {
    await policy(e, { resource: "brand", mode: "seconds", seconds: 0.2 });
    const id = await createBrand(e, await makeProfile(e));
    await new Promise((r) => setTimeout(r, 1200));
    expect(e.emu.ctx.state.brands.find((b) => b.brand_id === id)?.registration_status).toBe("COMPLETED");
  });

  it("manual + POST /__emulator/resolve", async () => {
    await policy(e, { resource: "campaign", mode: "manual" });
    const brand = await completedBrand(e);
    const id = await createCampaign(e, brand);
    for (let i = 0; i < 5; i++) expect(await campaignStatus(id)).toBe("PROCESSING");
    const r = await resolve(e, "campaign", id, "failure", "Sample messages are not relevant");
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ resource: "campaign", id, status: "FAILED" });
    const c = (await e.get(`10dlc/Campaign/${id}/`)).body.campaign;
    expect(c).toMatchObject({
      registration_status: "FAILED",
      error_code: "1001",
      error_reason: expect.any(String),
      error_description: "Sample messages are not relevant",
    });
    // not pending any more / unknown / bad outcome
    expect((await resolve(e, "campaign", id, "success")).status).toBe(400);
    expect((await resolve(e, "campaign", "CNOPE00", "success")).status).toBe(404);
    expect((await resolve(e, "brand", brand, "update_required")).status).toBe(400);
    expect((await e.control("POST", "resolve", { resource: "widget", id, outcome: "success" })).status).toBe(400);
    // expire: EXPIRED, like a deactivation
    expect((await resolve(e, "campaign", id, "expire")).body.status).toBe("EXPIRED");
  });

  it("per-id policies win over the type default; DELETE /transitions resets", async () => {
    const brand = await completedBrand(e);
    await policy(e, { resource: "campaign", mode: "manual" });
    const a = await createCampaign(e, brand);
    const b = await createCampaign(e, brand, { campaign_alias: "b" });
    await policy(e, { resource: "campaign", id: b, mode: "immediate", outcome: "failure" });
    const view = (await e.control("GET", "transitions")).body;
    expect(view.defaults.campaign).toEqual({ mode: "manual", outcome: "success" });
    expect(view.defaults.brand).toEqual({ mode: "reads", count: 1, outcome: "success" });
    expect(view.overrides[`campaign:${b}`]).toEqual({ mode: "immediate", outcome: "failure" });
    expect(view.pending.map((p: { id: string }) => p.id)).toEqual([a]);
    expect(await campaignStatus(b)).toBe("FAILED");
    expect(await campaignStatus(a)).toBe("PROCESSING");
    const reset = await e.control("DELETE", "transitions");
    expect(reset.status).toBe(200);
    expect(reset.body.defaults.campaign).toEqual({ mode: "reads", count: 1, outcome: "success" });
    expect(reset.body.overrides).toEqual({});
    // the default policy now applies to the pending campaign (it was read 1 time already)
    expect(await campaignStatus(a)).toBe("ACTIVE");
  });

  it("control validation", async () => {
    const bad: Array<Record<string, unknown>> = [
      { resource: "brand", mode: "sometimes" },
      { resource: "nope", mode: "manual" },
      { resource: "brand", mode: "reads", count: -1 },
      { resource: "brand", mode: "seconds", seconds: "soon" },
      { resource: "brand", mode: "manual", count: 2 },
      { resource: "campaign", mode: "manual", outcome: "update_required" },
      { resource: "tfv", mode: "manual", outcome: "maybe" },
    ];
    for (const body of bad) expect((await e.control("POST", "transitions", body)).status, JSON.stringify(body)).toBe(400);
    expect((await e.control("POST", "resolve", { resource: "brand", outcome: "success" })).status).toBe(400);
  });

  it("parseTransitionFlag: TYPE=MODE[:N][:OUTCOME]", () => {
    expect(parseTransitionFlag("brand=reads:2")).toEqual({ resource: "brand", mode: "reads", count: 2, outcome: "success" });
    expect(parseTransitionFlag("campaign=manual")).toEqual({ resource: "campaign", mode: "manual", outcome: "success" });
    expect(parseTransitionFlag("tfv=seconds:30:failure")).toEqual({ resource: "tfv", mode: "seconds", seconds: 30, outcome: "failure" });
    expect(parseTransitionFlag("tfv=reads:update_required")).toEqual({ resource: "tfv", mode: "reads", count: 1, outcome: "update_required" });
    expect(parseTransitionFlag("link=immediate:failure")).toEqual({ resource: "link", mode: "immediate", outcome: "failure" });
    expect(parseTransitionFlag("unlink=seconds")).toEqual({ resource: "unlink", mode: "seconds", seconds: 30, outcome: "success" });
    for (const bad of ["brand", "brand=", "brand=fast", "widget=manual", "brand=manual:3", "brand=reads:2:success:extra", "campaign=reads:update_required"]) {
      expect(() => parseTransitionFlag(bad), bad).toThrow(/invalid --transition/);
    }
  });

  it("startEmulator({transitions}) applies them at start; an invalid entry refuses to start", async () => {
    const f = await startTestEmulator({ transitions: ["brand=immediate", "campaign=manual"] });
    try {
      const id = await createBrand(f, await makeProfile(f));
      expect((await f.get(`10dlc/Brand/${id}/`)).body.brand.registration_status).toBe("COMPLETED");
      expect((await f.control("GET", "transitions")).body.defaults.campaign).toEqual({ mode: "manual", outcome: "success" });
    } finally {
      await f.close();
    }
    await expect(startTestEmulator({ transitions: ["brand=sometimes"] })).rejects.toThrow(/invalid --transition "brand=sometimes"/);
  });

  it("applyTransitionOptions (EmulatorOptions.transitions) sets the defaults and survives POST /__emulator/reset", async () => {
    const f = await startTestEmulator();
    try {
      applyTransitionOptions(f.emu.ctx, ["brand=immediate:failure", { resource: "campaign", mode: "reads", count: 4 }]);
      const check = async () => {
        const d = (await f.control("GET", "transitions")).body.defaults;
        expect(d.brand).toEqual({ mode: "immediate", outcome: "failure" });
        expect(d.campaign).toEqual({ mode: "reads", count: 4, outcome: "success" });
      };
      await check();
      await f.control("POST", "transitions", { resource: "brand", mode: "manual" });
      await f.control("POST", "reset");
      await check();
      expect(() => applyTransitionOptions(f.emu.ctx, ["brand=never"])).toThrow(/invalid --transition/);
    } finally {
      await f.close();
    }
  });
});

describe("Campaign", () => {
  it("create → 200 {api_id, campaign_id, message}; GET shape; mno_metadata whatever the status", async () => {
    const brand = await completedBrand(e);
    const res = await e.post(
      "10dlc/Campaign/",
      campaignBody(brand, {
        usecase: "mixed",
        sub_usecases: ["2FA", "customer_care", "MARKETING"],
        vertical: "retail",
        sample3: "Third sample message long enough.",
        sample_4: "Fourth sample via the SDK spelling.",
        optin_message: "You are now subscribed to Acme order updates.",
        optin_keywords: "START,YES",
        optout_keywords: "STOP,END",
        help_keywords: "HELP,INFO",
        terms_and_conditions_link: "https://acme.example/terms",
        privacy_policy_link: "https://acme.example/privacy",
        reseller_id: "R123",
        embedded_link: "true",
        embedded_phone: "False",
      }),
    );
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(["api_id", "campaign_id", "message"]);
    expect(res.body.campaign_id).toMatch(CAMPAIGN_ID_RE);
    expect(res.body.message).toBe("Request to create campaign was received and is being processed.");
    const id = res.body.campaign_id;

    const first = await e.get(`10dlc/Campaign/${id}/`);
    expect(first.status).toBe(200);
    expect(first.body.campaign.registration_status).toBe("PROCESSING");
    // Plivo's recorded FAILED campaigns carry it too (docs/plivo-api.md §8.1): present while PROCESSING
    expect(first.body.campaign.mno_metadata).toEqual({
      "AT&T": { tpm: 4500 },
      "T-Mobile": { brand_tier: "TOP" },
      "US Cellular": { tpm: 4500 },
      "Verizon Wireless": { tpm: 4500 },
    });
    expect(first.body.campaign.error_code).toBeUndefined();

    const second = await e.get(`Campaign/${id}`);
    expect(second.body.campaign).toEqual({
      campaign_id: id,
      brand_id: brand,
      campaign_alias: "order updates",
      reseller_id: "R123",
      usecase: "MIXED",
      sub_usecase: "2FA,CUSTOMER_CARE,MARKETING",
      vertical: "RETAIL",
      description: "Order status and delivery updates for customers who opted in at checkout.",
      sample1: "Your order #1234 has shipped and arrives Tuesday.",
      sample2: "Reply HELP for help or STOP to opt out of order updates.",
      sample3: "Third sample message long enough.",
      sample4: "Fourth sample via the SDK spelling.",
      sample5: "",
      message_flow: "Customers opt in by ticking an unchecked box at checkout on acme.example.",
      help_message: "Acme: reply STOP to opt out. Help at acme.example/help.",
      help_keywords: "HELP,INFO",
      optin_message: "You are now subscribed to Acme order updates.",
      optin_keywords: "START,YES",
      optout_message: "You are unsubscribed from Acme order updates. No more messages.",
      optout_keywords: "STOP,END",
      terms_and_conditions_link: "https://acme.example/terms",
      privacy_policy_link: "https://acme.example/privacy",
      campaign_attributes: {
        embedded_link: true,
        embedded_phone: false,
        age_gated: false,
        direct_lending: false,
        subscriber_optin: true,
        subscriber_optout: true,
        subscriber_help: true,
        affiliate_marketing: false,
      },
      mno_metadata: {
        "AT&T": { tpm: 4500 },
        "T-Mobile": { brand_tier: "TOP" },
        "US Cellular": { tpm: 4500 },
        "Verizon Wireless": { tpm: 4500 },
      },
      registration_status: "ACTIVE",
      campaign_source: "plivo",
      created_at: expect.stringMatching(/Z$/),
    });
    expect(await submits(e, "campaign", id)).toBe(1);
  });

  it("validation: each rule is a 400 naming the parameter", async () => {
    const brand = await completedBrand(e);
    const without = (k: string) => {
      const b = campaignBody(brand);
      delete b[k];
      return b;
    };
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [without("brand_id"), /^brand_id parameter is missing$/],
      [campaignBody("BNOPE00"), /^brand_id BNOPE00 is not a valid brand$/],
      [without("vertical"), /^vertical parameter is missing$/],
      [campaignBody(brand, { vertical: "SPACE" }), /^vertical must be one of: PROFESSIONAL, /],
      [without("usecase"), /^usecase parameter is missing$/],
      [campaignBody(brand, { usecase: "SPAM" }), /^usecase must be one of: /],
      [campaignBody(brand, { usecase: "STARTER", sub_usecases: ["2FA", "MARKETING"] }), /usecase STARTER is only allowed for STARTER brands/],
      [campaignBody(brand, { usecase: "MIXED" }), /^sub_usecases: usecase MIXED requires 2 to 5 distinct sub use cases \(got 0\)$/],
      [campaignBody(brand, { usecase: "LOW_VOLUME", sub_usecases: ["2FA"] }), /^sub_usecases: .* \(got 1\)$/],
      [
        campaignBody(brand, { usecase: "MIXED", sub_usecases: ["2FA", "MARKETING", "FRAUD_ALERT", "SECURITY_ALERT", "CUSTOMER_CARE", "HIGHER_EDUCATION"] }),
        /\(got 6\)$/,
      ],
      [campaignBody(brand, { usecase: "MIXED", sub_usecases: ["2FA", "MIXED"] }), /^sub_usecases must be chosen from: .*\(got MIXED\)$/],
      [campaignBody(brand, { sub_usecases: ["2FA", "MARKETING"] }), /^sub_usecases are only allowed with usecase MIXED, LOW_VOLUME or STARTER/],
      [without("description"), /^description parameter is missing$/],
      [campaignBody(brand, { description: "Too short to describe anything." }), /^description must be at least 40 characters long$/],
      [without("sample1"), /^sample1 parameter is missing$/],
      [campaignBody(brand, { sample1: "short sample" }), /^sample1 must be at least 20 characters long$/],
      [without("sample2"), /^sample2 parameter is missing$/],
      [campaignBody(brand, { sample3: "short" }), /^sample3 must be at least 20 characters long$/],
      [campaignBody(brand, { sample_5: "short" }), /^sample5 must be at least 20 characters long$/],
      [without("message_flow"), /^message_flow parameter is missing$/],
      [campaignBody(brand, { message_flow: "They opt in online." }), /^message_flow must be at least 40 characters long$/],
      [without("help_message"), /^help_message parameter is missing$/],
      [campaignBody(brand, { help_message: "Call us." }), /^help_message must be at least 20 characters long$/],
      [without("optout_message"), /^optout_message parameter is missing$/],
      [campaignBody(brand, { optout_message: "Bye." }), /^optout_message must be at least 20 characters long$/],
      [campaignBody(brand, { optin_message: "Hi." }), /^optin_message must be at least 20 characters long$/],
      [campaignBody(brand, { subscriber_optin: false }), /^subscriber_optin must be true$/],
      [campaignBody(brand, { subscriber_optout: "false" }), /^subscriber_optout must be true$/],
      [without("subscriber_help"), /^subscriber_help parameter is missing$/],
      ...["embedded_link", "embedded_phone", "age_gated", "direct_lending", "affiliate_marketing"].map(
        (k) => [without(k), new RegExp(`^${k} parameter is missing$`)] as [Record<string, unknown>, RegExp],
      ),
      [campaignBody(brand, { age_gated: "sometimes" }), /^age_gated must be a boolean/],
      [campaignBody(brand, { help_keywords: "help" }), /^help_keywords must be in capital letters$/],
      [campaignBody(brand, { optin_keywords: "JOIN NOW" }), /^optin_keywords must be a comma-separated list/],
      [campaignBody(brand, { privacy_policy_link: "nope" }), /^privacy_policy_link is not a valid URL$/],
      [campaignBody(brand, { url: "ftp://x" }), /^url is not a valid URL$/],
    ];
    for (const [body, msg] of cases) {
      const res = await e.post("10dlc/Campaign/", body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error, JSON.stringify(body)).toMatch(msg);
    }
    // a brand that is still PROCESSING
    const pending = await createBrand(e, await makeProfile(e, { profile_alias: "pending" }));
    const res = await e.post("10dlc/Campaign/", campaignBody(pending));
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(new RegExp(`brand_id ${pending} is not registered \\(registration_status PROCESSING\\)`));
    expect(await submits(e, "campaign")).toBe(0);
  });

  it("list: `campaigns` with meta; filters brand_id, usecase, registration_status (case-insensitive), campaign_source", async () => {
    await policy(e, { resource: "campaign", mode: "manual" });
    const brand1 = await completedBrand(e);
    const brand2 = await completedBrand(e);
    const a = await createCampaign(e, brand1);
    const b = await createCampaign(e, brand1, { usecase: "2FA" });
    const c = await createCampaign(e, brand2);
    await resolve(e, "campaign", b, "success");
    await resolve(e, "campaign", c, "failure");
    const ids = (res: { body: { campaigns: Array<{ campaign_id: string }> } }) => res.body.campaigns.map((x) => x.campaign_id).sort();
    const all = await e.get("10dlc/Campaign/");
    expect(all.status).toBe(200);
    expect(all.body.meta).toMatchObject({ limit: 20, offset: 0, total_count: 3 });
    expect(ids(all)).toEqual([a, b, c].sort());
    expect(ids(await e.get("10dlc/Campaign/", { brand_id: brand1 }))).toEqual([a, b].sort());
    expect(ids(await e.get("10dlc/Campaign/", { usecase: "2fa" }))).toEqual([b]);
    expect(ids(await e.get("10dlc/Campaign/", { registration_status: "active" }))).toEqual([b]);
    expect(ids(await e.get("Campaign/", { registration_status: "Failed" }))).toEqual([c]);
    expect(ids(await e.get("10dlc/Campaign/", { campaign_source: "plivo" }))).toEqual([a, b, c].sort());
    expect(ids(await e.get("10dlc/Campaign/", { campaign_source: "shared" }))).toEqual([]);
    expect((await e.get("10dlc/Campaign/", { registration_status: "DONE" })).status).toBe(400);
  });

  it("update: only FAILED/PROCESSING; a FAILED campaign is resubmitted (ledger submit); updatable fields only", async () => {
    await policy(e, { resource: "campaign", mode: "manual" });
    const brand = await completedBrand(e);
    const id = await createCampaign(e, brand);

    // PROCESSING: edits in place, no new submission
    const inPlace = await e.post(`10dlc/Campaign/${id}/`, { campaign_alias: "renamed", sample_3: "A third sample that is long enough." });
    expect(inPlace.status).toBe(200);
    expect(Object.keys(inPlace.body).sort()).toEqual(["api_id", "campaign"]);
    expect(inPlace.body.campaign).toMatchObject({
      campaign_id: id,
      campaign_alias: "renamed",
      sample3: "A third sample that is long enough.",
      registration_status: "PROCESSING",
    });
    expect(await submits(e, "campaign", id)).toBe(1);

    await resolve(e, "campaign", id, "failure", "bad samples");
    const fixed = await e.post(`10dlc/Campaign/${id}/`, {
      description: "Shipping notifications for customers that opted in at the checkout page.",
      sample1: "Your Acme order 5678 is out for delivery today.",
      sample3: "",
      optin_keywords: "START",
      reseller_id: "R9",
    });
    expect(fixed.status).toBe(200);
    expect(fixed.body.campaign).toMatchObject({
      registration_status: "PROCESSING",
      sample1: "Your Acme order 5678 is out for delivery today.",
      sample3: "",
      optin_keywords: "START",
      reseller_id: "R9",
    });
    expect(fixed.body.campaign.error_code).toBeUndefined();
    expect(await submits(e, "campaign", id)).toBe(2);
    await resolve(e, "campaign", id, "success");

    const active = await e.post(`10dlc/Campaign/${id}/`, { description: "Another description that is at least forty characters." });
    expect(active.status).toBe(400);
    expect(active.body.error).toMatch(/only allowed while registration_status is FAILED or PROCESSING \(it is ACTIVE\)/);

    const other = await createCampaign(e, brand);
    for (const [body, msg] of [
      [{ usecase: "2FA" }, /^usecase cannot be updated/],
      [{ embedded_link: true, description: "x" }, /^embedded_link cannot be updated/],
      [{}, /^provide at least one of/],
      [{ description: "too short" }, /^description must be at least 40 characters long$/],
      [{ sample2: "" }, /^sample2 must be at least 20 characters long$/],
    ] as Array<[Record<string, unknown>, RegExp]>) {
      const res = await e.post(`10dlc/Campaign/${other}/`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error).toMatch(msg);
    }
    expect((await e.post("10dlc/Campaign/CNOPE00/", { campaign_alias: "x" })).status).toBe(404);
  });

  it("delete: 200 Campaign Deactivated → EXPIRED, still readable; idempotent", async () => {
    const { campaignId } = await activeCampaign(e);
    const res = await e.del(`10dlc/Campaign/${campaignId}/`);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(["api_id", "campaign_id", "message"]);
    expect(res.body).toMatchObject({ campaign_id: campaignId, message: "Campaign Deactivated" });
    expect(await campaignStatus(campaignId)).toBe("EXPIRED");
    expect((await e.get("10dlc/Campaign/", { registration_status: "EXPIRED" })).body.campaigns).toHaveLength(1);
    expect((await e.del(`Campaign/${campaignId}`)).status).toBe(200);
    expect((await ledger(e)).filter((l) => l.action === "deactivate")).toHaveLength(1);
    expect((await e.post(`10dlc/Campaign/${campaignId}/`, { campaign_alias: "x" })).status).toBe(400);
    expect((await e.del("10dlc/Campaign/CNOPE00/")).status).toBe(404);
  });
});

describe("callbacks", () => {
  it("brand created → registered, campaign created → rejected (POST JSON, GET query); other hosts are skipped", async () => {
    const hook = await webhook();
    try {
      const profile = await makeProfile(e);
      const brand = await createBrand(e, profile, { url: hook.url, method: "POST" });
      await e.get(`10dlc/Brand/${brand}/`);
      await e.get(`10dlc/Brand/${brand}/`);
      await hook.waitFor(2);
      expect(hook.received.map((r) => [r.method, r.body?.status])).toEqual([
        ["POST", "created"],
        ["POST", "registered"],
      ]);
      expect(hook.received[1].body).toMatchObject({ event: "brand", brand_id: brand, registration_status: "COMPLETED" });

      await policy(e, { resource: "campaign", mode: "immediate", outcome: "failure", reason: "no opt-in" });
      const campaign = await createCampaign(e, brand, { url: `${hook.url}?src=campaign`, method: "GET" });
      await hook.waitFor(4);
      expect(hook.received.slice(2).map((r) => [r.method, r.query.status, r.query.src])).toEqual([
        ["GET", "created", "campaign"],
        ["GET", "rejected", "campaign"],
      ]);
      expect(hook.received[3].query).toMatchObject({ campaign_id: campaign, error_description: "no opt-in" });

      const log = (await e.control("GET", "callbacks")).body.callbacks;
      expect(log.map((c: { resource: string; status: string; result: string }) => [c.resource, c.status, c.result])).toEqual([
        ["brand", "created", "delivered"],
        ["brand", "registered", "delivered"],
        ["campaign", "created", "delivered"],
        ["campaign", "rejected", "delivered"],
      ]);

      // not loopback: recorded, never sent
      const other = await createBrand(e, await makeProfile(e, { profile_alias: "x" }), { url: "https://hooks.example.com/10dlc" });
      const skipped = (await e.control("GET", "callbacks")).body.callbacks.filter((c: { id: string }) => c.id === other);
      expect(skipped).toEqual([expect.objectContaining({ status: "created", result: "skipped", url: "https://hooks.example.com/10dlc" })]);
      expect((await e.control("DELETE", "callbacks")).status).toBe(200);
      expect((await e.control("GET", "callbacks")).body.callbacks).toEqual([]);
    } finally {
      await hook.close();
    }
  });

  it("a failing receiver never fails the API call", async () => {
    const hook = await webhook(500);
    try {
      const brand = await createBrand(e, await makeProfile(e), { url: hook.url });
      await hook.waitFor(1);
      await new Promise((r) => setTimeout(r, 50));
      expect((await e.control("GET", "callbacks")).body.callbacks[0]).toMatchObject({ id: brand, result: "failed", http_status: 500 });
      // an unreachable port
      await createBrand(e, await makeProfile(e, { profile_alias: "y" }), { url: "http://127.0.0.1:9/none" });
      await new Promise((r) => setTimeout(r, 300));
      expect((await e.control("GET", "callbacks")).body.callbacks[1]).toMatchObject({ result: "failed", error: expect.any(String) });
    } finally {
      await hook.close();
    }
  });
});

describe("persistence", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "emu-async-"));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("policies, read counters and pending objects survive a restart on the same dataFile", async () => {
    const dataFile = join(dir, "state.json");
    let f = await startTestEmulator({ dataFile });
    let brand: string;
    let campaign: string;
    try {
      await f.control("POST", "transitions", { resource: "brand", mode: "reads", count: 2 });
      await f.control("POST", "transitions", { resource: "campaign", mode: "manual" });
      const profile = (await f.post("Profile/", { ...(await import("./async-fixtures")).PROFILE_BODY })).body.profile_uuid;
      brand = (await f.post("10dlc/Brand/", { profile_uuid: profile, brand_alias: "p", brand_type: "STANDARD" })).body.brand_id;
      expect((await f.get(`10dlc/Brand/${brand}/`)).body.brand.registration_status).toBe("PROCESSING"); // read 1 (a GET: persisted too)
    } finally {
      await f.close();
    }
    f = await startTestEmulator({ dataFile });
    try {
      expect((await f.control("GET", "transitions")).body.defaults).toMatchObject({
        brand: { mode: "reads", count: 2 },
        campaign: { mode: "manual" },
      });
      expect((await f.get(`10dlc/Brand/${brand}/`)).body.brand.registration_status).toBe("PROCESSING"); // read 2
      expect((await f.get(`10dlc/Brand/${brand}/`)).body.brand.registration_status).toBe("COMPLETED"); // read 3
      campaign = (await f.post("10dlc/Campaign/", campaignBody(brand))).body.campaign_id;
    } finally {
      await f.close();
    }
    f = await startTestEmulator({ dataFile });
    try {
      expect((await f.get(`10dlc/Campaign/${campaign}/`)).body.campaign.registration_status).toBe("PROCESSING");
      expect((await f.control("POST", "resolve", { resource: "campaign", id: campaign, outcome: "success" })).status).toBe(200);
      expect((await f.get(`10dlc/Campaign/${campaign}/`)).body.campaign.registration_status).toBe("ACTIVE");
      const l = (await f.control("GET", "ledger")).body.ledger.filter((x: { action: string }) => x.action === "submit");
      expect(l.map((x: { resource: string }) => x.resource)).toEqual(["brand", "campaign"]);
    } finally {
      await f.close();
    }
  });
});
