/**
 * What previews announce (provider/core/preview.ts) and the credentials check, against the emulator over HTTP: the
 * cost of creates, adoptions looked up read-only (what they change, what refuses them), resubmissions, replacements
 * and deletes; a wrong or missing token failing `check` with the message an `up` gives; plivo:previewOffline.
 */
import { describe, expect, it } from "vitest";
import { getClient, resolveConfig } from "../../provider/config";
import { makeContext, type ResourceContext } from "../../provider/core/context";
import * as crud from "../../provider/core/crud";
import { verifyCredentials } from "../../provider/core/credentials";
import { changeWarnings, createNotes } from "../../provider/core/preview";
import { TENDLC_FEES } from "../../schema/fees";
import { handlers, type ResourceType } from "../../provider/resources";
import * as runtime from "../../provider/runtime";
import { resolvePending, setTransition } from "../helpers/emulator";
import { apply, check, configureFor, create, emulatorClient, type Managed } from "../helpers/engine";
import { validCampaign, validProfile, validTfv } from "../helpers/fixtures";
import { useEmulator } from "../helpers/provider";

const emulator = useEmulator();

const UNPRICED_NUMBER = "Creating it rents a number: a one-time setup fee, the rest of this month, then a monthly rental (amounts unknown: prices not read)";

/** A context whose warnings are collected. */
function lookupContext(type: ResourceType, warnings: string[] = []): ResourceContext {
  const t = emulator();
  return makeContext(emulatorClient(t), type, { name: "r", log: { progress: () => {}, warn: (m) => warnings.push(m) } });
}

const checked = async (type: ResourceType, inputs: Record<string, unknown>) => {
  const res = crud.check(handlers[type], {}, inputs);
  expect(res.failures).toEqual([]);
  return res.inputs;
};

/** What an adoption note adds when whose the object is cannot be checked (these contexts have no URN: claims.ts). */
const UNCHECKED = " (whose it is was not checked: the resource's URN is not known)";

const requestCount = async () => ((await emulator().control("GET", "requests")).body as unknown[]).length;

async function activeCampaign(): Promise<Managed> {
  const profile = await create("Profile", "acme", validProfile);
  const brand = await create("Brand", "brand", { profileUuid: profile.id, brandAlias: "Acme" });
  return create("Campaign", "c", { ...validCampaign(brand.id), waitUntil: "ACTIVE" });
}

describe("a planned create", () => {
  it.each([
    [
      "PhoneNumber",
      { search: { countryIso: "US" } },
      "Creating it rents a number: a one-time setup fee, the rest of this month, then a monthly rental (amounts unknown: prices not read)",
    ],
    [
      "Brand",
      { profileUuid: "0b3c2ad4-6a1c-4b8e-9d3c-2f8c9d1e7a11", brandAlias: "Acme" },
      "Creating it registers a 10DLC brand with The Campaign Registry: $4.00 once",
    ],
    [
      "Campaign",
      validCampaign("BCDEF1G"),
      "Creating it submits a 10DLC campaign (MIXED) for carrier vetting: $15.00 vetting and $2.00 for the first month now, then $2.00/month",
    ],
    [
      "TollfreeVerification",
      validTfv("18005550100", "0b3c2ad4-6a1c-4b8e-9d3c-2f8c9d1e7a11"),
      "Creating it submits a toll-free verification for carrier review (up to six weeks); a REJECTED request can never be resubmitted or deleted",
    ],
  ] as const)("of a %s says what it costs", async (type, inputs, warning) => {
    expect(await createNotes(handlers[type], await checked(type, inputs))).toEqual({ warnings: [warning], failures: [] });
  });

  it("of an Application, a Profile or a Powerpack costs nothing and says nothing", async () => {
    for (const [type, inputs] of [
      ["Application", { appName: "a", answerUrl: "https://example.com/a" }],
      ["Profile", validProfile],
      ["Powerpack", { name: "pool" }],
    ] as const) {
      expect(await createNotes(handlers[type], await checked(type, inputs))).toEqual({ warnings: [], failures: [] });
    }
  });
});

