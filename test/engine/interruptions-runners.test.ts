/**
 * Throwaway runners: a run killed while it buys or submits, recovered on a fresh runner — a new PULUMI_HOME (no
 * create journal), the same state backend and Plivo account — with the documented recovery (`pulumi cancel --yes`
 * after a killed CLI, then `pulumi up`, at most twice). Both forms (dynamic classes, plugin), CLI or provider
 * killed, and the PULUMI_SKIP_CHECKPOINTS mode (numbers and pool members: the killed run leaves nothing it created
 * in the state). After the recovery the ledger and the state agree: no orphan, no purchase or submission beyond
 * the declared ones, and the next preview shows no changes.
 *
 * CI runs a few seeded trials per mode; PLIVO_KILL_TRIALS=N runs N trials per mode and target (PLIVO_KILL_SEED
 * replays other kill points). Prints its figures.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { PulumiProject, REPO_ROOT } from "./harness";
import { STEP_TIMEOUT_MS, useExampleProject, type ExampleSession } from "./emulatorFixture";
import { alive, copyStack, processTree, reconcile, resetAccount, RunningCommand, seededRandom, signalIfAlive, sleep, until } from "./interrupt";

const SEED = Number(process.env.PLIVO_KILL_SEED ?? 20261203);
const TRIALS = Number(process.env.PLIVO_KILL_TRIALS ?? 1);
const DECLARED = 10;
const BUY_DELAY_MS = 700;
const PARALLEL = 4;

type Target = "cli" | "provider";
type Mode = "fresh" | "skip-checkpoints";

interface Trial {
  target: Target;
  mode: Mode;
  /** Kill once the ledger shows this many buys (or submissions)… */
  after: number;
  /** …plus this long. */
  extraMs: number;
}

function trials(modes: Mode[], maxAfter: number, delayMs: number, seedOffset: number): Trial[] {
  const rnd = seededRandom(SEED + seedOffset);
  const out: Trial[] = [];
  for (const mode of modes)
    for (const target of ["cli", "provider"] as Target[])
      for (let i = 0; i < TRIALS; i++) out.push({ mode, target, after: 1 + Math.floor(rnd() * maxAfter), extraMs: Math.floor(rnd() * delayMs) });
  return out;
}

const figures = {
  trials: 0,
  declared: 0,
  bought: 0,
  orphans: 0,
  extraBuys: 0,
  submissions: 0,
  doubleFees: 0,
  recoveryUps: 0,
  tookOver: 0,
  markerGapMs: [] as number[],
};

afterAll(() => {
  const gaps = [...figures.markerGapMs].sort((a, b) => a - b);
  console.log(
    `[interruptions-runners] seed ${SEED}: ${figures.trials} trials recovered on a fresh PULUMI_HOME: ${figures.bought} numbers bought for ${figures.declared} declared, ` +
      `orphans ${figures.orphans}, extra buys ${figures.extraBuys}; ${figures.submissions} paid submissions, double fees ${figures.doubleFees}; ` +
      `${figures.recoveryUps} recovery \`pulumi up\` runs; ${figures.tookOver} creates took over what the killed run left; ` +
      `buy → marker: median ${gaps.length ? gaps[Math.floor(gaps.length / 2)] : "-"} ms, max ${gaps.length ? gaps[gaps.length - 1] : "-"} ms over ${gaps.length} buys`,
  );
});

/** The provider process of a running `pulumi up`: the dynamic-provider host, or the plugin's Node process. */
function providerOf(cliPid: number, form: "dynamic" | "plugin"): number | undefined {
  const tree = processTree(cliPid).slice(1);
  const cmd = (pid: number) => {
    try {
      return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
    } catch {
      return "";
    }
  };
  const match = tree.filter((pid) => (form === "dynamic" ? /node .*dynamic-provider/.test(cmd(pid)) : /node .*pulumi-resource-plivo/.test(cmd(pid))));
  return match[match.length - 1];
}

