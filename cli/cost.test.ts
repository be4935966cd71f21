/**
 * `pulumi-plivo cost` (cli/cost.ts, cli/costCommand.ts) on plans shaped as `pulumi preview --json` prints them, priced
 * against the emulator over HTTP: which steps count, the Markdown table and its totals, the JSON, the gates, a plan
 * that cannot be fully priced (no total, every gate fails), the arguments.
 */
import { describe, expect, it } from "vitest";
import { TENDLC_FEES } from "../schema/fees";
import { useTestEmulator } from "../test/helpers/emulator";
import { exceeded, estimate, plannedChanges, renderMarkdown, type CostReport } from "./cost";
import { costOf, CostUsageError, parseCostArgs } from "./costCommand";

const emulator = useTestEmulator();

const U = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const urn = (type: string, name: string, form: "dynamic" | "plugin" = "dynamic") =>
  `urn:pulumi:dev::shop::${form === "dynamic" ? `pulumi-nodejs:dynamic/plivo:${type}` : `plivo:index:${type}`}::${name}`;
const token = (u: string) => u.split("::")[2]!;
const create = (u: string, inputs: object) => ({ op: "create", urn: u, newState: { urn: u, type: token(u), inputs } });
const del = (u: string, id: string, outputs: object, extra: object = {}) => ({
  op: "delete",
  urn: u,
  oldState: { urn: u, type: token(u), id, outputs, ...extra },
});

/** A plan: two numbers, a 10DLC brand and campaign (its id unknown), a link; a released number; a free application. */
const plan = {
  steps: [
    {
      op: "same",
      urn: "urn:pulumi:dev::shop::pulumi:pulumi:Stack::shop-dev",
      oldState: { type: "pulumi:pulumi:Stack" },
      newState: { type: "pulumi:pulumi:Stack" },
    },
    create(urn("PhoneNumber", "local"), { search: { countryIso: "US", type: "LOCAL", pattern: "415", services: ["SMS"] }, __provider: "exports.handler = …" }),
    create(urn("PhoneNumber", "tollfree", "plugin"), { search: { countryIso: "US", type: "TOLLFREE", services: ["SMS"] } }),
    create(urn("Application", "app"), { appName: "a", answerUrl: "https://e.com/a" }),
    create(urn("Brand", "acme"), { profileUuid: U, brandAlias: "Acme" }),
    create(urn("Campaign", "orders"), { brandId: U, usecase: "MIXED" }),
    create(urn("CampaignNumberLink", "link"), { campaignId: U, number: U }),
    del(urn("PhoneNumber", "old"), "12125550100", { number: "12125550100", monthlyRentalRate: "0.50000" }),
    del(urn("PhoneNumber", "kept"), "12125550101", { number: "12125550101", monthlyRentalRate: "0.50000" }, { retainOnDelete: true }),
  ],
};

async function priced(p: unknown = plan, day = "2031-03-18"): Promise<CostReport> {
  const t = emulator();
  await t.control("POST", "clock", { offsetMs: Date.parse(`${day}T12:00:00Z`) - Date.now() });
  return costOf(p, { get: (k) => ({ "plivo:authId": t.authId, "plivo:authToken": t.authToken, "plivo:baseUrl": t.url })[k] });
}

describe("the changes of a plan", () => {
  it("are the Plivo creates, updates, replacements and deletes of either form; a retained delete is none", () => {
    expect(plannedChanges(plan).map((c) => `${c.op} ${c.type}::${c.name}`)).toEqual([
      "create PhoneNumber::local",
      "create PhoneNumber::tollfree",
      "create Application::app",
      "create Brand::acme",
      "create Campaign::orders",
      "create CampaignNumberLink::link",
      "delete PhoneNumber::old",
    ]);
    const replacement = {
      steps: [
        {
          op: "create-replacement",
          urn: urn("Campaign", "c"),
          oldState: { type: token(urn("Campaign", "c")), id: "CX", outputs: {} },
          newState: { type: token(urn("Campaign", "c")), inputs: {} },
        },
        {
          op: "replace",
          urn: urn("Campaign", "c"),
          oldState: { type: token(urn("Campaign", "c")), id: "CX", outputs: { usecase: "MIXED" } },
          newState: { type: token(urn("Campaign", "c")), inputs: { usecase: "MIXED" } },
        },
        { op: "delete-replaced", urn: urn("Campaign", "c"), oldState: { type: token(urn("Campaign", "c")), id: "CX", outputs: {} } },
      ],
    };
    expect(plannedChanges(replacement)).toEqual([
      { urn: urn("Campaign", "c"), type: "Campaign", name: "c", op: "replace", id: "CX", inputs: { usecase: "MIXED" }, olds: { usecase: "MIXED" } },
    ]);
  });
});

