/**
 * Numbers linked to a 10DLC campaign (docs/plivo-api.md §9): `/10dlc/Campaign/{id}/Number/` (and `/Campaign/…`).
 *
 *   POST   …/Number/        {numbers:[…], url?, method?} → 202 "Request to link N to campaign C was received and is being processed"
 *   GET    …/Number/        {api_id, campaign_alias, campaign_id, meta, phone_numbers:[{number, status}], usecase}
 *   GET    …/Number/{n}/    same envelope with one entry; 404 "not found" when the number is not linked to C
 *   DELETE …/Number/{n}/    {url?, method?} → 202 "Request to unlink N from campaign C was received and is being processed"
 *
 * A link is PROCESSING → COMPLETED | FAILED; an unlink shows PROCESSING and
 * then the link is gone (GET → 404); a failed unlink returns to its previous
 * status. The account number mirrors it: `tendlc_registration_status`
 * (UNREGISTERED | PROCESSING | COMPLETED) and `tendlc_campaign_id`, written on
 * the number record of the numbers module. Releasing a number drops its links;
 * deactivating a campaign drops the campaign's links.
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Ctx } from "../context";
import type { State } from "../store";
import { sendCallback } from "../callbacks";
import { badRequest, isoMicros, normalizeNumber, notFound, paginate, requestParams, send } from "../http";
import { cancel, countRead, initTransitionsState, isPending, persistIfDirty, registerAsyncHandler, submit } from "../transitions";
import { callbackParams, tenDlcPaths } from "./brand";
import { findCampaign, type CampaignRecord } from "./campaign";
import { findNumber } from "./numbers";
import { defineResource } from "./registry";

export type LinkStatus = "PROCESSING" | "COMPLETED" | "FAILED";

export interface CampaignLink {
  campaign_id: string;
  number: string;
  status: LinkStatus;
  /** what is in progress while PROCESSING */
  op: "link" | "unlink";
  /** status before the unlink started (restored when the unlink fails) */
  before_unlink?: LinkStatus;
  url: string | null;
  method: "GET" | "POST";
  created_at: string;
}

declare module "../store" {
  interface State {
    campaign_links: CampaignLink[];
  }
}

export const linkId = (campaignId: string, number: string): string => `${campaignId}/${number}`;

function parseLinkId(id: string): { campaignId: string; number: string } {
  const i = id.indexOf("/");
  if (i <= 0) throw badRequest(`link id must be {campaign_id}/{number} (got ${id})`);
  return { campaignId: id.slice(0, i), number: normalizeNumber(id.slice(i + 1)) };
}

export function findLink(state: State, campaignId: string, number: string): CampaignLink | undefined {
  return state.campaign_links.find((l) => l.campaign_id === campaignId && l.number === number);
}

/** Mirror the link on the account number record (numbers module fields). */
function mirror(state: State, number: string, status: "UNREGISTERED" | "PROCESSING" | "COMPLETED", campaignId: string | null): void {
  const n = findNumber(state, number);
  if (!n) return;
  n.tendlc_registration_status = status;
  n.tendlc_campaign_id = campaignId;
}

function mirrorOf(l: CampaignLink): "PROCESSING" | "COMPLETED" | "UNREGISTERED" {
  return l.status === "FAILED" ? "UNREGISTERED" : l.status;
}

function linkCallback(ctx: Ctx, l: CampaignLink, event: "number_linking" | "number_unlinking", status: string): void {
  sendCallback(ctx, {
    resource: event === "number_linking" ? "link" : "unlink",
    id: linkId(l.campaign_id, l.number),
    status,
    url: l.url,
    method: l.method,
    payload: { event, status, campaign_id: l.campaign_id, number: l.number },
  });
}

function removeLink(ctx: Ctx, l: CampaignLink): void {
  const state = ctx.state;
  state.campaign_links = state.campaign_links.filter((x) => x !== l);
  const id = linkId(l.campaign_id, l.number);
  cancel(ctx, "link", id);
  cancel(ctx, "unlink", id);
  // only reset the mirror when it still describes this link
  const n = findNumber(state, l.number);
  if (n && (n.tendlc_campaign_id === l.campaign_id || n.tendlc_campaign_id === null)) mirror(state, l.number, "UNREGISTERED", null);
}

