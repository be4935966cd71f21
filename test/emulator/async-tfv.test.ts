/** Emulator: toll-free verification (states, gates, number mirror, six-day timeout, callbacks, persistence). */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  API_ID_RE,
  UUID_RE,
  buyLongCode,
  buyTollfree,
  createTfv,
  ledger,
  makeProfile,
  policy,
  resolve,
  startTestEmulator,
  submits,
  tfvBody,
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

const status = async (id: string) => (await e.get(`TollfreeVerification/${id}/`)).body.status as string;
const mirror = async (n: string) => {
  const b = (await e.get(`Number/${n}/`)).body;
  return [b.toll_free_sms_verification, b.toll_free_sms_verification_id];
};

describe("TollfreeVerification", () => {
  it("create → 201 {api_id, message, uuid}; GET is flat: SUBMITTED, then APPROVED; the number mirrors it", async () => {
    const profile = await makeProfile(e);
    const n = await buyTollfree(e);
    expect(await mirror(n)).toEqual(["UNVERIFIED", null]);
    const res = await e.post("TollfreeVerification", tfvBody(profile, `+${n}`, { usecase: "customer_care, 2fa", volume: "10,000" }));
    expect(res.status).toBe(201);
    expect(Object.keys(res.body).sort()).toEqual(["api_id", "message", "uuid"]);
    expect(res.body.api_id).toMatch(API_ID_RE);
    expect(res.body.message).toBe("created");
    expect(res.body.uuid).toMatch(UUID_RE);
    const id = res.body.uuid;
    expect(await mirror(n)).toEqual(["PENDING_VERIFICATION", id]);

    const first = await e.get(`TollfreeVerification/${id}/`);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      api_id: expect.stringMatching(API_ID_RE),
      uuid: id,
      profile_uuid: profile,
      number: n,
      usecase: "CUSTOMER_CARE,2FA",
      usecase_summary: "One-time passcodes and support replies for Acme customers.",
      message_sample: "Your Acme code is 123456. It expires in 10 minutes.",
      optin_image_url: "https://acme.example/optin.png",
      optin_type: "WEB_FORM",
      volume: "10,000",
      additional_information: "Privacy: https://acme.example/privacy",
      extra_data: "ticket-1",
      callback_url: "",
      callback_method: "POST",
      status: "SUBMITTED",
      error_message: "",
      created: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/),
      last_modified: expect.any(String),
    });
    expect(await status(id)).toBe("APPROVED");
    expect(await mirror(n)).toEqual(["VERIFIED", id]);
    expect((await e.get(`Number/${n}/`)).body.toll_free_sms_verification_order_status).toBe("APPROVED");
    expect(await submits(e, "tfv", id)).toBe(1);
  });

  it("validation: each rule is a 400 naming the parameter", async () => {
    const profile = await makeProfile(e);
    const n = await buyTollfree(e, "833");
    const local = await buyLongCode(e);
    const without = (k: string) => {
      const b = tfvBody(profile, n);
      delete b[k];
      return b;
    };
    const only = "Only US and Canadian toll-free numbers will be accepted. Only one toll-free number can be provided.";
    const cases: Array<[Record<string, unknown>, RegExp | string]> = [
      [without("profile_uuid"), /^profile_uuid parameter is missing$/],
      [tfvBody("00000000-0000-4000-8000-000000000000", n), /^profile_uuid .* is not a valid profile$/],
      [without("number"), /^number parameter is missing$/],
      [tfvBody(profile, "18005550000"), /^number 18005550000 is not rented in this account\. Only US and Canadian/],
      [tfvBody(profile, local), `number ${local}: ${only}`],
      [tfvBody(profile, `${n},${n}`), only],
      [tfvBody(profile, [n]), only],
      [without("usecase"), /^usecase parameter is missing$/],
      [tfvBody(profile, n, { usecase: "2FA,GAMBLING" }), /^usecase must be a comma-separated list of: .*\(got GAMBLING\)$/],
      [tfvBody(profile, n, { usecase: "MIXED" }), /^usecase must be a comma-separated list/],
      [without("usecase_summary"), /^usecase_summary parameter is missing$/],
      [tfvBody(profile, n, { usecase_summary: "x".repeat(501) }), /^usecase_summary must be at most 500 characters$/],
      [without("message_sample"), /^message_sample parameter is missing$/],
      [tfvBody(profile, n, { message_sample: "x".repeat(1001) }), /^message_sample must be at most 1000 characters$/],
      [without("optin_image_url"), /^optin_image_url parameter is missing$/],
      [tfvBody(profile, n, { optin_image_url: "https://a.example/1.png, not-a-url" }), /^optin_image_url must be one or more valid URLs/],
      [without("optin_type"), /^optin_type parameter is missing$/],
      [tfvBody(profile, n, { optin_type: "SMOKE_SIGNAL" }), /^optin_type must be one of: VERBAL, WEB_FORM, PAPER_FORM, VIA_TEXT, MOBILE_QR_CODE$/],
      [without("volume"), /^volume parameter is missing$/],
      [tfvBody(profile, n, { volume: "1000" }), /^volume must be one of: 10 \| 100 \| 1,000 \| /],
      [tfvBody(profile, n, { additional_information: "x".repeat(501) }), /^additional_information must be at most 500 characters$/],
      [tfvBody(profile, n, { callback_url: "nope" }), /^callback_url is not a valid URL$/],
      [tfvBody(profile, n, { callback_method: "PATCH" }), /^callback_method must be one of: GET, POST$/],
    ];
    for (const [body, msg] of cases) {
      const res = await e.post("TollfreeVerification/", body);
      expect(res.status, JSON.stringify(body).slice(0, 200)).toBe(400);
      if (typeof msg === "string") expect(res.body.error).toBe(msg);
      else expect(res.body.error, JSON.stringify(body).slice(0, 200)).toMatch(msg);
    }
    expect(await submits(e, "tfv")).toBe(0);
    // every documented volume and opt-in type is accepted
    const ok = await createTfv(e, profile, n, {
      volume: "10,000,000+",
      optin_type: "mobile_qr_code",
      optin_image_url: "https://a.example/1.png,https://a.example/2.png",
    });
    expect((await e.get(`TollfreeVerification/${ok}/`)).body).toMatchObject({
      optin_type: "MOBILE_QR_CODE",
      optin_image_url: "https://a.example/1.png,https://a.example/2.png",
    });
  });

  it("one open verification per number; a REJECTED one does not count, but its use cases cannot be submitted again", async () => {
    const profile = await makeProfile(e);
    const n = await buyTollfree(e);
    await policy(e, { resource: "tfv", mode: "manual" });
    const first = await createTfv(e, profile, n);
    const again = await e.post("TollfreeVerification/", tfvBody(profile, n));
    expect(again.status).toBe(400);
    expect(again.body.error).toBe(`number ${n} already has a toll-free verification request (${first}, status SUBMITTED)`);
    await resolve(e, "tfv", first, "failure", "opt-in not shown");
    expect((await e.post("TollfreeVerification/", tfvBody(profile, n))).status).toBe(400); // docs/plivo-api.md §10.3
    expect((await e.post("TollfreeVerification/", tfvBody(profile, n, { usecase: "MARKETING" }))).status).toBe(201);
  });

  it("list: objects with meta; filters number, status, profile_uuid, usecase, created", async () => {
    await policy(e, { resource: "tfv", mode: "manual" });
    const p1 = await makeProfile(e);
    const p2 = await makeProfile(e, { profile_alias: "two" });
    const n1 = await buyTollfree(e, "833");
    const n2 = await buyTollfree(e, "844");
    const a = await createTfv(e, p1, n1);
    const b = await createTfv(e, p2, n2, { usecase: "MARKETING" });
    await resolve(e, "tfv", b, "success");
    const ids = (res: { body: { objects: Array<{ uuid: string }> } }) => res.body.objects.map((o) => o.uuid).sort();
    const all = await e.get("TollfreeVerification/");
    expect(all.status).toBe(200);
    expect(Object.keys(all.body).sort()).toEqual(["api_id", "meta", "objects"]);
    expect(all.body.meta).toMatchObject({ limit: 20, offset: 0, total_count: 2 });
    expect(all.body.objects[0]).toHaveProperty("error_message");
    expect(ids(all)).toEqual([a, b].sort());
    expect(ids(await e.get("TollfreeVerification/", { number: `+${n1}` }))).toEqual([a]);
    expect(ids(await e.get("TollfreeVerification/", { status: "approved" }))).toEqual([b]);
    expect(ids(await e.get("TollfreeVerification/", { profile_uuid: p1 }))).toEqual([a]);
    expect(ids(await e.get("TollfreeVerification/", { usecase: "2FA,CUSTOMER_CARE" }))).toEqual([a]);
    expect(ids(await e.get("TollfreeVerification/", { usecase: "2FA" }))).toEqual([]);
    const today = new Date().toISOString().slice(0, 10);
    expect(ids(await e.get("TollfreeVerification/", { created: today }))).toEqual([a, b].sort());
    expect(ids(await e.get("TollfreeVerification/", { created__gt: today }))).toEqual([]);
    expect(ids(await e.get("TollfreeVerification/", { created__lte: today, created__gte: "2020-01-01" }))).toEqual([a, b].sort());
    expect((await e.get("TollfreeVerification/", { created__lt: "yesterday" })).status).toBe(400);
    expect((await e.get("TollfreeVerification/", { status: "DONE" })).status).toBe(400);
  });

  it("PROCESSING: later pending reads (reads:N with N ≥ 2)", async () => {
    await policy(e, { resource: "tfv", mode: "reads", count: 3 });
    const id = await createTfv(e, await makeProfile(e), await buyTollfree(e));
    expect([await status(id), await status(id), await status(id), await status(id)]).toEqual(["SUBMITTED", "PROCESSING", "PROCESSING", "APPROVED"]);
  });

  it("update: 202 in SUBMITTED (no resubmission); 400 in PROCESSING and APPROVED; updatable fields only", async () => {
    await policy(e, { resource: "tfv", mode: "manual" });
    const profile = await makeProfile(e);
    const other = await makeProfile(e, { profile_alias: "other" });
    const id = await createTfv(e, profile, await buyTollfree(e));
    const res = await e.post(`TollfreeVerification/${id}/`, { usecase_summary: "Updated summary.", profile_uuid: other, volume: "100", extra_data: "" });
    expect(res.status).toBe(202);
    expect(Object.keys(res.body).sort()).toEqual(["api_id", "message"]);
    expect(res.body.message).toBe(`Tollfree verification request for uuid ${id} updated successfully.`);
    const t = (await e.get(`TollfreeVerification/${id}`)).body;
    expect(t).toMatchObject({ usecase_summary: "Updated summary.", profile_uuid: other, volume: "100", extra_data: "", status: "SUBMITTED" });
    expect(await submits(e, "tfv", id)).toBe(1);

    for (const [body, msg] of [
      [{ number: "18005550000" }, /^number cannot be updated/],
      [{ colour: "blue" }, /^unexpected parameter: colour$/],
      [{}, /^provide at least one of/],
      [{ volume: "7" }, /^volume must be one of/],
      [{ profile_uuid: "00000000-0000-4000-8000-000000000000" }, /is not a valid profile$/],
    ] as Array<[Record<string, unknown>, RegExp]>) {
      const bad = await e.post(`TollfreeVerification/${id}/`, body);
      expect(bad.status, JSON.stringify(body)).toBe(400);
      expect(bad.body.error).toMatch(msg);
    }

    await resolve(e, "tfv", id, "processing");
    expect(await status(id)).toBe("PROCESSING");
    const processing = await e.post(`TollfreeVerification/${id}/`, { extra_data: "x" });
    expect(processing.status).toBe(400);
    expect(processing.body.error).toMatch(/cannot be updated in PROCESSING status; updates are allowed only in SUBMITTED or UPDATE_REQUIRED status/);

    await resolve(e, "tfv", id, "success");
    const approved = await e.post(`TollfreeVerification/${id}/`, { extra_data: "x" });
    expect(approved.status).toBe(400);
    expect(approved.body.error).toMatch(/cannot be updated in APPROVED status/);
    expect((await e.post("TollfreeVerification/00000000-0000-4000-8000-000000000000/", { extra_data: "x" })).status).toBe(404);
  });

  it("UPDATE_REQUIRED (with error_message): an update resubmits (ledger submit); six days without one → REJECTED", async () => {
    await policy(e, { resource: "tfv", mode: "immediate", outcome: "update_required", reason: "Opt-in screenshot is not readable" });
    const profile = await makeProfile(e);
    const n1 = await buyTollfree(e, "833");
    const id = await createTfv(e, profile, n1);
    const t = (await e.get(`TollfreeVerification/${id}/`)).body;
    expect(t).toMatchObject({ status: "UPDATE_REQUIRED", error_message: "Opt-in screenshot is not readable" });
    expect(await mirror(n1)).toEqual(["PENDING_VERIFICATION", id]);

    await policy(e, { resource: "tfv", mode: "manual" });
    const res = await e.post(`TollfreeVerification/${id}/`, { optin_image_url: "https://acme.example/optin-v2.png" });
    expect(res.status).toBe(202);
    expect((await e.get(`TollfreeVerification/${id}/`)).body).toMatchObject({
      status: "SUBMITTED",
      error_message: "",
      optin_image_url: "https://acme.example/optin-v2.png",
    });
    expect(await submits(e, "tfv", id)).toBe(2);

    // carrier asks again, nobody answers for six days
    expect((await resolve(e, "tfv", id, "update_required")).body.status).toBe("UPDATE_REQUIRED");
    await e.control("POST", "clock", { advanceMs: 6 * 86400_000 - 60_000 });
    expect(await status(id)).toBe("UPDATE_REQUIRED");
    await e.control("POST", "clock", { advanceMs: 120_000 });
    const rejected = (await e.get(`TollfreeVerification/${id}/`)).body;
    expect(rejected).toMatchObject({ status: "REJECTED", error_message: expect.stringMatching(/six days/) });
    expect(await mirror(n1)).toEqual(["UNVERIFIED", id]);

    // resolve on UPDATE_REQUIRED: the carrier decides (success → APPROVED)
    const n2 = await buyTollfree(e, "844");
    const id2 = await createTfv(e, profile, n2);
    await resolve(e, "tfv", id2, "update_required");
    expect((await resolve(e, "tfv", id2, "success")).body.status).toBe("APPROVED");
  });

  it("failure outcome: REJECTED with error_message; the number is UNVERIFIED again", async () => {
    await policy(e, { resource: "tfv", mode: "reads", count: 1, outcome: "failure", reason: "Use case not supported" });
    const n = await buyTollfree(e);
    const id = await createTfv(e, await makeProfile(e), n);
    expect(await status(id)).toBe("SUBMITTED");
    expect((await e.get(`TollfreeVerification/${id}/`)).body).toMatchObject({ status: "REJECTED", error_message: "Use case not supported" });
    expect(await mirror(n)).toEqual(["UNVERIFIED", id]);
  });

  it("seconds mode on the emulator clock: SUBMITTED for the first half, PROCESSING for the second", async () => {
    await policy(e, { resource: "tfv", mode: "seconds", seconds: 100 });
    const id = await createTfv(e, await makeProfile(e), await buyTollfree(e));
    expect(await status(id)).toBe("SUBMITTED");
    await e.control("POST", "clock", { advanceMs: 60_000 });
    expect(await status(id)).toBe("PROCESSING");
    await e.control("POST", "clock", { advanceMs: 41_000 });
    expect(await status(id)).toBe("APPROVED");
  });

  it("delete: 204 in SUBMITTED/PROCESSING/UPDATE_REQUIRED, 400 in APPROVED/REJECTED", async () => {
    await policy(e, { resource: "tfv", mode: "manual" });
    const profile = await makeProfile(e);
    const make = async (prefix: string) => {
      const n = await buyTollfree(e, prefix);
      return { n, id: await createTfv(e, profile, n) };
    };
    const submitted = await make("833");
    const processing = await make("844");
    const updateRequired = await make("855");
    const approved = await make("866");
    const rejected = await make("877");
    await resolve(e, "tfv", processing.id, "processing");
    await resolve(e, "tfv", updateRequired.id, "update_required");
    await resolve(e, "tfv", approved.id, "success");
    await resolve(e, "tfv", rejected.id, "failure");

    // the profile is held by open requests only
    const guarded = await e.del(`Profile/${profile}/`);
    expect(guarded.status).toBe(400);
    expect(guarded.body.error).toMatch(/profile is in use by toll-free verification/);

    for (const t of [submitted, processing, updateRequired]) {
      const res = await e.del(`TollfreeVerification/${t.id}/`);
      expect(res.status).toBe(204);
      expect(res.text).toBe("");
      expect((await e.get(`TollfreeVerification/${t.id}/`)).status).toBe(404);
      expect(await mirror(t.n)).toEqual(["UNVERIFIED", null]);
    }
    for (const [t, word] of [
      [approved, "APPROVED"],
      [rejected, "REJECTED"],
    ] as const) {
      const res = await e.del(`TollfreeVerification/${t.id}`);
      expect(res.status).toBe(400);
      expect(res.body.error).toMatch(new RegExp(`cannot be deleted in ${word} status`));
    }
    expect((await e.del("TollfreeVerification/00000000-0000-4000-8000-000000000000/")).status).toBe(404);
    expect((await ledger(e)).filter((l) => l.action === "delete" && l.resource === "tfv")).toHaveLength(3);
    expect((await e.del(`Profile/${profile}/`)).status).toBe(200);
  });

  it("callbacks: SUBMITTED, then the new status (UPDATE_REQUIRED, SUBMITTED again, APPROVED)", async () => {
    const hook = await webhook();
    try {
      await policy(e, { resource: "tfv", mode: "manual" });
      const id = await createTfv(e, await makeProfile(e), await buyTollfree(e), { callback_url: hook.url, callback_method: "POST" });
      await resolve(e, "tfv", id, "update_required", "need more");
      await e.post(`TollfreeVerification/${id}/`, { message_sample: "Your Acme code is 654321." });
      await resolve(e, "tfv", id, "success");
      await hook.waitFor(4);
      expect(hook.received.map((r) => [r.method, r.body?.status, r.body?.uuid])).toEqual([
        ["POST", "SUBMITTED", id],
        ["POST", "UPDATE_REQUIRED", id],
        ["POST", "SUBMITTED", id],
        ["POST", "APPROVED", id],
      ]);
      expect(hook.received[1].body).toMatchObject({ error_message: "need more", extra_data: "ticket-1" });
    } finally {
      await hook.close();
    }
  });

  it("persistence: pending requests, counters and UPDATE_REQUIRED deadlines survive a restart", async () => {
    const dir = mkdtempSync(join(tmpdir(), "emu-tfv-"));
    try {
      const dataFile = join(dir, "state.json");
      let f = await startTestEmulator({ dataFile });
      let id: string;
      let other: string;
      try {
        await f.control("POST", "transitions", { resource: "tfv", mode: "reads", count: 2 });
        const profile = await makeProfile(f);
        id = await createTfv(f, profile, await buyTollfree(f, "833"));
        expect((await f.get(`TollfreeVerification/${id}/`)).body.status).toBe("SUBMITTED");
        other = await createTfv(f, profile, await buyTollfree(f, "844"));
        await f.control("POST", "resolve", { resource: "tfv", id: other, outcome: "update_required" });
      } finally {
        await f.close();
      }
      f = await startTestEmulator({ dataFile });
      try {
        expect((await f.get(`TollfreeVerification/${id}/`)).body.status).toBe("PROCESSING"); // read 2
        expect((await f.get(`TollfreeVerification/${id}/`)).body.status).toBe("APPROVED"); // read 3
        await f.control("POST", "clock", { advanceMs: 7 * 86400_000 });
      } finally {
        await f.close();
      }
      f = await startTestEmulator({ dataFile });
      try {
        expect((await f.get(`TollfreeVerification/${other}/`)).body.status).toBe("REJECTED");
        expect((await f.get(`TollfreeVerification/${id}/`)).body.status).toBe("APPROVED");
      } finally {
        await f.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
