/**
 * customTimeouts reach the plugin: a campaign whose approval outlasts `customTimeouts.create` (3 s, against a
 * waitTimeoutSeconds of an hour) fails the `up` but stays in the state; the next `up` resumes waiting — no second
 * paid submission — and links the numbers.
 */
import { describe, expect, it } from "vitest";
import { editProgram, plivoApi, plivoResources, STEP_TIMEOUT_MS, useExampleProject } from "./emulatorFixture";
import { submissions } from "../helpers/ledger";

describe.sequential("examples/10dlc through the plugin: customTimeouts cut a wait short, the next up resumes", () => {
  const s = useExampleProject("10dlc", { variant: "plugin", emulator: { transitions: ["campaign=manual"] } });

  it(
    "the first up fails after the custom timeout with the reason, keeping the campaign in the state",
    async () => {
      editProgram(
        s.project,
        'waitUntil: "ACTIVE",\n  waitTimeoutSeconds: 3600,\n});',
        'waitUntil: "ACTIVE",\n  waitTimeoutSeconds: 3600,\n}, { customTimeouts: { create: "3s" } });',
      );
      const started = Date.now();
      const res = await s.project.up({ allowFailure: true });
      expect(res.code).not.toBe(0);
      expect(res.stdout + res.stderr).toMatch(/timed out after 3s waiting for campaign C\w{6} to become ACTIVE; last status PROCESSING/);
      expect(Date.now() - started).toBeLessThan(120_000);
      const campaign = (await plivoResources(s.project)).find((r) => r.type === "Campaign");
      expect(campaign?.id).toMatch(/^C\w{6}$/);
      expect(await submissions(s.emulator, "campaign")).toBe(1);
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "once approved, the next up resumes without resubmitting and links both numbers",
    async () => {
      const campaign = (await plivoResources(s.project)).find((r) => r.type === "Campaign")!;
      await s.emulator.control("POST", "resolve", { resource: "campaign", id: campaign.id, outcome: "success" });
      await s.project.up();
      expect(await submissions(s.emulator, "campaign")).toBe(1);
      expect(await submissions(s.emulator, "link")).toBe(2);
      expect((await s.project.outputs()).campaignStatus).toBe("ACTIVE");
      expect((await plivoApi(s, "GET", `10dlc/Campaign/${campaign.id}/`)).campaign.registration_status).toBe("ACTIVE");
      await s.project.preview({ expectNoChanges: true });
      await s.project.destroy();
    },
    STEP_TIMEOUT_MS,
  );
});
