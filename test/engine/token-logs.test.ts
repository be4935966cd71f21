/**
 * Where the auth token really goes (docs/configuration.md): Pulumi's gRPC debug file (`PULUMI_DEBUG_GRPC`) records
 * the stack configuration in clear text, token included (its verbose log, `-v=9 --logflow`, no longer does since the
 * CLI's structured logs); with the token in `PLIVO_AUTH_TOKEN` instead (and one `up` to replace the configuration the
 * state recorded) neither holds it. Also which token `pulumi refresh` uses: the one the last `up` recorded, unless
 * `--run-program`.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { STEP_TIMEOUT_MS, useExampleProject } from "./emulatorFixture";
import { REPO_ROOT } from "./harness";

const VERBOSE = ["-v=9", "--logflow", "--logtostderr"];
/** A line only the engine's verbose log has (its deployment executor at work). */
const VERBOSE_LOG = /deploymentExecutor\.Execute/;

describe.sequential("the auth token in Pulumi's own logs", () => {
  const s = useExampleProject("numbers", { programDir: path.join(REPO_ROOT, "test", "engine", "programs", "numbers"), config: { count: "1" } });

  it(
    "with the token in the stack config, PULUMI_DEBUG_GRPC records it in clear text; -v=9 --logflow does not print it",
    async () => {
      const p = s.project;
      await p.up();
      const grpc = path.join(p.dir, "..", "grpc-config.json");
      const run = await p.run(["preview", "--stack", p.stack, "--non-interactive", ...VERBOSE], { env: { PULUMI_DEBUG_GRPC: grpc } });
      expect(run.stdout + run.stderr).toMatch(VERBOSE_LOG); // the verbose log is really there
      expect((run.stdout + run.stderr).includes(s.token)).toBe(false);
      expect(fs.readFileSync(grpc, "utf8")).toMatch(/\/pulumirpc\.ResourceProvider\/Configure/);
      expect(fs.readFileSync(grpc, "utf8").includes(s.token)).toBe(true);
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "refresh uses the token the last up recorded; --run-program uses the current config",
    async () => {
      const p = s.project;
      await p.setConfig("plivo:authToken", "rotated-but-wrong", { secret: true });
      await p.refresh({ expectNoChanges: true });
      const current = await p.run(["refresh", "--yes", "--skip-preview", "--run-program", "--stack", p.stack, "--non-interactive"], { allowFailure: true });
      expect(current.code).not.toBe(0);
      expect(current.stdout).toMatch(/401 Authentication credentials invalid/);
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "with PLIVO_AUTH_TOKEN and one up, neither the verbose logs, the gRPC debug file nor the state hold it",
    async () => {
      const p = s.project;
      await p.run(["config", "rm", "plivo:authToken", "--stack", p.stack]);
      const env = { PLIVO_AUTH_TOKEN: s.token };
      await p.up({ env });
      const grpc = path.join(p.dir, "..", "grpc-env.json");
      const run = await p.run(["preview", "--stack", p.stack, "--non-interactive", "--expect-no-changes", ...VERBOSE], {
        env: { ...env, PULUMI_DEBUG_GRPC: grpc },
      });
      expect(run.stdout + run.stderr).toMatch(VERBOSE_LOG); // the verbose log is really there
      expect((run.stdout + run.stderr).includes(s.token)).toBe(false);
      expect(fs.readFileSync(grpc, "utf8").includes(s.token)).toBe(false);
      expect(JSON.stringify(await p.exportStack({ showSecrets: true })).includes(s.token)).toBe(false);
      // And refresh uses the current environment.
      await p.refresh({ expectNoChanges: true, env });
    },
    STEP_TIMEOUT_MS,
  );
});
