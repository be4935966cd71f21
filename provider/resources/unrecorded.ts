/**
 * Numbers an interrupted create bought that no state records, found without the create journal (a fresh runner,
 * or a run after a killed one with PULUMI_SKIP_CHECKPOINTS): see docs/reliability.md.
 *
 * One walk per provider process of the account numbers a search could have bought (`number_startswith` of the
 * country code and pattern), shared by every create by search (core/snapshot.ts), gives:
 * - a number carrying this resource's purchase marker: bought for this resource (the marker names stack, project
 *   and resource, with a hash of the URN): taken over; another stack's marker is never taken;
 * - a number bought in the window between a buy and its marker (one request wide, but a killed process leaves every
 *   buy it had in flight there): a number without alias (or with the declared alias), added today or yesterday,
 *   that matches the declared search and application, that no resource of this run declares, made or holds, and
 *   that still carries no marker after SETTLE_MS (a live run writes its marker within one round trip). It is
 *   claimed by writing this resource's marker, then taken over.
 */
import type { PhoneNumberSearch } from "../../schema/phoneNumber";
import { describeNumber } from "../../schema/geo";
import { claimsOn } from "../core/claims";
import type { ResourceContext } from "../core/context";
import type { Props, Unrecorded } from "../core/handler";
import { purchaseMarker } from "../core/marker";
import { forgetTakeovers, takenElsewhere } from "../core/resume";
import { forgetSnapshots, snapshot } from "../core/snapshot";
import { appIdFromUri } from "../../schema/phoneNumber";
import { listAll } from "./lookup";

type Wire = Record<string, unknown>;

/** How long an unmarked number must stay unmarked before it counts as an interrupted run's (not a live run's). */
export const SETTLE_MS = 8_000;
/** `PLIVO_UNMARKED_SETTLE_MS` shortens it for tests. */
const settleMs = () => (/^\d+$/.test(process.env.PLIVO_UNMARKED_SETTLE_MS ?? "") ? Number(process.env.PLIVO_UNMARKED_SETTLE_MS) : SETTLE_MS);
/** A number added this many days ago or less (UTC dates) may be an interrupted run's unmarked purchase. */
const RECENT_DAYS = 1;

/** Numbers bought by this process (never someone else's leftover), and numbers claimed by one of its creates. */
const boughtHere = new Set<string>();
const claimed = new Set<string>();

export function noteBought(number: string): void {
  boughtHere.add(number);
}

