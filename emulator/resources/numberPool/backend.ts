/**
 * Number pool backend: the members of each Powerpack's pool (docs/plivo-api.md §5). A number must be rented in the
 * account (or bought with `rent:true`), enabled for the service; toll-free only through the toll-free operations,
 * long codes only through the number ones; one toll-free per pool; a number in one pool only. Adding to a
 * Powerpack with an XML application points the number at it.
 */
import type { Ctx } from "../../context";
import { ApiError, badRequest, isoMicros, notFound } from "../../http";
import type { Table } from "../../store/table";
import type { PowerpackRecord } from "../powerpack/backend";

export type MemberKind = "number" | "tollfree" | "shortcode";

export interface PoolMember {
  number_pool_uuid: string;
  /** phone number, or the short code for kind "shortcode" */
  number: string;
  kind: MemberKind;
  type: "fixed" | "mobile" | "tollfree" | "shortcode";
  service: "sms" | "mms";
  country_iso2: string;
  added_on: string;
}

declare module "../../context" {
  interface Backends {
    numberPool: NumberPoolBackend;
  }
}

const memberKey = (poolUuid: string, number: string, kind: MemberKind) => `${poolUuid}/${kind === "shortcode" ? "sc:" : ""}${number}`;

export class NumberPoolBackend {
  readonly members: Table<PoolMember>;

  constructor(private readonly ctx: Ctx) {
    this.members = ctx.store.table<PoolMember>("pool_members", (m) => memberKey(m.number_pool_uuid, m.number, m.kind));
  }

  /** The Powerpack owning a pool; 404 when there is none. */
  pool(poolUuid: string): PowerpackRecord {
    const pp = this.ctx.backends.powerpacks.byPool(poolUuid);
    if (!pp) throw notFound();
    return pp;
  }

  membersOf(poolUuid: string, kinds?: readonly MemberKind[]): PoolMember[] {
    return this.members.filter((m) => m.number_pool_uuid === poolUuid && (kinds === undefined || kinds.includes(m.kind)));
  }

  find(poolUuid: string, number: string, kinds: readonly MemberKind[]): PoolMember | undefined {
    for (const k of kinds) {
      const m = this.members.get(memberKey(poolUuid, number, k === "tollfree" ? "tollfree" : k));
      if (m && m.kind === k) return m;
    }
    return undefined;
  }

  add(poolUuid: string, number: string, kind: "number" | "tollfree", service: "sms" | "mms", rent: boolean): PoolMember {
    const pp = this.pool(poolUuid);
    const numbers = this.ctx.backends.numbers;
    let rec = numbers.get(number);
    const existing = this.members.find((m) => m.number === number && m.kind !== "shortcode");
    if (existing) {
      throw badRequest(
        existing.number_pool_uuid === poolUuid ? `number ${number} is already in this number pool` : `number ${number} is already in another number pool`,
      );
    }
    if (!rec && rent) {
      // validate everything that does not depend on the purchase first
      const item = numbers.inventoryItem(number);
      if (!item) throw notFound();
      checkKind(kind, item.type === "tollfree", number);
      checkService(service, item.sms_enabled, item.mms_enabled, number);
      if (kind === "tollfree") this.checkSingleTollfree(poolUuid);
      rec = numbers.buy(number, { via: "NumberPoolMember" });
    }
    if (!rec) throw new ApiError(404, `number ${number} is not rented in this account`);
    checkKind(kind, rec.number_type === "tollfree", number);
    checkService(service, rec.sms_enabled, rec.mms_enabled, number);
    if (kind === "tollfree") this.checkSingleTollfree(poolUuid);
    const m = this.members.insert({
      number_pool_uuid: poolUuid,
      number,
      kind,
      type: rec.number_type === "tollfree" ? "tollfree" : rec.number_type === "mobile" ? "mobile" : "fixed",
      service,
      country_iso2: rec.country_iso2,
      added_on: isoMicros(this.ctx.now()),
    });
    const appId = this.ctx.backends.powerpacks.appIdOf(pp);
    if (appId) numbers.setApplication(number, appId);
    this.ctx.record({ action: "add", resource: "NumberPoolMember", id: `${pp.uuid}/${number}`, number, pool: poolUuid });
    return m;
  }

  /** Short codes have no Plivo API to be added: the control surface seeds them. */
  addShortcode(poolUuid: string, shortcode: string, countryIso2: string): PoolMember {
    if (this.members.some((m) => m.kind === "shortcode" && m.number === shortcode)) throw badRequest("shortcode already in a pool");
    return this.members.insert({
      number_pool_uuid: poolUuid,
      number: shortcode,
      kind: "shortcode",
      type: "shortcode",
      service: "sms",
      country_iso2: countryIso2,
      added_on: isoMicros(this.ctx.now()),
    });
  }

  remove(poolUuid: string, number: string, kinds: readonly MemberKind[], unrent: boolean): void {
    const pp = this.pool(poolUuid);
    const m = this.find(poolUuid, number, kinds);
    if (!m) throw notFound();
    this.members.delete(this.members.keyOf(m));
    this.ctx.record({ action: "remove", resource: "NumberPoolMember", id: `${pp.uuid}/${number}`, number, pool: poolUuid, unrent });
    // short codes are only unlinked, never unrented
    if (unrent && m.kind !== "shortcode" && this.ctx.backends.numbers.get(number)) this.ctx.backends.numbers.unrent(number, "NumberPoolMember");
  }

  /** A number left the account: it leaves its pool. */
  dropNumber(number: string): void {
    this.members.deleteWhere((m) => m.kind !== "shortcode" && m.number === number);
  }

  /** A Powerpack was deleted: its members go (and with `unrent`, their numbers). */
  dropPool(powerpackUuid: string, poolUuid: string, unrent: boolean): void {
    for (const m of this.members.deleteWhere((x) => x.number_pool_uuid === poolUuid)) {
      this.ctx.record({ action: "remove", resource: "NumberPoolMember", id: `${powerpackUuid}/${m.number}`, number: m.number, pool: poolUuid, unrent });
      if (unrent && m.kind !== "shortcode" && this.ctx.backends.numbers.get(m.number)) this.ctx.backends.numbers.unrent(m.number, "Powerpack");
    }
  }

  private checkSingleTollfree(poolUuid: string): void {
    const tf = this.membersOf(poolUuid, ["tollfree"]);
    if (tf.length > 0) throw badRequest(`only one toll-free number can be present in a number pool (pool already has ${tf[0].number})`);
  }
}

function checkKind(kind: "number" | "tollfree", tollfree: boolean, number: string): void {
  if (kind === "number" && tollfree) throw badRequest(`number ${number} is a toll-free number: add it with /NumberPool/{uuid}/Tollfree/${number}/`);
  if (kind === "tollfree" && !tollfree) throw badRequest(`number ${number} is not a toll-free number: add it with /NumberPool/{uuid}/Number/${number}/`);
}

function checkService(service: "sms" | "mms", sms: boolean, mms: boolean, number: string): void {
  if (service === "sms" && !sms) throw badRequest(`number ${number} is not SMS-enabled`);
  if (service === "mms" && !mms) throw badRequest(`number ${number} is not MMS-enabled`);
}
