/**
 * Powerpack sender selection (docs/plivo-api.md §4.6, §15.6): sticky sender, local connect (area code, region,
 * country, the other North American country, the 150-a-day capacity), number priority with fallback, and the
 * refusals. Every Powerpack is built through the emulator's own API.
 */
import { describe, expect, it } from "vitest";
import { useTestEmulator } from "../helpers/emulator";
import { ledger } from "../helpers/ledger";
import { buyLongCode, buyTollfree, buyWhere } from "./async-fixtures";
import { linkToCampaign, linkedLongCode, powerpackWith, sendOne, senderOf, verifiedTollfree } from "./message-fixtures";

const emulator = useTestEmulator();

/** the emulator's own account of why it chose a sender (shown on the state page) */
async function reasonOf(uuid: string): Promise<string> {
  const state = await emulator().state();
  return state.messages.find((m: { message_uuid: string }) => m.message_uuid === uuid).sender.reason;
}

describe("local connect", () => {
  it("a message to a 415 number goes out from our 415 number; other destinations by region, country, then Canada", async () => {
    const e = emulator();
    const sf = await linkedLongCode(e, "415"); // San Francisco, California
    const la = await linkedLongCode(e, "213"); // Los Angeles, California
    const austin = await linkedLongCode(e, "512"); // Texas
    const pp = await powerpackWith(e, [austin, la, sf], { body: { sticky_sender: false } });

    const toSf = await sendOne(e, { powerpack_uuid: pp.uuid, dst: "+1 (415) 555-0123" });
    expect(await senderOf(e, toSf)).toBe(sf);
    expect(await reasonOf(toSf)).toBe("priority 3 (longcode), local connect: area code 415");

    // 650 is California too, and the pool has no 650 number: a Californian one, the least used (213)
    const toSanMateo = await sendOne(e, { powerpack_uuid: pp.uuid, dst: "16505550123" });
    expect(await senderOf(e, toSanMateo)).toBe(la);
    expect(await reasonOf(toSanMateo)).toContain("local connect: region CA");

    // New York: no New York number, any US one (the least used: Austin)
    const toNy = await sendOne(e, { powerpack_uuid: pp.uuid, dst: "12125550123" });
    expect(await senderOf(e, toNy)).toBe(austin);
    expect(await reasonOf(toNy)).toContain("local connect: a US number");

    // Toronto: no Canadian number in the pool, a US one
    const toToronto = await sendOne(e, { powerpack_uuid: pp.uuid, dst: "14165550123" });
    expect([sf, la, austin]).toContain(await senderOf(e, toToronto));
    expect(await reasonOf(toToronto)).toContain("no CA number, a US number");
  });

  it("a US destination from a pool with Canadian numbers only goes out from a Canadian number (no 10DLC for them)", async () => {
    const e = emulator();
    const toronto = await buyWhere(e, { country_iso: "CA", type: "local", pattern: "416" });
    const pp = await powerpackWith(e, [toronto]);
    const id = await sendOne(e, { powerpack_uuid: pp.uuid, dst: "14155550123" });
    expect(await senderOf(e, id)).toBe(toronto);
    expect(await reasonOf(id)).toContain("no US number, a CA number");
  });

  it("without local connect the pool's least used number sends", async () => {
    const e = emulator();
    const austin = await linkedLongCode(e, "512");
    const sf = await linkedLongCode(e, "415");
    const pp = await powerpackWith(e, [austin, sf], { body: { local_connect: false, sticky_sender: false } });
    const first = await senderOf(e, await sendOne(e, { powerpack_uuid: pp.uuid, dst: "14155550123" }));
    const second = await senderOf(e, await sendOne(e, { powerpack_uuid: pp.uuid, dst: "14155550124" }));
    expect(first).toBe(austin); // both unused: the first added
    expect(second).toBe(sf); // austin has one message today, sf none
  });

  it("a 415 number that reached 150 messages today hands over to another Californian number; the next day it is back", async () => {
    const e = emulator();
    const sf = await linkedLongCode(e, "415");
    const la = await linkedLongCode(e, "213");
    const pp = await powerpackWith(e, [sf, la], { body: { sticky_sender: false } });
    const dsts = Array.from({ length: 151 }, (_, i) => `1415555${String(1000 + i)}`);
    const res = await e.post("Message/", { powerpack_uuid: pp.uuid, dst: dsts.join("<"), text: "capacity" });
    expect(res.status, res.text).toBe(202);
    expect(res.body.message_uuid).toHaveLength(151);
    const count = async (from: string) =>
      (await e.get("Message/", { from_number: from, message_time__gte: "2000-01-01 00:00", limit: 1 })).body.meta.total_count;
    expect(await count(sf)).toBe(150);
    expect(await count(la)).toBe(1);
    expect(await senderOf(e, res.body.message_uuid[150])).toBe(la);

    expect((await e.control("POST", "clock", { advanceMs: 86_400_000 })).status).toBe(200);
    expect(await senderOf(e, await sendOne(e, { powerpack_uuid: pp.uuid, dst: "14155559999" }))).toBe(sf);
  });
});