/** Forgets what this process bought, claimed, walked, made and held (tests that reset the emulator between cases). */
export function forgetRecoveryMemory(): void {
  boughtHere.clear();
  claimed.clear();
  forgetSnapshots();
  forgetTakeovers();
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

const NANP = new Set(["US", "CA"]);

/** The account numbers a search could have bought: by prefix for the US and Canada, else the whole account. */
function scopeOf(search: PhoneNumberSearch): { key: string; query: Record<string, string> } {
  if (!NANP.has(search.countryIso)) return { key: "Number/", query: {} };
  const prefix = `1${search.pattern ?? ""}`;
  return { key: `Number/?number_startswith=${prefix}`, query: { number_startswith: prefix } };
}

const TYPES: Record<string, string[]> = {
  LOCAL: ["local", "fixed"],
  FIXED: ["local", "fixed"],
  MOBILE: ["mobile"],
  TOLLFREE: ["tollfree"],
  NATIONAL: ["national"],
};

/** Whether the account number `n` is one the declared search could have bought (US and Canada only). */
export function matchesSearch(n: Wire, search: PhoneNumberSearch): boolean {
  const number = String(n.number);
  if (!NANP.has(search.countryIso) || !number.startsWith(`1${search.pattern ?? ""}`)) return false;
  const where = describeNumber(number);
  const country = where === "a toll-free number" || where === (search.countryIso === "US" ? "a US local number" : "a Canadian number");
  if (!country) return false;
  const types = search.type && search.type !== "ANY" ? TYPES[search.type] : undefined;
  if (types && !types.includes(String(n.number_type))) return false;
  return (search.services ?? []).every((s) => n[`${s.toLowerCase()}_enabled`] === true);
}

/** `added_on` (a date, or a timestamp) within the last RECENT_DAYS days. */
function recent(n: Wire, now = Date.now()): boolean {
  const day = typeof n.added_on === "string" ? Date.parse(n.added_on.slice(0, 10)) : NaN;
  return Number.isFinite(day) && now - day <= (RECENT_DAYS + 1) * 86_400_000;
}

const free = (ctx: ResourceContext, number: string) => !boughtHere.has(number) && !claimed.has(number) && !takenElsewhere(ctx.type, number, ctx.urn);

/** Could be this resource's purchase whose marker was never written. */
function inWindow(ctx: ResourceContext, n: Wire, inputs: Props): boolean {
  const alias = n.alias;
  const unmarked = alias === null || alias === undefined || alias === "" || (inputs.alias !== undefined && alias === inputs.alias);
  if (!unmarked || !recent(n) || !matchesSearch(n, inputs.search as PhoneNumberSearch)) return false;
  if (inputs.appId !== undefined && appIdFromUri(n.application) !== inputs.appId) return false;
  return free(ctx, String(n.number));
}

function claim(number: string): string {
  claimed.add(number);
  return number;
}

/** What an interrupted create of this PhoneNumber (by search) bought, or undefined. See the file's comment. */
export async function findUnrecordedNumber(ctx: ResourceContext, inputs: Props): Promise<Unrecorded | undefined> {
  if (inputs.number !== undefined || inputs.search === undefined || !ctx.urn) return undefined;
  const marker = purchaseMarker(ctx.urn);
  const scope = scopeOf(inputs.search as PhoneNumberSearch);
  const walk = () => listAll(ctx, "Number/", scope.query);
  const first = snapshot(ctx, scope.key, walk);
  const marked = (items: Wire[]) => items.find((n) => n.alias === marker && free(ctx, String(n.number)));
  const ours = marked(await first.items);
  if (ours) return { id: claim(String(ours.number)), how: "a number carrying this resource's purchase marker", markedForThisResource: true };

  const candidates = new Set((await first.items).filter((n) => inWindow(ctx, n, inputs)).map((n) => String(n.number)));
  if (candidates.size === 0) return undefined;
  // A live run writes its marker within one round trip: look again once SETTLE_MS have passed since the walk.
  ctx.progress(`${candidates.size} number(s) bought recently carry no marker yet: looking again in ${Math.ceil(settleMs() / 1000)} s before taking one over`);
  const settledAt = first.at + settleMs();
  await sleep(Math.max(0, settledAt - Date.now()));
  ctx.checkNotStopping("taking over a number");
  const settled = await snapshot(ctx, `${scope.key}#settled@${first.at}`, walk).items;
  const nowOurs = marked(settled);
  if (nowOurs) return { id: claim(String(nowOurs.number)), how: "a number carrying this resource's purchase marker", markedForThisResource: true };
  const still = settled.find((n) => candidates.has(String(n.number)) && inWindow(ctx, n, inputs));
  if (!still) return undefined;
  // Claimed before anything is awaited: parallel creates with the same search take distinct numbers.
  const number = claim(String(still.number));
  // Another stack's state may hold an unmarked number (bought with an alias equal to ours): never ours then.
  if ((await claimsOn(ctx, number)).by.length > 0) {
    claimed.delete(number);
    return undefined;
  }
  // The claim is visible to other runs from here on: this resource's marker (or the declared alias).
  await ctx.client.request({
    method: "POST",
    path: `Number/${number}/`,
    body: { alias: inputs.alias ?? marker },
    operation: ctx.op(`mark number ${number}`),
    idempotent: true,
  });
  return { id: number, how: `a number bought ${String(still.added_on)} without a marker that matches this resource's search (an interrupted purchase)` };
}
