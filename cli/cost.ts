/**
 * `pulumi-plivo cost`: what a `pulumi preview --json` plan costs, for a pull-request comment and a pipeline gate
 * (docs/cost.md). Each Plivo change of the plan is priced as the preview row prices it (provider/cost/estimate.ts):
 * creates, updates and replacements from their new inputs, deletes from the state the preview shows (the engine
 * never asks the provider about a plain delete, so only the plan knows them). Numbers are priced from the account of
 * the stack (its Pricing API, search results and date); the 10DLC fees from the fee table and `plivo:fees`.
 *
 * The totals are exact sums of cents, or absent when any change could not be priced: never a wrong total.
 */
import type { TenDlcFees } from "../schema/fees";
import type { Props } from "../provider/core/handler";
import { containsUnknown } from "../provider/core/unknowns";
import { planCost, type Cost, type PlannedOp } from "../provider/cost/estimate";
import { decimal, toUnits, usd } from "../provider/cost/money";
import type { PriceBook } from "../provider/cost/prices";
import { plivoType } from "./stacks";

/** One Plivo change of a plan. */
export interface PlannedChange {
  urn: string;
  /** `PhoneNumber`, `Campaign`, … */
  type: string;
  /** The resource's name in the program. */
  name: string;
  op: PlannedOp;
  /** The object's id (updates, replacements, deletes). */
  id?: string;
  /** New inputs (creates, updates, replacements). */
  inputs?: Props;
  /** The state's outputs (updates, replacements, deletes). */
  olds?: Props;
}

export interface CostItem {
  resource: string;
  type: string;
  operation: PlannedOp;
  /** Decimal strings; null when the change could not be priced. */
  oneTime: string | null;
  monthly: string | null;
  says: string;
  irreversible?: string;
  /** Why the amounts are unknown (then `oneTime` and `monthly` are not counted). */
  unpriced?: string;
}

export interface CostReport {
  currency: "USD";
  /** The day the first months are pro-rated on (the API's date), when a number was priced. */
  date?: string;
  /** Charged at `pulumi up`; null when some change could not be priced. */
  oneTime: string | null;
  /** Change of the monthly bill (negative when it goes down); null when some change could not be priced. */
  monthly: string | null;
  items: CostItem[];
}

const OPS: Record<string, PlannedOp | undefined> = {
  create: "create",
  update: "update",
  replace: "replace",
  "create-replacement": "replace",
  delete: "delete",
};

/** The Plivo changes of `pulumi preview --json` (either form's type tokens), one per resource. */
export function plannedChanges(preview: any): PlannedChange[] {
  const steps: any[] = Array.isArray(preview?.steps) ? preview.steps : [];
  const replaced = new Set(steps.filter((s) => s.op === "replace").map((s) => s.urn));
  const changes: PlannedChange[] = [];
  for (const step of steps) {
    const op = OPS[String(step.op)];
    if (!op) continue;
    // A replacement may show as replace, create-replacement and delete-replaced: priced once.
    if (step.op === "create-replacement" && replaced.has(step.urn)) continue;
    const state = step.newState ?? step.oldState ?? {};
    const type = plivoType(String(state.type ?? ""));
    if (!type) continue;
    const old = step.oldState;
    // retainOnDelete keeps the object: its delete only leaves the state.
    if (op === "delete" && old?.retainOnDelete) continue;
    const urn = String(step.urn);
    changes.push({
      urn,
      type,
      name: urn.split("::").pop() ?? urn,
      op,
      ...(old?.id ? { id: String(old.id) } : {}),
      ...(op !== "delete" && step.newState?.inputs ? { inputs: step.newState.inputs } : {}),
      ...(op !== "create" && old?.outputs ? { olds: old.outputs } : {}),
    });
  }
  return changes;
}

/**
 * Prices every change. `inAccount` tells whether a PhoneNumber's exact number is already in the account (then the
 * create adopts it: nothing is bought), as the preview's own look-up does.
 */
