/**
 * Interruptions while `pulumi up` buys 10 numbers by search (the emulator delays every buy so they overlap):
 * seeded SIGKILLs of the CLI and of the dynamic-provider process, SIGINT and SIGTERM of the CLI (what CI runners
 * send on cancel), each followed by the recovery the README documents (`pulumi cancel --yes` after a killed CLI,
 * then `pulumi up`). After it, the emulator's ledger and the state agree: every number bought is managed and none
 * is bought beyond the 10 declared. Also: a buy that the server completes after the client's timeout.
 * Prints its figures; PLIVO_KILL_SEED replays another set of kill points.
 */
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "./harness";
import { STEP_TIMEOUT_MS, useExampleProject } from "./emulatorFixture";
import {
  alive,
  copyStack,
  journalEntries,
  processTree,
  providerProcess,
  reconcile,
  resetAccount,
  RunningCommand,
  seededRandom,
  signalIfAlive,
  sleep,
  until,
} from "./interrupt";

const SEED = Number(process.env.PLIVO_KILL_SEED ?? 20261202);
const DECLARED = 10;
const BUY_DELAY_MS = 1_500;
const PARALLEL = 4;
/** How long the provider may take to notice the engine is gone (two failed 1 s probes, on a loaded machine) and stop starting buys. */
const DETECTION_MS = 5_000;

interface KillPoint {
  /** The CLI alone, the dynamic-provider process alone, or every process of the run (a runner cancelling a tree). */
  target: "cli" | "provider" | "tree";
  signal: NodeJS.Signals;
  /** Kill once this many buys have been recorded in the journal (each is written just before its buy)… */
  afterBuys: number;
  /** …plus this long. */
  extraMs: number;
}

function killPoints(): KillPoint[] {
  const rnd = seededRandom(SEED);
  const point = (target: KillPoint["target"], signal: NodeJS.Signals, maxBuys = DECLARED): KillPoint => ({
    target,
    signal,
    afterBuys: 1 + Math.floor(rnd() * maxBuys),
    extraMs: Math.floor(rnd() * BUY_DELAY_MS),
  });
  const points: KillPoint[] = [];
  for (let i = 0; i < 6; i++) points.push(point("cli", "SIGKILL"));
  for (let i = 0; i < 6; i++) points.push(point("provider", "SIGKILL"));
  // Graceful cancels early enough that some creates have not started yet.
  points.push(point("cli", "SIGINT", 5), point("cli", "SIGTERM", 5), point("tree", "SIGTERM", 5));
  return points;
}

const figures = {
  trials: 0,
  declared: 0,
  bought: 0,
  orphans: 0,
  extraBuys: 0,
  buysAfterCliDied: 0,
  providerExitMs: [] as number[],
  recoveryUps: 0,
  /** Creates the kill left pending in the state, and resources whose interrupted create the recovery took over. */
  pendingCreates: 0,
  tookOver: 0,
  /** Time from a buy to its marker (the window no Plivo API closes), in ms. */
  markerGapMs: [] as number[],
};

