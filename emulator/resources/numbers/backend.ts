/**
 * Phone numbers backend (docs/plivo-api.md §2): the seeded inventory, the numbers rented by the account and the
 * unrent reserve. Other backends change a number only through the operations here (the 10DLC and toll-free
 * mirrors, the application a Powerpack points it at).
 */
import { sees, type Caller } from "../../accounts";
import type { Ctx } from "../../context";
import { badRequest, notFound, ymd } from "../../http";
import type { Table } from "../../store/table";

/** A number available for purchase (the `/PhoneNumber/` search object plus internals). */
export interface InventoryItem {
  number: string;
  /** ISO-3166 alpha-2, upper case (internal; not part of the API object). */
  country_iso: string;
  /** Country calling code without "+", e.g. "1", "44" (internal). */
  dial_code: string;
  /** State / province code for US and CA local numbers (internal). */
  region_code: string | null;
  prefix: string;
  city: string;
  country: string;
  region: string;
  rate_center: string | null;
  lata: number | null;
  type: "fixed" | "mobile" | "tollfree";
  sub_type: "local" | "fixed" | "mobile" | "tollfree" | "national";
  setup_rate: string;
  monthly_rental_rate: string;
  sms_enabled: boolean;
  sms_rate: string;
  mms_enabled: boolean;
  mms_rate: string;
  voice_enabled: boolean;
  voice_rate: string;
  restriction: string | null;
  restriction_text: string | null;
}

export interface ReservedNumber {
  number: string;
  unrented_at: string;
  /** the end of the carrier reserve (10 days) */
  reserved_until: string;
  /** the end of the console's self-service reclaim window (5 days) */
  reclaimable_until: string;
  item: InventoryItem;
}

export type NumberType = "local" | "fixed" | "tollfree" | "mobile" | "national";

export interface AccountNumber {
  number: string;
  alias: string | null;
  sub_account: string | null;
  added_on: string;
  app_id: string | null;
  carrier: string;
  city: string;
  country: string;
  country_iso2: string;
  region: string;
  number_type: NumberType;
  monthly_rental_rate: string;
  renewal_date: string;
  sms_enabled: boolean;
  sms_rate: string;
  mms_enabled: boolean;
  mms_rate: string;
  voice_enabled: boolean;
  voice_rate: string;
  cnam_lookup: "enabled" | "disabled" | null;
  cnam: string | null;
  cnam_callback_url: string | null;
  cnam_callback_method: "GET" | "POST";
  caller_reputation_status: "PENDING" | "ACTIVE" | "FAILED" | "NOT_ENROLLED" | null;
  caller_reputation_callback_url: string | null;
  caller_reputation_callback_method: "GET" | "POST";
  profile_uuid: string | null;
  /** mirrors of the 10DLC links (set through `setTendlc`) */
  tendlc_registration_status: "UNREGISTERED" | "PROCESSING" | "COMPLETED" | null;
  tendlc_campaign_id: string | null;
  /** mirrors of the toll-free verification (set through `setTollfreeVerification`) */
  toll_free_sms_verification: "UNVERIFIED" | "PENDING_VERIFICATION" | "VERIFIED" | null;
  toll_free_sms_verification_id: string | null;
  toll_free_sms_verification_order_status: string | null;
  compliance_application_id: string | null;
  compliance_status: string | null;
  ha_enable: boolean;
  /** the HA fallback number allocated at purchase with `ha_enable` */
  fallback_number: string | null;
  /** the inventory item it was bought from (returned to the reserve on unrent) */
  source: InventoryItem;
}

export type NumberPatch = Partial<
  Pick<
    AccountNumber,
    | "app_id"
    | "alias"
    | "sub_account"
    | "cnam_lookup"
    | "cnam"
    | "cnam_callback_url"
    | "cnam_callback_method"
    | "profile_uuid"
    | "caller_reputation_status"
    | "caller_reputation_callback_url"
    | "caller_reputation_callback_method"
    | "compliance_application_id"
  >
>;

declare module "../../context" {
  interface Backends {
    numbers: NumbersBackend;
  }
}

/** Plivo reserves an unrented number for 10 days, then returns it to the carrier (docs/plivo-api.md §2.5). */
export const RESERVE_DAYS = 10;
/** The console lets an account reclaim a number unrented in the last 5 days (docs/plivo-api.md §2.5). */
export const RECLAIM_DAYS = 5;

