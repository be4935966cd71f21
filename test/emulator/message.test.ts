/**
 * The Message API (docs/plivo-api.md §15): sending from `src`, the message detail record, the list and its filters,
 * the delivery lifecycle on the transition engine with its status callbacks, inbound messages to the application's
 * `message_url`, MMS media and media uploads.
 */
import { describe, expect, it } from "vitest";
import { API_ID_RE, UUID_RE, setTransition, startTestEmulator, useTestEmulator } from "../helpers/emulator";
import { buyLongCode, buyTollfree, buyWhere, resolve, webhook } from "./async-fixtures";
import { linkToCampaign, linkedLongCode, sendOne } from "./message-fixtures";

const emulator = useTestEmulator();
const PAST = "2000-01-01 00:00";
const gbMobile = () => buyWhere(emulator(), { country_iso: "GB", type: "mobile" });

async function mdr(uuid: string): Promise<Record<string, any>> {
  const res = await emulator().get(`Message/${uuid}/`);
  expect(res.status, res.text).toBe(200);
  return res.body;
}

async function waitFor<T>(fn: () => Promise<T>, ok: (v: T) => boolean, ms = 3000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (ok(v) || Date.now() > until) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe("send", () => {
  it("202 {api_id, message, message_uuid}; several destinations split on <, duplicates dropped, invalid ones listed", async () => {
    const e = emulator();
    const src = await gbMobile();
    const one = await e.post("Message/", { src, dst: "447700900123", text: "hi" });
    expect(one.status).toBe(202);
    expect(one.body).toEqual({ api_id: expect.stringMatching(API_ID_RE), message: "message(s) queued", message_uuid: [expect.stringMatching(UUID_RE)] });

    const bulk = await e.post("Message/", { src, dst: "447700900123<+44 7700 900124<447700900123<jsgf3dsjh28372<12", text: "hi" });
    expect(bulk.status).toBe(202);
    expect(bulk.body.message_uuid).toHaveLength(2);
    expect(bulk.body.invalid_number).toEqual(["jsgf3dsjh28372", "12"]);
    expect((await mdr(bulk.body.message_uuid[1])).to_number).toBe("447700900124");
  });

  it("refuses bad requests with the parameter and the rule", async () => {
    const e = emulator();
    const src = await gbMobile();
    const cases: Array<[Record<string, unknown>, string | RegExp]> = [
      [{ dst: "447700900123", text: "x" }, "src or powerpack_uuid is required"],
      [{ src, powerpack_uuid: "x", dst: "447700900123", text: "x" }, "src and powerpack_uuid cannot both be given: use one of them"],
      [{ src, text: "x" }, "dst parameter is missing"],
      [{ src, dst: "abc<12" }, "text parameter is missing"],
      [{ src, dst: "abc<12", text: "x" }, "dst: no valid destination number (invalid: abc, 12)"],
      [{ src, dst: "447700900123", text: "x", type: "whatsapp" }, "type whatsapp is not emulated (sms and mms are)"],
      [{ src, dst: "447700900123", text: "x", type: "fax" }, "type must be one of: sms, mms, whatsapp"],
      [{ src, dst: "447700900123", type: "mms" }, "media_urls parameter is missing (an mms message needs media_urls or media_ids)"],
      [{ src, dst: "447700900123", type: "mms", media_urls: ["ftp://x/a.png"] }, "media_urls: ftp://x/a.png is not a valid URL"],
      [{ src, dst: "447700900123", text: "x", url: "not a url" }, "url is not a valid URL"],
      [{ src, dst: "447700900123", text: "x", method: "PUT" }, "method must be one of: GET, POST"],
      [{ src, dst: "447700900123", text: "x", log: "sometimes" }, "log must be one of: true, false, content_only, number_only"],
      [{ src, dst: "447700900123", text: "x", message_expiry: 3 }, "message_expiry must be >= 5"],
      [{ src, dst: "447700900123", text: "x", callback_url: "http://127.0.0.1/x" }, /asynchronous API mode is not emulated/],
      [{ src, dst: "447700900123", text: "a".repeat(1601) }, "text must be at most 1600 characters with GSM encoding (got 1601)"],
      [{ src, dst: "447700900123", text: "é".repeat(500) + "ж".repeat(238) }, "text must be at most 737 characters with UCS-2 encoding (got 738)"],
      [{ src: "123456789012345", dst: "447700900123", text: "x" }, /src must be a number of at most 14 digits/],
      [{ src, dst: Array.from({ length: 1001 }, (_, i) => `4477009${String(10000 + i)}`).join("<"), text: "x" }, /at most 1000 unique destination numbers/],
    ];
    for (const [body, error] of cases) {
      const res = await e.post("Message/", body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      if (typeof error === "string") expect(res.body.error).toBe(error);
      else expect(res.body.error).toMatch(error);
    }
  });

  it("US and Canadian traffic must come from a number of the account; sender IDs elsewhere only if numeric", async () => {
    const e = emulator();
    const r1 = await e.post("Message/", { src: "14155550100", dst: "14155550123", text: "x" });
    expect(r1.status).toBe(400);
    expect(r1.body.error).toBe("This caller ID is not allowed for outbound message");
    const r2 = await e.post("Message/", { src: "ACME", dst: "447700900123", text: "x" });
    expect(r2.status).toBe(400);
    expect(r2.body.error).toBe("src ACME: alphanumeric sender IDs are not enabled for this account");
    const id = await sendOne(e, { src: "+44 7700 900999", dst: "447700900123" });
    expect((await mdr(id)).from_number).toBe("447700900999");
  });

  it("billing units: GSM 160 / 153 per unit (extension characters count two), UCS-2 70 / 67", async () => {
    const e = emulator();
    const src = await gbMobile();
    const units = async (text: string) => (await mdr(await sendOne(e, { src, dst: "447700900123", text }))).units;
    expect(await units("a".repeat(160))).toBe(1);
    expect(await units("a".repeat(161))).toBe(2);
    expect(await units("a".repeat(306))).toBe(2);
    expect(await units("a".repeat(307))).toBe(3);
    expect(await units("€".repeat(80))).toBe(1);
    expect(await units("€".repeat(81))).toBe(2);
    expect(await units("ж".repeat(70))).toBe(1);
    expect(await units("ж".repeat(71))).toBe(2);
    const m = await mdr(await sendOne(e, { src, dst: "447700900123", text: "ж".repeat(135) }));
    expect([m.units, m.total_rate, m.total_amount]).toEqual([3, "0.04000", "0.12000"]);
  });
});

describe("message detail record", () => {
  it("GET /Message/{uuid}/ has the documented fields; 404 for an unknown uuid", async () => {
    const e = emulator();
    const src = await buyLongCode(e, "416".replace("416", "512"));
    const id = await sendOne(e, { src, dst: "14165550123", text: "hello Toronto" });
    const m = await mdr(id);
    expect(m).toEqual({
      api_id: expect.stringMatching(API_ID_RE),
      carrier_fees: "0.00000",
      carrier_fees_rate: "0.00000",
      conversation_expiration_timestamp: "",
      conversation_id: "",
      conversation_origin: "",
      destination_country_iso2: "CA",
      destination_network: null,
      dlt_entity_id: "",
      dlt_template_category: "",
      dlt_template_id: "",
      error_code: null,
      error_message: "",
      from_number: src,
      is_domestic: false,
      log: "true",
      mcc: null,
      message_direction: "outbound",
      message_sent_time: null,
      message_state: "queued",
      message_time: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{6}\+00:00$/),
      message_type: "sms",
      message_updated_time: m.message_time,
      message_uuid: id,
      mnc: null,
      powerpack_id: null,
      replaced_sender: "",
      requester_ip: "127.0.0.1",
      resource_uri: `/v1/Account/${e.authId}/Message/${id}/`,
      tendlc_campaign_id: null,
      tendlc_registration_status: "not_applicable",
      to_number: "14165550123",
      total_amount: "0.00550",
      total_rate: "0.00550",
      units: 1,
    });
    const missing = await e.get("Message/3f1c4c51-0000-4000-8000-000000000000/");
    expect(missing.status).toBe(404);
    expect(missing.body.error).toBe("not found");
  });

  it("log=false masks the other party's number and lists no media", async () => {
    const e = emulator();
    const src = await gbMobile();
    const id = await sendOne(e, { src, dst: "447700900123", text: "secret", log: false });
    expect((await mdr(id)).to_number).toBe("447XXXXXX123");
    expect((await mdr(id)).log).toBe("false");
    const found = await e.get("Message/", { to_number: "+447700900123" });
    expect(found.body.objects.map((o: any) => o.message_uuid)).toEqual([id]);
  });
});

describe("list", () => {
  it("newest first, Plivo pagination, the documented filters; the last 24 hours unless message_time says otherwise", async () => {
    const e = emulator();
    const src = await gbMobile();
    const a = await sendOne(e, { src, dst: "447700900001" });
    const b = await sendOne(e, { src, dst: "447700900002" });
    const c = await sendOne(e, { src, dst: "4915112345678" });
    const all = await e.get("Message/");
    expect(all.status).toBe(200);
    expect(all.body.objects.map((o: any) => o.message_uuid)).toEqual([c, b, a]);
    expect(all.body.meta).toEqual({ limit: 20, offset: 0, next: null, previous: null, total_count: 3 });
    const page = await e.get("Message/", { limit: 1, offset: 1 });
    expect(page.body.objects.map((o: any) => o.message_uuid)).toEqual([b]);
    expect(page.body.meta.next).toBe(`/v1/Account/${e.authId}/Message/?limit=1&offset=2`);
    const ids = async (q: Record<string, string>) => (await e.get("Message/", q)).body.objects.map((o: any) => o.message_uuid);
    expect(await ids({ destination_country_iso2: "de" })).toEqual([c]);
    expect(await ids({ to_number: "+44 7700 900002" })).toEqual([b]);
    expect(await ids({ from_number: `+${src}`, message_direction: "outbound", message_type: "sms" })).toEqual([c, b, a]);
    expect(await ids({ message_direction: "inbound" })).toEqual([]);
    expect(await ids({ message_state: "queued" })).toEqual([c, b, a]);

    expect((await e.control("POST", "clock", { advanceMs: 25 * 3600_000 })).status).toBe(200);
    expect(await ids({})).toEqual([]);
    expect(await ids({ message_time__gte: PAST })).toEqual([c, b, a]);
    expect(await ids({ message_time__lt: PAST })).toEqual([]);

    for (const [q, error] of [
      [{ message_state: "lost" }, "message_state must be one of: queued, sent, failed, delivered, undelivered, received, rejected"],
      [{ message_time__gt: "yesterday" }, "message_time__gt must look like YYYY-MM-DD HH:MM[:ss[.uuuuuu]] (UTC)"],
      [{ limit: "21" }, "limit must be an integer between 1 and 20"],
    ] as const) {
      const res = await e.get("Message/", q);
      expect(res.status).toBe(400);
      expect(res.body.error).toBe(error);
    }
  });
});

describe("delivery lifecycle", () => {
  it("queued → sent → delivered on reads; status callbacks as form data: queued, sent, delivered in sequence", async () => {
    const e = emulator();
    const hook = await webhook();
    try {
      await setTransition(e, "message", { mode: "reads", count: 2 });
      const src = await gbMobile();
      const id = await sendOne(e, { src, dst: "447700900123", url: hook.url });
      expect((await mdr(id)).message_state).toBe("queued");
      const sent = await mdr(id);
      expect([sent.message_state, sent.error_code]).toEqual(["sent", null]);
      expect(sent.message_sent_time).toMatch(/\+00:00$/);
      const done = await mdr(id);
      expect([done.message_state, done.error_code]).toEqual(["delivered", "000"]);
      const got = await hook.waitFor(3);
      expect(got.map((r) => [r.method, r.contentType, r.body?.Status, r.body?.Sequence])).toEqual([
        ["POST", "application/x-www-form-urlencoded", "queued", "1"],
        ["POST", "application/x-www-form-urlencoded", "sent", "2"],
        ["POST", "application/x-www-form-urlencoded", "delivered", "3"],
      ]);
      expect(got[2].body).toMatchObject({ MessageUUID: id, From: src, To: "447700900123", Type: "sms", Units: "1", TotalRate: "0.04000", PowerpackUUID: "" });
      expect(got[2].body).not.toHaveProperty("ErrorCode");
      expect(got[2].body!.DeliveryReportTime).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{6}$/);
      const history = (await e.state()).transition_history;
      expect(history.filter((h: any) => h.id === id)).toEqual([]); // messages keep their own times, not the engine's history
    } finally {
      await hook.close();
    }
  });

  it("by default a message is sent after 1 s and delivered after 2 s of emulator clock, with no read needed", async () => {
    const e = emulator();
    const hook = await webhook();
    try {
      const src = await gbMobile();
      const id = await sendOne(e, { src, dst: "447700900123", url: hook.url, method: "GET" });
      expect((await e.control("POST", "clock", { advanceMs: 1000 })).status).toBe(200);
      await hook.waitFor(2);
      expect((await e.control("POST", "clock", { advanceMs: 1000 })).status).toBe(200);
      const got = await hook.waitFor(3);
      expect(got.map((r) => [r.method, r.query.Status])).toEqual([
        ["GET", "queued"],
        ["GET", "sent"],
        ["GET", "delivered"],
      ]);
      expect((await mdr(id)).message_state).toBe("delivered");
    } finally {
      await hook.close();
    }
  });

  it("failure outcomes: failed (no sent), undelivered (after sent), sent for good (no receipt); a reason picks the error code", async () => {
    const e = emulator();
    const hook = await webhook();
    try {
      await setTransition(e, "message", { mode: "manual" });
      const src = await gbMobile();
      const failed = await sendOne(e, { src, dst: "447700900001", url: hook.url });
      expect((await resolve(e, "message", failed, "failure", "30 spam filter")).body.status).toBe("failed");
      expect(await mdr(failed)).toMatchObject({ message_state: "failed", error_code: "30", error_message: "spam filter", message_sent_time: null });
      const undelivered = await sendOne(e, { src, dst: "447700900002" });
      expect((await resolve(e, "message", undelivered, "undelivered")).body.status).toBe("undelivered");
      expect(await mdr(undelivered)).toMatchObject({ message_state: "undelivered", error_code: "10" });
      const noReceipt = await sendOne(e, { src, dst: "447700900003" });
      expect((await resolve(e, "message", noReceipt, "sent")).body.status).toBe("sent");
      expect(await mdr(noReceipt)).toMatchObject({ message_state: "sent", error_code: null });
      const got = await hook.waitFor(2);
      expect(got.map((r) => [r.body?.Status, r.body?.ErrorCode])).toEqual([
        ["queued", undefined],
        ["failed", "30"],
      ]);
      const again = await resolve(e, "message", failed, "success");
      expect(again.status).toBe(400);
    } finally {
      await hook.close();
    }
  });

  it("a US long code not linked to a 10DLC campaign is accepted and fails (error 40); linked, it delivers", async () => {
    const e = emulator();
    await setTransition(e, "message", { mode: "immediate" });
    const unlinked = await buyLongCode(e, "415");
    const blocked = await mdr(await sendOne(e, { src: unlinked, dst: "14155550123" }));
    expect(blocked).toMatchObject({
      message_state: "failed",
      error_code: "40",
      error_message: `source ${unlinked}: US long code not linked to a 10DLC campaign (tendlc_registration_status UNREGISTERED)`,
      tendlc_registration_status: "unregistered",
      tendlc_campaign_id: null,
    });
    // 10DLC applies to US destinations only
    expect((await mdr(await sendOne(e, { src: unlinked, dst: "14165550123" }))).message_state).toBe("delivered");
    const campaign = await linkToCampaign(e, [unlinked]);
    const ok = await mdr(await sendOne(e, { src: unlinked, dst: "14155550123" }));
    expect(ok).toMatchObject({ message_state: "delivered", error_code: "000", tendlc_registration_status: "registered", tendlc_campaign_id: campaign });

    const tf = await buyTollfree(e);
    const unverified = await mdr(await sendOne(e, { src: tf, dst: "14155550123" }));
    expect(unverified).toMatchObject({
      message_state: "failed",
      error_code: "40",
      error_message: `source ${tf}: toll-free number not verified (toll_free_sms_verification UNVERIFIED)`,
    });
    const voiceOnly = (await e.get("PhoneNumber/", { country_iso: "US", pattern: "212" })).body.objects.find((o: any) => !o.sms_enabled).number;
    expect((await e.post(`PhoneNumber/${voiceOnly}/`, {})).status).toBe(201);
    expect(await mdr(await sendOne(e, { src: voiceOnly, dst: "447700900123" }))).toMatchObject({
      message_state: "failed",
      error_code: "40",
      error_message: `source ${voiceOnly}: not SMS-enabled`,
    });
  });
});