describe("sticky sender", () => {
  it("a destination keeps its sender while sticky_sender is on, even when a local number joins the pool", async () => {
    const e = emulator();
    const austin = await linkedLongCode(e, "512");
    const pp = await powerpackWith(e, [austin]);
    const dst = "14155550123";
    expect(await senderOf(e, await sendOne(e, { powerpack_uuid: pp.uuid, dst }))).toBe(austin);

    const sf = await linkedLongCode(e, "415");
    expect((await e.post(`NumberPool/${pp.pool}/Number/${sf}/`, {})).status).toBe(200);
    const again = await sendOne(e, { powerpack_uuid: pp.uuid, dst });
    expect(await senderOf(e, again)).toBe(austin);
    expect(await reasonOf(again)).toBe("sticky sender");
    // another 415 destination has no sticky sender yet: local connect
    expect(await senderOf(e, await sendOne(e, { powerpack_uuid: pp.uuid, dst: "14155550124" }))).toBe(sf);

    // turning sticky sender off takes effect at once
    expect((await e.post(`Powerpack/${pp.uuid}/`, { sticky_sender: false })).status).toBe(200);
    expect(await senderOf(e, await sendOne(e, { powerpack_uuid: pp.uuid, dst }))).toBe(sf);
  });

  it("a sticky sender that left the pool is replaced", async () => {
    const e = emulator();
    const austin = await linkedLongCode(e, "512");
    const sf = await linkedLongCode(e, "415");
    const pp = await powerpackWith(e, [austin]);
    const dst = "14155550123";
    expect(await senderOf(e, await sendOne(e, { powerpack_uuid: pp.uuid, dst }))).toBe(austin);
    expect((await e.post(`NumberPool/${pp.pool}/Number/${sf}/`, {})).status).toBe(200);
    expect((await e.del(`NumberPool/${pp.pool}/Number/${austin}/`, { unrent: false })).status).toBe(200);
    expect(await senderOf(e, await sendOne(e, { powerpack_uuid: pp.uuid, dst }))).toBe(sf);
  });
});

