/**
 * examples/stages through the real Pulumi CLI, written once and run per variant (stages-*.test.ts): the TypeScript
 * program with the plugin's classes, and the Pulumi YAML program through the real YAML language host. A stage is a
 * subaccount: a brand-new stage previews with the subaccount's credentials unknown; up makes the subaccount, a
 * provider from its outputs, and inside it an application, a SIP endpoint and a number (bought by the main account,
 * handed to the subaccount); each object is the subaccount's (readable with its own credentials, marked as its own
 * to the main account) and covered by the account scan; the subaccount's token and the endpoint's password are secrets
 * in the state; a password and alias change is an in-place update whose diff never shows the password; another
 * subaccount's objects are out of the stage's reach; destroy leaves nothing.
 */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  changedOps,
  edit,
  expectNothingLeft,
  expectTokenNowhere,
  plivoApi,
  plivoResources,
  runScan,
  STEP_TIMEOUT_MS,
  tokenOf,
  useExampleProject,
  type ExampleSession,
  type Variant,
} from "../emulatorFixture";
import type { PulumiProject } from "../harness";
import { expectLedgerBalanced, ledger } from "../../helpers/ledger";

const md5 = (s: string) => createHash("md5").update(s).digest("hex");
const PASSWORD = "desk-pw-Ul7qkT3x";
const NEW_PASSWORD = "desk-pw-9bWn2RrE";

interface Stage {
  subaccountId: string;
  applicationId: string;
  sipUsername: string;
  phoneNumbers: string[];
}

/** The stage's outputs, the same in both languages (YAML declares one number). */
async function stageOf(p: PulumiProject): Promise<Stage> {
  const out = await p.outputs();
  return { ...out, phoneNumbers: out.phoneNumbers ?? [out.phoneNumber] } as Stage;
}

/** A request with the subaccount's own credentials (its token read as the main account may: GET Subaccount/). */
async function asSubaccount(s: ExampleSession, subaccountId: string, method: "GET" | "POST" | "DELETE", path: string, body?: unknown) {
  const token = (await plivoApi(s, "GET", `Subaccount/${subaccountId}/`)).auth_token as string;
  return s.emulator.call(method, `/v1/Account/${subaccountId}/${path}`, { absolute: true, auth: [subaccountId, token], ...(body ? { body } : {}) });
}

/** No CLI output of the session shows the secrets (the exports this suite decrypted on purpose aside). */
function expectInNoOutput(s: ExampleSession, secrets: string[]): void {
  for (const c of s.transcript) {
    if (c.args.includes("--show-secrets")) continue;
    for (const secret of secrets)
      expect((c.result.stdout + c.result.stderr).includes(secret), `a secret in the output of pulumi ${c.args.join(" ")}`).toBe(false);
  }
}

