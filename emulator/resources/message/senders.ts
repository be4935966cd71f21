/**
 * Powerpack sender selection (docs/plivo-api.md §4.6, §15.6): which pool number sends a message to a destination.
 *
 *   1. Sticky sender: a destination keeps the number that last wrote to it from this Powerpack, while that number
 *      is still in the pool and can send this message.
 *   2. Number priority: for US and Canadian destinations, the Powerpack's `number_priority` entry for the country
 *      and the service (SMS/MMS) orders short code, toll-free and long code; the first type with a usable number
 *      wins (fallback). Elsewhere: a short code of the destination's country, then long codes.
 *   3. Local connect (long codes): a number in the destination's area code with room left under the recommended
 *      150 messages a day, then one in its state or province, then one in its country, then one in the other
 *      North American country, then any. Without local connect, or inside a tier, the least used number today
 *      (then the first added) is chosen, which spreads the traffic over the pool.
 *
 * A number is usable when it can carry the message: SMS- (MMS-) enabled, an MMS message only from a member added
 * for `mms`; for US destinations a US long code must be linked to a 10DLC campaign (COMPLETED) and for US and
 * Canadian destinations a toll-free number must be verified; toll-free numbers only reach the US and Canada; a short
 * code only its own country. When no member is usable the send is refused with every member's reason.
 */
import type { AccountNumber } from "../numbers/backend";
import type { PoolMember } from "../numberPool/backend";
import type { NumberPriority, Priority, PowerpackRecord } from "../powerpack/backend";
import { isNorthAmerica, type Destination } from "./geo";

/** Plivo's recommended capacity of one long code for Local Connect (docs/plivo-api.md §4.6). */
export const LOCAL_CONNECT_DAILY_CAPACITY = 150;

export type SenderKind = Priority;

export interface SenderChoice {
  number: string;
  kind: SenderKind;
  /** why this number, in words (shown on the state page and in `/state`) */
  reason: string;
}

export interface SelectionInput {
  powerpack: PowerpackRecord;
  members: readonly PoolMember[];
  destination: Destination;
  type: "sms" | "mms";
  /** the number that last wrote to this destination from this Powerpack */
  sticky?: string;
  account(number: string): AccountNumber | undefined;
  /** outbound messages sent from `number` today (emulator clock) */
  usedToday(number: string): number;
}

export type Selection = { ok: true; choice: SenderChoice } | { ok: false; refusals: string[] };

export interface Candidate {
  member: PoolMember;
  kind: SenderKind;
  account?: AccountNumber;
}

export function kindOf(m: PoolMember): SenderKind {
  return m.kind === "shortcode" ? "shortcode" : m.kind === "tollfree" ? "tollfree" : "longcode";
}

/** Why `c` cannot send this message, or undefined when it can. */
export function unusable(c: Candidate, dest: Destination, type: "sms" | "mms"): string | undefined {
  const na = isNorthAmerica(dest.country);
  if (c.kind === "shortcode") {
    if (type === "mms" && c.member.service !== "mms") return "short code added for sms only";
    return c.member.country_iso2 === dest.country
      ? undefined
      : `short code of ${c.member.country_iso2}, destination in ${dest.country ?? "an unknown country"}`;
  }
  const n = c.account;
  if (!n) return "not rented in the account";
  if (type === "sms" && !n.sms_enabled) return "not SMS-enabled";
  if (type === "mms" && (!n.mms_enabled || c.member.service !== "mms")) return n.mms_enabled ? "added to the pool for sms only" : "not MMS-enabled";
  if (c.kind === "tollfree") {
    if (!na) return "toll-free numbers only message the US and Canada";
    if (n.toll_free_sms_verification !== "VERIFIED") {
      return `toll-free number not verified (toll_free_sms_verification ${n.toll_free_sms_verification ?? "none"})`;
    }
    return undefined;
  }
  if (dest.country === "US" && n.country_iso2 === "US" && n.tendlc_registration_status !== "COMPLETED") {
    return `US long code not linked to a 10DLC campaign (tendlc_registration_status ${n.tendlc_registration_status ?? "none"})`;
  }
  return undefined;
}