describe("number priority", () => {
  it("US default short code → toll-free → long code; a custom order; fallback past unusable types", async () => {
    const e = emulator();
    const sf = await linkedLongCode(e, "415");
    const tf = await verifiedTollfree(e);
    const pp = await powerpackWith(e, [sf], { tollfree: tf, body: { sticky_sender: false } });
    const viaTf = await sendOne(e, { powerpack_uuid: pp.uuid, dst: "14155550123" });
    expect(await senderOf(e, viaTf)).toBe(tf);
    expect(await reasonOf(viaTf)).toBe("priority 2 (tollfree)");

    const longFirst = { country_iso: "US", service_type: "SMS", priority: { priority1: "longcode", priority2: "tollfree", priority3: "shortcode" } };
    expect((await e.post(`Powerpack/${pp.uuid}/`, { number_priority: [longFirst] })).status).toBe(200);
    expect(await senderOf(e, await sendOne(e, { powerpack_uuid: pp.uuid, dst: "14155550124" }))).toBe(sf);

    // a short code of the US in the pool is priority 1 of the default order
    expect(
      (
        await e.post(`Powerpack/${pp.uuid}/`, {
          number_priority: [{ ...longFirst, priority: { priority1: "shortcode", priority2: "tollfree", priority3: "longcode" } }],
        })
      ).status,
    ).toBe(200);
    expect((await e.control("POST", "shortcodes", { powerpack_uuid: pp.uuid, shortcode: "44444", country_iso2: "US" })).status).toBe(201);
    const viaSc = await sendOne(e, { powerpack_uuid: pp.uuid, dst: "14155550125" });
    expect(await senderOf(e, viaSc)).toBe("44444");
    expect(await reasonOf(viaSc)).toBe("priority 1 (shortcode)");
    // Canada's default order is short code → long code → toll-free, and a US short code cannot reach Canada
    expect(await senderOf(e, await sendOne(e, { powerpack_uuid: pp.uuid, dst: "14165550123" }))).toBe(sf);
  });

  it("an unverified toll-free number is passed over for the long code (fallback)", async () => {
    const e = emulator();
    const sf = await linkedLongCode(e, "415");
    const tf = await buyTollfree(e);
    const pp = await powerpackWith(e, [sf], { tollfree: tf });
    const id = await sendOne(e, { powerpack_uuid: pp.uuid, dst: "14155550123" });
    expect(await senderOf(e, id)).toBe(sf);
    expect(await reasonOf(id)).toBe("priority 3 (longcode), local connect: area code 415");
  });

  it("MMS goes out from members added for mms only", async () => {
    const e = emulator();
    const smsOnly = await linkedLongCode(e, "512");
    const pp = await powerpackWith(e, [smsOnly]);
    const mms = { powerpack_uuid: pp.uuid, dst: "14155550123", type: "mms", media_urls: ["https://example.com/a.png"] };
    const refused = await e.post("Message/", mms);
    expect(refused.status).toBe(400);
    expect(refused.body.error).toContain(`${smsOnly} (added to the pool for sms only)`);
    const both = await linkedLongCode(e, "415");
    expect((await e.post(`NumberPool/${pp.pool}/Number/${both}/`, { service: "mms" })).status).toBe(200);
    expect(await senderOf(e, await sendOne(e, mms))).toBe(both);
  });
});

describe("refusals", () => {
  it("what no pool number can send is refused with every member's reason, and nothing is recorded", async () => {
    const e = emulator();
    const empty = await powerpackWith(e, []);
    const r1 = await e.post("Message/", { powerpack_uuid: empty.uuid, dst: "14155550123", text: "hi" });
    expect(r1.status).toBe(400);
    expect(r1.body.error).toMatch(/^no number in Powerpack pp-\w+ \([0-9a-f-]{36}\) can send this sms to 14155550123: the number pool is empty$/);

    const unlinked = await buyLongCode(e, "415");
    const pp = await powerpackWith(e, [unlinked]);
    const r2 = await e.post("Message/", { powerpack_uuid: pp.uuid, dst: "14155550123", text: "hi" });
    expect(r2.status).toBe(400);
    expect(r2.body.error).toContain(`${unlinked} (US long code not linked to a 10DLC campaign (tendlc_registration_status UNREGISTERED))`);
    // 10DLC is about US traffic: the same pool may message Canada
    expect(await senderOf(e, await sendOne(e, { powerpack_uuid: pp.uuid, dst: "14165550123" }))).toBe(unlinked);
    // and once linked, the US
    await linkToCampaign(e, [unlinked]);
    expect(await senderOf(e, await sendOne(e, { powerpack_uuid: pp.uuid, dst: "14155550123" }))).toBe(unlinked);

    const tf = await verifiedTollfree(e);
    const tfOnly = await powerpackWith(e, [], { tollfree: tf });
    const before = (await ledger(e, { action: "send" })).length;
    const r3 = await e.post("Message/", { powerpack_uuid: tfOnly.uuid, dst: "14155550123<447700900123", text: "hi" });
    expect(r3.status).toBe(400);
    expect(r3.body.error).toContain("to 447700900123");
    expect(r3.body.error).toContain(`${tf} (toll-free numbers only message the US and Canada)`);
    expect((await ledger(e, { action: "send" })).length).toBe(before); // all or nothing

    const r4 = await e.post("Message/", { powerpack_uuid: "6f1c4c51-0000-4000-8000-000000000000", dst: "14155550123", text: "hi" });
    expect(r4.status).toBe(400);
    expect(r4.body.error).toBe("powerpack_uuid 6f1c4c51-0000-4000-8000-000000000000 is not a Powerpack of this account");
  });
});
