/**
 * The partially-created path through the real engine: a campaign whose approval outlasts `waitTimeoutSeconds`
 * fails the `up` but stays in the state (init error, id kept); the next `up` resumes waiting — no second paid
 * submission — and then links the numbers.
 */
import { describe, expect, it } from "vitest";
import { diagnostics, previewJson } from "./diagnostics";
import { editProgram, plivoApi, plivoResources, STEP_TIMEOUT_MS, useExampleProject } from "./emulatorFixture";
import { ledger } from "../helpers/ledger";

describe.sequential("examples/10dlc: a wait that times out resumes on the next up", () => {
  const s = useExampleProject("10dlc", { emulator: { transitions: ["campaign=manual"] } });
  const submissions = async (resource: string) => (await ledger(s.emulator)).filter((e) => e.action === "submit" && e.resource === resource).length;

  it(
    "the first up fails after waitTimeoutSeconds with the reason, keeping the campaign in the state",
    async () => {
      editProgram(s.project, 'waitUntil: "ACTIVE",\n  waitTimeoutSeconds: 3600,', 'waitUntil: "ACTIVE",\n  waitTimeoutSeconds: 3,');
      const res = await s.project.up({ allowFailure: true });
      expect(res.code).not.toBe(0);
      expect(res.stdout + res.stderr).toMatch(/timed out after 3s waiting for campaign C\w{6} to become ACTIVE; last status PROCESSING/);
      const campaign = (await plivoResources(s.project)).find((r) => r.type === "Campaign");
      expect(campaign?.id).toMatch(/^C\w{6}$/);
      expect(await submissions("campaign")).toBe(1);

      // A PROCESSING campaign takes edits in place (only a FAILED one is vetted and billed again): the preview says so.
      editProgram(s.project, `description: "Order confirmations and delivery updates`, `description: "Order confirmations and returns updates`);
      const edited = await previewJson(s.project);
      editProgram(s.project, `description: "Order confirmations and returns updates`, `description: "Order confirmations and delivery updates`);
      expect(diagnostics(edited.json).filter((d) => d.resource === "Campaign::order-updates")).toEqual([
        {
          resource: "Campaign::order-updates",
          severity: "warning",
          message: `This update (description) edits campaign ${campaign!.id} while it is PROCESSING: no new vetting fee`,
        },
      ]);
      expect(await submissions("campaign")).toBe(1);
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "once approved, the next up resumes without resubmitting and links both numbers",
    async () => {
      const campaign = (await plivoResources(s.project)).find((r) => r.type === "Campaign")!;
      await s.emulator.control("POST", "resolve", { resource: "campaign", id: campaign.id, outcome: "success" });
      await s.project.up();
      expect(await submissions("campaign")).toBe(1);
      expect(await submissions("link")).toBe(2);
      const outputs = await s.project.outputs();
      expect(outputs.campaignStatus).toBe("ACTIVE");
      expect(outputs.linkedNumbers).toHaveLength(2);
      expect((await plivoApi(s, "GET", `10dlc/Campaign/${campaign.id}/`)).campaign.registration_status).toBe("ACTIVE");
      await s.project.preview({ expectNoChanges: true });
      await s.project.destroy();
    },
    STEP_TIMEOUT_MS,
  );
});
