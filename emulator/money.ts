/**
 * Money as exact decimals: Plivo writes rates as strings with five decimals ("0.50000"); the emulator bills in
 * whole cents. Amounts are parsed into integers (units of 0.00001 USD), never floats, and every charge is rounded
 * half-up to the cent once, when it is made (emulator/README.md, Billing).
 */
import { badRequest } from "./http";

/** Units of 0.00001 in one dollar (the five decimals of Plivo's rate strings). */
const UNITS_PER_DOLLAR = 100_000;
const UNITS_PER_CENT = 1_000;

/** "0.50000" → 50000 (units of 0.00001). At most five decimals, not negative; anything else throws. */
export function toUnits(amount: string): number {
  const m = /^(\d+)(?:\.(\d{0,5}))?$/.exec(amount.trim());
  if (!m) throw badRequest(`${JSON.stringify(amount)} is not an amount (digits, at most five decimals)`);
  return Number(m[1]) * UNITS_PER_DOLLAR + Number((m[2] ?? "").padEnd(5, "0"));
}

/** `units × numerator / denominator` rounded half-up to a whole number of cents (integer arithmetic). */
export function centsHalfUp(units: number, numerator = 1, denominator = 1): number {
  const num = units * numerator;
  const den = denominator * UNITS_PER_CENT;
  return Math.floor((2 * num + den) / (2 * den));
}

/** 1234 → "12.34". */
export function formatCents(cents: number): string {
  const sign = cents < 0 ? "-" : "";
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}

/** "12.34" → 1234 (an amount the emulator wrote; at most two decimals). */
export function parseCents(amount: string): number {
  const units = toUnits(amount);
  if (units % UNITS_PER_CENT !== 0) throw new Error(`${amount} is not a whole number of cents`);
  return units / UNITS_PER_CENT;
}

/** A rate string rounded half-up to the cent: "0.50000" → "0.50". */
export function rateToCents(rate: string): number {
  return centsHalfUp(toUnits(rate));
}

/** Days the first month's rental is billed for; Plivo divides the monthly rate by 30. */
export const PRORATE_DIVISOR = 30;

/**
 * The first month of a number bought on `date` (UTC, the emulator clock): Plivo's "(MRC/30) × days remaining in the
 * month". The purchase day counts as remaining (a number bought on the 18th of a 31-day month pays 14 days); a
 * number bought on the 1st pays the whole month (Plivo's FAQ: "$1 if you purchase the number on the first of the
 * month"), and no first month is billed for more than 30 days. The amount is rounded half-up to the cent.
 */
export function proratedFirstMonth(monthlyRate: string, date: Date): { cents: number; days: number } {
  const day = date.getUTCDate();
  const daysInMonth = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
  const remaining = daysInMonth - day + 1;
  const days = day === 1 ? PRORATE_DIVISOR : Math.min(remaining, PRORATE_DIVISOR);
  return { cents: centsHalfUp(toUnits(monthlyRate), days, PRORATE_DIVISOR), days };
}
