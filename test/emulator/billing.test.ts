/**
 * Pricing and the bill (docs/plivo-api.md §18–19, emulator/README.md "Billing"): the pro-rating rule and exact cents
 * (money.ts), `GET /Pricing/` and its agreement with the inventory, the ledger's charges and `GET /__emulator/bill`
 * over purchases, 10DLC submissions, a re-vetting, a deactivation and a release, on the emulator's clock.
 */
import { describe, expect, it } from "vitest";
import { centsHalfUp, formatCents, proratedFirstMonth, toUnits } from "../../emulator/money";
import { useTestEmulator, type EmulatorClient } from "../helpers/emulator";
import { ledger } from "../helpers/ledger";
import { buyLongCode, buyTollfree, completedBrand, createCampaign, policy, resolve } from "./async-fixtures";

const emulator = useTestEmulator();

describe("money: exact cents and the pro-rating rule", () => {
  const at = (iso: string) => new Date(`${iso}T12:00:00Z`);
  it("(MRC/30) × days remaining, the purchase day counted, half-up to the cent; the 1st pays the whole month; never more than 30 days", () => {
    expect(proratedFirstMonth("0.50000", at("2031-03-18"))).toEqual({ cents: 23, days: 14 }); // 0.2333
    expect(proratedFirstMonth("1.00000", at("2031-03-18"))).toEqual({ cents: 47, days: 14 }); // 0.4667
    expect(proratedFirstMonth("0.50000", at("2031-03-01"))).toEqual({ cents: 50, days: 30 });
    expect(proratedFirstMonth("0.50000", at("2031-02-01"))).toEqual({ cents: 50, days: 30 }); // 28-day month, the 1st
    expect(proratedFirstMonth("0.50000", at("2031-02-15"))).toEqual({ cents: 23, days: 14 });
    expect(proratedFirstMonth("0.50000", at("2031-01-02"))).toEqual({ cents: 50, days: 30 }); // 30 of 31 days left
    expect(proratedFirstMonth("0.50000", at("2031-01-31"))).toEqual({ cents: 2, days: 1 }); // 0.0167
    expect(proratedFirstMonth("0.03000", at("2031-04-16"))).toEqual({ cents: 2, days: 15 }); // 0.015 → half up
    // the date is the UTC day of the emulator clock
    expect(proratedFirstMonth("0.50000", new Date("2031-03-31T23:59:59Z")).days).toBe(1);
    expect(proratedFirstMonth("0.50000", new Date("2031-04-01T00:00:00Z")).days).toBe(30);
  });

  it("amounts are parsed exactly (no floats) and written with two decimals", () => {
    expect(toUnits("0.1")).toBe(10_000);
    expect(toUnits("12.34567")).toBe(1_234_567);
    expect(() => toUnits("0.123456")).toThrow(/at most five decimals/);
    expect(() => toUnits("-1.00")).toThrow();
    expect(centsHalfUp(toUnits("0.00500"))).toBe(1);
    expect(centsHalfUp(toUnits("0.00499"))).toBe(0);
    // 0.1 + 0.2 in floats is 0.30000000000000004; here it is three times ten cents
    expect(formatCents(centsHalfUp(toUnits("0.1")) + centsHalfUp(toUnits("0.2")))).toBe("0.30");
    expect(formatCents(123456)).toBe("1234.56");
    expect(formatCents(5)).toBe("0.05");
  });
});

