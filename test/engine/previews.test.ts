/**
 * What `pulumi preview` tells, through the real CLI (examples/quickstart, one project for every step): each warning
 * about money or an irreversible action on its resource's row, the credentials check before any plan (and the
 * offline setting), adoptions looked up read-only, every error of a resource at once and on one line each, with no
 * stack trace and no credential; a failed `up` keeping the stack outputs; what a delete says once it has happened.
 */
import * as net from "node:net";
import { describe, expect, it } from "vitest";
import { diagnostics, expectNoStackTrace, previewJson } from "./diagnostics";
import { appendToProgram, plivoApi, STEP_TIMEOUT_MS, useExampleProject } from "./emulatorFixture";
import type { RunResult } from "./harness";

/** A number's purchase, priced from the emulator's account (the first month depends on today's date). */
const RENTS = expect.stringMatching(
  /^Creating it rents a local US number: \$\d+\.\d\d setup, \$\d+\.\d\d for the rest of this month \(\d+\/30 days\), then \$0\.50\/month$/,
);
const RENTS_EXACT =
  "Creating it rents a number: a one-time setup fee, the rest of this month, then a monthly rental (amounts unknown: several prices fit " +
  "($0.50 setup, $0.50/month; $0.00 setup, $0.50/month): the number's capabilities decide; `pulumi-plivo cost` looks it up)";
const RENTS_OFFLINE =
  "Creating it rents a number: a one-time setup fee, the rest of this month, then a monthly rental (amounts unknown: offline preview (plivo:previewOffline))";

