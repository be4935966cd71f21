/**
 * examples/tollfree through the real Pulumi CLI, written once and run per variant (tollfree-*.test.ts): Profile →
 * toll-free PhoneNumber → TollfreeVerification (waits until APPROVED). Status output, no-change preview and refresh,
 * in-place edits around an APPROVED verification, its state gate, `number` replacing it (and what that means for an
 * APPROVED request), bringing objects under management (adoptId of a profile for the dynamic classes, `pulumi import`
 * of the verification for the plugin), the number unrented behind Pulumi's back (the verification follows the
 * replacement number), and destroy forgetting APPROVED verifications with a warning on their row.
 */
import { describe, expect, it } from "vitest";
import {
  addToProgram,
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
  tokenOf,
  useExampleProject,
  type Variant,
} from "../emulatorFixture";
import { diagnostics, expectNoStackTrace, expectQuietRefresh, sorted } from "../diagnostics";
import { forgetAndImport, mutations } from "../pluginFixture";
import { expectLedgerBalanced, ledger } from "../../helpers/ledger";

/** What the provider says when destroy meets an APPROVED verification (provider/core/crud.ts remove). */
const cannotDelete = (uuid: string) => `TollfreeVerification ${uuid} is APPROVED and Plivo does not allow deleting it; removed from the Pulumi state only`;