export interface BuyOptions {
  appId?: string;
  cnamLookup?: "enabled" | "disabled";
  haEnable?: boolean;
  complianceApplicationId?: string;
  /** ledger context, e.g. "NumberPoolMember" when bought through `rent:true` */
  via?: string;
}

export function cnamCapable(item: InventoryItem): boolean {
  return item.country_iso === "US" && (item.type === "fixed" || item.type === "tollfree");
}

function firstOfNextMonth(d: Date): string {
  return ymd(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)));
}

export class NumbersBackend {
  readonly inventory: Table<InventoryItem>;
  readonly reserved: Table<ReservedNumber>;
  readonly numbers: Table<AccountNumber>;

  constructor(private readonly ctx: Ctx) {
    this.inventory = ctx.store.table<InventoryItem>("inventory", (i) => i.number);
    this.reserved = ctx.store.table<ReservedNumber>("reserved", (r) => r.number);
    this.numbers = ctx.store.table<AccountNumber>("numbers", (n) => n.number);
  }

  get(number: string): AccountNumber | undefined {
    return this.numbers.get(number);
  }

  /** The number when `caller` sees it (a subaccount sees the numbers assigned to it; docs/plivo-api.md §16.3). */
  visible(caller: Caller, number: string): AccountNumber | undefined {
    const n = this.numbers.get(number);
    return n && sees(caller, n.sub_account) ? n : undefined;
  }

  /** A deleted subaccount's numbers are unrented (`cascade`) or go back to the main account. */
  subaccountDeleted(authId: string, cascade: boolean): void {
    for (const n of this.numbers.filter((x) => x.sub_account === authId)) {
      if (cascade) this.unrent(n.number, "Subaccount");
      else this.numbers.edit(n.number)!.sub_account = null;
    }
  }

  inventoryItem(number: string): InventoryItem | undefined {
    return this.inventory.get(number);
  }

  /** Buy an inventory number into the account. 404 "not found" when it is not available. */
  buy(number: string, opts: BuyOptions = {}): AccountNumber {
    const item = this.inventory.get(number);
    if (!item) throw notFound();
    const apps = this.ctx.backends.applications;
    if (opts.appId !== undefined && !apps.get(opts.appId)) throw badRequest(`app_id ${opts.appId} is not a valid application`);
    if (opts.cnamLookup !== undefined && !cnamCapable(item)) throw badRequest("cnam_lookup is only supported for US local and toll-free numbers");
    let fallback: InventoryItem | undefined;
    if (opts.haEnable) {
      // a high-availability number comes with a fallback of the same kind, from the same area code when possible
      const sameKind = (i: InventoryItem) => i.number !== number && i.country_iso === item.country_iso && i.type === item.type && i.sub_type === item.sub_type;
      fallback = this.inventory.find((i) => sameKind(i) && i.prefix === item.prefix) ?? this.inventory.find(sameKind);
      if (!fallback) throw badRequest(`ha_enable: no fallback number is available for ${number}`);
    }
    const now = this.ctx.now();
    const type: NumberType = item.type === "tollfree" ? "tollfree" : item.type === "mobile" ? "mobile" : item.sub_type === "national" ? "national" : "local";
    const isUs = item.country_iso === "US";
    this.inventory.delete(number);
    if (fallback) this.inventory.delete(fallback.number);
    const rec = this.numbers.insert({
      number: item.number,
      alias: null,
      sub_account: null,
      added_on: ymd(now),
      app_id: opts.appId ?? apps.defaultNumberApp()?.app_id ?? null,
      carrier: "Plivo",
      city: item.city,
      country: item.country,
      country_iso2: item.country_iso,
      region: item.city && item.region !== item.country ? `${item.region}, ${item.country}` : item.country,
      number_type: type,
      monthly_rental_rate: item.monthly_rental_rate,
      renewal_date: firstOfNextMonth(now),
      sms_enabled: item.sms_enabled,
      sms_rate: item.sms_rate,
      mms_enabled: item.mms_enabled,
      mms_rate: item.mms_rate,
      voice_enabled: item.voice_enabled,
      voice_rate: item.voice_rate,
      cnam_lookup: cnamCapable(item) ? (opts.cnamLookup ?? "disabled") : null,
      cnam: null,
      cnam_callback_url: null,
      cnam_callback_method: "POST",
      caller_reputation_status: null,
      caller_reputation_callback_url: null,
      caller_reputation_callback_method: "POST",
      profile_uuid: null,
      tendlc_registration_status: isUs && type !== "tollfree" ? "UNREGISTERED" : null,
      tendlc_campaign_id: null,
      toll_free_sms_verification: type === "tollfree" && (isUs || item.country_iso === "CA") ? "UNVERIFIED" : null,
      toll_free_sms_verification_id: null,
      toll_free_sms_verification_order_status: null,
      compliance_application_id: opts.complianceApplicationId ?? null,
      compliance_status: null,
      ha_enable: opts.haEnable ?? false,
      fallback_number: fallback?.number ?? null,
      source: item,
    });
    this.ctx.record({
      action: "buy",
      number: rec.number,
      resource: opts.via ?? "PhoneNumber",
      id: rec.number,
      ...(fallback ? { fallback_number: fallback.number } : {}),
    });
    this.ctx.hooks.emit("number.bought", { number: rec.number });
    return this.numbers.get(rec.number)!;
  }

