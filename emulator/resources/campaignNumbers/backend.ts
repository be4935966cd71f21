/**
 * Numbers linked to 10DLC campaigns (docs/plivo-api.md §9). A link is PROCESSING → COMPLETED | FAILED; an unlink
 * shows PROCESSING and then the link is gone; a failed unlink returns to its previous status. Both lifecycles run on
 * the transition engine. The account number mirrors the link (`tendlc_registration_status`, `tendlc_campaign_id`)
 * through the numbers backend. Releasing a number drops its links; deactivating a campaign drops the campaign's.
 */
import type { Ctx } from "../../context";
import { defineLifecycle, type LifecycleHandler } from "../../engine/lifecycle";
import { badRequest, isoMicros, normalizeNumber } from "../../http";
import type { Table } from "../../store/table";
import type { CampaignRecord } from "../campaign/backend";

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

declare module "../../context" {
  interface Backends {
    campaignNumbers: CampaignNumbersBackend;
  }
}

export const linkLifecycle = defineLifecycle({
  kind: "link",
  statusField: "status",
  pending: ["PROCESSING"],
  outcomes: { success: "COMPLETED", failure: "FAILED" },
});

export const unlinkLifecycle = defineLifecycle({
  kind: "unlink",
  statusField: "status",
  pending: ["PROCESSING"],
  outcomes: { success: "UNLINKED", failure: "COMPLETED" },
  ledger: { action: "unlink", resource: "link" },
});

export const linkId = (campaignId: string, number: string): string => `${campaignId}/${number}`;

function parseLinkId(id: string): { campaignId: string; number: string } {
  const i = id.indexOf("/");
  if (i <= 0) throw badRequest(`link id must be {campaign_id}/{number} (got ${id})`);
  return { campaignId: id.slice(0, i), number: normalizeNumber(id.slice(i + 1)) };
}

export class CampaignNumbersBackend {
  readonly links: Table<CampaignLink>;

  constructor(private readonly ctx: Ctx) {
    this.links = ctx.store.table<CampaignLink>("campaign_links", (l) => linkId(l.campaign_id, l.number));
    const byId = (id: string) => {
      const { campaignId, number } = parseLinkId(id);
      return this.links.get(linkId(campaignId, number));
    };
    const canonicalId = (id: string) => {
      const { campaignId, number } = parseLinkId(id);
      return linkId(campaignId, number);
    };
    const linking: LifecycleHandler = {
      canonicalId,
      status: (id) => {
        const l = byId(id);
        return l ? (l.op === "unlink" && l.status === "PROCESSING" ? "PROCESSING (unlinking)" : l.status) : undefined;
      },
      apply: (id, outcome) => this.settleLink(byId(id), outcome),
    };
    const unlinking: LifecycleHandler = {
      canonicalId,
      status: (id) => {
        const l = byId(id);
        return l ? (l.op === "link" && l.status === "PROCESSING" ? "PROCESSING (linking)" : l.status) : undefined;
      },
      apply: (id, outcome) => this.settleUnlink(byId(id), outcome),
    };
    ctx.engine.register(linkLifecycle, linking);
    ctx.engine.register(unlinkLifecycle, unlinking);
  }

  get(campaignId: string, number: string): CampaignLink | undefined {
    return this.links.get(linkId(campaignId, number));
  }

  ofCampaign(campaignId: string): CampaignLink[] {
    return this.links.filter((l) => l.campaign_id === campaignId);
  }

  /** Numbers of the campaign being linked or unlinked (a campaign cannot be deactivated meanwhile). */
  busyNumbers(campaignId: string): string[] {
    return this.links.filter((l) => l.campaign_id === campaignId && l.status === "PROCESSING").map((l) => l.number);
  }

  /** Link numbers to an ACTIVE campaign, all or nothing. */
  link(c: CampaignRecord, numbers: string[], cb: { url: string | null; method: "GET" | "POST" }): void {
    if (c.registration_status !== "ACTIVE") {
      throw badRequest(
        `Campaign ${c.campaign_id} is not ACTIVE (registration_status ${c.registration_status}); numbers can be linked only to ACTIVE campaigns`,
      );
    }
    const accountNumbers = this.ctx.backends.numbers;
    for (const number of numbers) {
      const n = accountNumbers.get(number);
      if (!n) throw badRequest(`The number ${number} is not a valid number: it is not rented in this account`);
      if (n.country_iso2 !== "US" || (n.number_type !== "local" && n.number_type !== "fixed")) {
        throw badRequest(`The number ${number} is not a US local long code; only US long codes can be linked to a 10DLC campaign`);
      }
      if (!n.sms_enabled) throw badRequest(`The number ${number} is not SMS-enabled`);
      if (this.links.some((l) => l.number === number && l.status !== "FAILED")) throw badRequest(`The number ${number} is already requested for linking`);
    }
    for (const number of numbers) {
      // a FAILED attempt is superseded by the new request
      for (const old of this.links.filter((l) => l.number === number)) this.remove(old);
      const l = this.links.insert({
        campaign_id: c.campaign_id,
        number,
        status: "PROCESSING",
        op: "link",
        url: cb.url,
        method: cb.method,
        created_at: isoMicros(this.ctx.now()),
      });
      accountNumbers.setTendlc(number, "PROCESSING", c.campaign_id);
      this.callback(l, "number_linking", "created");
      this.ctx.engine.submit(linkLifecycle.kind, linkId(c.campaign_id, number), { number });
    }
  }

