/**
 * The line a new user reads for a mistake, in both forms of the provider, through the real CLI: a plain JavaScript
 * program (test/engine/programs/mistakes, no type checker to catch anything) makes one mistake chosen by config. Each
 * error is one line on the resource's row naming the input and the rule, with the path once and the value as written,
 * in the same words in both forms; no stack trace and no colour codes, with NO_COLOR=1 and without (the CLI's output
 * is a pipe here, never a TTY). About a minute: eight previews of a one-resource program.
 */
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { diagnostics, expectNoStackTrace, previewJson } from "./diagnostics";
import { STEP_TIMEOUT_MS, useExampleProject } from "./emulatorFixture";
import { REPO_ROOT } from "./harness";

const FORMS = { plugin: "plivo:index:", dynamic: "pulumi-nodejs:dynamic/plivo:" } as const;
type Form = keyof typeof FORMS;

describe.sequential("error messages of both forms with the Pulumi CLI", () => {
  const s = useExampleProject("mistakes", {
    programDir: path.join(REPO_ROOT, "test/engine/programs/mistakes"),
    config: { form: "plugin", mistake: "nested-typo" },
  });

  /** The diagnostics of a preview of `mistake` in `form`; it must fail. */
  const previewOf = async (form: Form, mistake: string) => {
    await s.project.setConfig("form", form);
    await s.project.setConfig("mistake", mistake);
    const { code, json, result } = await previewJson(s.project);
    expect(code, result.stdout).not.toBe(0);
    expectNoStackTrace(result);
    return diagnostics(json);
  };

  /** The one error `form` must show for `mistake` on the row of `Type::name`. */
  const expectOneLine = async (form: Form, mistake: string, resource: string, reason: string) => {
    const [type, name] = resource.split("::");
    expect(await previewOf(form, mistake)).toEqual([
      { resource, severity: "error", message: `${FORMS[form]}${type} resource '${name}' has a problem: ${reason}` },
    ]);
  };

  it(
    "a typo'd key inside a nested input: the path once, in the same words in both forms",
    async () => {
      const reason = "search.areaCode: is not a field of search (fields: countryIso, type, pattern, region, services)";
      for (const form of ["plugin", "dynamic"] as const) await expectOneLine(form, "nested-typo", "PhoneNumber::line", reason);
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "a bad value inside a nested input: the value as written, never the engine's {<nil>}",
    async () => {
      const reason = 'search.countryIso: must be an ISO 3166 alpha-2 country code such as US (got "XX")';
      for (const form of ["plugin", "dynamic"] as const) await expectOneLine(form, "nested-value", "PhoneNumber::line", reason);
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "a required input left out of a JavaScript program: one line naming the resource and the input, no stack, no colour",
    async () => {
      for (const form of ["plugin", "dynamic"] as const) await expectOneLine(form, "missing-required", "Application::inbound", "appName: is required");

      // What the user sees in the terminal, the plugin form (its constructors used to throw, printed as an unhandled
      // exception with a coloured stack trace even with NO_COLOR=1).
      await s.project.setConfig("form", "plugin");
      for (const env of [{ NO_COLOR: "1" }, {}]) {
        const res = await s.project.preview({ allowFailure: true, env });
        expect(res.code).not.toBe(0);
        const all = res.stdout + res.stderr;
        expect(all).not.toContain("\u001b[");
        expect(all).not.toMatch(/unhandled exception/);
        expectNoStackTrace(res);
        const errors = all.split("\n").filter((l) => /^\s*error: /.test(l));
        expect(new Set(errors.map((l) => l.trim()))).toEqual(
          new Set(["error: plivo:index:Application resource 'inbound' has a problem: appName: is required"]),
        );
      }
    },
    STEP_TIMEOUT_MS,
  );
});
