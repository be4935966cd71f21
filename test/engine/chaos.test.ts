/**
 * Chaos: a stack of about 30 resources of every kind (applications, a Powerpack and its members, numbers bought by
 * search, a profile, a brand, a campaign and its number links, a toll-free number and its verification) brought up
 * in ONE `pulumi up` while the emulator fails 20 % of all API requests at random (seeded: 429, 500, 503, reset
 * before processing, processed-then-500, processed-then-reset). Then: nothing bought or submitted twice, nothing in
 * the account that the state does not hold (the account scan's own comparison), and the next preview shows no
 * changes. Prints its figures; PLIVO_CHAOS_SEEDS=1,2,3 replays other seeds.
 */
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { listAccount } from "../../cli/account";
import { compare } from "../../cli/scan";
import { readDeployment } from "../../cli/stacks";
import { PlivoClient } from "../../provider/client/plivoClient";
import { ledger } from "../helpers/ledger";
import { STEP_TIMEOUT_MS, useExampleProject } from "./emulatorFixture";
import { REPO_ROOT } from "./harness";

const SEEDS = (process.env.PLIVO_CHAOS_SEEDS ?? "101,202,303").split(",").map(Number);
const PROBABILITY = 0.2;
/** What the program declares: 13 numbers (12 long codes, 1 toll-free), and one submission per registration. */
const NUMBERS = 13;
const SUBMISSIONS = { brand: 1, campaign: 1, link: 3, tfv: 1 };

const results: {
  seed: number;
  resources: number;
  requests: number;
  faults: number;
  ups: number;
  doubleBuys: number;
  doubleSubmissions: number;
  orphans: number;
}[] = [];

describe.sequential("chaos: about 30 resources under seeded 20 % faults", () => {
  const s = useExampleProject("mixed", {
    programDir: path.join(REPO_ROOT, "test", "engine", "programs", "mixed"),
    // Registrations are decided at once: this suite is about faults, not waiting.
    emulator: { transitions: ["brand=immediate", "campaign=immediate", "link=immediate", "tfv=immediate"] },
  });

  afterAll(() => {
    for (const r of results) {
      console.log(
        `[chaos] seed ${r.seed}: ${r.resources} resources, ${r.requests} API requests, ${r.faults} faults injected (${PROBABILITY * 100} %); ` +
          `converged in ${r.ups} up; double purchases ${r.doubleBuys}, double submissions ${r.doubleSubmissions}, orphans ${r.orphans}; next preview: no changes`,
      );
    }
  });

  for (const seed of SEEDS) {
    it(
      `seed ${seed}: one up converges, nothing bought or submitted twice, nothing orphaned, the next preview is empty`,
      async () => {
        await s.emulator.reset();
        const p = await s.stack(`chaos-${seed}`);
        await s.emulator.control("POST", "chaos", { seed, probability: PROBABILITY });
        const up = await p.up({ allowFailure: true });
        const chaos = (await s.emulator.control("GET", "chaos")).body;
        await s.emulator.control("DELETE", "chaos");
        expect(up.code, `pulumi up under chaos failed:\n${up.stdout}\n${up.stderr}`).toBe(0);

        const buys = (await ledger(s.emulator, { action: "buy" })).map((e) => e.number!);
        const doubleBuys = buys.length - new Set(buys).size;
        expect(doubleBuys).toBe(0);
        expect(buys).toHaveLength(NUMBERS);
        const submits = await ledger(s.emulator, { action: "submit" });
        const counts: Record<string, number> = {};
        for (const e of submits) counts[e.resource!] = (counts[e.resource!] ?? 0) + 1;
        expect(counts).toEqual(SUBMISSIONS);

        // Nothing in the account that the state does not hold: the scan's comparison, through the provider's client.
        const exported = await p.exportStack();
        const stack = { name: p.stack, ...readDeployment(exported, p.stack), config: { get: () => undefined } };
        const client = new PlivoClient({ authId: s.emulator.authId, authToken: s.emulator.authToken, baseUrl: s.emulator.url });
        const report = compare(s.emulator.authId, await listAccount(client), [stack], []);
        await client.close();
        expect(report.unmanaged.map((f) => `${f.object.type} ${f.object.id}`)).toEqual([]);

        await p.preview({ expectNoChanges: true });
        results.push({
          seed,
          resources: stack.resources.length,
          requests: chaos.requests,
          faults: chaos.total,
          ups: 1,
          doubleBuys,
          doubleSubmissions: submits.length - Object.values(SUBMISSIONS).reduce((a, b) => a + b, 0),
          orphans: report.unmanaged.length,
        });
      },
      STEP_TIMEOUT_MS,
    );
  }
});