  /** Start unlinking; a repeated unlink while unlinking is a no-op. */
  unlink(campaignId: string, number: string, cb: { url: string | null; method: "GET" | "POST" } | undefined): void {
    const cur = this.get(campaignId, number);
    if (!cur) throw badRequest(`The number ${number} is not a valid number`);
    if (cur.op === "unlink" && cur.status === "PROCESSING") return;
    const id = linkId(campaignId, number);
    this.ctx.engine.cancel(linkLifecycle.kind, id);
    const l = this.links.edit(id)!;
    l.before_unlink = l.status === "PROCESSING" ? "COMPLETED" : l.status;
    l.status = "PROCESSING";
    l.op = "unlink";
    if (cb) {
      l.url = cb.url;
      l.method = cb.method;
    }
    this.ctx.backends.numbers.setTendlc(number, "PROCESSING", campaignId);
    this.callback(l, "number_unlinking", "created");
    this.ctx.engine.submit(unlinkLifecycle.kind, id, { number });
  }

  /** Count a read of whatever is in progress for this link. */
  read(l: CampaignLink): void {
    const id = linkId(l.campaign_id, l.number);
    if (this.ctx.engine.isPending(linkLifecycle.kind, id)) this.ctx.engine.read(linkLifecycle.kind, id);
    else if (this.ctx.engine.isPending(unlinkLifecycle.kind, id)) this.ctx.engine.read(unlinkLifecycle.kind, id);
  }

  dropNumber(number: string): void {
    for (const l of this.links.filter((x) => x.number === number)) this.remove(l);
  }

  dropCampaign(campaignId: string): void {
    for (const l of this.ofCampaign(campaignId)) this.remove(l);
  }

  private remove(l: CampaignLink): void {
    const id = linkId(l.campaign_id, l.number);
    this.links.delete(id);
    this.ctx.engine.cancel(linkLifecycle.kind, id);
    this.ctx.engine.cancel(unlinkLifecycle.kind, id);
    // reset the mirror only when it still describes this link
    const n = this.ctx.backends.numbers.get(l.number);
    if (n && (n.tendlc_campaign_id === l.campaign_id || n.tendlc_campaign_id === null)) this.ctx.backends.numbers.setTendlc(l.number, "UNREGISTERED", null);
  }

  private settleLink(cur: CampaignLink | undefined, outcome: string): string {
    if (!cur) return "NOT_FOUND";
    if (cur.status !== "PROCESSING" || cur.op !== "link") return cur.status;
    const l = this.links.edit(linkId(cur.campaign_id, cur.number))!;
    if (outcome === "success") {
      l.status = "COMPLETED";
      this.ctx.backends.numbers.setTendlc(l.number, "COMPLETED", l.campaign_id);
      this.callback(l, "number_linking", "success");
    } else {
      l.status = "FAILED";
      this.ctx.backends.numbers.setTendlc(l.number, "UNREGISTERED", null);
      this.callback(l, "number_linking", "failed");
    }
    return l.status;
  }

  private settleUnlink(cur: CampaignLink | undefined, outcome: string): string {
    if (!cur) return "NOT_FOUND";
    if (cur.status !== "PROCESSING" || cur.op !== "unlink") return cur.status;
    if (outcome === "success") {
      this.remove(cur);
      this.callback(cur, "number_unlinking", "success");
      return "UNLINKED";
    }
    const l = this.links.edit(linkId(cur.campaign_id, cur.number))!;
    l.status = l.before_unlink ?? "COMPLETED";
    l.op = "link";
    delete l.before_unlink;
    this.ctx.backends.numbers.setTendlc(l.number, l.status === "FAILED" ? "UNREGISTERED" : l.status, l.status === "FAILED" ? null : l.campaign_id);
    this.callback(l, "number_unlinking", "failed");
    return l.status;
  }

  private callback(l: CampaignLink, event: "number_linking" | "number_unlinking", status: string): void {
    this.ctx.callbacks.send({
      resource: event === "number_linking" ? "link" : "unlink",
      id: linkId(l.campaign_id, l.number),
      status,
      url: l.url,
      method: l.method,
      payload: { event, status, campaign_id: l.campaign_id, number: l.number },
    });
  }
}