type Ledger = { action: string; resource?: string; number?: string; at: string }[];
const ledgerOf = async (s: ExampleSession) => (await s.emulator.state()).ledger as Ledger;

/** The same stack seen from a fresh runner: a new PULUMI_HOME (no journal), the same backend and project. */
function onFreshRunner(p: PulumiProject, extraEnv: Record<string, string>): PulumiProject {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "plivo-fresh-runner-"));
  return new PulumiProject(p.dir, p.stack, { ...p.env, ...extraEnv, PULUMI_HOME: home }, p.stateDir);
}

/**
 * Runs `up` on `p`, kills the CLI or the provider once `ready(ledger)` holds plus `extraMs`, waits for the killed
 * run to end (an orphaned provider finishes what it has under way, then exits), and recovers on a fresh runner:
 * `pulumi cancel --yes` after a killed CLI, then `pulumi up` — a second one only when the first fails.
 */
async function killAndRecover(
  s: ExampleSession,
  p: PulumiProject,
  trial: Trial,
  ready: (l: Ledger) => boolean,
  env: Record<string, string>,
): Promise<PulumiProject> {
  const runEnv = { ...env, PLIVO_JOURNAL_DIR: fs.mkdtempSync(path.join(os.tmpdir(), "plivo-killed-runner-journal-")) };
  const killed = new PulumiProject(p.dir, p.stack, { ...p.env, ...runEnv }, p.stateDir);
  const run = new RunningCommand(killed, ["up", "--yes", "--skip-preview", "--non-interactive", "--parallel", String(PARALLEL), "--stack", p.stack]);
  let provider: number | undefined;
  try {
    await until("the kill point", 240_000, async () => (ready(await ledgerOf(s)) ? true : undefined), 100);
    provider = await until("the provider process", 10_000, () => providerOf(run.pid, s.form));
    await sleep(trial.extraMs);
    // The provider process serving the run now (the dynamic form may have started another since).
    if (trial.target === "provider") {
      provider = await until("the provider process", 10_000, () => {
        if (run.child.exitCode !== null) throw new Error(`the run ended (exit ${run.child.exitCode}) before the kill point:\n${run.output}`);
        return providerOf(run.pid, s.form);
      });
    }
    process.kill(trial.target === "cli" ? run.pid : provider, "SIGKILL");
    await run.exited;
    await until("the killed run's provider to exit", 120_000, () => (alive(provider!) ? undefined : true), 100);
  } finally {
    run.killGroup();
    if (provider) signalIfAlive(provider, "SIGKILL");
  }
  const l = await ledgerOf(s);
  for (const b of l.filter((e) => e.action === "buy")) {
    const marker = l.find((e) => e.action === "update" && e.number === b.number);
    if (marker) figures.markerGapMs.push(Date.parse(marker.at) - Date.parse(b.at));
  }
  await s.emulator.control("DELETE", "faults");
  const fresh = onFreshRunner(p, env);
  if (trial.target === "cli") await fresh.run(["cancel", "--yes", "--stack", p.stack, "--non-interactive"]);
  let up = await fresh.run(["up", "--yes", "--skip-preview", "--non-interactive", "--stack", p.stack], { allowFailure: true });
  figures.recoveryUps++;
  if (up.code !== 0) {
    up = await fresh.run(["up", "--yes", "--skip-preview", "--non-interactive", "--stack", p.stack], { allowFailure: true });
    figures.recoveryUps++;
  }
  expect(up.code, up.stdout + up.stderr).toBe(0);
  figures.tookOver += [...up.stdout.matchAll(/took over/g)].length;
  return fresh;
}

