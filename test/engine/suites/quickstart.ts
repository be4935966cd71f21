/**
 * examples/quickstart through the real Pulumi CLI, written once and run per variant (quickstart-*.test.ts): the
 * TypeScript program with the dynamic classes, with the plugin's classes, and the Pulumi YAML program through the real
 * YAML language host. Up, no-change preview and refresh, in-place edits, a replacement naming its property, search
 * criteria used once, bad input named before anything is sent, bringing objects created outside Pulumi under
 * management (adoptId for the dynamic classes; `pulumi import` with the generated code pasted back, and the `import`
 * option, for the plugin), drift, the token nowhere, destroy with the ledger.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import {
  addToProgram,
  buyNumberOutOfBand,
  edit,
  expectEngineImportUnsupported,
  expectNothingLeft,
  expectOnlyUpdates,
  expectReplacedFor,
  expectTokenNowhere,
  pasteGenerated,
  plivoApi,
  plivoResources,
  resourceIds,
  STEP_TIMEOUT_MS,
  tokenOf,
  useExampleProject,
  type Variant,
} from "../emulatorFixture";
import { ensurePluginArchive } from "../harness-setup";
import { detailedDiffOf, expectImported, mutations } from "../pluginFixture";
import { diagnostics } from "../diagnostics";
import { shellBlocks } from "../markdown";
import { expectLedgerBalanced, ledger } from "../../helpers/ledger";

/** `smoke`: only up (with the no-change preview and refresh) and destroy — what the toolchain legs run. */
export function quickstartSuite(variant: Variant, opts: { smoke?: boolean } = {}): void {
  const full = !opts.smoke;
  describe.sequential(`examples/quickstart (${variant}${opts.smoke ? ", smoke" : ""})`, () => {
    const s = useExampleProject("quickstart", { variant, config: { areaCode: "415" } });
    let appId = "";
    let number = "";
    let upgraded: { marker: string; expected: Served[] } | undefined;

    it(
      "up buys a 415 number wired to the application; preview and refresh then show no changes",
      async () => {
        const p = s.project;
        expect((await p.up()).stdout).toMatch(/\+ 3 created/);
        const outputs = await p.outputs();
        appId = outputs.applicationId;
        number = outputs.phoneNumber;
        expect(number).toMatch(/^1415\d{7}$/);
        expect(outputs.numberRegion).toMatch(/CALIFORNIA/i);

        const app = await plivoApi(s, "GET", `Application/${appId}/`);
        expect(app).toMatchObject({ app_name: "support-dev", answer_url: "https://example.com/voice/answer", message_url: "https://example.com/sms/inbound" });
        const acct = await plivoApi(s, "GET", `Number/${number}/`);
        expect(acct).toMatchObject({ alias: "support-dev" });
        expect(String(acct.application)).toContain(appId);
        expect(await resourceIds(p)).toEqual({ "Application::support": appId, "PhoneNumber::support-line": number });
        const types: string[] = (await p.exportStack()).deployment.resources.map((r: any) => r.type);
        expect(types).toEqual(expect.arrayContaining([tokenOf(s, "Application"), tokenOf(s, "PhoneNumber")]));
        if (s.form === "plugin") {
          expect(types).toContain("pulumi:providers:plivo");
          expect(types.filter((t) => t.startsWith("pulumi-nodejs"))).toEqual([]);
        }
        await p.preview({ expectNoChanges: true });
        await p.refresh({ expectNoChanges: true });
      },
      STEP_TIMEOUT_MS,
    );

    if (full) {
      it(
        "changing a URL and an alias updates both in place, keeping their ids (up as docs/performance.md runs large stacks)",
        async () => {
          const p = s.project;
          edit(s, {
            ts: [`messageUrl: "https://example.com/sms/inbound"`, `messageUrl: "https://example.com/sms/inbound-v2"`],
            yaml: ["messageUrl: https://example.com/sms/inbound", "messageUrl: https://example.com/sms/inbound-v2"],
          });
          // Only the application: the number refers to it by id, which a preview of an in-place update keeps known.
          expectOnlyUpdates((await p.preview({ json: true })).json, ["Application::support"]);

          edit(s, {
            ts: ["alias: `support-${stack}`", "alias: `support-line-${stack}`"],
            yaml: ["alias: support-${pulumi.stack}", "alias: support-line-${pulumi.stack}"],
          });
          const preview = await p.preview({ json: true });
          expectOnlyUpdates(preview.json, ["Application::support", "PhoneNumber::support-line"]);
          if (s.form === "plugin") {
            expect(detailedDiffOf(preview.json, "support")).toEqual({ messageUrl: "update" });
            expect(detailedDiffOf(preview.json, "support-line")).toEqual({ alias: "update" });
          }
          const text = await p.preview({ diff: true });
          expect(text.stdout).toMatch(/~ messageUrl\s*: "https:\/\/example\.com\/sms\/inbound" => "https:\/\/example\.com\/sms\/inbound-v2"/);
          expect(text.stdout).toMatch(/~ alias\s*: "support-dev" => "support-line-dev"/);

          const before = await resourceIds(p);
          // Applied by docs/performance.md's command for large stacks, as written (no checkpoint until it ends).
          const [command] = shellBlocks("docs/performance.md");
          expect(command).toBe("PULUMI_SKIP_CHECKPOINTS=true pulumi up\n");
          const up = await p.runShell(command!, { env: { PULUMI_SKIP_CONFIRMATIONS: "true" } });
          expect(up.code, up.stdout + up.stderr).toBe(0);
          expect(up.stdout).toMatch(/~ 2 updated/);
          expect(up.stdout).not.toMatch(/replaced/);
          expect(await resourceIds(p)).toEqual(before);
          expect((await plivoApi(s, "GET", `Application/${appId}/`)).message_url).toBe("https://example.com/sms/inbound-v2");
          expect((await plivoApi(s, "GET", `Number/${number}/`)).alias).toBe("support-line-dev");
          await p.preview({ expectNoChanges: true });
        },
        STEP_TIMEOUT_MS,
      );

      it(
        "a new appName previews as a replacement of the application, naming appName; the number only follows it",
        async () => {
          const p = s.project;
          const undo = edit(s, {
            ts: ["appName: `support-${stack}`", "appName: `helpdesk-${stack}`"],
            yaml: ["appName: support-${pulumi.stack}", "appName: helpdesk-${pulumi.stack}"],
          });
          const preview = await p.preview({ json: true });
          expectReplacedFor(preview.json, "Application::support", "appName");
          // The number only follows the new app id (an update), it is never replaced.
          expect(preview.json.steps.find((x: any) => x.urn.endsWith("::support-line")).op).toBe("update");
          // Both forms send the detailed diff: the one input that forces the replacement, nothing else.
          expect(detailedDiffOf(preview.json, "support")).toEqual({ appName: "update-replace" });
          expect(diagnostics(preview.json).filter((d) => d.resource === "Application::support")).toEqual([
            {
              resource: "Application::support",
              severity: "info",
              message:
                'Replaced because appName "support-dev" → "helpdesk-dev" cannot change in place; the new Application\'s outputs (appId, sipUri, enabled, resourceUri) are known only after up',
            },
          ]);
          const text = await p.preview({ diff: true });
          const header = `+-${tokenOf(s, "Application")}: (replace)`;
          expect(text.stdout).toContain(header);
          // The application's block lists only appName as changed: its outputs are never shown as removed.
          const block = text.stdout.slice(text.stdout.indexOf(header)).split("\n").slice(1);
          const changed = block
            .slice(
              0,
              block.findIndex((l) => /: \((update|replace|create|delete|same)\)$/.test(l) || /^Resources:/.test(l)),
            )
            .filter((l) => /^\s+[-~+] \w/.test(l));
          expect(changed.map((l) => l.trim())).toEqual(['~ appName: "support-dev" => "helpdesk-dev"']);
          expect(text.stdout).not.toMatch(/^\s+- (appId|sipUri|resourceUri|enabled|hangupUrl)\s*:/m);
          undo();
          await p.preview({ expectNoChanges: true });
        },
        STEP_TIMEOUT_MS,
      );

      it(
        "another area code never replaces the number (search criteria are used once): no effect, said so, never an update",
        async () => {
          const p = s.project;
          await p.setConfig("areaCode", "212");
          const note = {
            resource: "PhoneNumber::support-line",
            severity: "info",
            message:
              'search.pattern "415" → "212": no effect on the existing PhoneNumber (search criteria only pick the number to buy, at create); the recorded value is kept',
          };
          try {
            await p.preview({ expectNoChanges: true });
            expect(diagnostics((await p.preview({ json: true })).json)).toEqual([note]);
            // With another edit of the number, only that edit is planned and shown.
            // (the alias is support-line-dev since the in-place edits above)
            const undo = edit(s, {
              ts: ["alias: `support-line-${stack}`", "alias: `support-desk-${stack}`"],
              yaml: ["alias: support-line-${pulumi.stack}", "alias: support-desk-${pulumi.stack}"],
            });
            try {
              const preview = await p.preview({ json: true });
              expectOnlyUpdates(preview.json, ["PhoneNumber::support-line"]);
              expect(detailedDiffOf(preview.json, "support-line")).toEqual({ alias: "update" });
              expect(diagnostics(preview.json)).toEqual([note]);
              const text = await p.preview({ diff: true });
              expect(text.stdout).toMatch(/~ alias\s*: "support-line-dev" => "support-desk-dev"/);
              expect(text.stdout).not.toMatch(/pattern\s*:/);
            } finally {
              undo();
            }
          } finally {
            await p.setConfig("areaCode", "415");
          }
        },
        STEP_TIMEOUT_MS,
      );

      it(
        "bad input fails the preview on one line naming the field and the rule, before any request that changes anything",
        async () => {
          const p = s.project;
          const before = await mutations(s);
          const undo = edit(s, {
            ts: [`answerUrl: "https://example.com/voice/answer"`, `answerUrl: "ftp://example.com/voice/answer"`],
            yaml: ["answerUrl: https://example.com/voice/answer", "answerUrl: ftp://example.com/voice/answer"],
          });
          try {
            const failed = await p.preview({ allowFailure: true });
            expect(failed.code).not.toBe(0);
            expect(failed.stdout).toContain(`answerUrl: must be an http(s) URL (got "ftp://example.com/voice/answer")`);
            expect(failed.stdout + failed.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
          } finally {
            undo();
          }
          expect(await mutations(s)).toEqual(before);
        },
        STEP_TIMEOUT_MS,
      );

      if (s.form === "dynamic") {
        it(
          "brings an application and a number created outside Pulumi under management with adoptId; then no changes",
          async () => {
            const p = s.project;
            const created = await plivoApi(s, "POST", "Application/", { app_name: "legacy-ivr", answer_url: "https://legacy.example.com/answer" });
            const legacyId = String(created.app_id);
            const declaration = `new plivo.Application("legacy-ivr", { appName: "legacy-ivr", answerUrl: "https://legacy.example.com/answer", messageUrl: "https://legacy.example.com/sms" }`;
            // Both engine import routes fail for dynamic providers (DYNAMIC_IMPORT_ERROR): a tripwire for the day they work.
            await expectEngineImportUnsupported(p, "Application", "legacy-ivr", legacyId, declaration);

            // The provider's way: adoptId. Create takes the existing object over (and applies the declared messageUrl).
            const creates = (await ledger(s.emulator)).filter((e) => e.action === "create" && e.resource === "Application").length;
            addToProgram(s, { ts: `${declaration.slice(0, -2)}, adoptId: "${legacyId}" });`, yaml: "" });
            expect((await p.up()).stdout).toMatch(/\+ 1 created/);
            expect((await resourceIds(p))["Application::legacy-ivr"]).toBe(legacyId);
            expect((await ledger(s.emulator)).filter((e) => e.action === "create" && e.resource === "Application")).toHaveLength(creates);
            expect((await plivoApi(s, "GET", `Application/${legacyId}/`)).message_url).toBe("https://legacy.example.com/sms");
            await p.preview({ expectNoChanges: true });
            await p.refresh({ expectNoChanges: true });

            // A number already rented in the account is adopted by a PhoneNumber that names it: never bought twice.
            const legacyNumber = await buyNumberOutOfBand(s, "country_iso=US&type=local&pattern=212&services=sms");
            addToProgram(s, { ts: `new plivo.PhoneNumber("legacy-line", { number: "+${legacyNumber}", alias: "legacy", appId: "${legacyId}" });`, yaml: "" });
            expect((await p.up()).stdout).toMatch(/\+ 1 created/);
            expect((await resourceIds(p))["PhoneNumber::legacy-line"]).toBe(legacyNumber);
            const acct = await plivoApi(s, "GET", `Number/${legacyNumber}/`);
            expect(acct.alias).toBe("legacy");
            expect(String(acct.application)).toContain(legacyId);
            await p.preview({ expectNoChanges: true });
          },
          STEP_TIMEOUT_MS,
        );
      } else {
        it(
          "pulumi import prints the program code of objects created outside Pulumi; pasted back, the preview shows no changes",
          async () => {
            const p = s.project;
            const created = await plivoApi(s, "POST", "Application/", { app_name: "legacy-ivr", answer_url: "https://legacy.example.com/answer" });
            const legacyId = String(created.app_id);
            const legacyNumber = await buyNumberOutOfBand(s, "country_iso=US&type=local&pattern=212&services=sms");
            const before = await mutations(s);

            // Default code generation: TypeScript through the project's Node.js language host, YAML through the real one.
            const generated = path.join(p.dir, "..", `generated.${s.language}`);
            await p.import("plivo:index:Application", "legacy-ivr", legacyId, { out: generated });
            const code = fs.readFileSync(generated, "utf8");
            if (s.language === "ts") {
              expect(code).toContain(`import * as plivo from "pulumi-plivo/plugin";`);
              expect(code).toMatch(/new plivo\.Application\("legacy-ivr", \{/);
            } else {
              expect(code).toMatch(/^resources:\n {2}legacy-ivr:\n {4}type: plivo:(index:)?Application\n/);
            }
            expect(code).toContain("appName: ");
            pasteGenerated(s, code);

            await p.import("plivo:index:PhoneNumber", "legacy-line", `+1 ${legacyNumber.slice(1)}`, { out: generated });
            expect((await resourceIds(p))["PhoneNumber::legacy-line"]).toBe(legacyNumber);
            pasteGenerated(s, fs.readFileSync(generated, "utf8"));
            await p.preview({ expectNoChanges: true });
            await expectImported(p, ["Application::legacy-ivr", "PhoneNumber::legacy-line"]);
            expect(await mutations(s)).toEqual(before);
          },
          STEP_TIMEOUT_MS,
        );

        if (s.language === "yaml") {
          it(
            "the plugin named by packages: in Pulumi.yaml (the unpacked archive), with none installed, serves the program too",
            async () => {
              const p = s.project;
              const dir = path.join(p.dir, "..", "plivo-plugin");
              fs.mkdirSync(dir, { recursive: true });
              execFileSync("tar", ["-xzf", await ensurePluginArchive(), "-C", dir]);
              await p.run(["plugin", "rm", "resource", "plivo", "--all", "--yes"]);
              const program = path.join(p.dir, "Pulumi.yaml");
              const before = fs.readFileSync(program, "utf8");
              fs.appendFileSync(program, `packages:\n  plivo: ${dir}\n`);
              try {
                expect((await p.run(["plugin", "ls", "--json"])).stdout).not.toContain('"plivo"');
                await p.preview({ expectNoChanges: true });
              } finally {
                fs.writeFileSync(program, before);
                await p.installPlugin();
              }
            },
            STEP_TIMEOUT_MS,
          );
        }

        it(
          "the import resource option takes an existing application over at up; then no changes",
          async () => {
            const p = s.project;
            const created = await plivoApi(s, "POST", "Application/", { app_name: "legacy-sms", answer_url: "https://legacy.example.com/sms-answer" });
            const id = String(created.app_id);
            const before = await mutations(s);
            addToProgram(s, {
              ts: `new plivo.Application("legacy-sms", { appName: "legacy-sms", answerUrl: "https://legacy.example.com/sms-answer" }, { import: "${id}" });`,
              yaml: `  legacy-sms:\n    type: plivo:index:Application\n    properties: { appName: legacy-sms, answerUrl: "https://legacy.example.com/sms-answer" }\n    options: { import: "${id}" }\n`,
            });
            const preview = await p.preview({ json: true });
            expect(preview.json.steps.find((x: any) => x.urn.endsWith("::legacy-sms")).op).toBe("import");
            expect((await p.up()).stdout).toMatch(/= 1 imported/);
            expect((await resourceIds(p))["Application::legacy-sms"]).toBe(id);
            expect(await mutations(s)).toEqual(before);
            await p.preview({ expectNoChanges: true });
          },
          STEP_TIMEOUT_MS,
        );
      }

      it(
        "an application deleted outside Pulumi is dropped by refresh and recreated by up",
        async () => {
          const p = s.project;
          await plivoApi(s, "DELETE", `Application/${appId}/`);
          await p.refresh();
          const afterRefresh = await plivoResources(p);
          expect(afterRefresh.map((r) => r.name)).not.toContain("support");
          // Plivo detached the number from the deleted application; refresh saw that too.
          expect(afterRefresh.find((r) => r.name === "support-line")?.outputs.appId ?? null).toBeNull();

          expect((await p.up()).stdout).toMatch(/\+ 1 created/);
          const ids = await resourceIds(p);
          expect(ids["Application::support"]).toMatch(/^\d+$/);
          expect(ids["Application::support"]).not.toBe(appId);
          expect(ids["PhoneNumber::support-line"]).toBe(number);
          appId = ids["Application::support"]!;
          expect(String((await plivoApi(s, "GET", `Number/${number}/`)).application)).toContain(appId);
          await p.preview({ expectNoChanges: true });
        },
        STEP_TIMEOUT_MS,
      );

      if (s.form === "dynamic") {
        // Dynamic resources store a closure that requires the installed package: a later build must serve them.
        it(
          "a newer build of the package, installed after up, refreshes (and below destroys) what the old one created",
          async () => {
            const p = s.project;
            const resources = await plivoResources(p);
            // The stored provider is the type and a require of the installed package's methods, never the implementation.
            for (const r of resources) {
              expect(r.outputs.__provider).toContain(`Object.create(require("pulumi-plivo/dist/provider/dynamicMethods.js"))`);
              expect(r.outputs.__provider.length).toBeLessThan(500);
            }
            // State written by earlier builds stores a closure that requires runtime.js: the number is given one, and
            // this build refreshes and destroys it like the others (both layouts end in runtime.js, instrumented below).
            const exported = await p.exportStack();
            for (const r of exported.deployment.resources) {
              if (!String(r.type).endsWith(":PhoneNumber")) continue;
              const type = String(r.type).split(":").pop()!;
              r.inputs.__provider = r.outputs.__provider = closureOfEarlierBuilds(type);
            }
            const file = path.join(p.dir, "..", "earlier-layout.json");
            fs.writeFileSync(file, JSON.stringify(exported));
            await p.run(["stack", "import", "--file", file, "--stack", p.stack, "--non-interactive"]);
            expect((await plivoResources(p)).find((r) => r.type === "PhoneNumber")?.outputs.__provider).toContain(
              `require("pulumi-plivo/dist/provider/runtime.js")`,
            );

            const installed = path.join(p.dir, "node_modules", "pulumi-plivo");
            const oldVersion = JSON.parse(fs.readFileSync(path.join(installed, "package.json"), "utf8")).version;
            const marker = path.join(p.dir, "..", "upgrade-marker.jsonl");
            const staged = path.join(p.dir, "..", "pulumi-plivo-next");
            fs.cpSync(installed, staged, { recursive: true });
            const pkgFile = path.join(staged, "package.json");
            const pkg = JSON.parse(fs.readFileSync(pkgFile, "utf8"));
            pkg.version = `${oldVersion}-next.1`;
            fs.writeFileSync(pkgFile, JSON.stringify(pkg, null, 2));
            fs.appendFileSync(
              path.join(staged, "dist", "provider", "runtime.js"),
              `
    // engine test: the upgraded build records which code served read and remove.
    {
      const fs = require("node:fs");
      const version = require("../../package.json").version;
      for (const op of ["read", "remove"]) {
        const original = exports[op];
        exports[op] = function (type, name, id, ...rest) {
          fs.appendFileSync(${JSON.stringify(marker)}, JSON.stringify({ version, op, type, id }) + "\\n");
          return original.call(this, type, name, id, ...rest);
        };
      }
    }
    `,
            );
            fs.rmSync(installed, { recursive: true });
            fs.renameSync(staged, installed);

            await p.refresh({ expectNoChanges: true });
            const reads = fs
              .readFileSync(marker, "utf8")
              .trim()
              .split("\n")
              .map((l) => JSON.parse(l));
            upgraded = { marker, expected: resources.map((r) => ({ version: pkg.version, type: r.type, id: r.id! })).sort((a, b) => a.id.localeCompare(b.id)) };
            expect(served("read", reads)).toEqual(upgraded.expected);
          },
          STEP_TIMEOUT_MS,
        );
      }
    }

    it(
      "destroy unrents every number once; the auth token (a secret in the stack config) is nowhere",
      async () => {
        const p = s.project;
        const searched = await expectTokenNowhere(s);
        expect(searched.files).toBeGreaterThan(3);
        await p.run(["state", "unprotect", "--all", "--yes", "--stack", p.stack, "--non-interactive"]);
        const rented = (await plivoResources(p)).filter((r) => r.type === "PhoneNumber").map((r) => r.id!);
        await p.destroy();
        expect(await plivoResources(p)).toEqual([]);
        await expectNothingLeft(s);
        expect(Object.keys(await expectLedgerBalanced(s.emulator)).sort()).toEqual(rented.sort());
        // Numbers bought outside Pulumi (adopted or imported) were bought once each, by hand.
        expect((await ledger(s.emulator, { action: "buy" })).length).toBe(rented.length);
        await expectTokenNowhere(s);
        // Dynamic resources: the upgraded build served every delete.
        if (upgraded)
          expect(
            served(
              "remove",
              fs
                .readFileSync(upgraded.marker, "utf8")
                .trim()
                .split("\n")
                .map((l) => JSON.parse(l)),
            ),
          ).toEqual(upgraded.expected);
      },
      STEP_TIMEOUT_MS,
    );
  });
}

/**
 * The `__provider` that builds before dynamicMethods.js stored for a resource of `type`: an object of closures that
 * require runtime.js and pass the type (as `@pulumi/pulumi` serialized them).
 */
function closureOfEarlierBuilds(type: string): string {
  const method = (n: number, params: string, body: string) => `
function __f${n}(${params
    .split(", ")
    .filter(Boolean)
    .map((_, i) => `__${i}`)
    .join(", ")}) {
  return (function() {
    with({ ${type && n > 1 ? `type: ${JSON.stringify(type)}, ` : ""}this: undefined, arguments: undefined }) {

return (${params}) => ${body};

    }
  }).apply(undefined, undefined).apply(this, arguments);
}
`;
  return `exports.handler = __f0;

var __provider = {configure: __f1, check: __f2, diff: __f3, create: __f4, read: __f5, update: __f6, delete: __f7};
const runtime = require("pulumi-plivo/dist/provider/runtime.js");
${method(1, "req", "runtime.configure(req)")}${method(2, "olds, news", "runtime.check(type, undefined, olds, news)")}${method(3, "id, olds, news", "runtime.diff(type, undefined, id, olds, news)")}${method(4, "inputs", "runtime.create(type, undefined, inputs)")}${method(5, "id, props", "runtime.read(type, undefined, id, props ?? {})")}${method(6, "id, olds, news", "runtime.update(type, undefined, id, olds, news)")}${method(7, "id, props", "runtime.remove(type, undefined, id, props)")}
function __f0() {
  return (function() {
    with({ provider: __provider, this: undefined, arguments: undefined }) {

return () => provider;

    }
  }).apply(undefined, undefined).apply(this, arguments);
}
`;
}

type Served = { version: string; type: string; id: string };
/** The operations `op` the instrumented (upgraded) build recorded, sorted by id. */
const served = (op: string, entries: (Served & { op: string })[]): Served[] =>
  entries
    .filter((e) => e.op === op)
    .map(({ version, type, id }) => ({ version, type, id }))
    .sort((a, b) => a.id.localeCompare(b.id));