describe("GET /Pricing/", () => {
  it("the Pricing object: every rate a string; numbers per kind with their capabilities' rental and setup rates", async () => {
    const t = emulator();
    const us = await t.get("Pricing/", { country_iso: "us" });
    expect(us.status).toBe(200);
    expect(Object.keys(us.body).sort()).toEqual(["api_id", "country", "country_code", "country_iso", "message", "mms", "phone_numbers", "voice"]);
    expect(us.body).toMatchObject({ country: "United States", country_code: 1, country_iso: "US" });
    expect(us.body.phone_numbers).toEqual({
      local: {
        rate: "0.50000",
        rates: [
          { capabilities: ["voice", "sms", "mms"], rental_rate: "0.50000", setup_rate: "0.50000" },
          { capabilities: ["voice"], rental_rate: "0.50000", setup_rate: "0.00000" },
        ],
      },
      tollfree: { rate: "1.00000", rates: [{ capabilities: ["voice", "sms", "mms"], rental_rate: "1.00000", setup_rate: "0.30000" }] },
    });
    expect(us.body.message).toEqual({
      inbound: { rate: "0.00550" },
      outbound: { rate: "0.00550" },
      outbound_networks_list: [{ group_name: "US", rate: "0.00550" }],
    });
    expect(us.body.voice.outbound.rates).toEqual([{ prefix: ["1"], rate: "0.00750" }]);
    const strings = JSON.stringify(us.body).match(/"rate":[^,}]+/g)!;
    expect(strings.every((r) => /"rate":"\d+\.\d{5}"/.test(r))).toBe(true);
    const gb = (await t.get("Pricing/", { country_iso: "GB" })).body;
    expect(gb.mms).toBeUndefined();
    expect(gb.phone_numbers).toEqual({
      mobile: { rate: "1.50000", rates: [{ capabilities: ["voice", "sms"], rental_rate: "1.50000", setup_rate: "1.00000" }] },
    });

    expect((await t.get("Pricing/")).body.error).toBe("country_iso parameter is missing");
    expect((await t.get("Pricing/", { country_iso: "USA" })).status).toBe(400);
    expect((await t.get("Pricing/", { country_iso: "FR" })).status).toBe(404);
  });

  it("agrees with the inventory: every number's setup and monthly rate is its kind's and capabilities' Pricing entry", async () => {
    const t = emulator();
    let checked = 0;
    for (const iso of ["US", "CA", "GB", "DE", "IN", "AU"]) {
      const pricing = (await t.get("Pricing/", { country_iso: iso })).body.phone_numbers;
      for (let offset = 0; ; offset += 20) {
        const page = (await t.get("PhoneNumber/", { country_iso: iso, offset, limit: 20 })).body;
        for (const n of page.objects) {
          const kind = n.type === "fixed" ? "local" : n.type;
          const caps = ["voice", "sms", "mms"].filter((c) => n[`${c}_enabled`]);
          const entry = pricing[kind].rates.find((r: any) => JSON.stringify(r.capabilities) === JSON.stringify(caps));
          expect({ number: n.number, setup: n.setup_rate, monthly: n.monthly_rental_rate }).toEqual({
            number: n.number,
            setup: entry.setup_rate,
            monthly: entry.rental_rate,
          });
          checked++;
        }
        if (!page.meta.next) break;
      }
    }
    expect(checked).toBe(36 * 5 + 5 * 4 + 7 * 4 + 4 * 5); // the whole seeded inventory
  });
});

/** Set the emulator clock to noon (UTC) of `day`. */
async function clockAt(t: EmulatorClient, day: string): Promise<void> {
  const r = await t.control("POST", "clock", { offsetMs: Date.parse(`${day}T12:00:00Z`) - Date.now() });
  expect(r.status).toBe(200);
}

const bill = async (t: EmulatorClient) => (await t.control("GET", "bill")).body;
const cents = (s: string) => Math.round(Number(s) * 100);