for (const form of ["dynamic", "plugin"] as const) {
  describe.sequential(`${form}: killed while buying 10 numbers by search, recovered on a fresh runner`, () => {
    const s = useExampleProject("runners", {
      variant: form,
      programDir: path.join(REPO_ROOT, "test", "engine", "programs", "runners"),
      config: { count: String(DECLARED) },
    });
    // The plugin runs the fresh-runner mode; the dynamic form also the PULUMI_SKIP_CHECKPOINTS mode, with pool members.
    const modes: Mode[] = form === "dynamic" ? ["fresh", "skip-checkpoints"] : ["fresh"];
    trials(modes, DECLARED - 1, BUY_DELAY_MS, form === "dynamic" ? 0 : 1).forEach((trial, i) => {
      it(
        `${trial.mode}: SIGKILL of the ${trial.target === "cli" ? "CLI" : "provider"} after ${trial.after} buys + ${trial.extraMs} ms: no orphan, no extra buy`,
        async () => {
          await resetAccount(s.emulator, s.project);
          const members = trial.mode === "skip-checkpoints";
          const p = await copyStack(s.project, `${form.slice(0, 3)}${i}`, members ? { members: "true" } : {});
          const env: Record<string, string> = members ? { PULUMI_SKIP_CHECKPOINTS: "true" } : {};
          await s.emulator.control("POST", "faults", { method: "POST", path: "/PhoneNumber/", mode: "delay", delayMs: BUY_DELAY_MS, count: 10_000 });
          const fresh = await killAndRecover(s, p, trial, (l) => l.filter((e) => e.action === "buy").length >= trial.after, env);

          const r = await reconcile(s.emulator, fresh, DECLARED);
          figures.trials++;
          figures.declared += DECLARED;
          figures.bought += r.bought.length;
          figures.orphans += r.orphans.length;
          figures.extraBuys += r.extraBuys;
          expect(r.orphans).toEqual([]);
          expect(r.extraBuys).toBe(0);
          expect([...r.managed].sort()).toEqual([...r.bought].sort());
          if (members) {
            const state = await s.emulator.state();
            expect((state.powerpacks as unknown[]).length).toBe(1);
            expect((state.pool_members as unknown[]).length).toBe(DECLARED);
            const exported = await fresh.exportStack();
            expect((exported.deployment.resources ?? []).filter((x: any) => String(x.type).endsWith("NumberPoolMember"))).toHaveLength(DECLARED);
          }
          await fresh.preview({ expectNoChanges: true });
        },
        STEP_TIMEOUT_MS,
      );
    });
  });

  describe.sequential(`${form}: killed while registering (10DLC), recovered on a fresh runner`, () => {
    const s = useExampleProject("10dlc", { variant: form });
    trials(["fresh"], 1, 1_500, form === "dynamic" ? 2 : 3)
      .filter((_, i) => i % 2 === (form === "dynamic" ? 1 : 0))
      .forEach((trial, i) => {
        it(
          `SIGKILL of the ${trial.target === "cli" ? "CLI" : "provider"} just after the brand's submission + ${trial.extraMs} ms: no second fee, no orphan`,
          async () => {
            await resetAccount(s.emulator, s.project);
            const p = await copyStack(s.project, `reg${i}`);
            // The brand's reads after its submission are slowed (a busy API) so that the kill, up to 1.5 s after the
            // submission, lands while the run waits on the brand: on a fast machine the whole registration can end first.
            await s.emulator.control("POST", "faults", { method: "GET", path: "10dlc/Brand/[^/?]+/", mode: "delay", delayMs: 2_500, count: 3 });
            const fresh = await killAndRecover(s, p, trial, (l) => l.some((e) => e.action === "submit" && e.resource === "brand"), {});
            const l = await ledgerOf(s);
            for (const kind of ["brand", "campaign"]) {
              const n = l.filter((e) => e.action === "submit" && e.resource === kind).length;
              figures.submissions += n;
              figures.doubleFees += Math.max(0, n - 1);
              expect(n, `${kind} submissions`).toBe(1);
            }
            const r = await reconcile(s.emulator, fresh, 2);
            figures.trials++;
            figures.declared += 2;
            figures.bought += r.bought.length;
            figures.orphans += r.orphans.length;
            figures.extraBuys += r.extraBuys;
            expect(r.orphans).toEqual([]);
            expect(r.extraBuys).toBe(0);
            await fresh.preview({ expectNoChanges: true });
          },
          STEP_TIMEOUT_MS,
        );
      });
  });
}