/** `smoke`: only up (with the no-change preview and refresh) and destroy. */
export function tollfreeSuite(variant: Variant, opts: { smoke?: boolean } = {}): void {
  const full = !opts.smoke;
  describe.sequential(`examples/tollfree (${variant}${opts.smoke ? ", smoke" : ""})`, () => {
    const s = useExampleProject("tollfree", { variant });
    let out: { tollFreeNumber: string; verificationId: string; verificationStatus: string };
    const forgotten: string[] = [];

    it(
      "up verifies a toll-free number, waiting until APPROVED; then no changes",
      async () => {
        const p = s.project;
        expect((await p.up()).stdout).toMatch(/\+ 4 created/);
        out = (await p.outputs()) as typeof out;
        expect(out.verificationStatus).toBe("APPROVED");
        expect(out.tollFreeNumber).toMatch(/^18\d{9}$/);
        const tfv = await plivoApi(s, "GET", `TollfreeVerification/${out.verificationId}/`);
        expect(tfv).toMatchObject({ number: out.tollFreeNumber, status: "APPROVED", usecase: "2FA,ACCOUNT_NOTIFICATION" });
        expect((await plivoApi(s, "GET", `Number/${out.tollFreeNumber}/`)).toll_free_sms_verification).toBe("VERIFIED");
        // The number was bought before it was verified: nothing it reports may have gone stale since.
        await expectQuietRefresh(p);
        await p.refresh({ expectNoChanges: true });
        await p.preview({ expectNoChanges: true });
      },
      STEP_TIMEOUT_MS,
    );

    if (full) {
      it(
        "editing the profile's address and the number's alias updates only those; the APPROVED verification is untouched",
        async () => {
          const p = s.project;
          edit(s, { ts: [`street: "1 Main St"`, `street: "2 Main St"`], yaml: ["street: 1 Main St", "street: 2 Main St"] });
          edit(s, { ts: ["alias: `otp-${stack}`", "alias: `otp-sender-${stack}`"], yaml: ["alias: otp-${pulumi.stack}", "alias: otp-sender-${pulumi.stack}"] });
          expectOnlyUpdates((await p.preview({ json: true })).json, ["Profile::acme", "PhoneNumber::otp-sender"]);
          const before = await resourceIds(p);
          expect((await p.up()).stdout).toMatch(/~ 2 updated/);
          expect(await resourceIds(p)).toEqual(before);
          expect((await plivoApi(s, "GET", `Profile/${before["Profile::acme"]}/`)).profile.address.street).toBe("2 Main St");
          expect((await plivoApi(s, "GET", `Number/${out.tollFreeNumber}/`)).alias).toBe("otp-sender-dev");
          await p.preview({ expectNoChanges: true });
        },
        STEP_TIMEOUT_MS,
      );

      it(
        "editing the APPROVED verification's content fails at preview; a new number previews as its replacement, naming number",
        async () => {
          const p = s.project;
          let undo = edit(s, {
            ts: ["It expires in 10 minutes.", "It expires in 5 minutes."],
            yaml: ["It expires in 10 minutes.", "It expires in 5 minutes."],
          });
          const gated = await p.preview({ allowFailure: true });
          undo();
          expect(gated.code).not.toBe(0);
          const message = `TollfreeVerification ${out.verificationId}: messageSample cannot be changed while the toll-free verification is APPROVED; Plivo accepts edits only while it is SUBMITTED or UPDATE_REQUIRED`;
          // Once on the verification's row and once under Diagnostics; no second report on the Stack, no stack trace.
          expect((gated.stdout + gated.stderr).split(message).length - 1).toBe(2);
          expectNoStackTrace(gated);

          undo = edit(s, {
            ts: ["  number: number.id,\n", `  number: "+1 (800) 555-0100",\n`],
            yaml: ["number: ${otp-sender.id}", `number: "+1 (800) 555-0100"`],
          });
          const preview = await p.preview({ json: true });
          undo();
          expectReplacedFor(preview.json, "TollfreeVerification::otp", "number");
          expect(changedOps(preview.json)).toEqual({ "TollfreeVerification::otp": "replace" });
          // The APPROVED request cannot be deleted: the preview says it only leaves the state, and what the new one means.
          expect(sorted(diagnostics(preview.json).filter((d) => d.severity === "warning"))).toEqual(
            sorted([
              {
                resource: "TollfreeVerification::otp",
                severity: "warning",
                message: `Replacing it (number changed) first removes ${out.verificationId} from the state only (Plivo cannot delete a toll-free verification that is APPROVED: it stays on the account); then creates the new one`,
              },
              {
                resource: "TollfreeVerification::otp",
                severity: "warning",
                message:
                  "Creating it submits a toll-free verification for carrier review (up to six weeks); a REJECTED request can never be resubmitted or deleted",
              },
            ]),
          );
          await p.preview({ expectNoChanges: true });
        },
        STEP_TIMEOUT_MS,
      );

      if (s.form === "dynamic") {
        it(
          "adopts a profile created outside Pulumi; then no changes",
          async () => {
            const p = s.project;
            const address = { street: "9 Side St", city: "Austin", state: "TX", postal_code: "73301", country: "US" };
            const contact = {
              first_name: "Grace",
              last_name: "Hopper",
              email: "grace@acme.example.com",
              title: "CTO",
              seniority: "DIRECTOR",
              phone: "+15125550101",
            };
            const made = await plivoApi(s, "POST", "Profile/", {
              profile_alias: "acme-legacy",
              customer_type: "DIRECT",
              entity_type: "PRIVATE",
              company_name: "Acme Legacy LLC",
              vertical: "TECHNOLOGY",
              address,
              authorized_contact: contact,
            });
            const uuid = String(made.profile_uuid);
            const args =
              `profileAlias: "acme-legacy", customerType: "DIRECT", entityType: "PRIVATE", companyName: "Acme Legacy LLC", vertical: "TECHNOLOGY", ` +
              `address: { street: "9 Side St", city: "Austin", state: "TX", postalCode: "73301", country: "US" }, ` +
              `authorizedContact: { firstName: "Grace", lastName: "Hopper", email: "grace@acme.example.com", title: "CTO", seniority: "DIRECTOR", phone: "+15125550101" }`;
            await expectEngineImportUnsupported(p, "Profile", "legacy", uuid, `new plivo.Profile("legacy", { ${args} }`);
            const creates = (await ledger(s.emulator)).filter((e) => e.action === "create" && e.resource === "Profile").length;
            addToProgram(s, { ts: `new plivo.Profile("legacy", { ${args}, adoptId: "${uuid}" });`, yaml: "" });
            expect((await p.up()).stdout).toMatch(/\+ 1 created/);
            expect((await resourceIds(p))["Profile::legacy"]).toBe(uuid);
            expect((await ledger(s.emulator)).filter((e) => e.action === "create" && e.resource === "Profile")).toHaveLength(creates);
            await p.preview({ expectNoChanges: true });
            await p.refresh({ expectNoChanges: true });
          },
          STEP_TIMEOUT_MS,
        );
      } else {
        it(
          "pulumi import takes the verification back by id with no Plivo mutation; then no changes",
          async () => {
            const p = s.project;
            const before = await mutations(s);
            expect(await forgetAndImport(p, ["TollfreeVerification::otp"])).toEqual({ "TollfreeVerification::otp": out.verificationId });
            await p.preview({ expectNoChanges: true });
            expect(await mutations(s)).toEqual(before);
          },
          STEP_TIMEOUT_MS,
        );
      }

      it(
        "the number unrented outside Pulumi: refresh drops it, up rents another and verifies that one (the APPROVED one is forgotten with a warning)",
        async () => {
          const p = s.project;
          await p.run(["state", "unprotect", "--all", "--yes", "--stack", p.stack, "--non-interactive"]);
          await plivoApi(s, "DELETE", `Number/${out.tollFreeNumber}/`);
          await p.refresh();
          const names = (await plivoResources(p)).map((r) => r.name);
          expect(names).not.toContain("otp-sender");
          expect(names).toContain("otp");

          const up = await p.up();
          expect(up.stdout).toMatch(/\+ 1 created/);
          expect(up.stdout).toMatch(/\+-1 replaced/);
          expect(up.stdout + up.stderr).toContain(cannotDelete(out.verificationId));
          forgotten.push(out.verificationId);

          const next = (await p.outputs()) as typeof out;
          expect(next.tollFreeNumber).toMatch(/^18\d{9}$/);
          expect(next.tollFreeNumber).not.toBe(out.tollFreeNumber);
          expect(next.verificationId).not.toBe(out.verificationId);
          expect(next.verificationStatus).toBe("APPROVED");
          expect((await plivoApi(s, "GET", `TollfreeVerification/${next.verificationId}/`)).number).toBe(next.tollFreeNumber);
          out = next;
          await p.preview({ expectNoChanges: true });
        },
        STEP_TIMEOUT_MS,
      );
    }

    it(
      "destroy deletes what Plivo allows and forgets the APPROVED verification with a warning on its row; the token is nowhere",
      async () => {
        const p = s.project;
        await expectTokenNowhere(s);
        const rented = (await plivoResources(p)).filter((r) => r.type === "PhoneNumber").map((r) => r.id!);
        const destroyed = await p.destroy();
        expect(destroyed.stdout + destroyed.stderr).toContain(cannotDelete(out.verificationId));
        // The warning is on the verification's row (logged with its URN), not the stack's.
        const row = tokenOf(s, "TollfreeVerification").replace(/[/]/g, "\\/");
        expect(destroyed.stdout).toMatch(new RegExp(`${row} \\(otp\\):\\s*\\n\\s*warning: TollfreeVerification`));
        forgotten.push(out.verificationId);
        expect(await plivoResources(p)).toEqual([]);
        const state = await expectNothingLeft(s);
        // Both verifications stay on the account, APPROVED: Plivo cannot delete them.
        expect(state.tollfree_verifications.map((t: any) => [t.uuid, t.status]).sort()).toEqual(forgotten.map((u) => [u, "APPROVED"]).sort());
        // One number per verification: the one unrented behind Pulumi's back, and the one destroy unrented.
        const counts = await expectLedgerBalanced(s.emulator);
        expect(Object.keys(counts)).toHaveLength(forgotten.length);
        expect(Object.keys(counts)).toContain(rented[0]);
        await expectTokenNowhere(s);
      },
      STEP_TIMEOUT_MS,
    );
  });
}