describe("a planned adoption, looked up read-only", () => {
  it("of a number already in the account says it is adopted, not bought, and what changes", async () => {
    const number = (await emulator().api("GET", "PhoneNumber/?country_iso=US&pattern=212")).body.objects[0].number as string;
    await emulator().api("POST", `PhoneNumber/${number}/`, {});
    const before = await requestCount();
    const notes = await createNotes(handlers.PhoneNumber, await checked("PhoneNumber", { number: `+${number}`, alias: "nyc" }), lookupContext("PhoneNumber"));
    expect(notes).toEqual({
      warnings: [`Adopts existing PhoneNumber ${number} (already in the account) instead of creating one, and updates alias ((unset) → "nyc")${UNCHECKED}`],
      failures: [],
    });
    // One GET, nothing written.
    const log = ((await emulator().control("GET", "requests")).body as { method: string }[]).slice(before);
    expect(log.map((r) => r.method)).toEqual(["GET"]);
  });

  it("of a number not in the account announces the purchase", async () => {
    const notes = await createNotes(handlers.PhoneNumber, await checked("PhoneNumber", { number: "+14155550199" }), lookupContext("PhoneNumber"));
    expect(notes.warnings).toEqual([`${UNPRICED_NUMBER}`]);
  });

  it("with adoptId: nothing to change, a field that cannot change, an id that does not exist", async () => {
    const made = (await emulator().api("POST", "Application/", { app_name: "legacy", answer_url: "https://example.com/a" })).body.app_id as string;
    const ctx = lookupContext("Application");
    const same = await createNotes(
      handlers.Application,
      await checked("Application", { appName: "legacy", answerUrl: "https://example.com/a", adoptId: made }),
      ctx,
    );
    expect(same.warnings).toEqual([`Adopts existing Application ${made} instead of creating one; its fields already match the declaration${UNCHECKED}`]);
    const renamed = await createNotes(
      handlers.Application,
      await checked("Application", { appName: "renamed", answerUrl: "https://example.com/a", adoptId: made }),
      ctx,
    );
    expect(renamed).toEqual({
      warnings: [],
      failures: [
        {
          property: "appName",
          reason: `appName: cannot change on the existing Application ${made}, which has "legacy"; declare that value, or drop adoptId to create a new one (got "renamed")`,
        },
      ],
    });
    const missing = await createNotes(
      handlers.Application,
      await checked("Application", { appName: "x", answerUrl: "https://example.com/a", adoptId: "404" }),
      ctx,
    );
    expect(missing.failures.map((f) => f.reason)).toEqual([
      `adoptId: Application 404 does not exist in the Plivo account: there is nothing to adopt (got "404")`,
    ]);
  });

  it("of a FAILED campaign says the adoption resubmits it (billed again); of an ACTIVE one with other texts, refuses", async () => {
    const c = await activeCampaign();
    const edited = await checked("Campaign", { ...c.inputs, description: `${c.inputs.description} Now with returns.`, adoptId: c.id });
    const refused = await createNotes(handlers.Campaign, edited, lookupContext("Campaign"));
    expect(refused.failures.map((f) => f.reason)).toEqual([
      expect.stringMatching(
        new RegExp(`^adoptId: Campaign ${c.id}: description cannot be changed while the campaign is ACTIVE; Plivo accepts edits only while`),
      ),
    ]);

    await setTransition(emulator(), "campaign", { mode: "manual" });
    const failed = await create("Campaign", "c2", { ...validCampaign(c.inputs.brandId as string), campaignAlias: "second" });
    await resolvePending(emulator(), "campaign", failed.id, "failure", "Sample messages do not match the use case");
    const fix = await checked("Campaign", { ...failed.inputs, description: `${failed.inputs.description} Now with returns.`, adoptId: failed.id });
    const resubmit = await createNotes(handlers.Campaign, fix, lookupContext("Campaign"));
    expect(resubmit.warnings).toEqual([
      expect.stringMatching(
        new RegExp(
          `^Adopts existing Campaign ${failed.id} instead of creating one, and updates description \\(".+ → ".+\\); this update resubmits FAILED campaign ${failed.id} for carrier vetting: \\$15\\.00 vetting now, and its \\$2\\.00/month fee resumes${UNCHECKED.replace(/[()]/g, "\\$&")}$`,
        ),
      ),
    ]);
  });

  it("offline, is announced without a look-up", async () => {
    const before = await requestCount();
    const notes = await createNotes(handlers.Powerpack, await checked("Powerpack", { name: "pool", adoptId: "0b3c2ad4-6a1c-4b8e-9d3c-2f8c9d1e7a11" }));
    expect(notes.warnings).toEqual([
      "Adopts existing Powerpack 0b3c2ad4-6a1c-4b8e-9d3c-2f8c9d1e7a11 instead of creating one; not compared with the declared fields (not looked up: offline preview)",
    ]);
    const number = await createNotes(handlers.PhoneNumber, await checked("PhoneNumber", { number: "+14155550100" }));
    expect(number.warnings).toEqual([
      `${UNPRICED_NUMBER}, unless PhoneNumber 14155550100 is already in the account: then it is adopted (not looked up: offline preview)`,
    ]);
    expect(await requestCount()).toBe(before);
  });
});