describe("the bill", () => {
  it("numbers: setup fee and pro-rated first month (both one-time, paid at purchase); monthly rental while rented; a release lowers it", async () => {
    const t = emulator();
    await clockAt(t, "2031-03-18");
    expect(await bill(t)).toEqual({ currency: "USD", date: "2031-03-18", oneTime: "0.00", monthly: "0.00", items: [] });
    const local = await buyLongCode(t, "212");
    const tf = await buyTollfree(t);
    expect((await ledger(t, { action: "charge" })).map((e) => [e.resource, e.id, e.what, e.kind, e.amount])).toEqual([
      ["PhoneNumber", local, "setup fee", "one-time", "0.50"],
      ["PhoneNumber", local, "first month, 14/30 days of 0.50000", "one-time", "0.23"],
      ["PhoneNumber", tf, "setup fee", "one-time", "0.30"],
      ["PhoneNumber", tf, "first month, 14/30 days of 1.00000", "one-time", "0.47"],
    ]);
    expect(await bill(t)).toEqual({
      currency: "USD",
      date: "2031-03-18",
      oneTime: "1.50",
      monthly: "1.50",
      items: [
        { resource: "PhoneNumber", id: local, what: "US local number", oneTime: "0.73", monthly: "0.50" },
        { resource: "PhoneNumber", id: tf, what: "US tollfree number", oneTime: "0.77", monthly: "1.00" },
      ],
    });
    // a number assigned to a subaccount is still the main account's bill
    const sa = (await t.post("Subaccount/", { name: "s" })).body.auth_id;
    await t.post(`Number/${local}/`, { subaccount: sa });
    expect((await bill(t)).monthly).toBe("1.50");

    expect((await t.del(`Number/${tf}/`)).status).toBe(204);
    const after = await bill(t);
    expect(after).toMatchObject({ oneTime: "1.50", monthly: "0.50" });
    expect(after.items[1]).toEqual({ resource: "PhoneNumber", id: tf, what: "US tollfree number", oneTime: "0.77", monthly: "0.00" });
  });

  it("10DLC: brand registration and campaign vetting at submission, the campaign fee monthly while PROCESSING or ACTIVE, re-vetting at the update of a FAILED campaign", async () => {
    const t = emulator();
    await policy(t, { resource: "campaign", mode: "manual" });
    const brand = await completedBrand(t);
    const campaign = await createCampaign(t, brand);
    const charges = async () => (await ledger(t, { action: "charge" })).map((e) => [e.resource, e.what, e.kind, e.amount]);
    expect(await charges()).toEqual([
      ["brand", "brand registration", "one-time", "4.00"],
      ["campaign", "campaign vetting", "one-time", "15.00"],
      ["campaign", "campaign fee, first month", "one-time", "2.00"],
    ]);
    expect(await bill(t)).toMatchObject({
      oneTime: "21.00",
      monthly: "2.00",
      items: [
        { resource: "brand", id: brand, what: "10DLC brand acme brand (STANDARD)", oneTime: "4.00", monthly: "0.00" },
        { resource: "campaign", id: campaign, what: "10DLC campaign (CUSTOMER_CARE)", oneTime: "17.00", monthly: "2.00" },
      ],
    });

    expect((await resolve(t, "campaign", campaign, "failure")).status).toBe(200);
    expect((await bill(t)).monthly).toBe("0.00"); // a rejected campaign costs nothing monthly
    const update = await t.post(`10dlc/Campaign/${campaign}/`, { description: "Order status and delivery updates for customers who opted in online." });
    expect(update.status).toBe(200);
    expect((await charges()).slice(3)).toEqual([["campaign", "campaign re-vetting (update of a FAILED campaign)", "one-time", "15.00"]]);
    expect(await bill(t)).toMatchObject({ oneTime: "36.00", monthly: "2.00" });

    // an update while PROCESSING edits in place: no new vetting
    await t.post(`10dlc/Campaign/${campaign}/`, { campaign_alias: "renamed" });
    expect((await bill(t)).oneTime).toBe("36.00");
    expect((await resolve(t, "campaign", campaign, "success")).status).toBe(200);
    expect((await t.del(`10dlc/Campaign/${campaign}/`)).status).toBe(200);
    expect(await bill(t)).toMatchObject({ oneTime: "36.00", monthly: "0.00" });
  });

  it("the bill is the ledger's one-time charges per object and the state's monthly rates, in exact cents; reset empties it", async () => {
    const t = emulator();
    await clockAt(t, "2031-07-09");
    for (const npa of ["212", "415", "303"]) await buyLongCode(t, npa);
    await t.buy({ country_iso: "GB", type: "mobile" });
    await t.buy({ country_iso: "CA", type: "local" });
    await completedBrand(t);
    const b = await bill(t);
    const oneTimeCharges = (await ledger(t, { action: "charge" })).filter((e) => e.kind === "one-time");
    expect(cents(b.oneTime)).toBe(oneTimeCharges.reduce((s, e) => s + cents(String(e.amount)), 0));
    expect(cents(b.oneTime)).toBe(b.items.reduce((s: number, i: any) => s + cents(i.oneTime), 0));
    expect(cents(b.monthly)).toBe(b.items.reduce((s: number, i: any) => s + cents(i.monthly), 0));
    // setup 3 × 0.50 + 1.00 + 0 and first months of 23/30 days 3 × 0.38 + 1.15 + 0.61, + 4.00; monthly 3 × 0.50 + 1.50 + 0.80
    expect(b).toMatchObject({ oneTime: "9.40", monthly: "3.80" });
    const state = await t.state();
    expect(state.numbers.map((n: any) => n.monthly_rental_rate)).toEqual(["0.50000", "0.50000", "0.50000", "1.50000", "0.80000"]);
    await t.reset();
    expect(await bill(t)).toMatchObject({ oneTime: "0.00", monthly: "0.00", items: [] });
  });

  it("a number added by hand is billed at its own rates; rates must be exact decimal strings", async () => {
    const t = emulator();
    await clockAt(t, "2031-04-16");
    const bad = await t.control("POST", "inventory", { number: "14155550188", monthly_rental_rate: 0.75 });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toContain("monthly_rental_rate must be a decimal string");
    expect((await t.control("POST", "inventory", { number: "14155550188", setup_rate: "1.23456", monthly_rental_rate: "0.75000" })).status).toBe(201);
    expect((await t.post("PhoneNumber/14155550188/")).status).toBe(201);
    expect((await ledger(t, { action: "charge" })).map((e) => e.amount)).toEqual(["1.23", "0.38"]); // 0.75 × 15/30 = 0.375 → 0.38
    expect(await bill(t)).toMatchObject({ oneTime: "1.61", monthly: "0.75" });
  });

  it("every response carries the emulator clock's date in its Date header (what an estimate pro-rates on)", async () => {
    const t = emulator();
    await clockAt(t, "2031-03-18");
    for (const res of [
      await t.get("Pricing/", { country_iso: "US" }),
      await t.get("PhoneNumber/", { country_iso: "US", limit: 1 }),
      await t.control("GET", "bill"),
    ]) {
      expect(new Date(String(res.headers.date)).toISOString().slice(0, 10)).toBe("2031-03-18");
    }
  });

  it("the state page shows the bill", async () => {
    const t = emulator();
    await clockAt(t, "2031-03-18");
    await buyLongCode(t, "212");
    const page = await t.call("GET", "/__emulator/", { absolute: true, auth: false });
    expect(page.text).toContain('id="bill"');
    expect(page.text).toMatch(/One-time charges so far <b>0\.73 USD<\/b> · monthly now <b>0\.50 USD<\/b>/);
    expect(page.text).toContain("US local number");
  });
});
