/**
 * What a planned change costs (docs/cost.md), once for both its readers: the preview row of the resource
 * (core/preview.ts) and `pulumi-plivo cost` (cli/cost.ts), so the two always say the same amounts.
 *
 * "One-time" is what is charged at the action: a number's setup fee and its pro-rated first month, a brand's
 * registration, a campaign's vetting and its first month, a re-vetting. "Monthly" is the change of the recurring
 * monthly bill: a rented number's rental and a registered campaign's fee, negative for what a change releases.
 * Amounts of numbers come from the account (prices.ts), the 10DLC fees from the fee table (schema/fees.ts, with the
 * stack's overrides); what cannot be priced says why instead of an amount.
 */
import { containsUnknown } from "../core/unknowns";
import type { Props } from "../core/handler";
import type { PhoneNumberSearch } from "../../schema/phoneNumber";
import type { TenDlcFees } from "../../schema/fees";
import { proratedFirstMonth, rateCents, usd } from "./money";
import { isUnpriced, type NumberQuery, type PriceBook } from "./prices";

export type PlannedOp = "create" | "update" | "replace" | "delete";

/** The cost of one planned change. */
export interface Cost {
  /** Charged at the action, in cents. */
  oneTime: number;
  /** Change of the monthly bill, in cents (negative when it goes down). */
  monthly: number;
  /** What it buys or releases, with the amounts ("rents a local US number: $0.50 setup, …"). */
  says: string;
  /** Why it cannot be undone, when it cannot (what happens to what it releases). */
  irreversible?: string;
  /** Set when the amounts could not be established: why (the amounts are then 0 and must not be summed as known). */
  unpriced?: string;
}

/** Statuses in which a campaign's monthly fee is billed (docs/plivo-api.md §19). */
const BILLED_CAMPAIGN = ["PROCESSING", "ACTIVE"];

/** What Plivo does with a released number (docs/plivo-api.md §2.5). */
export const RELEASED_NUMBER =
  "Plivo holds an unrented number for 10 days, reclaimable in the console only during the first 5 (billed as a new purchase), then returns it to the carrier";
/** What a deactivated campaign becomes (docs/plivo-api.md §8.5). */
const DEACTIVATED_CAMPAIGN = "a deactivated campaign stays EXPIRED and its numbers must be linked to another campaign";

const known = (v: unknown) => v !== undefined && v !== null && !containsUnknown(v);

/** The monthly fee of a campaign's use case. */
function campaignMonthly(fees: TenDlcFees, usecase: unknown): string | undefined {
  return typeof usecase === "string" ? fees.campaignMonthly[usecase] : undefined;
}

/** A number's create: undefined when `adopted` (nothing is bought). */
async function numberCreate(inputs: Props, book: PriceBook | undefined, why?: string): Promise<Cost> {
  const generic = "rents a number: a one-time setup fee, the rest of this month, then a monthly rental";
  const unpriced = (reason: string): Cost => ({ oneTime: 0, monthly: 0, says: generic, unpriced: reason });
  if (!book) return unpriced(why ?? "prices not read");
  let query: NumberQuery;
  if (typeof inputs.number === "string" && known(inputs.number)) query = { number: inputs.number };
  else if (inputs.search && known((inputs.search as PhoneNumberSearch).countryIso)) query = { search: inputs.search as PhoneNumberSearch };
  else return unpriced("the number or its country is known only at up");
  const price = await book.numberPrice(query);
  if (isUnpriced(price)) return unpriced(price.unpriced);
  const today = await book.ensureToday();
  if (!today) return unpriced("the API gave no date to pro-rate the first month on");
  const setup = rateCents(price.setup);
  const monthly = rateCents(price.monthly);
  const first = proratedFirstMonth(price.monthly, today);
  return {
    oneTime: setup + first.cents,
    monthly,
    says: `rents a ${price.what}: ${usd(setup)} setup, ${usd(first.cents)} for the rest of this month (${first.days}/30 days), then ${usd(monthly)}/month`,
  };
}

/** A rented number's release (its state's `monthlyRentalRate`). */
function numberRelease(id: string, olds: Props): Cost {
  const rate = olds.monthlyRentalRate;
  const irreversible = RELEASED_NUMBER;
  if (typeof rate !== "string") return { oneTime: 0, monthly: 0, says: `releases ${id}`, irreversible, unpriced: "its monthly rate is not in the state" };
  const monthly = rateCents(rate);
  return { oneTime: 0, monthly: -monthly, says: `releases ${id}: the monthly bill goes down by ${usd(monthly)}`, irreversible };
}

