/** CampaignNumberLink and TollfreeVerification against the emulator. */
import { describe, expect, it } from "vitest";
import { resolvePending, setTransition } from "../helpers/emulator";
import { submissions as submissionsOf } from "../helpers/ledger";
import { useEmulator } from "../helpers/provider";
import { apply, create, createExpectingPartial, destroy, diff, importById, refresh, resume, type Managed } from "../helpers/engine";
import { validCampaign, validProfile, validTfv } from "../helpers/fixtures";

const emulator = useEmulator();

const submissions = (resource: string) => submissionsOf(emulator(), resource);
const policy = (resource: string, body: Record<string, unknown>) => setTransition(emulator(), resource, body);
const resolve = (resource: string, id: string, outcome: string, reason?: string) => resolvePending(emulator(), resource, id, outcome, reason);

async function activeCampaign(): Promise<{ profile: Managed; campaign: Managed }> {
  const profile = await create("Profile", "acme", validProfile);
  const brand = await create("Brand", "brand", { profileUuid: profile.id, brandAlias: "Acme" });
  const campaign = await create("Campaign", "c", { ...validCampaign(brand.id), waitUntil: "ACTIVE" });
  return { profile, campaign };
}
const buy = (pattern: string, type = "local") => create("PhoneNumber", `n${pattern}`, { search: { countryIso: "US", type, pattern } });

describe("CampaignNumberLink", () => {
  it("links after the campaign is ACTIVE, waits for COMPLETED, mirrors on the number, unlinks and waits", async () => {
    const profile = await create("Profile", "acme", validProfile);
    const brand = await create("Brand", "brand", { profileUuid: profile.id, brandAlias: "Acme" });
    await policy("campaign", { mode: "reads", count: 3 });
    const campaign = await create("Campaign", "c", validCampaign(brand.id)); // only submitted
    const n = await buy("415");
    const link = await create("CampaignNumberLink", "l", { campaignId: campaign.id, number: n.id });
    expect(link.id).toBe(`${campaign.id}/${n.id}`);
    expect(link.outs).toMatchObject({ status: "COMPLETED", campaignId: campaign.id, number: n.id });
    expect((await emulator().api("GET", `Number/${n.id}/`)).body).toMatchObject({ tendlc_campaign_id: campaign.id, tendlc_registration_status: "COMPLETED" });
    expect(await refresh(link)).toEqual(link.outs);

    const imported = await importById("CampaignNumberLink", "l", `${campaign.id}/+${n.id}`);
    expect(await diff({ ...link, outs: imported.props!, inputs: imported.inputs! }, { campaignId: campaign.id, number: n.id })).toMatchObject({
      changes: false,
    });

    await destroy(link);
    expect((await emulator().api("GET", `10dlc/Campaign/${campaign.id}/Number/${n.id}/`)).status).toBe(404);
    await destroy({ ...campaign, outs: (await refresh(campaign))! });
  });

  it("FAILED link surfaces the reason; timeout resumes without relinking", async () => {
    const { campaign } = await activeCampaign();
    const n1 = await buy("415");
    await policy("link", { mode: "reads", count: 1, outcome: "failure" });
    const failed = await createExpectingPartial("CampaignNumberLink", "l1", { campaignId: campaign.id, number: n1.id });
    expect(failed.error.message).toMatch(/linking FAILED/);

    const n2 = await buy("212");
    await policy("link", { mode: "manual" });
    const { partial } = await createExpectingPartial("CampaignNumberLink", "l2", { campaignId: campaign.id, number: n2.id, waitTimeoutSeconds: 1 });
    await resolve("link", partial.id, "success");
    expect((await resume(partial)).outs.status).toBe("COMPLETED");
    expect(await submissions("link")).toBe(2);
  });

  it("waitUntil SUBMITTED returns while PROCESSING; refresh brings COMPLETED in with no input diff", async () => {
    const { campaign } = await activeCampaign();
    const n = await buy("415");
    await policy("link", { mode: "manual" });
    const link = await create("CampaignNumberLink", "l", { campaignId: campaign.id, number: n.id, waitUntil: "SUBMITTED" });
    expect(link.outs.status).toBe("PROCESSING");
    await resolve("link", link.id, "success");
    const outs = await refresh(link);
    expect(outs?.status).toBe("COMPLETED");
    expect(await diff({ ...link, outs: outs! }, { campaignId: campaign.id, number: n.id, waitUntil: "SUBMITTED" })).toMatchObject({ changes: false });
  });

  it("moving a number to another campaign replaces the link, unlinking first", async () => {
    const { campaign } = await activeCampaign();
    const n = await buy("415");
    const link = await create("CampaignNumberLink", "l", { campaignId: campaign.id, number: n.id });
    expect(await diff(link, { campaignId: "CZZZZZZ", number: n.id })).toMatchObject({ replaces: ["campaignId"], deleteBeforeReplace: true });
  });

  it("a campaign with a number still linking cannot be deactivated", async () => {
    const { campaign } = await activeCampaign();
    const n = await buy("415");
    await policy("link", { mode: "manual" });
    await create("CampaignNumberLink", "l", { campaignId: campaign.id, number: n.id, waitUntil: "SUBMITTED" });
    await expect(destroy(campaign)).rejects.toThrow(/400/);
  });
});