export async function estimate(
  changes: PlannedChange[],
  fees: TenDlcFees,
  book: PriceBook | undefined,
  inAccount: (number: string) => Promise<boolean> = async () => false,
  whyNoBook?: string,
): Promise<CostReport> {
  const items: CostItem[] = [];
  let oneTime = 0;
  let monthly = 0;
  let complete = true;
  for (const c of changes) {
    const inputs = c.inputs ?? {};
    const adopts =
      c.op === "create" &&
      ((inputs.adoptId !== undefined && inputs.adoptId !== null) ||
        (c.type === "PhoneNumber" && typeof inputs.number === "string" && !containsUnknown(inputs.number) && (await inAccount(inputs.number))));
    const cost: Cost | undefined = await planCost({ type: c.type, op: c.op, id: c.id, inputs, olds: c.olds, adopts }, fees, book, whyNoBook);
    if (!cost || (cost.oneTime === 0 && cost.monthly === 0 && !cost.unpriced)) continue;
    if (cost.unpriced) complete = false;
    else {
      oneTime += cost.oneTime;
      monthly += cost.monthly;
    }
    items.push({
      resource: `${c.type}::${c.name}`,
      type: c.type,
      operation: c.op,
      oneTime: cost.unpriced ? null : decimal(cost.oneTime),
      monthly: cost.unpriced ? null : decimal(cost.monthly),
      says: cost.says,
      ...(cost.irreversible ? { irreversible: cost.irreversible } : {}),
      ...(cost.unpriced ? { unpriced: cost.unpriced } : {}),
    });
  }
  const date = book?.today?.toISOString().slice(0, 10);
  return {
    currency: "USD",
    ...(date && items.some((i) => i.type === "PhoneNumber" && i.operation !== "delete") ? { date } : {}),
    oneTime: complete ? decimal(oneTime) : null,
    monthly: complete ? decimal(monthly) : null,
    items,
  };
}

const signed = (cents: number) => (cents > 0 ? `+${usd(cents)}` : usd(cents));
const cents = (amount: string) => (amount.startsWith("-") ? -1 : 1) * Math.round(toUnits(amount.replace(/^-/, "")) / 1000);
const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

/** The Markdown of a pull-request comment: one row per priced change, then the totals. */
export function renderMarkdown(report: CostReport, title = "Plivo cost of this plan"): string {
  const lines = [`### ${title}`, ""];
  if (report.items.length === 0) {
    lines.push("No change of this plan costs or saves money on Plivo.");
    return `${lines.join("\n")}\n`;
  }
  lines.push("| resource | operation | one-time | monthly | what |", "|---|---|--:|--:|---|");
  for (const i of report.items) {
    const what = [i.says, i.irreversible ? `**cannot be undone**: ${i.irreversible}` : "", i.unpriced ? `**not priced**: ${i.unpriced}` : ""]
      .filter(Boolean)
      .join("; ");
    const amount = (a: string | null, sign: boolean) => (a === null ? "?" : sign ? signed(cents(a)) : usd(cents(a)));
    lines.push(`| \`${cell(i.resource)}\` | ${i.operation} | ${amount(i.oneTime, false)} | ${amount(i.monthly, true)} | ${cell(what)} |`);
  }
  if (report.oneTime === null || report.monthly === null) {
    const n = report.items.filter((i) => i.unpriced).length;
    lines.push(`| **total** | | **unknown** | **unknown** | ${n} change${n === 1 ? "" : "s"} could not be priced (see above) |`);
  } else {
    lines.push(`| **total** | | **${usd(cents(report.oneTime))}** | **${signed(cents(report.monthly))}** | one-time now; change of the monthly bill |`);
  }
  lines.push("");
  const notes = [
    "One-time: charged at `pulumi up` (setup fees and the rest of this month, registrations, vetting). Monthly: how the recurring monthly bill changes.",
  ];
  if (report.date) notes.push(`First months pro-rated on ${report.date} (the API's date).`);
  lines.push(notes.join(" "));
  return `${lines.join("\n")}\n`;
}

export interface Limits {
  maxMonthly?: string;
  maxOneTime?: string;
}

/** The limits a plan exceeds, one sentence each; a plan that could not be priced exceeds every limit set. */
export function exceeded(report: CostReport, limits: Limits): string[] {
  const out: string[] = [];
  const check = (flag: string, limit: string | undefined, amount: string | null, what: string) => {
    if (limit === undefined) return;
    if (amount === null) out.push(`${flag} ${usd(cents(limit))}: the plan could not be fully priced, so the limit cannot be checked`);
    else if (cents(amount) > cents(limit)) out.push(`${flag} ${usd(cents(limit))}: the plan's ${what} is ${usd(cents(amount))}`);
  };
  check("--max-one-time", limits.maxOneTime, report.oneTime, "one-time cost");
  check("--max-monthly", limits.maxMonthly, report.monthly, "monthly change");
  return out;
}