describe("inbound messages", () => {
  it("a handset's message reaches the application's message_url as form data; delivered on 2xx, undelivered otherwise", async () => {
    const e = emulator();
    const ok = await webhook(200);
    const down = await webhook(500);
    try {
      const app = await e.post("Application/", { app_name: "inbox", answer_url: "https://example.com/a", message_url: ok.url });
      const broken = await e.post("Application/", { app_name: "broken", answer_url: "https://example.com/a", message_url: down.url });
      const n = await buyLongCode(e, "415");
      const m = await buyLongCode(e, "512");
      const silent = await buyLongCode(e, "212");
      expect((await e.post(`Number/${n}/`, { app_id: app.body.app_id })).status).toBe(202);
      expect((await e.post(`Number/${m}/`, { app_id: broken.body.app_id })).status).toBe(202);

      const r = await e.control("POST", "messages/inbound", { from: "+1 (650) 555-0100", to: n, text: "STOP" });
      expect(r.status, r.text).toBe(201);
      const [got] = await ok.waitFor(1);
      expect(got.contentType).toBe("application/x-www-form-urlencoded");
      expect(got.body).toMatchObject({
        From: "16505550100",
        To: n,
        Text: "STOP",
        Type: "sms",
        MessageUUID: r.body.message_uuid,
        Units: "1",
        MessageIntent: "optout",
        PowerpackUUID: "",
      });
      const delivered = await waitFor(
        () => mdr(r.body.message_uuid),
        (x) => x.message_state !== "received",
      );
      expect(delivered).toMatchObject({ message_direction: "inbound", message_state: "delivered", from_number: "16505550100", to_number: n });

      const r2 = await e.control("POST", "messages/inbound", { from: "16505550100", to: m, text: "hi" });
      await down.waitFor(1);
      expect(
        (
          await waitFor(
            () => mdr(r2.body.message_uuid),
            (x) => x.message_state !== "received",
          )
        ).message_state,
      ).toBe("undelivered");
      const r3 = await e.control("POST", "messages/inbound", { from: "16505550100", to: silent, text: "hi" });
      expect((await mdr(r3.body.message_uuid)).message_state).toBe("received");
      expect((await e.control("POST", "messages/inbound", { from: "1", to: "14155550123", text: "x" })).status).toBe(400);
      expect((await e.control("POST", "messages/inbound", { from: "16505550100", to: "14155550123", text: "x", colour: "red" })).status).toBe(400);
    } finally {
      await ok.close();
      await down.close();
    }
  });

  it("a message to one of the account's own numbers arrives there once delivered", async () => {
    const e = emulator();
    const hook = await webhook();
    try {
      await setTransition(e, "message", { mode: "immediate" });
      const app = await e.post("Application/", { app_name: "inbox", answer_url: "https://example.com/a", message_url: hook.url });
      const from = await linkedLongCode(e, "512");
      const to = await buyLongCode(e, "415");
      expect((await e.post(`Number/${to}/`, { app_id: app.body.app_id })).status).toBe(202);
      await sendOne(e, { src: from, dst: to, text: "ping" });
      const [got] = await hook.waitFor(1);
      expect(got.body).toMatchObject({ From: from, To: to, Text: "ping" });
      const inbound = await e.get("Message/", { message_direction: "inbound" });
      expect(inbound.body.objects.map((o: any) => [o.from_number, o.to_number])).toEqual([[from, to]]);
    } finally {
      await hook.close();
    }
  });
});