describe.sequential("interruptions while buying 10 numbers by search", () => {
  const s = useExampleProject("numbers", { programDir: path.join(REPO_ROOT, "test", "engine", "programs", "numbers"), config: { count: String(DECLARED) } });
  const journalDir = () => path.join(s.project.env.PULUMI_HOME!, "plivo-journal");

  afterAll(() => {
    const exitMs = figures.providerExitMs;
    const gaps = [...figures.markerGapMs].sort((a, b) => a - b);
    const pct = (q: number) => (gaps.length ? gaps[Math.min(gaps.length - 1, Math.floor(q * gaps.length))] : "-");
    console.log(
      `[interruptions] seed ${SEED}: ${figures.trials} trials (6 SIGKILL of the CLI, 6 of the provider, SIGINT and SIGTERM of the CLI, SIGTERM of every process), ` +
        `${figures.bought} numbers bought for ${figures.declared} declared: orphans ${figures.orphans}, extra buys ${figures.extraBuys}; ` +
        `buys started > ${DETECTION_MS / 1000} s after the CLI died: ${figures.buysAfterCliDied}; ` +
        `orphaned provider exited within ${exitMs.length ? Math.max(...exitMs) : "-"} ms of the CLI's death (max of ${exitMs.length}); ` +
        `recovery: ${figures.recoveryUps} \`pulumi up\` for ${figures.trials} trials (after \`pulumi cancel --yes\` when the CLI was killed), ` +
        `which took over ${figures.tookOver} interrupted creates (the kills left ${figures.pendingCreates} pending creates in the states); ` +
        `buy → marker window: median ${pct(0.5)} ms, max ${gaps.length ? gaps[gaps.length - 1] : "-"} ms over ${gaps.length} buys`,
    );
  });

  killPoints().forEach((kp, i) => {
    const whom = { cli: "the CLI", provider: "the provider process", tree: "every process of the run" }[kp.target];
    const label = `${kp.signal} of ${whom} after ${kp.afterBuys} buys + ${kp.extraMs} ms`;
    it(
      `${label}: after recovery every number bought is managed, none bought twice`,
      async () => {
        const stack = `t${i}`;
        await resetAccount(s.emulator, s.project);
        const p = await copyStack(s.project, stack);
        await s.emulator.control("POST", "faults", { method: "POST", path: "/PhoneNumber/", mode: "delay", delayMs: BUY_DELAY_MS, count: 10_000 });
        const run = new RunningCommand(p, ["up", "--yes", "--skip-preview", "--non-interactive", "--parallel", String(PARALLEL), "--stack", stack]);
        let provider: number | undefined;
        try {
          await until("the buys to start", 180_000, () => (journalEntries(journalDir(), stack).length >= kp.afterBuys ? true : undefined));
          provider = await until("the provider process", 10_000, () => providerProcess(run.pid));
          await sleep(kp.extraMs);
          const killedAt = Date.now();
          const victims = kp.target === "cli" ? [run.pid] : kp.target === "provider" ? [provider] : processTree(run.pid);
          // A process of the tree may exit between the listing and its signal (as on a runner cancelling a job).
          for (const pid of victims) signalIfAlive(pid, kp.signal);
          const code = await run.exited;

          if (kp.target === "cli" && kp.signal === "SIGKILL") {
            // The orphaned provider notices the engine is gone, finishes the buys under way (and their markers) and exits.
            figures.providerExitMs.push(
              await until("the orphaned provider to exit", 120_000, () => (alive(provider!) ? undefined : Date.now() - killedAt), 100),
            );
            const late = ((await s.emulator.state()).ledger as { action: string; at: string }[]).filter(
              (e) => e.action === "buy" && Date.parse(e.at) - BUY_DELAY_MS > killedAt + DETECTION_MS,
            );
            figures.buysAfterCliDied += late.length;
            expect(late, "buys started after the provider should have stopped").toEqual([]);
          } else if (kp.target === "tree") {
            // The provider finishes what is under way but the CLI, whose program died with it, stops the provider when
            // the update ends: an in-flight create may be cut short (its journal entry stays for the next run).
            expect(code, run.output).not.toBe(0);
            expect(run.output).toMatch(/the provider process received SIGTERM; finishing \d+ operation\(s\) already under way, starting nothing new/);
          } else if (kp.target === "cli") {
            // A cancelled CLI finishes what is under way, records it and exits: no lock, nothing pending.
            expect(code, run.output).not.toBe(0);
            expect(run.output).toMatch(/update canceled/);
            const exported = await p.exportStack();
            expect(exported.deployment.pending_operations ?? []).toEqual([]);
          } else {
            expect(code, run.output).not.toBe(0);
          }

          figures.pendingCreates += ((await p.exportStack()).deployment.pending_operations ?? []).length;
          const killedLedger = (await s.emulator.state()).ledger as { action: string; number?: string; at: string }[];
          for (const b of killedLedger.filter((e) => e.action === "buy")) {
            const marker = killedLedger.find((e) => e.action === "update" && e.number === b.number);
            if (marker) figures.markerGapMs.push(Date.parse(marker.at) - Date.parse(b.at));
          }

          // The documented recovery.
          await s.emulator.control("DELETE", "faults");
          if ((kp.target === "cli" && kp.signal === "SIGKILL") || kp.target === "tree") await p.run(["cancel", "--yes", "--stack", stack, "--non-interactive"]);
          const recovery = await p.up();
          figures.recoveryUps++;
          figures.tookOver += new Set([...recovery.stdout.matchAll(/PhoneNumber (line-\d+) created .*took over/g)].map((m) => m[1])).size;

          const r = await reconcile(s.emulator, p, DECLARED);
          figures.trials++;
          figures.declared += DECLARED;
          figures.bought += r.bought.length;
          figures.orphans += r.orphans.length;
          figures.extraBuys += r.extraBuys;
          expect(r.orphans).toEqual([]);
          expect(r.extraBuys).toBe(0);
          expect(new Set(r.bought).size).toBe(r.bought.length);
          expect([...r.managed].sort()).toEqual([...r.bought].sort());
          await p.preview({ expectNoChanges: true });
        } finally {
          run.killGroup();
          if (provider) signalIfAlive(provider, "SIGKILL");
        }
      },
      STEP_TIMEOUT_MS,
    );
  });

  it(
    "a buy that completes after the client's timeout ends with one number bought for one declared",
    async () => {
      await resetAccount(s.emulator, s.project);
      // The client gives up after 3 s; the emulator finishes the buy after 8 s all the same.
      const p = await copyStack(s.project, "late", { count: "1", "plivo:timeoutSeconds": "3" });
      await s.emulator.control("POST", "faults", { method: "POST", path: "/PhoneNumber/", mode: "delay", delayMs: 8_000, count: 1 });
      const up = await p.up();
      expect(up.stdout).toMatch(/went through/);
      const r = await reconcile(s.emulator, p, 1);
      expect(r).toMatchObject({ orphans: [], extraBuys: 0 });
      expect(r.bought).toEqual(r.managed);
      console.log(`[interruptions] late-completing buy (8 s, client timeout 3 s): ${r.bought.length} bought for 1 declared, ${r.orphans.length} orphans`);
    },
    STEP_TIMEOUT_MS,
  );
});
