/**
 * The `pulumi-plivo cost` command: arguments, the stack's settings and account, the output and the exit code
 * (docs/cost.md). The pricing itself is cli/cost.ts.
 */
import * as fs from "node:fs";
import { PlivoConfigError } from "../provider/client/errors";
import type { PlivoClient } from "../provider/client/plivoClient";
import { closeAllClients, getClient, resolveConfig, type ConfigSource } from "../provider/config";
import { makeContext } from "../provider/core/context";
import { resolveFees } from "../provider/cost/fees";
import { toUnits } from "../provider/cost/money";
import { priceBook } from "../provider/cost/prices";
import { getOrUndefined } from "../provider/resources/lookup";
import { estimate, exceeded, plannedChanges, renderMarkdown, type CostReport } from "./cost";
import { readStackConfig } from "./stacks";

export const COST_USAGE = `usage: pulumi preview --json | pulumi-plivo cost [--stack NAME] [--cwd DIR] [--file FILE] [--json]
                                             [--max-monthly USD] [--max-one-time USD]

  What the planned changes cost on Plivo, as a Markdown table for a pull-request comment: one row per change that
  costs or saves money (one-time now; change of the monthly bill), and the totals. Numbers are priced from the
  stack's Plivo account (its Pricing API and number search), the 10DLC fees from the documented table and plivo:fees.

  --stack NAME        the stack whose settings and account to price with (default: the selected stack)
  --cwd DIR           the Pulumi project directory (default: the current directory)
  --file FILE         read the preview JSON from FILE instead of standard input
  --json              print {currency, oneTime, monthly, items[]} (amounts as decimal strings)
  --max-monthly USD   exit 4 when the monthly bill would grow by more than USD (or the plan cannot be priced)
  --max-one-time USD  exit 4 when the one-time cost is more than USD (or the plan cannot be priced)`;

export class CostUsageError extends Error {
  override readonly name = "CostUsageError";
}

export interface CostArgs {
  stack?: string;
  cwd: string;
  file?: string;
  json: boolean;
  maxMonthly?: string;
  maxOneTime?: string;
}

/** Exit code of a plan over a limit. */
export const OVER_LIMIT = 4;

export function parseCostArgs(argv: string[]): CostArgs {
  const args: CostArgs = { cwd: process.cwd(), json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith("--")) throw new CostUsageError(`${a} needs a value`);
      return v;
    };
    const amount = () => {
      const v = value().replace(/^\$/, "");
      try {
        toUnits(v);
      } catch {
        throw new CostUsageError(`${a} must be an amount in US dollars such as 100 or 12.50, got ${JSON.stringify(v)}`);
      }
      return v;
    };
    if (a === "--stack" || a === "-s") args.stack = value();
    else if (a === "--cwd" || a === "-C") args.cwd = value();
    else if (a === "--file") args.file = value();
    else if (a === "--json") args.json = true;
    else if (a === "--max-monthly") args.maxMonthly = amount();
    else if (a === "--max-one-time") args.maxOneTime = amount();
    else throw new CostUsageError(`unknown option ${a}`);
  }
  return args;
}

function readInput(file: string | undefined): string {
  if (file) return fs.readFileSync(file, "utf8");
  if (process.stdin.isTTY) throw new CostUsageError("give the plan on standard input: pulumi preview --json | pulumi-plivo cost");
  return fs.readFileSync(0, "utf8");
}

function parsePreview(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new CostUsageError("standard input is not the JSON of `pulumi preview --json`");
  }
}

/** Prices the plan with the stack's settings (config, then PLIVO_* environment). */
export async function costOf(preview: unknown, config: ConfigSource): Promise<CostReport> {
  const fees = resolveFees(config);
  const changes = plannedChanges(preview);
  let client: PlivoClient | undefined;
  let whyNoBook: string | undefined;
  try {
    client = getClient(resolveConfig(config));
  } catch (err) {
    if (!(err instanceof PlivoConfigError)) throw err;
    whyNoBook = `numbers cannot be priced without the account: ${err.message}`;
  }
  try {
    const book = client ? priceBook(client, fees) : undefined;
    const ctx = client ? makeContext(client, "PhoneNumber", { name: "cost estimate", log: { progress: () => {}, warn: () => {} } }) : undefined;
    const inAccount = async (number: string) => (ctx ? (await getOrUndefined(ctx, `Number/${number}/`, `read number ${number}`)) !== undefined : false);
    return await estimate(changes, fees, book, inAccount, whyNoBook);
  } finally {
    await closeAllClients();
  }
}

export async function costMain(argv: string[]): Promise<number> {
  try {
    const args = parseCostArgs(argv);
    const preview = parsePreview(readInput(args.file));
    const config = await readStackConfig(args.cwd, args.stack);
    const report = await costOf(preview, config);
    process.stdout.write(args.json ? `${JSON.stringify(report, null, 2)}\n` : renderMarkdown(report));
    const over = exceeded(report, { maxMonthly: args.maxMonthly, maxOneTime: args.maxOneTime });
    for (const line of over) process.stderr.write(`pulumi-plivo cost: over the limit ${line}\n`);
    return over.length > 0 ? OVER_LIMIT : 0;
  } catch (err) {
    process.stderr.write(`pulumi-plivo cost: ${err instanceof Error ? err.message : String(err)}\n`);
    if (err instanceof CostUsageError) process.stderr.write(`${COST_USAGE}\n`);
    return 1;
  }
}
