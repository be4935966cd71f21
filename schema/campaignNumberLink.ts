/** CampaignNumberLink: one US long code linked to one 10DLC campaign (docs/plivo-api.md §9). Nothing updates: all replace. */
import { f } from "./fields";
import { describeNumber, isUsLocal } from "./geo";
import { CAMPAIGN_ID } from "./ids";
import { callbackInputs, waitInputs } from "./registration";
import { defineResource, ref } from "./resource";

export const campaignNumberLinkSchema = defineResource({
  type: "CampaignNumberLink",
  description:
    "Links one number to a 10DLC campaign (one resource per number, so each has its own lifecycle). Create waits for the campaign to be ACTIVE; destroy unlinks and waits until the number is free.",
  deletion: "Unlinks the number and waits until it is free, so the campaign can be deactivated next and the number linked elsewhere.",
  idDescription: "`{campaignId}/{number}`",
  identity: { parts: ["campaignId", "number"] },
  lifecycle: {
    noun: "number link",
    goal: "be linked (COMPLETED)",
    statusField: "status",
    pending: ["PROCESSING"],
    success: "COMPLETED",
    failures: { FAILED: "The linking FAILED: run up again to retry it (Plivo advises contacting support if it keeps failing)" },
  },
  example: { name: "link", inputs: { campaignId: ref("order-updates.id"), number: ref("support-line.id") } },
  inputs: {
    campaignId: f.id(CAMPAIGN_ID, { required: true, onChange: "replace", min: 1, description: "Campaign to link the number to." }),
    number: f.phone({
      required: true,
      onChange: "replace",
      // 10DLC is for US local long codes (docs/plivo-api.md §9.2); toll-free numbers are verified instead (§10).
      problem: {
        says: "must be a US local long code (10DLC covers no other numbers)",
        check: (n) => (isUsLocal(n) ? undefined : `must be a US local long code (10DLC covers no other numbers); ${n} is ${describeNumber(n)}`),
      },
      description: "US local long code rented in the account.",
    }),
    ...callbackInputs("replace"),
    ...waitInputs("COMPLETED", "COMPLETED", 3600, "number linked"),
  },
  outputs: {
    status: f.output("status", "PROCESSING, COMPLETED or FAILED."),
    usecase: f.output("usecase", "Use case of the campaign."),
    campaignAlias: f.output("campaign_alias", "Alias of the campaign."),
  },
});
