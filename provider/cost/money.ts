/**
 * Exact money for cost estimates (docs/cost.md): Plivo writes rates as decimal strings with up to five decimals
 * ("0.50000"); amounts are parsed into integers (units of $0.00001), never floats, and rounded half-up to the cent
 * once per charge, as Plivo bills. Totals are sums of cents.
 */

const UNITS_PER_DOLLAR = 100_000;
const UNITS_PER_CENT = 1_000;

export class AmountError extends Error {
  override readonly name = "AmountError";
}

/** "0.50000" or "4" → units of $0.00001. At most five decimals and not negative; anything else throws. */
export function toUnits(amount: string): number {
  const m = /^(\d+)(?:\.(\d{0,5}))?$/.exec(amount.trim());
  if (!m) throw new AmountError(`${JSON.stringify(amount)} is not an amount in dollars (digits, at most five decimals)`);
  return Number(m[1]) * UNITS_PER_DOLLAR + Number((m[2] ?? "").padEnd(5, "0"));
}

/** `units × numerator / denominator`, rounded half-up to whole cents (integer arithmetic). */
export function centsOf(units: number, numerator = 1, denominator = 1): number {
  const num = units * numerator;
  const den = denominator * UNITS_PER_CENT;
  return Math.floor((2 * num + den) / (2 * den));
}

/** A rate string rounded half-up to the cent: "0.50000" → 50. */
export const rateCents = (rate: string) => centsOf(toUnits(rate));

/** 1234 → "12.34"; -50 → "-0.50" (the JSON output's decimal strings). */
export function decimal(cents: number): string {
  const sign = cents < 0 ? "-" : "";
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}

/** 1234 → "$12.34"; -50 → "-$0.50". */
export const usd = (cents: number) => (cents < 0 ? `-$${decimal(-cents)}` : `$${decimal(cents)}`);

/** Plivo divides the monthly rental by 30 for the first month (docs/plivo-api.md §19). */
const PRORATE_DIVISOR = 30;

/**
 * The first month of a number rented on `today` (its UTC day): "(MRC/30) × days remaining in the month"
 * (docs/plivo-api.md §19, §14.23): the day of purchase counts as remaining, a number rented on the 1st pays the whole
 * month, and no first month is longer than 30 days.
 */
export function proratedFirstMonth(monthlyRate: string, today: Date): { cents: number; days: number } {
  const day = today.getUTCDate();
  const daysInMonth = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() + 1, 0)).getUTCDate();
  const days = day === 1 ? PRORATE_DIVISOR : Math.min(daysInMonth - day + 1, PRORATE_DIVISOR);
  return { cents: centsOf(toUnits(monthlyRate), days, PRORATE_DIVISOR), days };
}
