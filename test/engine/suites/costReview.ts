/**
 * examples/cost-review through the real Pulumi CLI, written once and run per variant (cost-review-*.test.ts: the
 * dynamic classes, the plugin, Pulumi YAML): `pulumi preview --json | pulumi-plivo cost --json` equals, to the cent,
 * how much the emulator's bill moves over the following `pulumi up` — for a new stack of numbers (local and
 * toll-free), a 10DLC profile, brand, campaign and number link; then for an added campaign and a released number.
 * The emulator's clock is pinned, so the pro-rated first months are the same every run. The preview rows state the
 * amounts; the Markdown table and the gates are the command's own output.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { diagnostics } from "../diagnostics";
import { addToProgram, edit, STEP_TIMEOUT_MS, useExampleProject, type ExampleSession, type Variant } from "../emulatorFixture";
import { REPO_ROOT } from "../harness";

const CLI = path.join(REPO_ROOT, "dist", "cli", "index.js");
/** Noon (UTC) of the day every estimate and charge of the suite is made on: 14 of 30 days left in March. */
const TODAY = "2031-03-18";

/** `pulumi-plivo cost` in the project directory, the plan on standard input. */
function cost(s: ExampleSession, plan: string, args: string[] = []): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const p = s.project;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, "cost", "--stack", p.stack, ...args], { cwd: p.dir, env: p.env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(plan);
  });
}

const bill = async (s: ExampleSession) => (await s.emulator.control("GET", "bill")).body as { date: string; oneTime: string; monthly: string };
const cents = (amount: string) => Math.round(Number(amount) * 100);

/** Previews, prices the plan, runs `up`, and expects the bill to move by exactly the estimate. */
async function expectBillMovesAsEstimated(s: ExampleSession, expected: { oneTime: string; monthly: string }) {
  const preview = await s.project.preview({ json: true });
  const priced = await cost(s, preview.stdout, ["--json"]);
  expect(priced.code, priced.stderr).toBe(0);
  const report = JSON.parse(priced.stdout);
  expect({ oneTime: report.oneTime, monthly: report.monthly }).toEqual(expected);
  const before = await bill(s);
  await s.project.up();
  const after = await bill(s);
  expect(after.date).toBe(TODAY);
  expect(cents(after.oneTime) - cents(before.oneTime)).toBe(cents(report.oneTime));
  expect(cents(after.monthly) - cents(before.monthly)).toBe(cents(report.monthly));
  return { preview, report };
}