describe("a planned create judged against other objects", () => {
  it("a STANDARD brand on a profile without an EIN fails the preview, before the registration fee", async () => {
    const { ein: _ein, einIssuingCountry: _country, ...withoutEin } = validProfile;
    const bare = await create("Profile", "bare", { ...withoutEin, profileAlias: "bare" });
    const ctx = lookupContext("Brand");
    const refused = await createNotes(handlers.Brand, await checked("Brand", { profileUuid: bare.id, brandAlias: "Acme" }), ctx);
    expect(refused).toEqual({
      warnings: [],
      failures: [{ property: "brandType", reason: `brandType: STANDARD needs a profile with an EIN; profile ${bare.id} has none (set its ein)` }],
    });
    const missing = await createNotes(handlers.Brand, await checked("Brand", { profileUuid: "0b3c2ad4-0000-4b8e-9d3c-2f8c9d1e7a11", brandAlias: "Acme" }), ctx);
    expect(missing.failures.map((f) => f.reason)).toEqual(['profileUuid: names no profile of the Plivo account (got "0b3c2ad4-0000-4b8e-9d3c-2f8c9d1e7a11")']);

    const full = await create("Profile", "full", { ...validProfile, profileAlias: "full" });
    const fine = await createNotes(handlers.Brand, await checked("Brand", { profileUuid: full.id, brandAlias: "Acme" }), ctx);
    expect(fine).toEqual({ warnings: ["Creating it registers a 10DLC brand with The Campaign Registry: $4.00 once"], failures: [] });
    // The runtime's check (what the engine calls at preview and again at up) refuses it the same way.
    const res = await check("Brand", "b", { profileUuid: bare.id, brandAlias: "Acme" });
    expect(res.failures?.map((f) => f.reason)).toEqual([`brandType: STANDARD needs a profile with an EIN; profile ${bare.id} has none (set its ein)`]);
  });
});