describe("MMS and media", () => {
  const authHeader = () => `Basic ${Buffer.from(`${emulator().authId}:${emulator().authToken}`).toString("base64")}`;

  async function upload(files: Array<{ name: string; type: string; bytes: number }>): Promise<{ status: number; body: any }> {
    const form = new FormData();
    for (const f of files) form.append("file", new Blob([Buffer.alloc(f.bytes, 7)], { type: f.type }), f.name);
    const res = await fetch(`${emulator().url}${emulator().base}Media/`, { method: "POST", headers: { authorization: authHeader() }, body: form });
    return { status: res.status, body: await res.json() };
  }

  it("media_urls become the message's media; GET /Message/{uuid}/Media/", async () => {
    const e = emulator();
    const src = await linkedLongCode(e, "415");
    const id = await sendOne(e, { src, dst: "14155550123", type: "mms", media_urls: "https://example.com/cat.png,https://example.com/doc.pdf", text: "" });
    const m = await mdr(id);
    expect([m.message_type, m.units, m.total_rate]).toEqual(["mms", 1, "0.01800"]);
    const media = await e.get(`Message/${id}/Media/`);
    expect(media.status).toBe(200);
    expect(media.body.objects).toEqual([
      expect.objectContaining({
        content_type: "image/png",
        file_name: "cat.png",
        message_uuid: id,
        media_url: expect.stringMatching(new RegExp(`^https://media\\.plivo\\.com/Account/${e.authId}/Message/${id}/Media/[0-9a-f-]{36}$`)),
      }),
      expect.objectContaining({ content_type: "application/pdf", file_name: "doc.pdf", message_uuid: id }),
    ]);
    expect((await e.get("Message/3f1c4c51-0000-4000-8000-000000000000/Media/")).status).toBe(404);
  });

  it("POST /Media/ (multipart) → objects with status; GET /Media/, /Media/{id}/; media_ids in an MMS; the limits", async () => {
    const e = emulator();
    const up = await upload([
      { name: "a.png", type: "image/png", bytes: 1000 },
      { name: "b.jpg", type: "image/jpeg", bytes: 2000 },
    ]);
    expect(up.status).toBe(200);
    expect(up.body.objects).toEqual([
      expect.objectContaining({
        file_name: "a.png",
        content_type: "image/png",
        size: 1000,
        status: "success",
        status_code: 201,
        media_id: expect.stringMatching(UUID_RE),
      }),
      expect.objectContaining({ file_name: "b.jpg", content_type: "image/jpeg", size: 2000, status: "success", status_code: 201 }),
    ]);
    const id = up.body.objects[0].media_id;
    const one = await e.get(`Media/${id}/`);
    expect(one.body).toEqual({
      api_id: expect.stringMatching(API_ID_RE),
      content_type: "image/png",
      file_name: "a.png",
      media_id: id,
      size: 1000,
      upload_time: expect.stringMatching(/Z$/),
      media_url: `https://media.plivo.com/Account/${e.authId}/Media/${id}`,
    });
    expect((await e.get("Media/")).body.meta.total_count).toBe(2);
    expect((await e.get("Media/nope/")).status).toBe(404);

    const src = await linkedLongCode(e, "415");
    const msg = await sendOne(e, { src, dst: "14155550123", type: "mms", media_ids: [id] });
    expect((await e.get(`Message/${msg}/Media/`)).body.objects.map((o: any) => o.media_id)).toEqual([id]);
    const unknown = await e.post("Message/", { src, dst: "14155550123", type: "mms", media_ids: ["nope"] });
    expect([unknown.status, unknown.body.error]).toEqual([400, "media_ids: nope is not a media of this account"]);

    const big = await upload([{ name: "big.png", type: "image/png", bytes: 2 * 1024 * 1024 + 1 }]);
    expect([big.status, big.body.error]).toEqual([400, "file big.png: larger than 2MB (2097153 bytes)"]);
    const exe = await upload([{ name: "x.exe", type: "application/x-msdownload", bytes: 10 }]);
    expect(exe.status).toBe(400);
    expect(exe.body.error).toMatch(/^file x\.exe: content type application\/x-msdownload is not accepted/);
    const none = await e.post("Media/", {});
    expect(none.status).toBe(400);
    expect((await e.get("Media/")).body.meta.total_count).toBe(2); // refused uploads store nothing
  });
});

describe("persistence", () => {
  it("messages, sticky senders and pending deliveries survive a restart on the same data file", async () => {
    const { mkdtempSync, rmSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const path = await import("node:path");
    const dir = mkdtempSync(path.join(tmpdir(), "emu-msg-"));
    const dataFile = path.join(dir, "state.json");
    try {
      let e = await startTestEmulator({ dataFile, transitions: ["message=reads:1"] });
      const src = await e.buy({ country_iso: "GB", type: "mobile" });
      const id = (await e.post("Message/", { src, dst: "447700900123", text: "persist me" })).body.message_uuid[0];
      await e.close();
      e = await startTestEmulator({ dataFile, transitions: ["message=reads:1"] });
      try {
        expect((await e.get(`Message/${id}/`)).body.message_state).toBe("queued");
        expect((await e.get(`Message/${id}/`)).body.message_state).toBe("delivered");
      } finally {
        await e.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
