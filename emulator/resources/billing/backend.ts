/**
 * Billing (emulator/README.md, Billing; docs/plivo-api.md §19): every charge the emulator makes is a ledger entry
 * `{action:"charge", resource, id, what, kind, amount}` — every charge the emulator makes is `one-time`: what is paid
 * at the action (setup fees, a number's pro-rated first month, brand registrations, campaign vetting and a campaign's
 * first month); `monthly` would be a renewal on the 1st, which the emulator does not charge — and the bill (`GET
 * /__emulator/bill`) sums them per billed object: the one-time charges so far, and the current monthly total (the
 * rented numbers' `monthly_rental_rate` and the fees of the campaigns that are registered or being registered).
 *
 * Charges follow the other backends' events (`number.bought`, `registration.submitted`); amounts come from the
 * records (a number's own rates) and the fee schedule (pricing/rates.ts), in exact cents (money.ts).
 */
import type { Ctx } from "../../context";
import { formatCents, proratedFirstMonth, rateToCents } from "../../money";
import type { Table } from "../../store/table";
import type { AccountNumber } from "../numbers/backend";
import { TENDLC_FEES } from "../pricing/rates";

/** What the emulator charges is paid at the action (`one-time`); `monthly` names a renewal, never charged here. */
export type ChargeKind = "one-time" | "monthly";

/** One billed object: what it is and the one-time charges made for it so far. */
export interface BillingItem {
  /** `${resource}/${id}` */
  key: string;
  resource: string;
  id: string;
  what: string;
  one_time_cents: number;
  /** a campaign's first month is charged once, at its first submission */
  first_month_charged: boolean;
}

export interface BillItem {
  resource: string;
  id: string;
  what: string;
  oneTime: string;
  monthly: string;
}

export interface Bill {
  currency: "USD";
  /** the emulator clock's date (UTC): the day pro-rating would use now */
  date: string;
  oneTime: string;
  monthly: string;
  items: BillItem[];
}

declare module "../../context" {
  interface Backends {
    billing: BillingBackend;
  }
}

/** Campaign statuses that cost the monthly fee: registered, or being registered. */
const BILLED_CAMPAIGN_STATUSES: readonly string[] = ["PROCESSING", "ACTIVE"];

export class BillingBackend {
  readonly items: Table<BillingItem>;

  constructor(private readonly ctx: Ctx) {
    this.items = ctx.store.table<BillingItem>("billing_items", (i) => i.key);
    ctx.hooks.on("number.bought", ({ number }) => {
      const n = ctx.backends.numbers.get(number);
      if (n) this.numberBought(n);
    });
    ctx.hooks.on("registration.submitted", ({ kind, id }) => {
      if (kind === "brand") this.charge("brand", id, this.brandWhat(id), "brand registration", "one-time", rateToCents(TENDLC_FEES.brandRegistration));
      else if (kind === "campaign") this.campaignSubmitted(id);
    });
  }

  /** Setup fee and the pro-rated first month, on the emulator clock's date of the purchase. */
  private numberBought(n: AccountNumber): void {
    const what = `${n.country_iso2} ${n.number_type} number`;
    this.charge("PhoneNumber", n.number, what, "setup fee", "one-time", rateToCents(n.source.setup_rate), n.number);
    const first = proratedFirstMonth(n.monthly_rental_rate, this.ctx.now());
    this.charge("PhoneNumber", n.number, what, `first month, ${first.days}/30 days of ${n.monthly_rental_rate}`, "one-time", first.cents, n.number);
  }

  /** Every submission is vetted; the first one also pays the campaign's first month. */
  private campaignSubmitted(id: string): void {
    const c = this.ctx.backends.campaigns.get(id);
    const what = `10DLC campaign (${c?.usecase ?? "?"})`;
    const key = `campaign/${id}`;
    const first = !this.items.get(key)?.first_month_charged;
    this.charge(
      "campaign",
      id,
      what,
      first ? "campaign vetting" : "campaign re-vetting (update of a FAILED campaign)",
      "one-time",
      rateToCents(TENDLC_FEES.campaignVetting),
    );
    if (first) {
      this.charge("campaign", id, what, "campaign fee, first month", "one-time", rateToCents(TENDLC_FEES.campaignMonthly));
      this.items.edit(key)!.first_month_charged = true;
    }
  }

  private brandWhat(id: string): string {
    const b = this.ctx.backends.brands.get(id);
    return `10DLC brand${b ? ` ${b.brand_alias} (${b.brand_type})` : ""}`;
  }

  /** Record one charge in the ledger and on its object's item. */
  private charge(resource: string, id: string, what: string, chargeWhat: string, kind: ChargeKind, cents: number, number?: string): void {
    const key = `${resource}/${id}`;
    const item = this.items.edit(key) ?? this.items.insert({ key, resource, id, what, one_time_cents: 0, first_month_charged: false });
    if (kind === "one-time") item.one_time_cents += cents;
    this.ctx.record({ action: "charge", resource, id, ...(number ? { number } : {}), what: chargeWhat, kind, amount: formatCents(cents) });
  }

  /** What `resource/id` costs every month now. */
  private monthlyCents(resource: string, id: string): number {
    if (resource === "PhoneNumber") {
      const n = this.ctx.backends.numbers.get(id);
      return n ? rateToCents(n.monthly_rental_rate) : 0;
    }
    if (resource === "campaign") {
      const c = this.ctx.backends.campaigns.get(id);
      return c && BILLED_CAMPAIGN_STATUSES.includes(c.registration_status) ? rateToCents(TENDLC_FEES.campaignMonthly) : 0;
    }
    return 0;
  }

  bill(): Bill {
    const items: BillItem[] = [];
    let oneTime = 0;
    let monthly = 0;
    const add = (resource: string, id: string, what: string, oneTimeCents: number): void => {
      const m = this.monthlyCents(resource, id);
      oneTime += oneTimeCents;
      monthly += m;
      items.push({ resource, id, what, oneTime: formatCents(oneTimeCents), monthly: formatCents(m) });
    };
    for (const i of this.items.values()) add(i.resource, i.id, i.what, i.one_time_cents);
    // numbers bought before the emulator billed (an older data file) still cost their monthly rate
    for (const n of this.ctx.backends.numbers.numbers.values()) {
      if (!this.items.has(`PhoneNumber/${n.number}`)) add("PhoneNumber", n.number, `${n.country_iso2} ${n.number_type} number`, 0);
    }
    return { currency: "USD", date: this.ctx.now().toISOString().slice(0, 10), oneTime: formatCents(oneTime), monthly: formatCents(monthly), items };
  }
}
