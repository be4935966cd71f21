/**
 * examples/10dlc through the real Pulumi CLI, written once and run per variant (10dlc-*.test.ts): Profile → Brand →
 * Campaign (waits until ACTIVE) → two numbers and their CampaignNumberLinks. Status outputs, no-change preview and
 * refresh, in-place edits of the profile and the numbers (never touching the paid registrations), the state gate on
 * the ACTIVE campaign at preview, replacements naming the property and what they cost, bringing a number and its link
 * under management (adoptId for the dynamic classes; `pulumi import` of profile, brand, campaign and links by id with
 * no submission for the plugin), a link removed behind Pulumi's back, destroy.
 */
import { describe, expect, it } from "vitest";
import {
  addToProgram,
  buyNumberOutOfBand,
  changedOps,
  edit,
  expectEngineImportUnsupported,
  expectNothingLeft,
  expectOnlyUpdates,
  expectReplacedFor,
  expectTokenNowhere,
  plivoApi,
  plivoResources,
  resourceIds,
  STEP_TIMEOUT_MS,
  useExampleProject,
  type Variant,
} from "../emulatorFixture";
import { diagnostics, expectNoStackTrace, expectQuietRefresh, sorted } from "../diagnostics";
import { detailedDiffOf, forgetAndImport, mutations } from "../pluginFixture";
import { expectLedgerBalanced, ledger, submissions } from "../../helpers/ledger";