export function costReviewSuite(variant: Variant): void {
  describe.sequential(`examples/cost-review (${variant})`, () => {
    const s = useExampleProject("cost-review", { variant });
    // YAML names need to be unique across types: the brand is acme-brand there.
    const brand = variant === "yaml" ? "acme-brand" : "acme";

    it(
      "a new stack: the estimate of the plan is what the first up bills, to the cent; the preview rows say the amounts",
      async () => {
        const clock = await s.emulator.control("POST", "clock", { offsetMs: Date.parse(`${TODAY}T12:00:00Z`) - Date.now() });
        expect(clock.status).toBe(200);
        // local 0.50 + 0.23, toll-free 0.30 + 0.47, brand 4.00, campaign 15.00 + 2.00; monthly 0.50 + 1.00 + 2.00
        const { preview, report } = await expectBillMovesAsEstimated(s, { oneTime: "22.50", monthly: "3.50" });
        // (in the order of the plan's steps, which the YAML host chooses its own way)
        expect(report.items.map((i: any) => [i.resource, i.operation, i.oneTime, i.monthly]).sort()).toEqual(
          [
            ["PhoneNumber::local", "create", "0.73", "0.50"],
            ["PhoneNumber::tollfree", "create", "0.77", "1.00"],
            [`Brand::${brand}`, "create", "4.00", "0.00"],
            ["Campaign::orders", "create", "17.00", "2.00"],
          ].sort(),
        );
        if (variant === "dynamic") {
          // The README's first page shows this run's table: its rows are the command's, word for word.
          const table = await cost(s, preview.stdout);
          const tableRows = (text: string) =>
            text
              .split("\n")
              .map((l) => l.trim())
              .filter((l) => /^\| (`\w+::|\*\*total\*\*)/.test(l))
              .sort();
          const readme = fs.readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");
          expect(tableRows(readme)).toEqual(tableRows(table.stdout));
        }
        const rows = diagnostics(preview.json).filter((d) => d.severity === "warning");
        expect(rows).toEqual(
          expect.arrayContaining([
            {
              resource: "PhoneNumber::local",
              severity: "warning",
              message: "Creating it rents a local US number: $0.50 setup, $0.23 for the rest of this month (14/30 days), then $0.50/month",
            },
            {
              resource: "PhoneNumber::tollfree",
              severity: "warning",
              message: "Creating it rents a toll-free US number: $0.30 setup, $0.47 for the rest of this month (14/30 days), then $1.00/month",
            },
            { resource: `Brand::${brand}`, severity: "warning", message: "Creating it registers a 10DLC brand with The Campaign Registry: $4.00 once" },
            {
              resource: "Campaign::orders",
              severity: "warning",
              message: "Creating it submits a 10DLC campaign (MIXED) for carrier vetting: $15.00 vetting and $2.00 for the first month now, then $2.00/month",
            },
          ]),
        );
      },
      STEP_TIMEOUT_MS,
    );

    it(
      "an added campaign and a released number: the table, the gates, and the bill moving by the estimate",
      async () => {
        edit(s, { ts: [/const tollfree = new plivo\.PhoneNumber\("tollfree", \{[\s\S]*?\n\}\);\n/, ""], yaml: [/ {2}tollfree:\n( {4}.*\n)+/, ""] });
        edit(s, { ts: ["export const tollfreeNumber = tollfree.number;\n", ""], yaml: ["  tollfreeNumber: ${tollfree.number}\n", ""] });
        const alerts = {
          campaignAlias: "alerts",
          vertical: "RETAIL",
          usecase: "ACCOUNT_NOTIFICATION",
          description: "Account alerts for customers of the Acme online store: password changes and sign-ins.",
          sample1: "Acme: your password was changed. Not you? Call us at once.",
          sample2: "Acme: a new sign-in to your account. Reply HELP for help, STOP to opt out.",
          messageFlow: "Customers opt in when they create an account on acme.example.com.",
          helpMessage: "Acme alerts: help at acme.example.com/help. Reply STOP to opt out.",
          optoutMessage: "Acme: you are unsubscribed from account alerts.",
          optoutKeywords: "STOP",
          helpKeywords: "HELP",
          embeddedLink: false,
          embeddedPhone: false,
          ageGated: false,
          directLending: false,
          affiliateMarketing: false,
          waitUntil: "ACTIVE",
        };
        addToProgram(s, {
          ts: `new plivo.Campaign("alerts", { brandId: brand.id, ...${JSON.stringify(alerts)} });`,
          yaml: `  alerts:\n    type: plivo:index:Campaign\n    properties:\n      brandId: \${acme-brand.id}\n${Object.entries(alerts)
            .map(([k, v]) => `      ${k}: ${JSON.stringify(v)}\n`)
            .join("")}`,
        });

        const plan = (await s.project.preview({ json: true })).stdout;
        const table = await cost(s, plan);
        expect(table.code, table.stderr).toBe(0);
        expect(table.stdout).toContain(
          "| `Campaign::alerts` | create | $17.00 | +$2.00 | submits a 10DLC campaign (ACCOUNT_NOTIFICATION) for carrier vetting:",
        );
        expect(table.stdout).toMatch(
          /\| `PhoneNumber::tollfree` \| delete \| \$0\.00 \| -\$1\.00 \| releases 1\d{10}: the monthly bill goes down by \$1\.00; \*\*cannot be undone\*\*: Plivo holds an unrented number for 10 days/,
        );
        expect(table.stdout).toContain("| **total** | | **$17.00** | **+$1.00** | one-time now; change of the monthly bill |");
        const gated = await cost(s, plan, ["--max-monthly", "0.99", "--max-one-time", "17"]);
        expect(gated.code).toBe(4);
        expect(gated.stderr).toBe("pulumi-plivo cost: over the limit --max-monthly $0.99: the plan's monthly change is $1.00\n");

        await expectBillMovesAsEstimated(s, { oneTime: "17.00", monthly: "1.00" });
      },
      STEP_TIMEOUT_MS,
    );
  });
}
