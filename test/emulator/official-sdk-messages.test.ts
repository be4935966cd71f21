/**
 * The official `plivo` npm SDK sends messages through the emulator and parses what comes back: a Powerpack built
 * with the SDK (numbers bought, linked to a 10DLC campaign, added to the pool), then `client.messages.create`
 * with `powerpackUUID` — a message to a 415 number goes out from our 415 number — and with `src`, `get`, `list`,
 * `listMedia`, and the Media API (`client.media.upload/get/list`).
 *
 * The SDK is pointed at the emulator with its `url` client option; the Message, Media, Powerpack and 10DLC calls all
 * honour it. The brand and campaign come from the async fixtures over HTTP (their SDK calls have their own suite).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { activeCampaign, policy, resolve, startTestEmulator, webhook, type TestEmulator } from "./async-fixtures";

const req = createRequire(__filename);
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;
const plivo: Any = req("plivo");

const httpError = (status: number, message: string | RegExp) =>
  expect.objectContaining({ status, message: typeof message === "string" ? message : expect.stringMatching(message) });

let e: TestEmulator;
let client: Any;

beforeAll(async () => {
  e = await startTestEmulator();
  client = new plivo.Client(e.emu.authId, e.emu.authToken, { url: `${e.emu.url}/v1/Account/${e.emu.authId}` });
});
afterAll(() => e.close());
beforeEach(async () => {
  await e.control("POST", "reset");
  await policy(e, { resource: "message", mode: "reads", count: 2 }); // queued, sent, then delivered: one read each
});

/** buy the first SMS-enabled US local number of an area code, through the SDK */
async function buyLocal(npa: string): Promise<string> {
  const found = await client.numbers.search("US", { type: "local", pattern: npa, services: "sms" });
  const number = found[0].number as string;
  const bought = await client.numbers.buy(number);
  expect(bought.status).toBe("fulfilled");
  return number;
}

describe("official plivo SDK: messages", () => {
  it("a message to a 415 number goes out from our 415 number, through a Powerpack built with the SDK", async () => {
    const sf = await buyLocal("415");
    const austin = await buyLocal("512");
    const { campaignId } = await activeCampaign(e);
    const linked = await client.campaign.linkNumber(campaignId, [sf, austin]);
    expect(linked.message).toMatch(/^Request to link/);
    for (const n of [sf, austin]) expect((await resolve(e, "link", `${campaignId}/${n}`, "success")).status).toBe(200);

    const created = await client.powerpacks.create("support", { sticky_sender: true, local_connect: true });
    const pp = await client.powerpacks.get(created.uuid);
    for (const n of [austin, sf]) expect((await pp.add_number(n)).number).toBe(n);

    const hook = await webhook();
    try {
      const sent = await client.messages.create({ powerpackUUID: created.uuid, dst: "+14155550123", text: "Your order shipped", url: hook.url });
      expect(sent.message).toBe("message(s) queued");
      expect(sent.messageUuid).toHaveLength(1);
      const uuid = sent.messageUuid[0];

      const got = await client.messages.get(uuid);
      expect(got).toMatchObject({
        messageUuid: uuid,
        fromNumber: sf,
        toNumber: "14155550123",
        messageDirection: "outbound",
        messageState: "queued",
        messageType: "sms",
        powerpackID: created.uuid,
        destinationCountryIso2: "US",
        tendlcCampaignId: campaignId,
        tendlcRegistrationStatus: "registered",
        units: 1,
        errorCode: null,
      });
      expect((await client.messages.get(uuid)).messageState).toBe("sent");
      const delivered = await client.messages.get(uuid);
      expect([delivered.messageState, delivered.errorCode]).toEqual(["delivered", "000"]);
      const statuses = (await hook.waitFor(3)).map((r) => r.body?.Status);
      expect(statuses).toEqual(["queued", "sent", "delivered"]);

      // the same destination keeps its sender; Austin's area code gets Austin's number
      const again = await client.messages.create({ powerpackUUID: created.uuid, dst: "14155550123", text: "Delivered today" });
      expect((await client.messages.get(again.messageUuid[0])).fromNumber).toBe(sf);
      const tx = await client.messages.create({ powerpackUUID: created.uuid, dst: "15125550199", text: "Howdy" });
      expect((await client.messages.get(tx.messageUuid[0])).fromNumber).toBe(austin);

      const listed = await client.messages.list({ powerpack_id: created.uuid, limit: 2 });
      expect(listed).toHaveLength(2);
      expect(listed.meta).toMatchObject({ limit: 2, offset: 0, totalCount: 3 });
      expect(listed[0].messageUuid).toBe(tx.messageUuid[0]);
      expect(listed.every((m: Any) => m.powerpackID === created.uuid)).toBe(true);
    } finally {
      await hook.close();
    }
  });

  it("positional create with src, bulk destinations, refusals as SDK errors", async () => {
    const sf = await buyLocal("415");
    const sent = await client.messages.create(sf, ["14165550100", "14165550101", "not-a-number"], "Hello Toronto");
    expect(sent.messageUuid).toHaveLength(2);
    expect(sent.invalid_number).toEqual(["not-a-number"]);
    expect((await client.messages.get(sent.messageUuid[1])).toNumber).toBe("14165550101");

    const empty = await client.powerpacks.create("empty");
    await expect(client.messages.create({ powerpackUUID: empty.uuid, dst: "14155550123", text: "x" })).rejects.toEqual(
      httpError(400, /^no number in Powerpack empty \(.+\) can send this sms to 14155550123: the number pool is empty$/),
    );
    await expect(client.messages.create("14155550100", "14155550123", "x")).rejects.toEqual(
      httpError(400, "This caller ID is not allowed for outbound message"),
    );
    await expect(client.messages.get("3f1c4c51-0000-4000-8000-000000000000")).rejects.toEqual(httpError(404, "not found"));
  });

  it("MMS with media_urls, listMedia; the Media API: upload, get, list; media_ids", async () => {
    const sf = await buyLocal("415");
    const dir = mkdtempSync(path.join(tmpdir(), "sdk-media-"));
    try {
      const mms = await client.messages.create({ src: sf, dst: "16505550100", text: "", type: "mms", media_urls: ["https://example.com/photo.jpg"] });
      const media = await client.messages.listMedia(mms.messageUuid[0]);
      expect(media.objects).toEqual([
        expect.objectContaining({ contentType: "image/jpeg", messageUuid: mms.messageUuid[0], mediaUrl: expect.stringContaining("/Media/") }),
      ]);

      const file = path.join(dir, "logo.png");
      writeFileSync(file, Buffer.alloc(1234, 1));
      const uploaded = await client.media.upload([file]);
      expect(uploaded.objects).toEqual([
        expect.objectContaining({ fileName: "logo.png", contentType: "image/png", size: 1234, status: "success", statusCode: 201 }),
      ]);
      const id = uploaded.objects[0].mediaId;
      const one = await client.media.get(id);
      expect(one).toMatchObject({ mediaId: id, fileName: "logo.png", contentType: "image/png", size: 1234 });
      const all = await client.media.list({});
      expect(all.map((m: Any) => m.mediaId)).toContain(id);

      const withUpload = await client.messages.create({ src: sf, dst: "16505550100", text: "see logo", type: "mms", media_ids: [id] });
      expect((await client.messages.listMedia(withUpload.messageUuid[0])).objects.map((o: Any) => o.mediaId)).toEqual([id]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
