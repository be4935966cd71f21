/**
 * 10DLC brands and campaigns against the emulator: wait modes, timeout + resume without resubmission,
 * FAILED paths with reasons, state-gated updates, deletion rules, refresh of status with no input diff.
 */
import { describe, expect, it } from "vitest";
import { resolvePending, setTransition } from "../helpers/emulator";
import { submissions as submissionsOf } from "../helpers/ledger";
import { useEmulator } from "../helpers/provider";
import { apply, create, createExpectingPartial, destroy, diff, refresh, resume, type Managed } from "../helpers/engine";
import { validCampaign, validProfile } from "../helpers/fixtures";

const emulator = useEmulator();

const submissions = (resource: string) => submissionsOf(emulator(), resource);
const policy = (resource: string, body: Record<string, unknown>) => setTransition(emulator(), resource, body);
const resolve = (resource: string, id: string, outcome: string, reason?: string) => resolvePending(emulator(), resource, id, outcome, reason);

async function profile(alias = "acme"): Promise<Managed> {
  return create("Profile", alias, { ...validProfile, profileAlias: alias });
}
async function registeredBrand(): Promise<Managed> {
  const p = await profile();
  return create("Brand", "brand", { profileUuid: p.id, brandAlias: "Acme" });
}

describe("Brand", () => {
  it("waits until COMPLETED by default and submits once", async () => {
    await policy("brand", { mode: "reads", count: 2 });
    const b = await registeredBrand();
    expect(b.id).toMatch(/^B[0-9A-Z]{6}$/);
    expect(b.outs).toMatchObject({ brandId: b.id, registrationStatus: "COMPLETED", brandType: "STANDARD" });
    expect(await submissions("brand")).toBe(1);
  });

  it("waitUntil SUBMITTED returns while PROCESSING; refresh brings COMPLETED in with no input diff", async () => {
    await policy("brand", { mode: "manual" });
    const p = await profile();
    const b = await create("Brand", "brand", { profileUuid: p.id, brandAlias: "Acme", waitUntil: "submitted" });
    expect(b.outs.registrationStatus).toBe("PROCESSING");
    await resolve("brand", b.id, "success");
    const outs = await refresh(b);
    expect(outs?.registrationStatus).toBe("COMPLETED");
    expect(await diff({ ...b, outs: outs! }, b.inputs)).toMatchObject({ changes: false });
  });

  it("a timeout keeps the id; the next up resumes waiting without a second submission", async () => {
    await policy("brand", { mode: "manual" });
    const p = await profile();
    const { error, partial } = await createExpectingPartial("Brand", "brand", { profileUuid: p.id, brandAlias: "Acme", waitTimeoutSeconds: 1 });
    expect(error.message).toMatch(/timed out after 1s waiting for brand B\w{6} to be registered.*last status PROCESSING/);
    expect(partial.outs.registrationStatus).toBe("PROCESSING");
    await resolve("brand", partial.id, "success");
    const resumed = await resume(partial);
    expect(resumed.outs.registrationStatus).toBe("COMPLETED");
    expect(await submissions("brand")).toBe(1);
  });

  it("FAILED surfaces the declined reasons and keeps the brand in state", async () => {
    await policy("brand", { mode: "reads", count: 1, outcome: "failure", reason: "Tax id does not match the company name" });
    const p = await profile();
    const { error, partial } = await createExpectingPartial("Brand", "brand", { profileUuid: p.id, brandAlias: "Acme" });
    expect(error.message).toMatch(/ended FAILED: .*Tax id does not match the company name/);
    expect(partial.outs.registrationStatus).toBe("FAILED");
    expect(partial.outs.declinedReasons?.[0]?.message ?? JSON.stringify(partial.outs.declinedReasons)).toContain("Tax id");
  });

  it("every registry input replaces, deleting the old brand first (a profile backs one brand)", async () => {
    const b = await registeredBrand();
    const d = await diff(b, { ...b.inputs, brandAlias: "Acme 2" });
    expect(d).toMatchObject({ changes: true, replaces: ["brandAlias"], deleteBeforeReplace: true });
    const rep = await apply(b, { ...b.inputs, brandAlias: "Acme 2" });
    expect(rep.action).toBe("replace");
    expect((await emulator().api("GET", `10dlc/Brand/${b.id}/`)).status).toBe(404);
    expect(rep.next.outs.registrationStatus).toBe("COMPLETED");
  });

  it("rejects STARTER at check time", async () => {
    const { check } = await import("../helpers/engine");
    const res = await check("Brand", "b", { profileUuid: "0b3c2ad4-6a1c-4b8e-9d3c-2f8c9d1e7a11", brandAlias: "x", brandType: "starter" });
    expect(res.failures?.[0].reason).toMatch(/brandType: Plivo has paused support for STARTER brands/);
  });
});