/** `smoke`: only up (with the no-change preview and refresh) and destroy. */
export function tendlcSuite(variant: Variant, opts: { smoke?: boolean } = {}): void {
  const full = !opts.smoke;
  describe.sequential(`examples/10dlc (${variant}${opts.smoke ? ", smoke" : ""})`, () => {
    const s = useExampleProject("10dlc", { variant });
    let out: { brandId: string; brandStatus: string; campaignId: string; campaignStatus: string; linkedNumbers: string[] };
    let numbers: string[] = [];

    it(
      "up registers brand and campaign, waits until ACTIVE and links two numbers; then no changes",
      async () => {
        const p = s.project;
        expect((await p.up()).stdout).toMatch(/\+ 8 created/);
        out = (await p.outputs()) as typeof out;
        expect(out.brandStatus).toBe("COMPLETED");
        expect(out.campaignStatus).toBe("ACTIVE");
        expect(out.brandId).toMatch(/^B\w{6}$/);
        expect(out.campaignId).toMatch(/^C\w{6}$/);
        expect(out.linkedNumbers).toHaveLength(2);
        for (const line of out.linkedNumbers) expect(line).toMatch(/^1\d{10} COMPLETED$/);
        numbers = out.linkedNumbers.map((l) => l.split(" ")[0]!);
        expect(numbers.map((n) => n.slice(1, 4))).toEqual(["415", "212"]);
        for (const n of numbers) {
          expect(await plivoApi(s, "GET", `Number/${n}/`)).toMatchObject({ tendlc_registration_status: "COMPLETED", tendlc_campaign_id: out.campaignId });
        }
        expect((await plivoApi(s, "GET", `10dlc/Brand/${out.brandId}/`)).brand).toMatchObject({ brand_alias: "Acme", registration_status: "COMPLETED" });
        // One paid submission each.
        expect([await submissions(s.emulator, "brand"), await submissions(s.emulator, "campaign"), await submissions(s.emulator, "link")]).toEqual([1, 1, 2]);
        // The numbers were bought before they were linked: nothing they report may have gone stale since.
        await expectQuietRefresh(p);
        await p.refresh({ expectNoChanges: true });
        await p.preview({ expectNoChanges: true });
      },
      STEP_TIMEOUT_MS,
    );

    if (full) {
      it(
        "editing the profile's website and the numbers' aliases updates only those, in place",
        async () => {
          const p = s.project;
          edit(s, {
            ts: [`website: "https://acme.example.com"`, `website: "https://www.acme.example.com"`],
            yaml: ["website: https://acme.example.com", "website: https://www.acme.example.com"],
          });
          edit(s, { ts: ["alias: `10dlc-${areaCode}`", "alias: `sms-${areaCode}`"], yaml: [/alias: 10dlc-(\d{3})$/gm, "alias: sms-$1"] });
          // The brand refers to the profile by id, which stays known: the paid registrations are not touched.
          const preview = await p.preview({ json: true });
          expectOnlyUpdates(preview.json, ["Profile::acme", "PhoneNumber::sender-415", "PhoneNumber::sender-212"]);
          if (s.form === "plugin") expect(detailedDiffOf(preview.json, "acme")).toEqual({ website: "update" });

          const before = await resourceIds(p);
          expect((await p.up()).stdout).toMatch(/~ 3 updated/);
          expect(await resourceIds(p)).toEqual(before);
          expect(await submissions(s.emulator, "campaign")).toBe(1);
          expect((await plivoApi(s, "GET", `Profile/${before["Profile::acme"]}/`)).profile.website).toBe("https://www.acme.example.com");
          expect((await plivoApi(s, "GET", `Number/${numbers[0]}/`)).alias).toBe("sms-415");
          await p.preview({ expectNoChanges: true });
        },
        STEP_TIMEOUT_MS,
      );

      it(
        "editing an ACTIVE campaign's texts fails at preview with what Plivo allows",
        async () => {
          const p = s.project;
          const undo = edit(s, {
            ts: [`description: "Order confirmations and delivery updates`, `description: "Order confirmations, delivery and returns updates`],
            yaml: ["description: Order confirmations and delivery updates", "description: Order confirmations, delivery and returns updates"],
          });
          const res = await p.preview({ allowFailure: true });
          undo();
          expect(res.code).not.toBe(0);
          const message = `Campaign ${out.campaignId}: description cannot be changed while the campaign is ACTIVE; Plivo accepts edits only while a campaign is FAILED`;
          // Once on the campaign's row and once under Diagnostics; no second report on the Stack, no stack trace.
          expect((res.stdout + res.stderr).split(message).length - 1).toBe(2);
          expectNoStackTrace(res);
          await p.preview({ expectNoChanges: true });
        },
        STEP_TIMEOUT_MS,
      );

      it(
        "a new brandAlias previews as a brand replacement naming brandAlias; a new usecase as a campaign replacement naming usecase",
        async () => {
          const p = s.project;
          let undo = edit(s, { ts: [`brandAlias: "Acme"`, `brandAlias: "Acme Stores"`], yaml: ["brandAlias: Acme", "brandAlias: Acme Stores"] });
          const brandPreview = await p.preview({ json: true });
          undo();
          expectReplacedFor(brandPreview.json, "Brand::acme-brand", "brandAlias");
          expect(diagnostics(brandPreview.json)).toEqual(
            expect.arrayContaining([
              {
                resource: "Brand::acme-brand",
                severity: "warning",
                message: `Replacing it (brandAlias changed) first deactivates brand ${out.brandId}, which cannot be undone; then creates the new one`,
              },
              { resource: "Brand::acme-brand", severity: "warning", message: "Creating it registers a 10DLC brand with The Campaign Registry: $4.00 once" },
              {
                resource: "Brand::acme-brand",
                severity: "info",
                message: expect.stringMatching(
                  /^Replaced because brandAlias "Acme" → "Acme Stores" cannot change in place; the new Brand's outputs \(brandId, /,
                ),
              },
            ]),
          );
          expect(changedOps(brandPreview.json)["Profile::acme"]).toBeUndefined();

          undo = edit(s, { ts: [`usecase: "MIXED"`, `usecase: "LOW_VOLUME"`], yaml: ["usecase: MIXED", "usecase: LOW_VOLUME"] });
          const campaignPreview = await p.preview({ json: true });
          undo();
          expectReplacedFor(campaignPreview.json, "Campaign::order-updates", "usecase");
          const campaignNotes = diagnostics(campaignPreview.json);
          expect(sorted(campaignNotes.filter((d) => d.severity === "warning"))).toEqual(
            sorted([
              {
                resource: "Campaign::order-updates",
                severity: "warning",
                message:
                  `Replacing it (usecase changed) creates the new one first, then deactivates campaign ${out.campaignId}, which cannot be undone (it stays EXPIRED and its numbers must be linked to another campaign); ` +
                  "the monthly bill goes down by $2.00",
              },
              {
                resource: "Campaign::order-updates",
                severity: "warning",
                message:
                  "Creating it submits a 10DLC campaign (LOW_VOLUME) for carrier vetting: $15.00 vetting and $2.00 for the first month now, then $2.00/month",
              },
            ]),
          );
          // Every replacement names what forces it: the campaign's use case, and the links' campaign id (known at up).
          const linkNote = (n: string) => ({
            resource: `CampaignNumberLink::link-${n}`,
            severity: "info",
            message: `Replaced because campaignId "${out.campaignId}" → (known at up) cannot change in place; the new CampaignNumberLink's outputs (status, usecase, campaignAlias) are known only after up`,
          });
          expect(sorted(campaignNotes.filter((d) => d.severity === "info" && d.resource !== "Campaign::order-updates"))).toEqual([
            linkNote("212"),
            linkNote("415"),
          ]);
          expect(campaignNotes.filter((d) => d.resource === "Campaign::order-updates" && d.severity === "info")).toEqual([
            {
              resource: "Campaign::order-updates",
              severity: "info",
              message: expect.stringMatching(
                /^Replaced because usecase "MIXED" → "LOW_VOLUME" cannot change in place; the new Campaign's outputs \(campaignId, /,
              ),
            },
          ]);
          expect(changedOps(campaignPreview.json)["Brand::acme-brand"]).toBeUndefined();
          await p.preview({ expectNoChanges: true });
        },
        STEP_TIMEOUT_MS,
      );

      if (s.form === "dynamic") {
        it(
          "adopts a number rented and linked to the campaign outside Pulumi; then no changes",
          async () => {
            const p = s.project;
            const legacy = await buyNumberOutOfBand(s, "country_iso=US&type=local&pattern=646&services=sms");
            await plivoApi(s, "POST", `10dlc/Campaign/${out.campaignId}/Number/`, { numbers: [legacy] });
            const linkId = `${out.campaignId}/${legacy}`;
            expect((await s.emulator.control("POST", "resolve", { resource: "link", id: linkId, outcome: "success" })).body).toMatchObject({
              status: "COMPLETED",
            });
            await expectEngineImportUnsupported(
              p,
              "CampaignNumberLink",
              "link-646",
              linkId,
              `new plivo.CampaignNumberLink("link-646", { campaignId: campaign.id, number: "${legacy}" }`,
            );
            addToProgram(s, {
              ts: [
                `const legacy = new plivo.PhoneNumber("sender-646", { adoptId: "${legacy}", alias: "sms-646" });`,
                `new plivo.CampaignNumberLink("link-646", { campaignId: campaign.id, number: legacy.id, adoptId: "${linkId}" });`,
              ].join("\n"),
              yaml: "",
            });
            expect((await p.up()).stdout).toMatch(/\+ 2 created/);
            const ids = await resourceIds(p);
            expect([ids["PhoneNumber::sender-646"], ids["CampaignNumberLink::link-646"]]).toEqual([legacy, linkId]);
            const entries = await ledger(s.emulator);
            expect(entries.filter((e) => e.action === "submit" && e.resource === "link" && e.id === linkId)).toHaveLength(1);
            expect(entries.filter((e) => e.action === "buy" && e.number === legacy)).toHaveLength(1);
            await p.preview({ expectNoChanges: true });
          },
          STEP_TIMEOUT_MS,
        );
      } else {
        it(
          "pulumi import takes profile, brand, campaign and links back by id, submitting nothing; then no changes",
          async () => {
            const p = s.project;
            const before = await mutations(s);
            const ids = await forgetAndImport(p, [
              "Profile::acme",
              "Brand::acme-brand",
              "Campaign::order-updates",
              "CampaignNumberLink::link-415",
              "CampaignNumberLink::link-212",
            ]);
            expect(ids["Campaign::order-updates"]).toBe(out.campaignId);
            expect(ids["CampaignNumberLink::link-415"]).toBe(`${out.campaignId}/${numbers[0]}`);
            await p.preview({ expectNoChanges: true });
            expect((await p.outputs()).campaignStatus).toBe("ACTIVE");
            expect(await mutations(s)).toEqual(before);
          },
          STEP_TIMEOUT_MS,
        );
      }

      it(
        "a number unlinked outside Pulumi is dropped by refresh and linked again by up",
        async () => {
          const p = s.project;
          const n = numbers[1]!;
          const linkId = `${out.campaignId}/${n}`;
          await plivoApi(s, "DELETE", `10dlc/Campaign/${out.campaignId}/Number/${n}/`);
          expect((await s.emulator.control("POST", "resolve", { resource: "unlink", id: linkId, outcome: "success" })).status).toBe(200);
          await p.refresh();
          expect((await plivoResources(p)).map((r) => r.name)).not.toContain("link-212");
          expect((await p.up()).stdout).toMatch(/\+ 1 created/);
          expect((await resourceIds(p))["CampaignNumberLink::link-212"]).toBe(linkId);
          expect((await p.outputs()).linkedNumbers).toContain(`${n} COMPLETED`);
          expect((await plivoApi(s, "GET", `Number/${n}/`)).tendlc_registration_status).toBe("COMPLETED");
          await p.preview({ expectNoChanges: true });
        },
        STEP_TIMEOUT_MS,
      );
    }

    it(
      "destroy unlinks, deactivates and deletes everything; numbers bought once and unrented once; the token is nowhere",
      async () => {
        const p = s.project;
        await expectTokenNowhere(s);
        await p.run(["state", "unprotect", "--all", "--yes", "--stack", p.stack, "--non-interactive"]);
        const rented = (await plivoResources(p)).filter((r) => r.type === "PhoneNumber").map((r) => r.id!);
        // Two senders, and the number adopted by the dynamic classes' steps.
        expect(rented).toHaveLength(full && s.form === "dynamic" ? 3 : 2);
        await p.destroy();
        expect(await plivoResources(p)).toEqual([]);
        const state = await expectNothingLeft(s);
        // Plivo keeps a deactivated campaign, EXPIRED.
        expect(state.campaigns.map((c: any) => [c.campaign_id, c.registration_status])).toEqual([[out.campaignId, "EXPIRED"]]);
        expect(Object.keys(await expectLedgerBalanced(s.emulator)).sort()).toEqual(rented.sort());
        await expectTokenNowhere(s);
      },
      STEP_TIMEOUT_MS,
    );
  });
}
