/**
 * CampaignNumberLink (docs/plivo-api.md §9): `{campaignId}/{number}`. Link PROCESSING → COMPLETED | FAILED; unlink is
 * asynchronous too, and destroy waits until the number is free so the campaign can go next.
 */
import { e164Digits } from "../../schema/fields";
import { campaignNumberLinkSchema } from "../../schema/campaignNumberLink";
import type { ResourceContext } from "../engine/context";
import type { Props, ResourceHandler } from "../engine/handler";
import { waitFor } from "../engine/wait";
import { getOrUndefined } from "./lookup";
import { deleteObject } from "./rest";
import { describeCampaignError, readCampaign } from "./campaign";

type Link = { status?: string; number?: string; campaign_id?: string; usecase?: string; campaign_alias?: string };

export function parseLinkId(id: string): { campaignId: string; number: string } {
  const slash = id.indexOf("/");
  if (slash <= 0) throw new Error(`CampaignNumberLink id "${id}" must be {campaignId}/{number}`);
  return { campaignId: id.slice(0, slash), number: e164Digits(id.slice(slash + 1)) as string };
}

async function readLink(ctx: ResourceContext, campaignId: string, number: string): Promise<Link | undefined> {
  const body = await getOrUndefined(ctx, `10dlc/Campaign/${campaignId}/Number/${number}/`, `read link ${campaignId}/${number}`);
  const entry = (body?.phone_numbers as { number: string; status: string }[] | undefined)?.find((p) => e164Digits(p.number) === number);
  if (!body || !entry) return undefined;
  return { status: entry.status, number, campaign_id: campaignId, usecase: body.usecase as string, campaign_alias: body.campaign_alias as string };
}

const timeoutOf = (props: Props) => (props.waitTimeoutSeconds as number | undefined) ?? 3600;

export const campaignNumberLink: ResourceHandler = {
  schema: campaignNumberLinkSchema,
  // A number links to one campaign at a time: unlink before linking elsewhere.
  deleteBeforeReplace: true,

  async create(ctx, inputs) {
    const { campaignId, number } = inputs as { campaignId: string; number: string };
    // Numbers can be linked only to ACTIVE campaigns: wait for the approval here, so a campaign created with
    // waitUntil SUBMITTED and its links can be declared together.
    await waitFor(ctx, {
      what: `campaign ${campaignId} to become ACTIVE before linking ${number}`,
      poll: () => readCampaign(ctx, campaignId),
      status: (c) => c?.registration_status ?? "NOT_FOUND",
      done: (c) => c?.registration_status === "ACTIVE",
      failure: (c) =>
        !c ? "the campaign does not exist" : ["FAILED", "EXPIRED"].includes(c.registration_status ?? "") ? describeCampaignError(c) : undefined,
      timeoutSeconds: timeoutOf(inputs),
    });
    const id = `${campaignId}/${number}`;
    if (await readLink(ctx, campaignId, number)) {
      ctx.progress(`${number} is already linked to ${campaignId}: adopting the link`);
      return id;
    }
    await ctx.createOnce(
      async () => {
        await ctx.client.request({
          method: "POST",
          path: `10dlc/Campaign/${campaignId}/Number/`,
          body: { numbers: [number], ...(inputs.url ? { url: inputs.url, method: inputs.method ?? "POST" } : {}) },
          operation: ctx.op(`link ${number} to campaign ${campaignId}`),
        });
        return id;
      },
      async () => ((await readLink(ctx, campaignId, number)) ? id : undefined),
    );
    return id;
  },

  async settle(ctx, id, inputs) {
    const { campaignId, number } = parseLinkId(id);
    const status = (l: Link | undefined) => l?.status ?? "NOT_FOUND";
    if (inputs.waitUntil !== "COMPLETED") return;
    await waitFor(ctx, {
      what: `${number} to be linked to campaign ${campaignId}`,
      poll: () => readLink(ctx, campaignId, number),
      status,
      done: (l) => status(l) === "COMPLETED",
      failure: (l) =>
        status(l) === "FAILED" ? "linking FAILED; retry with pulumi up (Plivo advises contacting support if it persists)" : status(l) === "NOT_FOUND" ? "the link disappeared" : undefined,
      timeoutSeconds: timeoutOf(inputs),
    });
  },

  read: (ctx, id) => {
    const { campaignId, number } = parseLinkId(id);
    return readLink(ctx, campaignId, number) as Promise<Record<string, unknown> | undefined>;
  },

  async update() {
    // Everything replaces; only wait options reach here (resuming a partially created link).
  },

  async delete(ctx, id, props) {
    const { campaignId, number } = parseLinkId(id);
    const body = props.url ? { url: props.url, method: props.method ?? "POST" } : {};
    await deleteObject(ctx, `10dlc/Campaign/${campaignId}/Number/${number}/`, `unlink ${number} from campaign ${campaignId}`, body);
    // The campaign cannot be deactivated while a number is still PROCESSING: wait until the unlink is done.
    await waitFor(ctx, {
      what: `${number} to be unlinked from campaign ${campaignId}`,
      poll: () => readLink(ctx, campaignId, number),
      status: (l) => (l ? `unlinking (${l.status})` : "unlinked"),
      done: (l) => l === undefined,
      timeoutSeconds: timeoutOf(props),
    });
  },

  normalizeId: (id) => {
    const { campaignId, number } = parseLinkId(id);
    return `${campaignId}/${number}`;
  },

  refineOutputs(outs, wire) {
    outs.campaignId = wire.campaign_id;
    outs.number = wire.number;
    return outs;
  },
};
