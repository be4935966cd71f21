/**
 * Fixtures of the Message API suites: numbers that may message the US (a long code linked to an ACTIVE 10DLC
 * campaign, a verified toll-free number) and Powerpacks built through the emulator's own API.
 */
import { expect } from "vitest";
import { activeCampaign, buyLongCode, buyTollfree, createTfv, makeProfile, resolve, type TestEmulator } from "./async-fixtures";

/** Link `numbers` to a fresh ACTIVE campaign and let the links complete. */
export async function linkToCampaign(e: TestEmulator, numbers: string[]): Promise<string> {
  const { campaignId } = await activeCampaign(e);
  const res = await e.post(`10dlc/Campaign/${campaignId}/Number/`, { numbers });
  expect(res.status, res.text).toBe(202);
  for (const n of numbers) expect((await resolve(e, "link", `${campaignId}/${n}`, "success")).status).toBe(200);
  return campaignId;
}

/** A US long code in area code `npa`, linked to a 10DLC campaign (what US traffic needs). */
export async function linkedLongCode(e: TestEmulator, npa: string): Promise<string> {
  const n = await buyLongCode(e, npa);
  await linkToCampaign(e, [n]);
  return n;
}

/** A US toll-free number with an APPROVED verification. */
export async function verifiedTollfree(e: TestEmulator, prefix = "833"): Promise<string> {
  const n = await buyTollfree(e, prefix);
  const tfv = await createTfv(e, await makeProfile(e, { profile_alias: `tf-${n}` }), n);
  expect((await resolve(e, "tfv", tfv, "success")).status).toBe(200);
  return n;
}

/** A Powerpack with these long codes and (optionally) a toll-free number; returns its uuid and pool uuid. */
export async function powerpackWith(
  e: TestEmulator,
  longCodes: string[],
  opts: { tollfree?: string; body?: Record<string, unknown>; service?: "sms" | "mms" } = {},
): Promise<{ uuid: string; pool: string }> {
  const res = await e.post("Powerpack/", { name: `pp-${Math.random().toString(36).slice(2, 8)}`, ...opts.body });
  expect(res.status, res.text).toBe(200);
  const pool = String(res.body.number_pool).split("/")[5];
  for (const n of longCodes) {
    const add = await e.post(`NumberPool/${pool}/Number/${n}/`, { service: opts.service ?? "sms" });
    expect(add.status, add.text).toBe(200);
  }
  if (opts.tollfree) {
    const add = await e.post(`NumberPool/${pool}/Tollfree/${opts.tollfree}/`, { service: opts.service ?? "sms" });
    expect(add.status, add.text).toBe(200);
  }
  return { uuid: res.body.uuid as string, pool };
}

/** Send one message and return its uuid (asserting the 202). */
export async function sendOne(e: TestEmulator, body: Record<string, unknown>): Promise<string> {
  const res = await e.post("Message/", { text: "hello from the emulator", ...body });
  expect(res.status, res.text).toBe(202);
  expect(res.body.message_uuid).toHaveLength(1);
  return res.body.message_uuid[0] as string;
}

/** The number a message went out from. */
export async function senderOf(e: TestEmulator, uuid: string): Promise<string> {
  const res = await e.get(`Message/${uuid}/`);
  expect(res.status, res.text).toBe(200);
  return res.body.from_number as string;
}

export interface DemoAccount {
  app: string;
  sf: string;
  austin: string;
  tollfree: string;
  powerpack: string;
  campaign: string;
  brand: string;
  tfv: string;
  delivered: string;
  failed: string;
  hostile: string;
}

/** Text a page must show as text, never run or parse as markup. */
export const HOSTILE = `<script>document.title="pwned"</script><img src=x onerror="document.title='pwned'"> & "quotes"`;

/**
 * An account with one of everything the state page shows: an application, numbers in a Powerpack (one linked to a
 * campaign), a brand and a campaign with history, an approved toll-free verification, a delivered and a failed
 * message, and a message whose text and a number alias are markup.
 */
export async function demoAccount(e: TestEmulator): Promise<DemoAccount> {
  const app = await e.post("Application/", { app_name: "support", answer_url: "https://example.com/answer", message_url: "https://example.com/sms" });
  expect(app.status, app.text).toBe(201);
  const sf = await buyLongCode(e, "415");
  const austin = await buyLongCode(e, "512");
  const campaign = await linkToCampaign(e, [sf]);
  const brand = (await e.get(`10dlc/Campaign/${campaign}/`)).body.campaign.brand_id as string;
  const tollfree = await buyTollfree(e);
  const tfvProfile = await makeProfile(e, { profile_alias: "tollfree" });
  const tfv = await createTfv(e, tfvProfile, tollfree);
  expect((await resolve(e, "tfv", tfv, "success")).status).toBe(200);
  expect((await e.post(`Number/${austin}/`, { alias: HOSTILE, app_id: app.body.app_id })).status).toBe(202);
  const pp = await powerpackWith(e, [sf, austin], { body: { name: "support-pool", application_type: "XML", application_id: app.body.app_id } });
  await e.control("POST", "transitions", { resource: "message", mode: "immediate" });
  const delivered = await sendOne(e, { powerpack_uuid: pp.uuid, dst: "14155550123", text: "Your order shipped" });
  const failed = await sendOne(e, { src: austin, dst: "12125550123", text: "unregistered traffic" });
  const hostile = await sendOne(e, { powerpack_uuid: pp.uuid, dst: "14155550199", text: HOSTILE });
  await e.control("DELETE", "transitions");
  return { app: app.body.app_id, sf, austin, tollfree, powerpack: pp.uuid, campaign, brand, tfv, delivered, failed, hostile };
}