describe("TollfreeVerification", () => {
  async function setup() {
    const profile = await create("Profile", "acme", validProfile);
    const n = await buy("855", "tollfree");
    return { profile, n };
  }

  it("submits (default) and waits for APPROVED on request; number mirrors the status", async () => {
    const { profile, n } = await setup();
    await policy("tfv", { mode: "manual" });
    const v = await create("TollfreeVerification", "v", validTfv(n.id, profile.id));
    expect(v.outs).toMatchObject({ uuid: v.id, status: "SUBMITTED", usecases: ["2FA", "ACCOUNT_NOTIFICATION"], volume: "10,000" });
    await resolve("tfv", v.id, "success");
    const outs = await refresh(v);
    expect(outs?.status).toBe("APPROVED");
    expect(await diff({ ...v, outs: outs! }, validTfv(n.id, profile.id))).toMatchObject({ changes: false });
    expect((await emulator().api("GET", `Number/${n.id}/`)).body.toll_free_sms_verification).toBe("VERIFIED");
  });

  it("waitUntil APPROVED waits for the verdict; a timeout keeps the request and the next up resumes without resubmitting", async () => {
    const { profile, n } = await setup();
    await policy("tfv", { mode: "reads", count: 2 });
    const v = await create("TollfreeVerification", "v", { ...validTfv(n.id, profile.id), waitUntil: "APPROVED" });
    expect(v.outs.status).toBe("APPROVED");

    const n2 = await buy("866", "tollfree");
    await policy("tfv", { mode: "manual" });
    const { error, partial } = await createExpectingPartial("TollfreeVerification", "v2", {
      ...validTfv(n2.id, profile.id),
      waitUntil: "APPROVED",
      waitTimeoutSeconds: 1,
    });
    expect(error.message).toMatch(/timed out after 1s waiting for toll-free verification .* to be APPROVED/);
    await resolve("tfv", partial.id, "success");
    expect((await resume(partial)).outs.status).toBe("APPROVED");
    expect(await submissions("tfv")).toBe(2);
  });

  it("REJECTED surfaces the carrier's message; UPDATE_REQUIRED asks for an update, which resubmits in place", async () => {
    const { profile, n } = await setup();
    await policy("tfv", { mode: "reads", count: 1, outcome: "update_required", reason: "Opt-in screenshot is unreadable" });
    const { error, partial } = await createExpectingPartial("TollfreeVerification", "v", { ...validTfv(n.id, profile.id), waitUntil: "APPROVED" });
    expect(error.message).toMatch(/more information: Opt-in screenshot is unreadable/);
    expect(partial.outs.status).toBe("UPDATE_REQUIRED");
    await policy("tfv", { mode: "reads", count: 1, outcome: "failure", reason: "Use case not allowed" });
    const fixed = { ...validTfv(n.id, profile.id), waitUntil: "APPROVED", optinImageUrl: "https://acme.test/optin-v2.png" };
    await expect(resume(partial, fixed)).rejects.toThrow(/REJECTED: Use case not allowed/);
    expect(await submissions("tfv")).toBe(2);
  });

  it("updates only while SUBMITTED or UPDATE_REQUIRED", async () => {
    const { profile, n } = await setup();
    await policy("tfv", { mode: "manual" });
    const v = await create("TollfreeVerification", "v", validTfv(n.id, profile.id));
    const upd = await apply(v, { ...validTfv(n.id, profile.id), messageSample: "Your Acme code is 654321." });
    expect(upd.action).toBe("update");
    await resolve("tfv", v.id, "success");
    const approved = { ...upd.next, outs: (await refresh(upd.next))! };
    await expect(diff(approved, { ...validTfv(n.id, profile.id), messageSample: "Changed again." })).rejects.toThrow(
      /messageSample cannot be changed while the toll-free verification is APPROVED.*submit a new verification request/,
    );
    expect(await diff(approved, { ...validTfv(n.id, profile.id), messageSample: "Your Acme code is 654321.", number: "18335550100" })).toMatchObject({
      replaces: ["number"],
      deleteBeforeReplace: true,
    });
  });

  it("destroy of an APPROVED request only forgets it; a SUBMITTED one is deleted", async () => {
    const { profile, n } = await setup();
    await policy("tfv", { mode: "manual" });
    const v = await create("TollfreeVerification", "v", validTfv(n.id, profile.id));
    await resolve("tfv", v.id, "success");
    await destroy(v);
    expect((await emulator().api("GET", `TollfreeVerification/${v.id}/`)).body.status).toBe("APPROVED");
    const log = (await emulator().control("GET", "requests")).body as { method: string; path: string }[];
    expect(log.some((r) => r.method === "DELETE" && r.path.includes(v.id))).toBe(false);

    const n2 = await buy("866", "tollfree");
    const v2 = await create("TollfreeVerification", "v2", validTfv(n2.id, profile.id));
    await destroy(v2);
    expect((await emulator().api("GET", `TollfreeVerification/${v2.id}/`)).status).toBe(404);
  });
});
