/**
 * Cost estimates (provider/cost/, docs/cost.md) against the emulator over HTTP: numbers priced from the Pricing API
 * and, where it cannot tell, the search results; "today" from the API's Date header; one Pricing request per country
 * however many numbers; what cannot be priced says why. The fee table agrees with the emulator's schedule, the
 * pro-rating with its bill; `plivo:fees` overrides, refusing bad amounts by name. And the preview's diff notes:
 * create-only inputs kept, replacements named, the detailed diff both forms send.
 */
import { describe, expect, it } from "vitest";
import { closeAllClients } from "../../provider/config";
import { emulatorClient } from "../helpers/engine";
import { detailedDiff } from "../../provider/core/diff";
import * as crud from "../../provider/core/crud";
import { keepCreateOnly, replacementNote } from "../../provider/core/preview";
import { combine, createCost, deleteCost, planCost } from "../../provider/cost/estimate";
import { resolveFees } from "../../provider/cost/fees";
import { proratedFirstMonth, toUnits, usd } from "../../provider/cost/money";
import { PriceBook } from "../../provider/cost/prices";
import { handlers } from "../../provider/resources";
import { CAMPAIGN_USECASES, TENDLC_FEES } from "../../schema/fees";
import * as emulatorMoney from "../../emulator/money";
import { TENDLC_FEES as EMULATOR_FEES } from "../../emulator/resources/pricing/rates";
import { useEmulator } from "../helpers/provider";

const emulator = useEmulator();

/** A price book of the test emulator (a fresh one: nothing cached), its clock at noon (UTC) of `day`. */
async function bookOn(day: string): Promise<PriceBook> {
  const t = emulator();
  await t.control("POST", "clock", { offsetMs: Date.parse(`${day}T12:00:00Z`) - Date.now() });
  return new PriceBook(emulatorClient(t), TENDLC_FEES);
}

const pricingRequests = async () =>
  ((await emulator().control("GET", "requests")).body as { path: string }[]).filter((r) => r.path.includes("/Pricing/")).length;

