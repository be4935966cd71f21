/**
 * The 10DLC fees an estimate uses: the documented table (schema/fees.ts), with a stack's overrides from `plivo:fees`
 * (env `PLIVO_FEES`), a JSON object such as `{"campaignMonthly": {"MARKETING": "10.00"}, "campaignVetting": "15.00"}`.
 * Bad overrides are an error naming the key, never a silently wrong price.
 */
import { PlivoConfigError } from "../client/errors";
import type { ConfigSource } from "../config";
import { CAMPAIGN_USECASES, TENDLC_FEES, type TenDlcFees } from "../../schema/fees";
import { toUnits } from "./money";

export const FEES_CONFIG = Object.freeze({ key: "plivo:fees", env: "PLIVO_FEES" });

const fail = (why: string) =>
  new PlivoConfigError(`Invalid "${FEES_CONFIG.key}" (env ${FEES_CONFIG.env}): ${why}`, { key: FEES_CONFIG.key, envVar: FEES_CONFIG.env });

function amount(value: unknown, where: string): string {
  const text = typeof value === "number" ? String(value) : value;
  if (typeof text !== "string") throw fail(`${where} must be an amount in dollars such as "15.00"`);
  try {
    toUnits(text);
  } catch {
    throw fail(`${where} must be an amount in dollars such as "15.00" (digits, at most five decimals), got ${JSON.stringify(value)}`);
  }
  return text.trim();
}

/** The fee table with the overrides of `plivo:fees` / PLIVO_FEES applied. */
export function resolveFees(source?: ConfigSource, env: NodeJS.ProcessEnv = process.env): TenDlcFees {
  const raw = source?.get(FEES_CONFIG.key)?.trim() || env[FEES_CONFIG.env]?.trim();
  if (!raw) return TENDLC_FEES;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw fail('must be a JSON object such as {"campaignMonthly": {"MARKETING": "10.00"}}');
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw fail("must be a JSON object");
  const fees = { ...TENDLC_FEES, campaignMonthly: { ...TENDLC_FEES.campaignMonthly } };
  for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
    if (key === "brandRegistration" || key === "campaignVetting") fees[key] = amount(value, key);
    else if (key === "campaignMonthly") {
      if (typeof value === "string" || typeof value === "number") {
        const all = amount(value, key);
        for (const u of CAMPAIGN_USECASES) fees.campaignMonthly[u] = all;
      } else if (value && typeof value === "object" && !Array.isArray(value)) {
        for (const [usecase, v] of Object.entries(value)) {
          if (!(CAMPAIGN_USECASES as readonly string[]).includes(usecase))
            throw fail(`campaignMonthly.${usecase} is not a use case (use cases: ${CAMPAIGN_USECASES.join(", ")})`);
          fees.campaignMonthly[usecase] = amount(v, `campaignMonthly.${usecase}`);
        }
      } else throw fail("campaignMonthly must be an amount or an object of amounts by use case");
    } else throw fail(`${key} is not a fee (fees: brandRegistration, campaignVetting, campaignMonthly)`);
  }
  return fees;
}