function campaignCreate(inputs: Props, fees: TenDlcFees): Cost {
  const vetting = rateCents(fees.campaignVetting);
  const fee = campaignMonthly(fees, inputs.usecase);
  if (fee === undefined) {
    return {
      oneTime: vetting,
      monthly: 0,
      says: `submits a 10DLC campaign for carrier vetting: ${usd(vetting)} vetting, then a monthly fee by use case`,
      unpriced: "its use case is known only at up",
    };
  }
  const m = rateCents(fee);
  return {
    oneTime: vetting + m,
    monthly: m,
    says: `submits a 10DLC campaign (${String(inputs.usecase)}) for carrier vetting: ${usd(vetting)} vetting and ${usd(m)} for the first month now, then ${usd(m)}/month`,
  };
}

function campaignDelete(id: string, olds: Props, fees: TenDlcFees): Cost {
  const irreversible = DEACTIVATED_CAMPAIGN;
  const fee = campaignMonthly(fees, olds.usecase);
  const billed = BILLED_CAMPAIGN.includes(String(olds.registrationStatus));
  if (!billed)
    return {
      oneTime: 0,
      monthly: 0,
      says: `deactivates campaign ${id} (${String(olds.registrationStatus ?? "status unknown")}: no monthly fee to save)`,
      irreversible,
    };
  if (fee === undefined) return { oneTime: 0, monthly: 0, says: `deactivates campaign ${id}`, irreversible, unpriced: "its use case is not in the state" };
  const m = rateCents(fee);
  return { oneTime: 0, monthly: -m, says: `deactivates campaign ${id}: the monthly bill goes down by ${usd(m)}`, irreversible };
}

/** A campaign update: a FAILED campaign is resubmitted (vetted and billed again, its fee resumes); else free. */
export function campaignUpdate(id: string, olds: Props, fees: TenDlcFees): Cost | undefined {
  if (olds.registrationStatus !== "FAILED") return undefined;
  const vetting = rateCents(fees.campaignVetting);
  const fee = campaignMonthly(fees, olds.usecase);
  const m = fee === undefined ? 0 : rateCents(fee);
  return {
    oneTime: vetting,
    monthly: m,
    says: `resubmits FAILED campaign ${id} for carrier vetting: ${usd(vetting)} vetting now${m ? `, and its ${usd(m)}/month fee resumes` : ""}`,
    ...(fee === undefined ? { unpriced: "its use case is not in the state" } : {}),
  };
}

/** Creates of a type: undefined when the type costs nothing to create. */
export async function createCost(type: string, inputs: Props, fees: TenDlcFees, book?: PriceBook, whyNoBook?: string): Promise<Cost | undefined> {
  switch (type) {
    case "PhoneNumber":
      return numberCreate(inputs, book, whyNoBook);
    case "Brand": {
      const fee = rateCents(fees.brandRegistration);
      return { oneTime: fee, monthly: 0, says: `registers a 10DLC brand with The Campaign Registry: ${usd(fee)} once` };
    }
    case "Campaign":
      return campaignCreate(inputs, fees);
    default:
      return undefined;
  }
}

/** Deletes of a type (from the state's outputs): undefined when nothing is saved or lost for good. */
export function deleteCost(type: string, id: string, olds: Props, fees: TenDlcFees): Cost | undefined {
  switch (type) {
    case "PhoneNumber":
      return numberRelease(id, olds);
    case "Campaign":
      return campaignDelete(id, olds, fees);
    default:
      return undefined;
  }
}

/** Sums a replacement: the new object's create and the old one's delete. */
export function combine(created: Cost | undefined, deleted: Cost | undefined): Cost | undefined {
  if (!created) return deleted;
  if (!deleted) return created;
  const unpriced = [created.unpriced, deleted.unpriced].filter(Boolean).join("; ");
  return {
    oneTime: created.oneTime + deleted.oneTime,
    monthly: created.monthly + deleted.monthly,
    says: `${created.says}; ${deleted.says}`,
    ...(deleted.irreversible ? { irreversible: deleted.irreversible } : {}),
    ...(unpriced ? { unpriced } : {}),
  };
}

/** What a planned change costs, or undefined when it costs and saves nothing. */
export async function planCost(
  change: { type: string; op: PlannedOp; id?: string; inputs?: Props; olds?: Props; adopts?: boolean },
  fees: TenDlcFees,
  book?: PriceBook,
  whyNoBook?: string,
): Promise<Cost | undefined> {
  const id = change.id ?? "?";
  switch (change.op) {
    case "create":
      return change.adopts ? undefined : createCost(change.type, change.inputs ?? {}, fees, book, whyNoBook);
    case "delete":
      return deleteCost(change.type, id, change.olds ?? {}, fees);
    case "replace":
      return combine(await createCost(change.type, change.inputs ?? {}, fees, book, whyNoBook), deleteCost(change.type, id, change.olds ?? {}, fees));
    case "update":
      return change.type === "Campaign" ? campaignUpdate(id, change.olds ?? {}, fees) : undefined;
  }
}
