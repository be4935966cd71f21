/**
 * CampaignNumberLink (docs/plivo-api.md §9): id `{campaignId}/{number}`. Link PROCESSING → COMPLETED |
 * FAILED (the schema's lifecycle); unlink is asynchronous too, and destroy waits until the number is free so the
 * campaign can go next.
 */
import { campaignNumberLinkSchema } from "../../schema/campaignNumberLink";
import { e164Digits } from "../../schema/fields";
import type { ResourceContext } from "../core/context";
import type { Props, ResourceHandler } from "../core/handler";
import { parseId } from "../core/ids";
import { awaitGone, awaitStatus, waitSeconds } from "../core/settle";
import { campaign } from "./campaign";
import { PlivoApiError } from "../client/errors";
import type { ReadOptions } from "../core/handler";
import { readerFor } from "../core/batch";
import { campaignNumbers, listAll, readBatched } from "./lookup";
import { deleteObject } from "./rest";

type Link = { status?: string; number?: string; campaign_id?: string; usecase?: string; campaign_alias?: string };

const parts = (id: string) => parseId(campaignNumberLinkSchema, id) as { campaignId: string; number: string };

/** A link, read with the campaign's other numbers when many are read or polled at once (one list call per campaign). */
function readLink(ctx: ResourceContext, id: string, opts: ReadOptions = {}): Promise<Link | undefined> {
  const { campaignId, number } = parts(id);
  return readBatched(ctx, campaignNumbers(campaignId), number, opts) as Promise<Link | undefined>;
}

const callback = (props: Props) => (props.url ? { url: props.url, method: props.method ?? "POST" } : {});

export const campaignNumberLink: ResourceHandler = {
  schema: campaignNumberLinkSchema,

  // Links live under each campaign that is listed (deactivated ones are not), as a single read gives them.
  async listing(ctx, earlier) {
    const links = [];
    for (const c of earlier.get("Campaign") ?? []) {
      const body = await listAll(ctx, `10dlc/Campaign/${c.id}/Number/`, {}, "phone_numbers");
      for (const p of body) {
        const number = String(e164Digits(p.number));
        links.push({ id: `${c.id}/${number}`, wire: { ...p, number, campaign_id: c.id } });
      }
    }
    return links;
  },
  // A number links to one campaign at a time: unlink before linking elsewhere.
  deleteBeforeReplace: true,

  async create(ctx, inputs) {
    const { campaignId, number } = inputs as { campaignId: string; number: string };
    // Numbers can be linked only to ACTIVE campaigns: wait for the approval here, so a campaign created with
    // waitUntil SUBMITTED and its links can be declared together.
    await awaitStatus(campaign, ctx, campaignId, "ACTIVE", {
      timeoutSeconds: waitSeconds(ctx, inputs),
      what: `campaign ${campaignId} to become ACTIVE before linking ${number}`,
    });
    const id = `${campaignId}/${number}`;
    return ctx.createOnce(
      async () => {
        try {
          await ctx.client.request({
            method: "POST",
            path: `10dlc/Campaign/${campaignId}/Number/`,
            body: { numbers: [number], ...callback(inputs) },
            operation: ctx.op(`link ${number} to campaign ${campaignId}`),
          });
        } catch (err) {
          // Refused as "already requested for linking": a link to this campaign that already exists is adopted.
          if (!(err instanceof PlivoApiError && err.status === 400 && (await readLink(ctx, id, { fresh: true })))) throw err;
          ctx.progress(`${number} is already linked to ${campaignId}: adopting the link`);
        }
        return id;
      },
      async () => ((await readLink(ctx, id, { fresh: true })) ? id : undefined),
    );
  },

  read: (ctx, id, _props, opts) => readLink(ctx, id, opts) as Promise<Record<string, unknown> | undefined>,

  watch(ctx, id, _props, arrived) {
    const { campaignId, number } = parts(id);
    return readerFor(ctx, campaignNumbers(campaignId)).watch(number, arrived);
  },

  async update() {
    // Everything replaces; only wait options reach here (resuming a partially created link).
  },

  async delete(ctx, id, props) {
    const { campaignId, number } = parts(id);
    await deleteObject(ctx, `10dlc/Campaign/${campaignId}/Number/${number}/`, `unlink ${number} from campaign ${campaignId}`, callback(props));
    // The campaign cannot be deactivated while a number is still PROCESSING: wait until the unlink is done.
    await awaitGone(campaignNumberLink, ctx, id, { timeoutSeconds: waitSeconds(ctx, props), what: `${number} to be unlinked from campaign ${campaignId}` });
  },

  refineOutputs(outs, wire) {
    outs.campaignId = wire.campaign_id;
    outs.number = wire.number;
    return outs;
  },
};
