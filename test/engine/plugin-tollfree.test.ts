/**
 * examples/tollfree through the provider plugin with the real Pulumi CLI: a verification waited on until APPROVED,
 * no-change preview and refresh, in-place edits around it, the state gate of an APPROVED verification at preview, a
 * replacement naming number, `pulumi import` of the verification by id, destroy forgetting the APPROVED request with
 * a warning on its row.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import {
  editProgram,
  expectNothingLeft,
  expectOnlyUpdates,
  expectReplacedFor,
  expectTokenNowhere,
  plivoResources,
  STEP_TIMEOUT_MS,
  useExampleProject,
} from "./emulatorFixture";
import { forgetAndImport, mutations } from "./pluginFixture";
import { expectLedgerBalanced } from "../helpers/ledger";

describe.sequential("examples/tollfree through the provider plugin", () => {
  const s = useExampleProject("tollfree", { variant: "plugin" });
  let out: { tollFreeNumber: string; verificationId: string; verificationStatus: string };

  it("up verifies a toll-free number, waiting until APPROVED; then no changes", async () => {
    const p = s.project;
    expect((await p.up()).stdout).toMatch(/\+ 4 created/);
    out = (await p.outputs()) as typeof out;
    expect(out.verificationStatus).toBe("APPROVED");
    await p.preview({ expectNoChanges: true });
    await p.refresh({ expectNoChanges: true });
  }, STEP_TIMEOUT_MS);

  it("the profile's address and the number's alias update in place; the APPROVED verification's content is gated at preview; a new number replaces it", async () => {
    const p = s.project;
    editProgram(p, `street: "1 Main St"`, `street: "2 Main St"`);
    editProgram(p, "alias: `otp-${stack}`", "alias: `otp-sender-${stack}`");
    expectOnlyUpdates((await p.preview({ json: true })).json, ["Profile::acme", "PhoneNumber::otp-sender"]);
    expect((await p.up()).stdout).toMatch(/~ 2 updated/);

    const file = path.join(p.dir, "index.ts");
    const before = fs.readFileSync(file, "utf8");
    editProgram(p, `It expires in 10 minutes.`, `It expires in 5 minutes.`);
    const gated = await p.preview({ allowFailure: true });
    expect(gated.stdout + gated.stderr).toContain(`TollfreeVerification ${out.verificationId}: messageSample cannot be changed while the toll-free verification is APPROVED`);
    fs.writeFileSync(file, before);
    editProgram(p, "  number: number.id,\n", `  number: "+1 (800) 555-0100",\n`);
    expectReplacedFor((await p.preview({ json: true })).json, "TollfreeVerification::otp", "number");
    fs.writeFileSync(file, before);
  }, STEP_TIMEOUT_MS);

  it("pulumi import takes the verification back by id with no Plivo mutation; then no changes", async () => {
    const p = s.project;
    const before = await mutations(s);
    expect(await forgetAndImport(p, ["TollfreeVerification::otp"])).toEqual({ "TollfreeVerification::otp": out.verificationId });
    await p.preview({ expectNoChanges: true });
    expect(await mutations(s)).toEqual(before);
  }, STEP_TIMEOUT_MS);

  it("destroy forgets the APPROVED verification with a warning and deletes the rest; the token is nowhere", async () => {
    const p = s.project;
    await expectTokenNowhere(s);
    const destroyed = await p.destroy();
    expect(destroyed.stdout + destroyed.stderr).toContain(
      `TollfreeVerification ${out.verificationId} is APPROVED and Plivo does not allow deleting it; removed from the Pulumi state only`,
    );
    // The warning is on the verification's row (logged with its URN), not the stack's.
    expect(destroyed.stdout).toMatch(/plivo:index:TollfreeVerification \(otp\):\s*\n\s*warning: TollfreeVerification/);
    expect(await plivoResources(p)).toEqual([]);
    const state = await expectNothingLeft(s);
    expect(state.tollfree_verifications.map((t: any) => t.status)).toEqual(["APPROVED"]);
    expect(Object.keys(await expectLedgerBalanced(s.emulator))).toEqual([out.tollFreeNumber]);
    await expectTokenNowhere(s);
  }, STEP_TIMEOUT_MS);
});