function resolveLink(ctx: Ctx, id: string, outcome: string, _reason: string | undefined, via: "policy" | "control"): string {
  const { campaignId, number } = parseLinkId(id);
  const l = findLink(ctx.state, campaignId, number);
  if (!l) return "NOT_FOUND";
  if (l.status !== "PROCESSING" || l.op !== "link") {
    if (via === "control") throw badRequest(`link ${id} is not being linked (status ${l.status}${l.op === "unlink" ? ", unlinking" : ""})`);
    return l.status;
  }
  if (outcome === "success") {
    l.status = "COMPLETED";
    mirror(ctx.state, number, "COMPLETED", campaignId);
    linkCallback(ctx, l, "number_linking", "success");
  } else if (outcome === "failure") {
    l.status = "FAILED";
    mirror(ctx.state, number, "UNREGISTERED", null);
    linkCallback(ctx, l, "number_linking", "failed");
  } else {
    throw badRequest(`outcome ${outcome} does not apply to a link (use success or failure)`);
  }
  return l.status;
}

function resolveUnlink(ctx: Ctx, id: string, outcome: string, _reason: string | undefined, via: "policy" | "control"): string {
  const { campaignId, number } = parseLinkId(id);
  const l = findLink(ctx.state, campaignId, number);
  if (!l) return "NOT_FOUND";
  if (l.status !== "PROCESSING" || l.op !== "unlink") {
    if (via === "control") throw badRequest(`link ${id} is not being unlinked (status ${l.status})`);
    return l.status;
  }
  if (outcome === "success") {
    removeLink(ctx, l);
    linkCallback(ctx, l, "number_unlinking", "success");
    return "UNLINKED";
  }
  if (outcome === "failure") {
    l.status = l.before_unlink ?? "COMPLETED";
    l.op = "link";
    delete l.before_unlink;
    mirror(ctx.state, number, mirrorOf(l), l.status === "FAILED" ? null : campaignId);
    linkCallback(ctx, l, "number_unlinking", "failed");
    return l.status;
  }
  throw badRequest(`outcome ${outcome} does not apply to an unlink (use success or failure)`);
}

function linkStatus(ctx: Ctx, id: string): string | undefined {
  const { campaignId, number } = parseLinkId(id);
  const l = findLink(ctx.state, campaignId, number);
  return l ? (l.op === "unlink" && l.status === "PROCESSING" ? "PROCESSING (unlinking)" : l.status) : undefined;
}

/** Count a read of whatever is in progress for this link. */
function readLink(ctx: Ctx, l: CampaignLink): void {
  const id = linkId(l.campaign_id, l.number);
  if (isPending(ctx, "link", id)) countRead(ctx, "link", id);
  else if (isPending(ctx, "unlink", id)) countRead(ctx, "unlink", id);
}

function envelope(c: CampaignRecord, links: CampaignLink[]): Record<string, unknown> {
  return {
    campaign_alias: c.campaign_alias,
    campaign_id: c.campaign_id,
    phone_numbers: links.map((l) => ({ number: l.number, status: l.status })),
    usecase: c.usecase,
  };
}