export function stagesSuite(variant: Variant): void {
  describe.sequential(`examples/stages (${variant}): a stage is a subaccount`, () => {
    const s = useExampleProject("stages", { variant });
    let dev: Stage;

    it(
      "a brand-new stage previews with the subaccount's credentials unknown; what lives under them is checked at up, before anything is bought",
      async () => {
        const p = s.project;
        await p.setConfig("deskPassword", PASSWORD, { secret: true });
        const undo = edit(s, {
          ts: ["alias: `desk-${stage}`", "alias: `desk ${stage}`"],
          yaml: ["alias: desk-${pulumi.stack}", "alias: desk ${pulumi.stack}"],
        });
        const preview = await p.preview({ json: true });
        const ops = changedOps(preview.json);
        // YAML has no loops: its program declares one number, `line`.
        const line = s.language === "ts" ? "PhoneNumber::line-415" : "PhoneNumber::line";
        expect(ops).toEqual({ "Subaccount::stage": "create", "Application::app": "create", "Endpoint::desk": "create", [line]: "create" });
        expect(preview.json.steps.find((x: any) => x.urn.endsWith("pulumi:providers:plivo::stage-account")).op).toBe("create");
        const warnings = (preview.json.diagnostics ?? []).map((d: any) => String(d.message));
        expect(
          warnings.some((w: string) =>
            w.includes("Deleting it later deletes subaccount; the applications, SIP endpoints and numbers it still holds move to the main account"),
          ),
        ).toBe(true);
        expect(warnings.some((w: string) => w.includes("Creating it rents a local US number: $0.50 setup"))).toBe(true);
        expect((await s.emulator.state()).subaccounts).toEqual([]);

        // The engine does not call a provider whose credentials are unknown: the endpoint's bad alias passed the preview.
        // The up checks it once the subaccount exists, and fails there, before the number (declared after it) is bought.
        const failed = await p.up({ allowFailure: true });
        expect(failed.code).not.toBe(0);
        expect(failed.stdout).toContain(`alias: may contain only letters, digits, '-' and '_' (got "desk dev")`);
        expect(await ledger(s.emulator, { action: "buy" })).toEqual([]);
        expect((await s.emulator.state()).subaccounts).toHaveLength(1);
        undo();
      },
      STEP_TIMEOUT_MS,
    );

    it(
      "up: the application, endpoint and number are the subaccount's, readable with its own credentials; then no changes",
      async () => {
        const p = s.project;
        // The failed up made the stack, the subaccount, its provider and the application: the endpoint and number remain.
        expect((await p.up()).stdout).toMatch(/\+ 2 created/);
        dev = await stageOf(p);
        expect(dev.subaccountId).toMatch(/^SA[A-Z0-9]{18}$/);
        expect(dev.sipUsername).toMatch(/^desk\d{12}$/);
        expect(dev.phoneNumbers).toHaveLength(1);
        const [number] = dev.phoneNumbers;

        // The main account sees each object marked as the subaccount's.
        const state = await s.emulator.state();
        expect(state.subaccounts.map((x: any) => [x.auth_id, x.name, x.enabled])).toEqual([[dev.subaccountId, "stage-dev", true]]);
        expect(state.applications.map((a: any) => [a.app_id, a.sub_account])).toEqual([[dev.applicationId, dev.subaccountId]]);
        expect(state.endpoints.map((e: any) => [e.username, e.sub_account, e.app_id, e.password_md5])).toEqual([
          [dev.sipUsername, dev.subaccountId, dev.applicationId, md5(PASSWORD)],
        ]);
        expect((await plivoApi(s, "GET", `Number/${number}/`)).sub_account).toBe(dev.subaccountId);
        expect((await plivoApi(s, "GET", `Number/?subaccount=${dev.subaccountId}`)).objects.map((n: any) => n.number)).toEqual([number]);

        // The subaccount's own credentials read all three.
        expect((await asSubaccount(s, dev.subaccountId, "GET", `Application/${dev.applicationId}/`)).status).toBe(200);
        const endpoints = (await asSubaccount(s, dev.subaccountId, "GET", "Endpoint/")).body.objects;
        expect(endpoints.map((e: any) => e.username)).toEqual([dev.sipUsername]);
        expect(String((await asSubaccount(s, dev.subaccountId, "GET", `Number/${number}/`)).body.application)).toContain(dev.applicationId);

        // The scan covers the subaccount, its endpoint and what lives in it: all of it is the stack's. An endpoint made in
        // the subaccount by hand is found, with where it lives.
        const [clean] = JSON.parse((await runScan(p, ["--json"])).stdout);
        expect([clean.objects, clean.unmanaged, clean.shared]).toEqual([4, [], []]);
        const stray = (await asSubaccount(s, dev.subaccountId, "POST", "Endpoint/", { username: "spare", password: "spare-pw", alias: "spare" })).body;
        const [report] = JSON.parse((await runScan(p, ["--json"])).stdout);
        expect(report.unmanaged.map((f: any) => [f.object.type, f.object.id, f.advice])).toEqual([["Endpoint", stray.endpoint_id, "unknown"]]);
        expect(report.unmanaged[0].note).toContain(`it lives in subaccount ${dev.subaccountId}`);
        expect((await asSubaccount(s, dev.subaccountId, "DELETE", `Endpoint/${stray.endpoint_id}/`)).status).toBe(204);

        // Another subaccount's objects are out of the stage's reach.
        const other = await plivoApi(s, "POST", "Subaccount/", { name: "someone-else", enabled: true });
        const theirs = (
          await s.emulator.call("POST", `/v1/Account/${other.auth_id}/Application/`, {
            absolute: true,
            auth: [other.auth_id, other.auth_token],
            body: { app_name: "theirs", answer_url: "https://example.com/a" },
          })
        ).body;
        expect((await asSubaccount(s, dev.subaccountId, "GET", `Application/${theirs.app_id}/`)).status).toBe(404);
        await plivoApi(s, "DELETE", `Subaccount/${other.auth_id}/`, { cascade: true });

        await p.preview({ expectNoChanges: true });
      },
      STEP_TIMEOUT_MS,
    );

    it(
      "the subaccount's token and the endpoint's password are secrets: nowhere in the state in clear text",
      async () => {
        const p = s.project;
        const token = (await plivoApi(s, "GET", `Subaccount/${dev.subaccountId}/`)).auth_token as string;
        const exported = JSON.stringify(await p.exportStack());
        for (const secret of [token, PASSWORD]) expect(exported.includes(secret), "a secret in the exported state").toBe(false);
        // They are there, encrypted: decrypted by --show-secrets.
        const shown = JSON.stringify(await p.exportStack({ showSecrets: true }));
        for (const secret of [token, PASSWORD]) expect(shown.includes(secret)).toBe(true);
        const resources = await plivoResources(p);
        const secretValue = expect.objectContaining({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270" });
        expect(resources.find((r) => r.type === "Subaccount")!.outputs.authToken).toEqual(secretValue);
        const desk = resources.find((r) => r.type === "Endpoint")!;
        expect([desk.inputs.password, desk.outputs.password]).toEqual([secretValue, secretValue]);
        expectInNoOutput(s, [token, PASSWORD]);
      },
      STEP_TIMEOUT_MS,
    );

    it(
      "a new password and alias are planned as an in-place update of the endpoint, the password shown as [secret]",
      async () => {
        const p = s.project;
        await p.setConfig("deskPassword", NEW_PASSWORD, { secret: true });
        edit(s, { ts: ["alias: `desk-${stage}`", "alias: `front-desk-${stage}`"], yaml: ["alias: desk-${pulumi.stack}", "alias: front-desk-${pulumi.stack}"] });
        const text = await p.preview({ diff: true });
        // One resource changes, in place, in exactly these two properties.
        expect(text.stdout).toMatch(/~ 1 to update/);
        expect(text.stdout).not.toMatch(/to create|to delete|to replace/);
        const endpointStep = text.stdout.slice(text.stdout.indexOf(`~ ${tokenOf(s, "Endpoint")}: (update)`));
        expect(
          endpointStep
            .split("\n")
            .filter((l) => /^\s+[~+-] \w+\s*:/.test(l))
            .map((l) => l.trim().split(/\s*:/)[0]),
        ).toEqual(["~ alias", "~ password"]);
        expect(text.stdout).toMatch(/~ alias\s*: "desk-dev" => "front-desk-dev"/);
        expect(text.stdout).toMatch(/~ password\s*: \[secret\] => \[secret\]/);
        for (const pw of [PASSWORD, NEW_PASSWORD]) expect(text.stdout + text.stderr).not.toContain(pw);

        expect((await p.up()).stdout).toMatch(/~ 1 updated/);
        const [endpoint] = (await s.emulator.state()).endpoints;
        expect(endpoint).toMatchObject({ username: dev.sipUsername, alias: "front-desk-dev", password_md5: md5(NEW_PASSWORD) });
        await p.preview({ expectNoChanges: true });
        expectInNoOutput(s, [NEW_PASSWORD]);
      },
      STEP_TIMEOUT_MS,
    );

    it(
      "destroy leaves nothing: the number unrented once, the subaccount gone; the main token is nowhere",
      async () => {
        const p = s.project;
        await expectTokenNowhere(s);
        await p.destroy();
        expect(await plivoResources(p)).toEqual([]);
        await expectNothingLeft(s);
        expect(Object.keys(await expectLedgerBalanced(s.emulator))).toEqual(dev.phoneNumbers);
      },
      STEP_TIMEOUT_MS,
    );
  });
}