  /** Unrent: out of the account, into the reserve; other backends drop their references. */
  unrent(number: string, via?: string): void {
    const rec = this.numbers.get(number);
    if (!rec) throw notFound();
    const now = this.ctx.now();
    this.numbers.delete(number);
    this.reserved.delete(number);
    this.reserved.insert({
      number,
      unrented_at: now.toISOString(),
      reserved_until: new Date(now.getTime() + RESERVE_DAYS * 86400_000).toISOString(),
      reclaimable_until: new Date(now.getTime() + RECLAIM_DAYS * 86400_000).toISOString(),
      item: rec.source,
    });
    this.ctx.record({ action: "unrent", number, resource: via ?? "PhoneNumber", id: number });
    this.ctx.hooks.emit("number.released", { number });
  }

  update(number: string, patch: NumberPatch): AccountNumber {
    const n = this.numbers.edit(number);
    if (!n) throw notFound();
    for (const [k, v] of Object.entries(patch)) if (v !== undefined) (n as unknown as Record<string, unknown>)[k] = v;
    this.ctx.record({ action: "update", resource: "PhoneNumber", id: number, number });
    return n;
  }

  /** The application the number answers with (a Powerpack with an XML application re-points its numbers). */
  setApplication(number: string, appId: string | null): void {
    const n = this.numbers.get(number);
    if (n && n.app_id !== appId) this.numbers.edit(number)!.app_id = appId;
  }

  /** 10DLC mirror (campaign number links). */
  setTendlc(number: string, status: "UNREGISTERED" | "PROCESSING" | "COMPLETED", campaignId: string | null): void {
    const n = this.numbers.get(number);
    if (!n || (n.tendlc_registration_status === status && n.tendlc_campaign_id === campaignId)) return;
    const e = this.numbers.edit(number)!;
    e.tendlc_registration_status = status;
    e.tendlc_campaign_id = campaignId;
  }

  /** Toll-free verification mirror. */
  setTollfreeVerification(
    number: string,
    v: Pick<AccountNumber, "toll_free_sms_verification" | "toll_free_sms_verification_id" | "toll_free_sms_verification_order_status">,
  ): void {
    const n = this.numbers.get(number);
    if (
      !n ||
      (n.toll_free_sms_verification === v.toll_free_sms_verification &&
        n.toll_free_sms_verification_id === v.toll_free_sms_verification_id &&
        n.toll_free_sms_verification_order_status === v.toll_free_sms_verification_order_status)
    ) {
      return;
    }
    Object.assign(this.numbers.edit(number)!, v);
  }

  /**
   * Add items to the inventory. Numbers already in the inventory are replaced; numbers rented in the account are
   * refused (400). Numbers in the unrent reserve are taken out of it (how a test reclaims one).
   */
  addInventory(items: InventoryItem[]): string[] {
    for (const item of items) if (this.numbers.has(item.number)) throw badRequest(`number ${item.number} is rented in the account`);
    for (const item of items) {
      this.reserved.delete(item.number);
      this.inventory.put(item);
    }
    return items.map((i) => i.number);
  }
}