function campaignOf(ctx: Ctx, req: FastifyRequest<{ Params: { id: string } }>): CampaignRecord {
  const c = findCampaign(ctx.state, req.params.id);
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
  for (const base of tenDlcPaths("/Campaign/:id/Number/")) {
    api.post<{ Params: { id: string } }>(base, async (req, reply) => {
      const state = ctx.state;
      const c = campaignOf(ctx, req);
      const p = requestParams(req);
      const numbers = parseNumbers(p.raw.numbers);
      const cb = callbackParams(p);
      if (c.registration_status !== "ACTIVE") {
        throw badRequest(
          `Campaign ${c.campaign_id} is not ACTIVE (registration_status ${c.registration_status}); numbers can be linked only to ACTIVE campaigns`,
        );
      }
      // validate every number before linking any
      for (const number of numbers) {
        const n = findNumber(state, number);
        if (!n) throw badRequest(`The number ${number} is not a valid number: it is not rented in this account`);
        if (n.country_iso2 !== "US" || (n.number_type !== "local" && n.number_type !== "fixed")) {
          throw badRequest(`The number ${number} is not a US local long code; only US long codes can be linked to a 10DLC campaign`);
        }
        if (!n.sms_enabled) throw badRequest(`The number ${number} is not SMS-enabled`);
        const busy = state.campaign_links.find((l) => l.number === number && l.status !== "FAILED");
        if (busy) throw badRequest(`The number ${number} is already requested for linking`);
      }
      for (const number of numbers) {
        // a FAILED attempt is superseded by the new request
        for (const old of state.campaign_links.filter((l) => l.number === number)) removeLink(ctx, old);
        const l: CampaignLink = {
          campaign_id: c.campaign_id,
          number,
          status: "PROCESSING",
          op: "link",
          url: cb.url,
          method: cb.method,
          created_at: isoMicros(ctx.now()),
        };
        state.campaign_links.push(l);
        mirror(state, number, "PROCESSING", c.campaign_id);
        linkCallback(ctx, l, "number_linking", "created");
        submit(ctx, "link", linkId(c.campaign_id, number), { number });
      }
      return send(reply, 202, {
        message: `Request to link ${numbers.join(",")} to campaign ${c.campaign_id} was received and is being processed`,
      });
    });

    api.get<{ Params: { id: string } }>(base, async (req, reply) => {
      const c = campaignOf(ctx, req);
      for (const l of ctx.state.campaign_links.filter((x) => x.campaign_id === c.campaign_id)) readLink(ctx, l);
      const links = ctx.state.campaign_links.filter((x) => x.campaign_id === c.campaign_id);
      const page = paginate(req, links);
      await persistIfDirty(ctx);
      const body = envelope(c, page.objects);
      return send(reply, 200, { ...body, meta: page.meta });
    });

    api.get<{ Params: { id: string; number: string } }>(`${base}:number/`, async (req, reply) => {
      const c = campaignOf(ctx, req);
      const number = normalizeNumber(req.params.number);
      const before = findLink(ctx.state, c.campaign_id, number);
      if (!before) throw notFound();
      readLink(ctx, before);
      const l = findLink(ctx.state, c.campaign_id, number);
      await persistIfDirty(ctx);
      if (!l) throw notFound(); // the unlink completed on this read
      return send(reply, 200, envelope(c, [l]));
    });

    api.delete<{ Params: { id: string; number: string } }>(`${base}:number/`, async (req, reply) => {
      const state = ctx.state;
      const c = campaignOf(ctx, req);
      const number = normalizeNumber(req.params.number);
      const p = requestParams(req);
      const cb = callbackParams(p);
      const l = findLink(state, c.campaign_id, number);
      if (!l) throw badRequest(`The number ${req.params.number} is not a valid number`);
      const message = `Request to unlink ${number} from campaign ${c.campaign_id} was received and is being processed`;
      if (l.op === "unlink" && l.status === "PROCESSING") {
        // already being unlinked: the request is idempotent
        return send(reply, 202, { message });
      }
      const id = linkId(c.campaign_id, number);
      cancel(ctx, "link", id);
      l.before_unlink = l.status === "PROCESSING" ? "COMPLETED" : l.status;
      l.status = "PROCESSING";
      l.op = "unlink";
      if (p.has("url")) {
        l.url = cb.url;
        l.method = cb.method;
      }
      mirror(state, number, "PROCESSING", c.campaign_id);
      linkCallback(ctx, l, "number_unlinking", "created");
      submit(ctx, "unlink", id, { number });
      return send(reply, 202, { message });
    });
  }
}

export default defineResource({
  name: "campaignNumbers",
  initState(state) {
    initTransitionsState(state);
    state.campaign_links ??= [];
  },
  setup(ctx) {
    registerAsyncHandler({ kind: "link", status: linkStatus, resolve: resolveLink });
    registerAsyncHandler({ kind: "unlink", status: linkStatus, resolve: resolveUnlink });
    ctx.hooks.on("number.released", ({ number }) => {
      for (const l of ctx.state.campaign_links.filter((x) => x.number === number)) removeLink(ctx, l);
    });
    ctx.hooks.on("campaign.expired", ({ campaign_id }) => {
      for (const l of ctx.state.campaign_links.filter((x) => x.campaign_id === campaign_id)) removeLink(ctx, l);
    });
  },
  routes: register,
});
