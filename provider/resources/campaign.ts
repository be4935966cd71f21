/**
 * Campaign (docs/plivo-api.md §8): PROCESSING → ACTIVE | FAILED, EXPIRED once deactivated. Text fields update only while
 * FAILED or PROCESSING (each resubmission is vetted again and billed); an ACTIVE campaign cannot be edited.
 */
import { campaignSchema } from "../../schema/campaign";
import type { DiffResult } from "../engine/diff";
import { ForbiddenChangeError } from "../engine/errors";
import { containsUnknown } from "../engine/unknowns";
import type { ResourceHandler } from "../engine/handler";
import { waitFor } from "../engine/wait";
import { requestBody } from "../engine/wire";
import { brandSpec } from "./brand";
import { objectPath, readObject, restHandler, type RestSpec } from "./rest";

type Campaign = { registration_status?: string; error_code?: string; error_reason?: string; error_description?: string };

const EDITABLE = new Set(["FAILED", "PROCESSING"]);

export const describeCampaignError = (c: Campaign) =>
  [c.error_code, c.error_reason, c.error_description].filter(Boolean).join(" — ") || "no reason given";

const spec: RestSpec = {
  schema: campaignSchema,
  collection: "10dlc/Campaign/",
  noun: "campaign",
  idKey: "campaign_id",
  unwrap: "campaign",
  listKey: "campaigns",
  naturalKey: (inputs) => ({
    describe: String(inputs.campaignAlias),
    query: { brand_id: String(inputs.brandId) },
    match: (c) => c.campaign_alias === inputs.campaignAlias && c.brand_id === inputs.brandId,
  }),
  deleteVerb: "deactivate",
};
const rest = restHandler(spec);

export const readCampaign = (ctx: Parameters<ResourceHandler["read"]>[0], id: string) => readObject(spec, ctx, id) as Promise<Campaign | undefined>;

export const campaign: ResourceHandler = {
  schema: campaignSchema,

  async create(ctx, inputs) {
    const brandId = inputs.brandId as string;
    // Check the brand first: a submission under an unregistered brand is refused, and the message is clearer here.
    const brand = await readObject(brandSpec, ctx, brandId);
    if (!brand) throw new Error(`Campaign "${ctx.name}": brand ${brandId} does not exist`);
    if (brand.registration_status !== "COMPLETED") {
      throw new Error(
        `Campaign "${ctx.name}": brand ${brandId} is ${brand.registration_status}; campaigns can be submitted only under a COMPLETED brand ` +
          "(set the Brand's waitUntil to COMPLETED so the campaign is created after the registration)",
      );
    }
    return rest.create(ctx, inputs);
  },

  async settle(ctx, id, inputs) {
    const status = (c: Campaign | undefined) => c?.registration_status ?? "NOT_FOUND";
    if (inputs.waitUntil !== "ACTIVE") {
      const c = await readCampaign(ctx, id);
      if (status(c) === "FAILED") throw new Error(`campaign ${id} registration FAILED: ${describeCampaignError(c!)}`);
      return;
    }
    await waitFor(ctx, {
      what: `campaign ${id} to become ACTIVE`,
      poll: () => readCampaign(ctx, id),
      status,
      done: (c) => status(c) === "ACTIVE",
      failure: (c) =>
        status(c) === "FAILED"
          ? `${describeCampaignError(c!)}. Fix the text fields and run up again: the campaign is resubmitted in place`
          : ["EXPIRED", "NOT_FOUND"].includes(status(c))
            ? "the campaign was deactivated"
            : undefined,
      timeoutSeconds: inputs.waitTimeoutSeconds as number,
    });
  },

  read: async (ctx, id) => {
    const c = await readCampaign(ctx, id);
    // A deactivated campaign is gone for good: refresh drops it and the next up submits a new one.
    return c && c.registration_status !== "EXPIRED" ? c : undefined;
  },

  refineDiff(olds, news, diff): DiffResult {
    const status = olds.registrationStatus as string | undefined;
    // A value still unknown at preview (it depends on a resource being updated) is judged at `up`, once known.
    const changed = diff.updates.filter((k) => !containsUnknown(news[k]));
    if (changed.length === 0 || status === undefined || EDITABLE.has(status)) return diff;
    throw new ForbiddenChangeError(
      `Campaign ${olds.campaignId}: ${changed.join(", ")} cannot be changed while the campaign is ${status}; ` +
        "Plivo accepts edits only while a campaign is FAILED (or PROCESSING). Revert the change, or deactivate this campaign " +
        "and declare a new one (a new campaign is vetted and billed again, and its numbers must be relinked).",
    );
  },

  async update(ctx, id, _olds, news) {
    ctx.progress(`resubmitting campaign ${id} for vetting`);
    await ctx.client.request({
      method: "POST",
      path: objectPath(spec, id),
      body: requestBody(campaignSchema, news, "update"),
      operation: ctx.op(`update campaign ${id}`),
    });
  },

  delete: rest.delete,
};