describe("a planned update or replacement", () => {
  it("replacing a number says it unrents the old one, with Plivo's reserve and reclaim windows", async () => {
    const [a, b] = ((await emulator().api("GET", "PhoneNumber/?country_iso=US&pattern=415")).body.objects as { number: string }[]).map((o) => o.number);
    const pn = await create("PhoneNumber", "main", { number: `+${a}` });
    const news = await checked("PhoneNumber", { number: `+${b}` });
    expect(changeWarnings(handlers.PhoneNumber, pn.id, pn.outs, news, crud.diff(handlers.PhoneNumber, pn.outs, news))).toEqual([
      `Replacing it (number changed) creates the new one first, then unrents ${a}, which cannot be ` +
        "undone: Plivo holds an unrented number for 10 days, reclaimable in the console only during the first 5 (billed as a new purchase), then returns it to the carrier; " +
        "the monthly bill goes down by $0.50",
    ]);
  });

  it("replacing a brand deactivates the old one first (a profile backs one brand); the new one's cost is the create's warning", () => {
    const olds = { profileUuid: "p", brandAlias: "Acme", brandType: "STANDARD", brandId: "BCDEF1G", registrationStatus: "COMPLETED" };
    const d = crud.diff(handlers.Brand, olds, { profileUuid: "p", brandAlias: "Acme 2", brandType: "STANDARD" });
    expect(changeWarnings(handlers.Brand, "BCDEF1G", olds, {}, d)).toEqual([
      "Replacing it (brandAlias changed) first deactivates brand BCDEF1G, which cannot be undone; then creates the new one",
    ]);
  });

  it("replacing an APPROVED verification says the old one only leaves the state (Plivo cannot delete it)", () => {
    const olds = { ...validTfv("18005550100", "p"), uuid: "tfv-1", status: "APPROVED" };
    const news = { ...olds, number: "18335550100" };
    const d = crud.diff(handlers.TollfreeVerification, olds, news);
    expect(changeWarnings(handlers.TollfreeVerification, "tfv-1", olds, news, d)).toEqual([
      "Replacing it (number changed) first removes tfv-1 from the state only (Plivo cannot delete a toll-free verification that is APPROVED: it stays on the account); then creates the new one",
    ]);
  });

  it("editing a FAILED campaign is a resubmission, vetted and billed again, its monthly fee resumes; a PROCESSING one is edited in place", () => {
    const olds = { ...validCampaign("BCDEF1G"), usecase: "MIXED", campaignId: "CVWMV6V", registrationStatus: "FAILED" };
    const news = { ...olds, description: `${olds.description} Returns too.` };
    const d = crud.diff(handlers.Campaign, olds, news);
    expect(changeWarnings(handlers.Campaign, "CVWMV6V", olds, news, d)).toEqual([
      "This update (description) resubmits FAILED campaign CVWMV6V for carrier vetting: $15.00 vetting now, and its $2.00/month fee resumes",
    ]);
    const fees = { ...TENDLC_FEES, campaignVetting: "20.00", campaignMonthly: { ...TENDLC_FEES.campaignMonthly, MIXED: "10.00" } };
    expect(changeWarnings(handlers.Campaign, "CVWMV6V", olds, news, d, fees)).toEqual([
      "This update (description) resubmits FAILED campaign CVWMV6V for carrier vetting: $20.00 vetting now, and its $10.00/month fee resumes",
    ]);
    const processing = { ...olds, registrationStatus: "PROCESSING" };
    expect(changeWarnings(handlers.Campaign, "CVWMV6V", processing, news, d)).toEqual([
      "This update (description) edits campaign CVWMV6V while it is PROCESSING: no new vetting fee",
    ]);
  });

  it("an Application edit costs nothing and says nothing", () => {
    const olds = { appName: "a", answerUrl: "https://example.com/a" };
    const d = crud.diff(handlers.Application, olds, { ...olds, answerUrl: "https://example.com/b" });
    expect(d.changes).toBe(true);
    expect(changeWarnings(handlers.Application, "1", olds, {}, d)).toEqual([]);
  });
});

describe("a delete", () => {
  it("of a number logs what the unrent means once it is done", async () => {
    const pn = await create("PhoneNumber", "main", { search: { countryIso: "US", pattern: "415" } });
    const warnings: string[] = [];
    await crud.remove(handlers.PhoneNumber, lookupContext("PhoneNumber", warnings), pn.id, pn.outs);
    expect(warnings).toEqual([
      expect.stringMatching(
        new RegExp(
          `^Deleted: unrents ${pn.id}, which cannot be undone: Plivo holds an unrented number for 10 days.*; the monthly bill goes down by \\$0\\.50$`,
        ),
      ),
    ]);
  });
});