describe("the estimate", () => {
  it("prices each change and sums exact totals: one-time now, the change of the monthly bill", async () => {
    const report = await priced();
    expect(report).toEqual({
      currency: "USD",
      date: "2031-03-18",
      // 0.50 + 0.23 (local), 0.30 + 0.47 (toll-free), 4.00 (brand), 15.00 + 2.00 (campaign)
      oneTime: "22.50",
      // +0.50 + 1.00 + 2.00 − 0.50
      monthly: "3.00",
      items: [
        {
          resource: "PhoneNumber::local",
          type: "PhoneNumber",
          operation: "create",
          oneTime: "0.73",
          monthly: "0.50",
          says: "rents a local US number: $0.50 setup, $0.23 for the rest of this month (14/30 days), then $0.50/month",
        },
        {
          resource: "PhoneNumber::tollfree",
          type: "PhoneNumber",
          operation: "create",
          oneTime: "0.77",
          monthly: "1.00",
          says: "rents a toll-free US number: $0.30 setup, $0.47 for the rest of this month (14/30 days), then $1.00/month",
        },
        {
          resource: "Brand::acme",
          type: "Brand",
          operation: "create",
          oneTime: "4.00",
          monthly: "0.00",
          says: "registers a 10DLC brand with The Campaign Registry: $4.00 once",
        },
        {
          resource: "Campaign::orders",
          type: "Campaign",
          operation: "create",
          oneTime: "17.00",
          monthly: "2.00",
          says: "submits a 10DLC campaign (MIXED) for carrier vetting: $15.00 vetting and $2.00 for the first month now, then $2.00/month",
        },
        {
          resource: "PhoneNumber::old",
          type: "PhoneNumber",
          operation: "delete",
          oneTime: "0.00",
          monthly: "-0.50",
          says: "releases 12125550100: the monthly bill goes down by $0.50",
          irreversible:
            "Plivo holds an unrented number for 10 days, reclaimable in the console only during the first 5 (billed as a new purchase), then returns it to the carrier",
        },
      ],
    });
  });

  it("as a Markdown table for a pull-request comment", async () => {
    expect(renderMarkdown(await priced())).toBe(
      [
        "### Plivo cost of this plan",
        "",
        "| resource | operation | one-time | monthly | what |",
        "|---|---|--:|--:|---|",
        "| `PhoneNumber::local` | create | $0.73 | +$0.50 | rents a local US number: $0.50 setup, $0.23 for the rest of this month (14/30 days), then $0.50/month |",
        "| `PhoneNumber::tollfree` | create | $0.77 | +$1.00 | rents a toll-free US number: $0.30 setup, $0.47 for the rest of this month (14/30 days), then $1.00/month |",
        "| `Brand::acme` | create | $4.00 | $0.00 | registers a 10DLC brand with The Campaign Registry: $4.00 once |",
        "| `Campaign::orders` | create | $17.00 | +$2.00 | submits a 10DLC campaign (MIXED) for carrier vetting: $15.00 vetting and $2.00 for the first month now, then $2.00/month |",
        "| `PhoneNumber::old` | delete | $0.00 | -$0.50 | releases 12125550100: the monthly bill goes down by $0.50; **cannot be undone**: Plivo holds an unrented number for 10 days, reclaimable in the console only during the first 5 (billed as a new purchase), then returns it to the carrier |",
        "| **total** | | **$22.50** | **+$3.00** | one-time now; change of the monthly bill |",
        "",
        "One-time: charged at `pulumi up` (setup fees and the rest of this month, registrations, vetting). Monthly: how the recurring monthly bill changes. First months pro-rated on 2031-03-18 (the API's date).",
        "",
      ].join("\n"),
    );
    expect(renderMarkdown({ currency: "USD", oneTime: "0.00", monthly: "0.00", items: [] })).toBe(
      "### Plivo cost of this plan\n\nNo change of this plan costs or saves money on Plivo.\n",
    );
  });

  it("a plan that cannot be fully priced has no totals and says why; every gate then fails", async () => {
    const withUnknown = { steps: [...plan.steps, create(urn("PhoneNumber", "abroad"), { search: { countryIso: "FR" } })] };
    const report = await priced(withUnknown);
    expect(report.oneTime).toBeNull();
    expect(report.monthly).toBeNull();
    expect(report.items.at(-1)).toMatchObject({
      resource: "PhoneNumber::abroad",
      oneTime: null,
      monthly: null,
      unpriced: expect.stringMatching(/^the Pricing API did not answer for FR/),
    });
    const md = renderMarkdown(report);
    expect(md).toContain("| `PhoneNumber::abroad` | create | ? | ? |");
    expect(md).toContain("| **total** | | **unknown** | **unknown** | 1 change could not be priced (see above) |");
    expect(exceeded(report, { maxMonthly: "1000" })).toEqual(["--max-monthly $1000.00: the plan could not be fully priced, so the limit cannot be checked"]);
    expect(exceeded(report, {})).toEqual([]);
  });

  it("without credentials, numbers are not priced (the 10DLC fees still are), and it says why", async () => {
    const report = await costOf(plan, { get: () => undefined });
    expect(report.oneTime).toBeNull();
    expect(report.items.find((i) => i.resource === "Brand::acme")).toMatchObject({ oneTime: "4.00" });
    expect(report.items.find((i) => i.resource === "PhoneNumber::local")!.unpriced).toMatch(
      /^numbers cannot be priced without the account: Missing Plivo credentials/,
    );
  });

  it("an exact number already in the account is adopted by the create: nothing is bought", async () => {
    const t = emulator();
    const n = (await t.get("PhoneNumber/", { country_iso: "US", pattern: "212", limit: 1 })).body.objects[0].number as string;
    await t.post(`PhoneNumber/${n}/`);
    const report = await estimate(
      plannedChanges({ steps: [create(urn("PhoneNumber", "legacy"), { number: n })] }),
      TENDLC_FEES,
      undefined,
      async (x) => x === n,
    );
    expect(report).toEqual({ currency: "USD", oneTime: "0.00", monthly: "0.00", items: [] });
  });
});