describe("the fee table", () => {
  it("is the emulator's schedule (the server's): brand registration, vetting, and the monthly fee of every use case", () => {
    expect(toUnits(TENDLC_FEES.brandRegistration)).toBe(emulatorMoney.toUnits(EMULATOR_FEES.brandRegistration));
    expect(toUnits(TENDLC_FEES.campaignVetting)).toBe(emulatorMoney.toUnits(EMULATOR_FEES.campaignVetting));
    for (const usecase of CAMPAIGN_USECASES) expect(toUnits(TENDLC_FEES.campaignMonthly[usecase]!)).toBe(emulatorMoney.toUnits(EMULATOR_FEES.campaignMonthly));
    // every use case a campaign may declare has a fee
    expect([...handlers.Campaign.schema.inputs.usecase!.schema.options].sort()).toEqual([...CAMPAIGN_USECASES].sort());
  });

  it("pro-rates a first month as the emulator bills it, every day of two years", () => {
    for (let day = Date.UTC(2031, 0, 1); day < Date.UTC(2033, 0, 1); day += 86_400_000) {
      for (const rate of ["0.50000", "1.00000", "0.80000", "0.03000"]) {
        const at = new Date(day + 43_200_000);
        expect(proratedFirstMonth(rate, at)).toEqual(emulatorMoney.proratedFirstMonth(rate, at));
      }
    }
  });

  it("plivo:fees overrides amounts, by use case or for all; a bad key or amount is an error naming it", () => {
    const source = (v: string) => ({ get: (k: string) => (k === "plivo:fees" ? v : undefined) });
    const fees = resolveFees(source('{"campaignMonthly": {"MARKETING": "10.00"}, "campaignVetting": 20}'), {});
    expect(fees.campaignMonthly.MARKETING).toBe("10.00");
    expect(fees.campaignMonthly.MIXED).toBe("2.00");
    expect(fees.campaignVetting).toBe("20");
    expect(resolveFees(source('{"campaignMonthly": "1.50"}'), {}).campaignMonthly["2FA"]).toBe("1.50");
    expect(resolveFees(undefined, { PLIVO_FEES: '{"brandRegistration": "4.50"}' }).brandRegistration).toBe("4.50");
    expect(resolveFees(undefined, {})).toBe(TENDLC_FEES);
    expect(() => resolveFees(source('{"campaignMonthly": {"MARKETNG": "10"}}'), {})).toThrow(
      /^Invalid "plivo:fees" \(env PLIVO_FEES\): campaignMonthly\.MARKETNG is not a use case \(use cases: 2FA, /,
    );
    expect(() => resolveFees(source('{"vetting": "15"}'), {})).toThrow(
      'Invalid "plivo:fees" (env PLIVO_FEES): vetting is not a fee (fees: brandRegistration, campaignVetting, campaignMonthly)',
    );
    expect(() => resolveFees(source('{"campaignVetting": "-15"}'), {})).toThrow(/campaignVetting must be an amount in dollars such as "15.00"/);
    expect(() => resolveFees(source("15"), {})).toThrow(/must be a JSON object/);
  });
});

describe("numbers priced from the account", () => {
  it("by the Pricing API's rate for the kind and services; the first month pro-rated on the API's date", async () => {
    const book = await bookOn("2031-03-18");
    const before = await pricingRequests();
    const local = await createCost("PhoneNumber", { search: { countryIso: "US", type: "LOCAL", pattern: "415", services: ["SMS"] } }, TENDLC_FEES, book);
    expect(local).toEqual({
      oneTime: 73,
      monthly: 50,
      says: "rents a local US number: $0.50 setup, $0.23 for the rest of this month (14/30 days), then $0.50/month",
    });
    const tollfree = await createCost("PhoneNumber", { search: { countryIso: "US", type: "TOLLFREE", services: ["SMS"] } }, TENDLC_FEES, book);
    expect(tollfree).toEqual({
      oneTime: 77,
      monthly: 100,
      says: "rents a toll-free US number: $0.30 setup, $0.47 for the rest of this month (14/30 days), then $1.00/month",
    });
    const gb = await createCost("PhoneNumber", { search: { countryIso: "GB", type: "MOBILE" } }, TENDLC_FEES, book);
    expect(gb).toMatchObject({ oneTime: 100 + 70, monthly: 150 });
    expect(book.today?.toISOString().slice(0, 10)).toBe("2031-03-18");
    // One Pricing request per country, however many numbers: US and GB.
    for (let i = 0; i < 20; i++)
      await createCost("PhoneNumber", { search: { countryIso: "US", type: "LOCAL", pattern: String(200 + i), services: ["SMS"] } }, TENDLC_FEES, book);
    expect((await pricingRequests()) - before).toBe(2);
  });

  it("by the search results when Pricing has several rates that fit (voice-only and SMS numbers); unpriced when the matches differ", async () => {
    const book = await bookOn("2031-04-01");
    // Two numbers of an area code nothing else uses: one voice-only, one with SMS, at their own rates.
    const added = await emulator().control("POST", "inventory", {
      numbers: [
        { number: "16055550101", setup_rate: "0.00000", monthly_rental_rate: "0.50000", sms_enabled: false, mms_enabled: false },
        { number: "16055550102", setup_rate: "0.50000", monthly_rental_rate: "0.50000" },
      ],
    });
    expect(added.status).toBe(201);
    const both = await createCost("PhoneNumber", { search: { countryIso: "US", type: "LOCAL", pattern: "605555", services: ["VOICE"] } }, TENDLC_FEES, book);
    expect(both).toMatchObject({
      oneTime: 0,
      monthly: 0,
      unpriced:
        "the numbers matching the search have different prices ($0.00 setup, $0.50/month; $0.50 setup, $0.50/month): add services to the search to price it",
    });
    const one = await createCost("PhoneNumber", { search: { countryIso: "US", type: "LOCAL", pattern: "6055550101" } }, TENDLC_FEES, book);
    expect(one).toEqual({
      oneTime: 50,
      monthly: 50,
      says: "rents a local US number: $0.00 setup, $0.50 for the rest of this month (30/30 days), then $0.50/month",
    });
    const first = (await emulator().api("GET", "PhoneNumber/?country_iso=US&type=local&pattern=212&limit=1")).body.objects[0];
    const exact = await createCost("PhoneNumber", { number: String(first.number) }, TENDLC_FEES, book);
    const setup = Math.round(Number(first.setup_rate) * 100);
    expect(exact).toEqual({
      oneTime: setup + 50,
      monthly: 50,
      says: `rents a local US number: ${usd(setup)} setup, $0.50 for the rest of this month (30/30 days), then $0.50/month`,
    });
  });

  it("a book that may not search (the preview rows) makes no request per number: where Pricing cannot tell, it says so", async () => {
    await bookOn("2031-03-18"); // pins the clock
    const t = emulator();
    const book = new PriceBook(emulatorClient(t), TENDLC_FEES, false);
    await t.control("DELETE", "requests");
    const exact = await createCost("PhoneNumber", { number: "14155550100" }, TENDLC_FEES, book);
    expect(exact!.unpriced).toBe(
      "several prices fit ($0.50 setup, $0.50/month; $0.00 setup, $0.50/month): the number's capabilities decide; `pulumi-plivo cost` looks it up",
    );
    const search = await createCost("PhoneNumber", { search: { countryIso: "US", type: "LOCAL", pattern: "415" } }, TENDLC_FEES, book);
    expect(search!.unpriced).toBe(
      "several prices fit ($0.50 setup, $0.50/month; $0.00 setup, $0.50/month): add services to the search to pin it; `pulumi-plivo cost` looks the matches up",
    );
    expect(await createCost("PhoneNumber", { search: { countryIso: "US", type: "TOLLFREE" } }, TENDLC_FEES, book)).toMatchObject({ oneTime: 77, monthly: 100 });
    const paths = ((await t.control("GET", "requests")).body as { path: string }[]).map((r) => r.path.replace(/^\/v1\/Account\/[^/]+\//, ""));
    expect(paths).toEqual(["Pricing/"]);
  });

  it("says why when it cannot price: a country without prices, an unknown input, no account", async () => {
    const book = await bookOn("2031-03-18");
    expect((await createCost("PhoneNumber", { search: { countryIso: "FR" } }, TENDLC_FEES, book))!.unpriced).toMatch(
      /^the Pricing API did not answer for FR: .*404/,
    );
    expect((await createCost("PhoneNumber", { search: { countryIso: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" } }, TENDLC_FEES, book))!.unpriced).toBe(
      "the number or its country is known only at up",
    );
    expect((await createCost("PhoneNumber", { number: "447700900123" }, TENDLC_FEES, book))!.unpriced).toMatch(
      /^cannot price 447700900123 \(a number outside the US and Canada\)/,
    );
    expect(await createCost("PhoneNumber", { search: { countryIso: "US" } }, TENDLC_FEES, undefined, "offline preview")).toMatchObject({
      oneTime: 0,
      monthly: 0,
      unpriced: "offline preview",
    });
    await closeAllClients();
  });
});

describe("10DLC, releases and replacements", () => {
  it("a brand costs its registration; a campaign its vetting and first month now, its use case's fee monthly", async () => {
    expect(await createCost("Brand", {}, TENDLC_FEES)).toEqual({
      oneTime: 400,
      monthly: 0,
      says: "registers a 10DLC brand with The Campaign Registry: $4.00 once",
    });
    const fees = { ...TENDLC_FEES, campaignMonthly: { ...TENDLC_FEES.campaignMonthly, MARKETING: "10.00" } };
    expect(await createCost("Campaign", { usecase: "MARKETING" }, fees)).toEqual({
      oneTime: 2500,
      monthly: 1000,
      says: "submits a 10DLC campaign (MARKETING) for carrier vetting: $15.00 vetting and $10.00 for the first month now, then $10.00/month",
    });
    expect(await createCost("Application", {}, TENDLC_FEES)).toBeUndefined();
  });

  it("a release lowers the monthly bill by the state's rate and cannot be undone; a deactivated campaign stops its fee if it was billed", () => {
    expect(deleteCost("PhoneNumber", "14155550100", { monthlyRentalRate: "0.50000" }, TENDLC_FEES)).toEqual({
      oneTime: 0,
      monthly: -50,
      says: "releases 14155550100: the monthly bill goes down by $0.50",
      irreversible:
        "Plivo holds an unrented number for 10 days, reclaimable in the console only during the first 5 (billed as a new purchase), then returns it to the carrier",
    });
    expect(deleteCost("Campaign", "CX", { usecase: "MIXED", registrationStatus: "ACTIVE" }, TENDLC_FEES)).toMatchObject({ monthly: -200 });
    expect(deleteCost("Campaign", "CX", { usecase: "MIXED", registrationStatus: "FAILED" }, TENDLC_FEES)).toMatchObject({ monthly: 0 });
    expect(deleteCost("Brand", "BX", {}, TENDLC_FEES)).toBeUndefined();
  });

  it("a replacement sums the new object's create and the old one's release; an adoption costs nothing", async () => {
    const created = await createCost("Campaign", { usecase: "MIXED" }, TENDLC_FEES);
    const replaced = combine(created, deleteCost("Campaign", "CX", { usecase: "MIXED", registrationStatus: "ACTIVE" }, TENDLC_FEES));
    expect(replaced).toMatchObject({
      oneTime: 1700,
      monthly: 0,
      irreversible: "a deactivated campaign stays EXPIRED and its numbers must be linked to another campaign",
    });
    expect(await planCost({ type: "PhoneNumber", op: "create", inputs: { number: "14155550100" }, adopts: true }, TENDLC_FEES)).toBeUndefined();
    expect(await planCost({ type: "Campaign", op: "update", id: "CX", olds: { usecase: "MIXED", registrationStatus: "ACTIVE" } }, TENDLC_FEES)).toBeUndefined();
  });
});

describe("what a reviewer sees of a change", () => {
  it("search criteria of an existing number keep their recorded value, with a note; a replacement takes the new ones", () => {
    const h = handlers.PhoneNumber;
    const olds = { search: { countryIso: "US", type: "LOCAL", pattern: "415" }, alias: "a" };
    const kept = keepCreateOnly(h, olds, { search: { countryIso: "US", type: "LOCAL", pattern: "212" }, alias: "b" });
    expect(kept.inputs).toEqual({ search: olds.search, alias: "b" });
    expect(kept.notes).toEqual([
      'search.pattern "415" → "212": no effect on the existing PhoneNumber (search criteria only pick the number to buy, at create); the recorded value is kept',
    ]);
    expect(crud.diff(h, { ...olds, number: "14155550100" }, { ...kept.inputs }).changes).toBe(true); // the alias only
    const app = handlers.Application;
    const replaced = keepCreateOnly(app, { appName: "a", adoptId: "1" }, { appName: "b", adoptId: "2" });
    expect(replaced).toEqual({ inputs: { appName: "b", adoptId: "2" }, notes: [] });
  });

  it("a replacement names the inputs that force it, their values, and the outputs known only after up", () => {
    const h = handlers.Application;
    const olds = {
      appName: "support-dev",
      answerUrl: "https://e.com/a",
      appId: "123",
      sipUri: "sip:123@app.plivo.com",
      enabled: true,
      resourceUri: "/v1/…/123/",
    };
    const news = { appName: "helpdesk-dev", answerUrl: "https://e.com/a" };
    const d = crud.diff(h, olds, news);
    expect(replacementNote(h, olds, news, d)).toBe(
      'Replaced because appName "support-dev" → "helpdesk-dev" cannot change in place; the new Application\'s outputs (appId, sipUri, enabled, resourceUri) are known only after up',
    );
    expect(detailedDiff(d, olds, news)).toEqual({ appName: "UPDATE_REPLACE" });
    const update = crud.diff(h, olds, { ...news, appName: "support-dev", hangupUrl: "https://e.com/h" });
    expect(replacementNote(h, olds, news, update)).toBeUndefined();
    expect(detailedDiff(update, olds, { hangupUrl: "https://e.com/h" })).toEqual({ hangupUrl: "ADD" });
  });
});
