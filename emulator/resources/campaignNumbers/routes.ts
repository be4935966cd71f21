/**
 * Campaign number routes (docs/plivo-api.md §9): `/10dlc/Campaign/{id}/Number/` (and `/Campaign/…`).
 *
 *   POST   …/Number/        {numbers:[…], url?, method?} → 202 "Request to link N to campaign C was received and is being processed"
 *   GET    …/Number/        {api_id, campaign_alias, campaign_id, meta, phone_numbers:[{number, status}], usecase}
 *   GET    …/Number/{n}/    same envelope with one entry; 404 "not found" when the number is not linked to C
 *   DELETE …/Number/{n}/    {url?, method?} → 202 "Request to unlink N from campaign C was received and is being processed"
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import { z } from "zod";
import type { Ctx } from "../../context";
import { badRequest, normalizeNumber, notFound, paginate, requestParams, send } from "../../http";
import { PathId, PathNumber, pathParams } from "../../schemas";
import { callbackParams, tenDlcPaths } from "../brand/routes";
import type { CampaignRecord } from "../campaign/backend";
import { defineResource } from "../registry";
import { CampaignNumbersBackend, linkLifecycle, unlinkLifecycle, type CampaignLink } from "./backend";

const CampaignPath = z.object({ id: PathId });
const LinkPath = z.object({ id: PathId, number: PathNumber });

function envelope(c: CampaignRecord, links: CampaignLink[]): Record<string, unknown> {
  return {
    campaign_alias: c.campaign_alias,
    campaign_id: c.campaign_id,
    phone_numbers: links.map((l) => ({ number: l.number, status: l.status })),
    usecase: c.usecase,
  };
}

function campaignOf(ctx: Ctx, req: FastifyRequest): CampaignRecord {
  const c = ctx.backends.campaigns.get(pathParams(CampaignPath, req).id);
  if (!c) throw notFound();
  return c;
}

function parseNumbers(raw: unknown): string[] {
  let list: unknown[];
  if (raw === undefined || raw === null || raw === "") throw badRequest("numbers parameter is missing");
  if (Array.isArray(raw)) list = raw;
  else if (typeof raw === "string" || typeof raw === "number") list = String(raw).split(",");
  else throw badRequest("numbers must be a list of phone numbers");
  const out: string[] = [];
  for (const x of list) {
    if (typeof x !== "string" && typeof x !== "number") throw badRequest("numbers must be a list of phone numbers");
    const n = normalizeNumber(String(x));
    if (!n) throw badRequest(`The number ${String(x)} is not a valid number`);
    if (!out.includes(n)) out.push(n);
  }
  if (out.length === 0) throw badRequest("numbers parameter is missing");
  return out;
}

function register(api: FastifyInstance, ctx: Ctx): void {
  const links = ctx.backends.campaignNumbers;
  for (const base of tenDlcPaths("/Campaign/:id/Number/")) {
    api.post(base, async (req, reply) => {
      const c = campaignOf(ctx, req);
      const p = requestParams(req);
      const numbers = parseNumbers(p.raw.numbers);
      links.link(c, numbers, callbackParams(p));
      return send(reply, 202, { message: `Request to link ${numbers.join(",")} to campaign ${c.campaign_id} was received and is being processed` });
    });

    api.get(base, async (req, reply) => {
      const c = campaignOf(ctx, req);
      for (const l of links.ofCampaign(c.campaign_id)) links.read(l);
      const page = paginate(req, links.ofCampaign(c.campaign_id));
      return send(reply, 200, { ...envelope(c, page.objects), meta: page.meta });
    });

    api.get(`${base}:number/`, async (req, reply) => {
      const c = campaignOf(ctx, req);
      const { number } = pathParams(LinkPath, req);
      const before = links.get(c.campaign_id, number);
      if (!before) throw notFound();
      links.read(before);
      const l = links.get(c.campaign_id, number);
      if (!l) throw notFound(); // the unlink completed on this read
      return send(reply, 200, envelope(c, [l]));
    });

    api.delete(`${base}:number/`, async (req, reply) => {
      const c = campaignOf(ctx, req);
      const raw = (req.params as { number: string }).number;
      const number = normalizeNumber(raw);
      const p = requestParams(req);
      const cb = callbackParams(p);
      if (!links.get(c.campaign_id, number)) throw badRequest(`The number ${raw} is not a valid number`);
      links.unlink(c.campaign_id, number, p.has("url") ? cb : undefined);
      return send(reply, 202, { message: `Request to unlink ${number} from campaign ${c.campaign_id} was received and is being processed` });
    });
  }
}

export default defineResource({
  name: "campaignNumbers",
  mainOnly: "10DLC campaign numbers (/10dlc/Campaign/{id}/Number/)",
  lifecycles: [linkLifecycle, unlinkLifecycle],
  setup(ctx) {
    const links = new CampaignNumbersBackend(ctx);
    (ctx.backends as { campaignNumbers: CampaignNumbersBackend }).campaignNumbers = links;
    ctx.hooks.on("number.released", ({ number }) => links.dropNumber(number));
    ctx.hooks.on("campaign.expired", ({ campaign_id }) => links.dropCampaign(campaign_id));
  },
  routes: register,
});