describe.sequential("previews with the Pulumi CLI", () => {
  const s = useExampleProject("quickstart", { config: { areaCode: "415" } });
  const accountChecks = async () =>
    ((await s.emulator.control("GET", "requests")).body as { method: string; path: string }[]).filter((r) => /\/v1\/Account\/[^/]+\/$/.test(r.path));
  const apiRequests = async () => ((await s.emulator.control("GET", "requests")).body as unknown[]).length;

  it(
    "a first preview announces the purchase on the PhoneNumber, checks the credentials once, and writes nothing",
    async () => {
      await s.emulator.control("DELETE", "requests");
      const { code, json } = await previewJson(s.project);
      expect(code).toBe(0);
      expect(diagnostics(json)).toEqual([{ resource: "PhoneNumber::support-line", severity: "warning", message: RENTS }]);
      // One credentials check for the whole run, and nothing but reads.
      expect(await accountChecks()).toHaveLength(1);
      const methods = ((await s.emulator.control("GET", "requests")).body as { method: string }[]).map((r) => r.method);
      expect(new Set(methods)).toEqual(new Set(["GET"]));
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "a wrong or missing token fails the preview on one line, as an up would; plivo:previewOffline previews without the API",
    async () => {
      const p = s.project;
      await p.setConfig("plivo:authToken", "not-the-token-0123", { secret: true });
      const wrong = await previewJson(p);
      expect(wrong.code).not.toBe(0);
      const cause = `credentials check failed: 401 Authentication credentials invalid; check plivo:authId and plivo:authToken (or PLIVO_AUTH_ID / PLIVO_AUTH_TOKEN)`;
      expect(diagnostics(wrong.json)).toEqual([{ resource: "Application::support", severity: "error", message: `Plivo: ${cause}` }]);
      expect(wrong.result.stdout + wrong.result.stderr).not.toContain("not-the-token-0123");
      expectNoStackTrace(wrong.result);

      await p.run(["config", "rm", "plivo:authToken", "--stack", p.stack]);
      const missing = await previewJson(p);
      expect(missing.code).not.toBe(0);
      expect(diagnostics(missing.json)).toEqual([
        {
          resource: "Application::support",
          severity: "error",
          message:
            'Missing Plivo credentials: "plivo:authToken" (env PLIVO_AUTH_TOKEN) is not set; set it with `pulumi config set --secret plivo:authToken <value>` ' +
            "or the PLIVO_AUTH_TOKEN environment variable; to preview without calling Plivo, set plivo:previewOffline true",
        },
      ]);

      await p.setConfig("plivo:previewOffline", "true");
      await s.emulator.control("DELETE", "requests");
      const offline = await previewJson(p);
      expect(offline.code).toBe(0);
      expect(diagnostics(offline.json)).toEqual([{ resource: "PhoneNumber::support-line", severity: "warning", message: RENTS_OFFLINE }]);
      expect(await apiRequests()).toBe(0);

      await p.run(["config", "rm", "plivo:previewOffline", "--stack", p.stack]);
      await p.setConfig("plivo:authToken", s.token, { secret: true });
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "a failed up names the resource and the cause on one line, and keeps the stack outputs",
    async () => {
      const p = s.project;
      await p.up();
      const outputs = await p.outputs();
      const remove = appendToProgram(p, `new plivo.PhoneNumber("nowhere", { search: { countryIso: "US", type: "local", pattern: "999" } });`);
      try {
        const failed = await p.up({ allowFailure: true });
        expect(failed.code).not.toBe(0);
        expect(failed.stdout).toContain(`error: PhoneNumber "nowhere": no number available for search {"countryIso":"US","pattern":"999","type":"LOCAL"}`);
        expectNoStackTrace(failed);
        // The program stopped at the failed resource, so it never registered the outputs: the state keeps them (CLIs
        // before 3.250 listed them as removed in the summary, pulumi/pulumi#15755).
        expect(await p.outputs()).toEqual(outputs);
      } finally {
        remove();
      }
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "an adoption says what it will change; a field that cannot change fails the preview",
    async () => {
      const p = s.project;
      const made = await plivoApi(s, "POST", "Application/", { app_name: "legacy-ivr", answer_url: "https://legacy.example.com/answer" });
      const id = String(made.app_id);
      const declare = (appName: string, adoptId: string) =>
        appendToProgram(p, `new plivo.Application("legacy", { appName: "${appName}", answerUrl: "https://legacy.example.com/v2", adoptId: "${adoptId}" });`);

      let remove = declare("legacy-ivr", id);
      const before = await apiRequests();
      const ok = await previewJson(p);
      remove();
      expect(diagnostics(ok.json)).toEqual([
        {
          resource: "Application::legacy",
          severity: "warning",
          message: `Adopts existing Application ${id} instead of creating one, and updates answerUrl ("https://legacy.example.com/answer" → "https://legacy.example.com/v2")`,
        },
      ]);
      const during = ((await s.emulator.control("GET", "requests")).body as { method: string }[]).slice(before);
      expect(during.filter((r) => r.method !== "GET")).toEqual([]);

      remove = declare("renamed-ivr", id);
      const mismatch = await previewJson(p);
      remove();
      expect(mismatch.code).not.toBe(0);
      expect(diagnostics(mismatch.json)).toEqual([
        {
          resource: "Application::legacy",
          severity: "error",
          message:
            `pulumi-nodejs:dynamic/plivo:Application resource 'legacy' has a problem: appName: cannot change on the existing Application ${id}, ` +
            `which has "legacy-ivr"; declare that value, or drop adoptId to create a new one (got "renamed-ivr")`,
        },
      ]);
      // (An adoptId that does not exist fails the same way: test/provider/preview.test.ts.)
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "replacing a number announces the unrent with Plivo's reserve and reclaim windows; removing one cannot be announced, its delete says it",
    async () => {
      const p = s.project;
      const [a, b] = ((await plivoApi(s, "GET", "PhoneNumber/?country_iso=US&type=local&pattern=646")).objects as { number: string }[]).map((o) => o.number);
      let remove = appendToProgram(p, `new plivo.PhoneNumber("fixed", { number: "+${a}" });`);
      await p.up();
      remove();
      remove = appendToProgram(p, `new plivo.PhoneNumber("fixed", { number: "+${b}" });`);
      const replace = await previewJson(p);
      remove();
      expect(diagnostics(replace.json)).toEqual(
        expect.arrayContaining([
          {
            resource: "PhoneNumber::fixed",
            severity: "warning",
            message:
              `Replacing it (number changed) creates the new one first, then unrents ${a}, which cannot be undone: Plivo holds an unrented number for ` +
              "10 days, reclaimable in the console only during the first 5 (billed as a new purchase), then returns it to the carrier; the monthly bill goes down by $0.50",
          },
          // An exact number: Pricing has two rates for US local numbers and a row never searches (checks stay instant).
          { resource: "PhoneNumber::fixed", severity: "warning", message: RENTS_EXACT },
          {
            resource: "PhoneNumber::fixed",
            severity: "info",
            message: expect.stringMatching(
              new RegExp(`^Replaced because number "${a}" → "${b}" cannot change in place; the new PhoneNumber's outputs \\(.+\\) are known only after up$`),
            ),
          },
        ]),
      );
      expect(diagnostics(replace.json)).toHaveLength(3);

      // Removed from the program: the engine plans the delete without asking the provider, so nothing can be said.
      const removal = await previewJson(p);
      expect(removal.json.changeSummary).toMatchObject({ delete: 1 });
      expect(diagnostics(removal.json)).toEqual([]);
      const up = await p.up();
      expect(up.stdout).toContain(`warning: Deleted: unrents ${a}, which cannot be undone: Plivo holds an unrented number for 10 days`);
      expect(up.stdout).toContain("then returns it to the carrier; the monthly bill goes down by $0.50");
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "bad input: every error of the resource at once, one line each, no stack trace, no credential",
    async () => {
      const p = s.project;
      const remove = appendToProgram(
        p,
        `new plivo.Application("bad", { appName: "bad name", answerUrl: "https://hook:s3cr3t-pw@example.com/a", answerMethod: "PUT", colour: "blue" } as any);`,
      );
      const bad = await previewJson(p);
      remove();
      expect(bad.code).not.toBe(0);
      const prefix = "pulumi-nodejs:dynamic/plivo:Application resource 'bad' has a problem: ";
      expect(diagnostics(bad.json)).toEqual(
        [
          `colour: is not an input of plivo.Application`,
          `appName: may contain only letters, digits, '-' and '_' (got "bad name")`,
          `answerUrl: must not carry credentials (user:password@)`,
          `answerMethod: must be one of GET, POST (got "PUT")`,
        ].map((start) => ({ resource: "Application::bad", severity: "error", message: expect.stringMatching(`^${escapeRegExp(prefix + start)}`) })),
      );
      for (const d of diagnostics(bad.json)) expect(d.message).not.toMatch(/\n/);
      expect(bad.result.stdout + bad.result.stderr).not.toContain("s3cr3t-pw");
      expectNoStackTrace(bad.result);
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "an API that never answers, or refuses connections, fails preview, up and refresh within plivo:timeoutSeconds, naming the base URL",
    async () => {
      const p = s.project;
      // Accepts connections and never answers: what a hung API or a wrong port behind a firewall looks like.
      const held: net.Socket[] = [];
      const hung = net.createServer((socket) => void held.push(socket));
      await new Promise<void>((resolve) => hung.listen(0, "127.0.0.1", resolve));
      const hungUrl = `http://127.0.0.1:${(hung.address() as net.AddressInfo).port}`;
      // A port nobody listens on.
      const gone = net.createServer();
      await new Promise<void>((resolve) => gone.listen(0, "127.0.0.1", resolve));
      const goneUrl = `http://127.0.0.1:${(gone.address() as net.AddressInfo).port}`;
      await new Promise<void>((resolve) => gone.close(() => resolve()));

      const TIMEOUT = 3;
      const figures: string[] = [];
      /** Runs a command against `url`; returns its one error line and the seconds the client says it spent. */
      const failing = async (what: string, url: string, run: () => Promise<RunResult>, pattern: RegExp) => {
        await p.setConfig("plivo:baseUrl", url);
        const started = Date.now();
        const res = await run();
        const wall = (Date.now() - started) / 1000;
        expect(res.code, res.stdout).not.toBe(0);
        const line = (res.stdout.match(/error: (Plivo|Application|PhoneNumber)\b.*$/m) ?? [""])[0];
        expect(line, res.stdout).toMatch(pattern);
        expectNoStackTrace(res);
        const spent = Number(/ in ([\d.]+) s;/.exec(line)?.[1]);
        expect(spent).toBeLessThanOrEqual(TIMEOUT + 0.5);
        figures.push(`${what}: the client gave up after ${spent} s (plivo:timeoutSeconds ${TIMEOUT}); the whole CLI command took ${wall.toFixed(1)} s`);
      };
      try {
        await p.setConfig("plivo:timeoutSeconds", String(TIMEOUT));
        const noAnswer = (op: string) =>
          new RegExp(
            `^error: ${op} failed: no response from the Plivo API at ${escapeRegExp(hungUrl)} within 3 s \\(plivo:timeoutSeconds\\), after \\d+ attempts? in [\\d.]+ s; check plivo:baseUrl`,
          );
        await failing("preview, hung API", hungUrl, () => p.preview({ allowFailure: true }), noAnswer("Plivo: credentials check"));
        await failing("up, hung API", hungUrl, () => p.up({ allowFailure: true }), noAnswer("Plivo: credentials check"));
        await failing(
          "refresh, hung API",
          hungUrl,
          () => p.refresh({ allowFailure: true }),
          noAnswer(`(Application "support": read application \\d+|PhoneNumber "support-line": read number \\d+)`),
        );
        await failing(
          "preview, refused",
          goneUrl,
          () => p.preview({ allowFailure: true }),
          new RegExp(
            `^error: Plivo: credentials check failed: cannot reach the Plivo API at ${escapeRegExp(goneUrl)} \\(connection refused\\) after \\d+ attempts? in [\\d.]+ s; check plivo:baseUrl`,
          ),
        );
      } finally {
        await p.setConfig("plivo:baseUrl", s.emulator.emu.url);
        await p.run(["config", "rm", "plivo:timeoutSeconds", "--stack", p.stack]);
        for (const socket of held) socket.destroy();
        await new Promise<void>((resolve) => hung.close(() => resolve()));
      }
      console.log(`[timeouts]\n${figures.join("\n")}`);
      // The failed up and refresh recorded the hung URL with the stack's default provider, which destroy would use:
      // a successful run records the emulator's again.
      await p.up({ expectNoChanges: true });
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "destroy says what unrenting the number means, once it is done",
    async () => {
      const res = await s.project.destroy();
      const number = (await s.emulator.state()).ledger.filter((e: any) => e.action === "unrent").pop()?.number;
      expect(res.stdout).toContain(`warning: Deleted: unrents ${number}, which cannot be undone`);
    },
    STEP_TIMEOUT_MS,
  );
});

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