function priorityOrder(pp: PowerpackRecord, dest: Destination, type: "sms" | "mms"): SenderKind[] {
  if (!isNorthAmerica(dest.country)) return ["shortcode", "longcode"];
  const entry: NumberPriority | undefined = pp.number_priority.find(
    (p) => p.country_iso === dest.country && p.service_type === (type === "mms" ? "MMS" : "SMS"),
  );
  if (!entry) return ["shortcode", "tollfree", "longcode"];
  return [entry.priority.priority1, entry.priority.priority2, entry.priority.priority3];
}

export function selectSender(input: SelectionInput): Selection {
  const { powerpack: pp, destination: dest, type } = input;
  const all: Candidate[] = input.members.map((member) => ({
    member,
    kind: kindOf(member),
    account: member.kind === "shortcode" ? undefined : input.account(member.number),
  }));
  const refusals: string[] = [];
  const usable: Candidate[] = [];
  for (const c of all) {
    const why = unusable(c, dest, type);
    if (why) refusals.push(`${c.member.number} (${why})`);
    else usable.push(c);
  }
  if (pp.sticky_sender && input.sticky) {
    const hit = usable.find((c) => c.member.number === input.sticky);
    if (hit) return { ok: true, choice: { number: hit.member.number, kind: hit.kind, reason: "sticky sender" } };
  }
  const order = priorityOrder(pp, dest, type);
  for (const [i, kind] of order.entries()) {
    const ofKind = usable.filter((c) => c.kind === kind);
    if (ofKind.length === 0) continue;
    const prefix = isNorthAmerica(dest.country) ? `priority ${i + 1} (${kind})` : kind;
    if (kind !== "longcode") {
      const c = leastUsed(ofKind, input.usedToday);
      return { ok: true, choice: { number: c.member.number, kind, reason: prefix } };
    }
    const [c, tier] = pickLongCode(ofKind, dest, pp.local_connect, input.usedToday);
    return { ok: true, choice: { number: c.member.number, kind, reason: `${prefix}, ${tier}` } };
  }
  if (all.length === 0) refusals.push("the number pool is empty");
  return { ok: false, refusals };
}

function leastUsed(cs: Candidate[], usedToday: (n: string) => number): Candidate {
  let best = cs[0];
  let bestUse = usedToday(best.member.number);
  for (const c of cs.slice(1)) {
    const u = usedToday(c.member.number);
    if (u < bestUse) [best, bestUse] = [c, u];
  }
  return best;
}

function pickLongCode(cs: Candidate[], dest: Destination, localConnect: boolean, usedToday: (n: string) => number): [Candidate, string] {
  if (!localConnect) return [leastUsed(cs, usedToday), "least used number"];
  const npaOf = (c: Candidate) => (c.account?.country_iso2 === "US" || c.account?.country_iso2 === "CA" ? c.account.number.slice(1, 4) : null);
  const regionOf = (c: Candidate) => c.account?.source.region_code ?? null;
  const tiers: Array<[string, (c: Candidate) => boolean]> = [];
  if (dest.npa) {
    tiers.push([`local connect: area code ${dest.npa}`, (c) => npaOf(c) === dest.npa && usedToday(c.member.number) < LOCAL_CONNECT_DAILY_CAPACITY]);
  }
  if (dest.region) tiers.push([`local connect: region ${dest.region}`, (c) => regionOf(c) === dest.region && npaOf(c) !== dest.npa]);
  if (dest.country) tiers.push([`local connect: a ${dest.country} number`, (c) => c.account?.country_iso2 === dest.country]);
  if (isNorthAmerica(dest.country)) {
    const other = dest.country === "US" ? "CA" : "US";
    tiers.push([`local connect: no ${dest.country} number, a ${other} number`, (c) => c.account?.country_iso2 === other]);
  }
  for (const [label, pred] of tiers) {
    const hit = cs.filter(pred);
    if (hit.length) return [leastUsed(hit, usedToday), label];
  }
  return [leastUsed(cs, usedToday), "least used number"];
}