describe("Campaign", () => {
  it("refuses to submit under a brand that is not COMPLETED, before paying", async () => {
    await policy("brand", { mode: "manual" });
    const p = await profile();
    const b = await create("Brand", "brand", { profileUuid: p.id, brandAlias: "Acme", waitUntil: "SUBMITTED" });
    await expect(create("Campaign", "c", validCampaign(b.id))).rejects.toThrow(
      /brand B\w{6} is PROCESSING; campaigns can be submitted only under a COMPLETED brand/,
    );
    expect(await submissions("campaign")).toBe(0);
  });

  it("waitUntil SUBMITTED (default) and ACTIVE", async () => {
    const b = await registeredBrand();
    await policy("campaign", { mode: "manual" });
    const c1 = await create("Campaign", "c1", validCampaign(b.id));
    expect(c1.outs).toMatchObject({
      campaignId: c1.id,
      registrationStatus: "PROCESSING",
      subUsecases: ["CUSTOMER_CARE", "DELIVERY_NOTIFICATION"],
      embeddedLink: false,
      subscriberOptin: true,
    });
    await policy("campaign", { mode: "reads", count: 2 });
    const c2 = await create("Campaign", "c2", { ...validCampaign(b.id), campaignAlias: "second", waitUntil: "active" });
    expect(c2.outs.registrationStatus).toBe("ACTIVE");
    expect(await diff(c2, c2.inputs)).toMatchObject({ changes: false });
  });

  it("FAILED surfaces the error; fixing a text field resubmits in place", async () => {
    const b = await registeredBrand();
    await policy("campaign", { mode: "reads", count: 1, outcome: "failure", reason: "Sample messages do not match the use case" });
    const { error, partial } = await createExpectingPartial("Campaign", "c", { ...validCampaign(b.id), waitUntil: "ACTIVE" });
    expect(error.message).toMatch(/ended FAILED: .*Sample messages do not match the use case/);
    expect(partial.outs).toMatchObject({ registrationStatus: "FAILED" });
    expect(partial.outs.errorReason ?? partial.outs.errorDescription).toBeTruthy();

    await policy("campaign", { mode: "reads", count: 1, outcome: "success" });
    const fixed = { ...validCampaign(b.id), waitUntil: "ACTIVE", sample1: "Your Acme order 1234 is out for delivery today." };
    expect(await diff(partial, fixed)).toMatchObject({ changes: true, replaces: [] });
    const resumed = await resume(partial, fixed);
    expect(resumed.outs).toMatchObject({ registrationStatus: "ACTIVE", sample1: fixed.sample1 });
    expect(await submissions("campaign")).toBe(2);
  });

  it("an ACTIVE campaign's text cannot change: the preview says so and names the fields", async () => {
    const b = await registeredBrand();
    const c = await create("Campaign", "c", { ...validCampaign(b.id), waitUntil: "ACTIVE" });
    await expect(diff(c, { ...c.inputs, description: "A completely different description of this messaging campaign." })).rejects.toThrow(
      /description cannot be changed while the campaign is ACTIVE; Plivo accepts edits only while a campaign is FAILED/,
    );
  });

  it("a value still unknown at preview is judged at up, not refused at preview", async () => {
    const b = await registeredBrand();
    const c = await create("Campaign", "c", { ...validCampaign(b.id), waitUntil: "ACTIVE" });
    const { UNKNOWN } = await import("../../provider/core/unknowns");
    expect(await diff(c, { ...c.inputs, description: UNKNOWN })).toMatchObject({ changes: true, replaces: [] });
  });

  it("refresh brings ACTIVE in for a campaign created with waitUntil SUBMITTED, with no input diff", async () => {
    const b = await registeredBrand();
    await policy("campaign", { mode: "manual" });
    const c = await create("Campaign", "c", validCampaign(b.id));
    expect(c.outs.registrationStatus).toBe("PROCESSING");
    await resolve("campaign", c.id, "success");
    const outs = await refresh(c);
    expect(outs?.registrationStatus).toBe("ACTIVE");
    expect(await diff({ ...c, outs: outs! }, validCampaign(b.id))).toMatchObject({ changes: false });
  });

  it("registry attributes replace", async () => {
    const b = await registeredBrand();
    const c = await create("Campaign", "c", validCampaign(b.id));
    expect(await diff(c, { ...c.inputs, embeddedLink: true, usecase: "MARKETING", subUsecases: undefined })).toMatchObject({
      replaces: ["usecase", "subUsecases", "embeddedLink"],
    });
  });

  it("a timeout keeps the campaign and the resumed up does not resubmit", async () => {
    const b = await registeredBrand();
    await policy("campaign", { mode: "manual" });
    const { partial } = await createExpectingPartial("Campaign", "c", { ...validCampaign(b.id), waitUntil: "ACTIVE", waitTimeoutSeconds: 1 });
    await resolve("campaign", partial.id, "success");
    expect((await resume(partial)).outs.registrationStatus).toBe("ACTIVE");
    expect(await submissions("campaign")).toBe(1);
  });

  it("a brand with an active campaign cannot be deleted; deactivating the campaign first works", async () => {
    const b = await registeredBrand();
    const c = await create("Campaign", "c", { ...validCampaign(b.id), waitUntil: "ACTIVE" });
    await expect(destroy(b)).rejects.toThrow(/400/);
    await destroy(c);
    expect(await refresh(c)).toBeUndefined();
    await destroy(b);
    expect((await emulator().api("GET", `10dlc/Brand/${b.id}/`)).status).toBe(404);
  });
});