describe("the credentials check", () => {
  it("a wrong token fails check, once, with the message an up gives; the right one passes", async () => {
    const t = emulator();
    try {
      await configureFor(t, { "plivo:authToken": "not-the-token" });
      const err = await runtime.check("Powerpack", "pool", {}, { name: "pool" }).catch((e: Error) => e);
      expect(err).toBeInstanceOf(Error);
      const cause = "failed: 401 Authentication credentials invalid; check plivo:authId and plivo:authToken (or PLIVO_AUTH_ID / PLIVO_AUTH_TOKEN)";
      expect((err as Error).message).toBe(`Plivo: credentials check ${cause}`);
      expect((err as Error).message).not.toContain("not-the-token");
      // What an up says when it reaches the API with the same token: the same cause and advice.
      await expect(runtime.create("Powerpack", "pool", { name: "pool", stickySender: true, localConnect: true })).rejects.toThrow(
        `Powerpack "pool": create powerpack pool ${cause}`,
      );
      // The same client is checked once per process: a second check sends nothing.
      const before = await requestCount();
      await expect(runtime.check("Powerpack", "pool", {}, { name: "pool" })).rejects.toThrow(/credentials check/);
      expect(await requestCount()).toBe(before);
    } finally {
      await configureFor(t);
    }
    await expect(check("Powerpack", "pool", { name: "pool" })).resolves.toMatchObject({ failures: [] });
  });

  it("missing credentials say which setting, and how to preview without the API", async () => {
    const saved = { id: process.env.PLIVO_AUTH_ID, token: process.env.PLIVO_AUTH_TOKEN };
    delete process.env.PLIVO_AUTH_ID;
    delete process.env.PLIVO_AUTH_TOKEN;
    try {
      await configureFor(emulator(), { "plivo:authToken": "" });
      await expect(runtime.check("Powerpack", "pool", {}, { name: "pool" })).rejects.toThrow(
        /^Missing Plivo credentials: "plivo:authToken" \(env PLIVO_AUTH_TOKEN\) is not set; .*; to preview without calling Plivo, set plivo:previewOffline true$/,
      );
      // Offline: no credentials needed, no request sent, the validation still runs.
      await configureFor(emulator(), { "plivo:authToken": "", "plivo:previewOffline": "true" });
      const before = await requestCount();
      await expect(runtime.check("Powerpack", "pool", {}, { name: "pool" })).resolves.toMatchObject({ failures: [] });
      await expect(runtime.check("Powerpack", "pool", {}, { name: "" })).resolves.toMatchObject({ failures: [{ reason: 'name: must not be empty (got "")' }] });
      expect(await requestCount()).toBe(before);
    } finally {
      if (saved.id !== undefined) process.env.PLIVO_AUTH_ID = saved.id;
      if (saved.token !== undefined) process.env.PLIVO_AUTH_TOKEN = saved.token;
      await configureFor(emulator());
    }
  });

  it("an unreachable API fails the check naming the base URL, within plivo:timeoutSeconds", async () => {
    const settings: Record<string, string> = {
      "plivo:authId": "MAEMULATORACCOUNT0001",
      "plivo:authToken": "x-token",
      "plivo:baseUrl": "http://127.0.0.1:9",
      "plivo:timeoutSeconds": "2",
    };
    const client = getClient(resolveConfig({ get: (k) => settings[k] }));
    const started = Date.now();
    await expect(verifyCredentials(client)).rejects.toThrow(
      /^Plivo: credentials check failed: cannot reach the Plivo API at http:\/\/127\.0\.0\.1:9 \(connection refused\) after \d+ attempts in [\d.]+ s; check plivo:baseUrl \(PLIVO_BASE_URL\) and the network$/,
    );
    expect(Date.now() - started).toBeLessThan(2_000 + 1_500);
  });
});

describe("apply after preview", () => {
  it("adopting with adoptId still works end to end", async () => {
    const made = (await emulator().api("POST", "Powerpack/", { name: "legacy" })).body.uuid as string;
    const pp = await create("Powerpack", "legacy", { name: "legacy", stickySender: false, adoptId: made });
    expect(pp.id).toBe(made);
    expect((await apply(pp, { name: "legacy", stickySender: false, adoptId: made })).action).toBe("same");
  });
});
