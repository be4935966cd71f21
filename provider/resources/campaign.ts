/**
 * Campaign (docs/plivo-api.md §8): PROCESSING → ACTIVE | FAILED, EXPIRED once deactivated (the schema's
 * lifecycle). Text fields update only while FAILED or PROCESSING — each resubmission is vetted again and billed, so
 * an update is never re-sent blindly.
 */
import { campaignSchema } from "../../schema/campaign";
import type { ResourceHandler } from "../core/handler";
import { requestBody } from "../core/wire";
import { brandSpec } from "./brand";
import { objectPath, readObject, restHandler, type RestSpec } from "./rest";

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

export const campaign: ResourceHandler = {
  ...rest,
  // Billed per submission (vetting): an earlier submission (same brand, same alias) is found before paying again.
  lookBeforeCreate: true,

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

  async update(ctx, id, _olds, news) {
    ctx.progress(`resubmitting campaign ${id} for vetting`);
    await ctx.client.request({
      method: "POST",
      path: objectPath(spec, id),
      body: requestBody(campaignSchema, news, "update"),
      operation: ctx.op(`update campaign ${id}`),
    });
  },
};