describe("the gates", () => {
  it("name the limit a plan exceeds, and pass at or under it", async () => {
    const report = await priced();
    expect(exceeded(report, { maxMonthly: "3", maxOneTime: "22.50" })).toEqual([]);
    expect(exceeded(report, { maxMonthly: "2.99", maxOneTime: "20" })).toEqual([
      "--max-one-time $20.00: the plan's one-time cost is $22.50",
      "--max-monthly $2.99: the plan's monthly change is $3.00",
    ]);
    // A plan that lowers the bill passes any monthly limit.
    const release = await priced({ steps: [plan.steps[7]] });
    expect(release).toMatchObject({ oneTime: "0.00", monthly: "-0.50" });
    expect(exceeded(release, { maxMonthly: "0" })).toEqual([]);
  });

  it("take amounts in dollars; bad arguments are usage errors naming the option", () => {
    expect(parseCostArgs(["--max-monthly", "$100", "--max-one-time", "12.50", "--json", "--stack", "prod"])).toMatchObject({
      maxMonthly: "100",
      maxOneTime: "12.50",
      json: true,
      stack: "prod",
    });
    expect(() => parseCostArgs(["--max-monthly", "ten"])).toThrow(
      new CostUsageError('--max-monthly must be an amount in US dollars such as 100 or 12.50, got "ten"'),
    );
    expect(() => parseCostArgs(["--max-monthly"])).toThrow("--max-monthly needs a value");
    expect(() => parseCostArgs(["--diff"])).toThrow("unknown option --diff");
  });
});
