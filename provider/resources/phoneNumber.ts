/**
 * PhoneNumber (docs/plivo-api.md §2): buy from inventory (`/PhoneNumber/`), manage as an account number (`/Number/`).
 *
 * A number is scarce and costs a setup fee; nothing bought may be lost or bought twice:
 * - an exact `number` is bought directly (one request); when the buy says it is not in the inventory and the
 *   account already holds it, it is adopted — so a create interrupted after its buy is finished by the next one;
 * - a number found by `search` is recorded in the create journal (fsync'ed) before its buy, and its marker (the
 *   declared alias, else `pulumi:stack/project/name#hash`) is written in the first request after it: the next
 *   create of the resource takes over what an interrupted one bought, and the account scan can tell whose it is;
 * - where no journal survived (a fresh runner, PULUMI_SKIP_CHECKPOINTS), the next create finds the number by its
 *   marker, or as a recent unmarked purchase matching its search (unrecorded.ts);
 * - a buy that fails ambiguously (timeout, reset, 5xx) is re-checked and re-sent for the **same** number, never
 *   followed by another candidate while it may still go through: a number can be bought only once, so re-sending
 *   its buy can never pay twice.
 */
import { phoneNumberSchema, type PhoneNumberSearch } from "../../schema/phoneNumber";
import { PlivoTimeoutError } from "../client/errors";
import { claimsOn, implicitAdoptionRefused } from "../core/claims";
import { isAmbiguous, isNotFound, type ResourceContext } from "../core/context";
import { PartialCreateError } from "../core/errors";
import type { Props, ResourceHandler } from "../core/handler";
import { isMarker, purchaseMarker } from "../core/marker";
import { requestBody } from "../core/wire";
import { readerFor } from "../core/batch";
import { accountNumbers, getOrUndefined, listAll, readBatched } from "./lookup";
import { deleteObject } from "./rest";
import { findUnrecordedNumber, noteBought } from "./unrecorded";

const accountNumber = (ctx: ResourceContext, number: string) => getOrUndefined(ctx, `Number/${number}/`, `read number ${number}`);

/** Buys of one number sent in all before giving up (re-sending the same number's buy cannot pay twice). */
const BUY_ATTEMPTS = 5;
/** How long a timed-out buy is looked for in the account before it is sent again (the server may still finish it). */
export const TIMED_OUT_RECHECK_MS = 30_000;
const FAILED_RECHECK_MS = 2_000;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Candidates being bought by this process: parallel creates with the same search never race for one number. */
const claimed = new Set<string>();

/** Inventory candidates for search criteria, best first (Plivo's order). */
async function searchInventory(ctx: ResourceContext, search: PhoneNumberSearch, offset: number): Promise<string[]> {
  const res = await ctx.client.request<{ objects?: { number: string }[] }>({
    method: "GET",
    path: "PhoneNumber/",
    query: {
      country_iso: search.countryIso,
      type: search.type && search.type !== "ANY" ? search.type.toLowerCase() : undefined,
      pattern: search.pattern,
      region: search.region,
      services: search.services?.map((s) => s.toLowerCase()).join(","),
      limit: 20,
      offset: offset || undefined,
    },
    operation: ctx.op(`search numbers ${JSON.stringify(search)}`),
  });
  return (res.body.objects ?? []).map((o: { number: string }) => String(o.number));
}

/** Looks for `number` in the account for up to `ms` (backing off): a buy the server may still be finishing. */
async function appearsInAccount(ctx: ResourceContext, number: string, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (let look = 0; ; look++) {
    if (await accountNumber(ctx, number)) return true;
    const left = deadline - Date.now();
    if (left <= 0) return false;
    await sleep(Math.min(left, 500 * 2 ** look));
  }
}

/**
 * Buys `number`. "taken" when Plivo says it is not in the inventory and no earlier attempt of ours can have bought
 * it; "bought" when this call (or an earlier, ambiguous attempt of it) bought it. `uncertain`: an earlier run may
 * have sent this buy already (a journal entry), so "not in the inventory" is checked against the account.
 */
export async function buyNumber(ctx: ResourceContext, number: string, inputs: Props, uncertain = false): Promise<"bought" | "taken"> {
  for (let attempt = 1; ; attempt++) {
    ctx.checkNotStopping(`buy ${number}`);
    try {
      await ctx.client.request({
        method: "POST",
        path: `PhoneNumber/${number}/`,
        body: requestBody(phoneNumberSchema, inputs, "create"),
        operation: ctx.op(`buy ${number}`),
      });
      noteBought(number);
      return "bought";
    } catch (err) {
      if (isNotFound(err)) {
        if (uncertain && (await accountNumber(ctx, number))) {
          ctx.progress(`${number} is in the account: an earlier buy of it went through`);
          noteBought(number);
          return "bought";
        }
        return "taken";
      }
      if (!isAmbiguous(err)) throw err;
      uncertain = true;
      const window = err instanceof PlivoTimeoutError ? TIMED_OUT_RECHECK_MS : FAILED_RECHECK_MS;
      if (await appearsInAccount(ctx, number, window)) {
        ctx.progress(`the buy of ${number} failed ambiguously but went through`);
        noteBought(number);
        return "bought";
      }
      if (attempt >= BUY_ATTEMPTS) throw err;
      ctx.progress(`the buy of ${number} failed ambiguously and has not gone through; sending it again (attempt ${attempt + 1} of ${BUY_ATTEMPTS})`);
    }
  }
}

/** The alias written right after a buy by search: the declared one, else the purchase marker. */
function markerAlias(ctx: ResourceContext, inputs: Props): string | undefined {
  if (inputs.alias !== undefined) return inputs.alias as string;
  return ctx.urn ? purchaseMarker(ctx.urn) : undefined;
}

/** Fields the buy endpoint does not take (alias, subaccount, CNAM, …) are applied with an update right after. */
function fieldsAfterBuy(inputs: Props): string[] {
  return Object.entries(phoneNumberSchema.inputs)
    .filter(([name, field]) => field.sendOnUpdate && !field.sendOnCreate && inputs[name] !== undefined)
    .map(([name]) => name);
}

async function updateNumber(ctx: ResourceContext, number: string, inputs: Props, fields: readonly string[], alias?: string) {
  const body = requestBody(phoneNumberSchema, inputs, "update", fields);
  if (alias !== undefined) body.alias = alias;
  if (Object.keys(body).length === 0) return;
  // Sets declared values: sending it twice changes nothing, so it is retried like a GET.
  await ctx.client.request({ method: "POST", path: `Number/${number}/`, body, operation: ctx.op(`update number ${number}`), idempotent: true });
}

/** The first request after a buy: the fields the buy could not set, and the marker. */
async function finishPurchase(ctx: ResourceContext, number: string, inputs: Props, marker?: string): Promise<void> {
  try {
    await updateNumber(ctx, number, inputs, fieldsAfterBuy(inputs), marker);
  } catch (err) {
    // The number is rented: keep it in the state so the next `up` retries the update instead of buying again.
    throw new PartialCreateError(number, err);
  }
}

async function acquireBySearch(ctx: ResourceContext, inputs: Props): Promise<string> {
  const search = inputs.search as PhoneNumberSearch;
  for (let round = 0; round < 5; round++) {
    let skipped = false;
    for (let offset = 0; offset < 100; offset += 20) {
      const candidates = await searchInventory(ctx, search, offset);
      for (const candidate of candidates) {
        if (claimed.has(candidate)) {
          skipped = true;
          continue;
        }
        claimed.add(candidate);
        try {
          ctx.checkNotStopping(`buy ${candidate}`);
          // Durable before the buy is sent: if this run dies, the next create of the resource finds the number.
          const mark = ctx.journal?.record(`buy ${candidate}`, candidate);
          if ((await buyNumber(ctx, candidate, inputs)) === "bought") return candidate;
          mark?.discard();
          ctx.progress(`${candidate} was taken meanwhile; trying the next match`);
        } finally {
          claimed.delete(candidate);
        }
      }
      if (candidates.length < 20) break;
    }
    // Every remaining candidate was being bought by a sibling create: try again once they are done.
    if (!skipped) break;
    await sleep(200);
  }
  throw new Error(`PhoneNumber "${ctx.name}": no number available for search ${JSON.stringify(search)}`);
}

export const phoneNumber: ResourceHandler = {
  schema: phoneNumberSchema,
  listing: async (ctx) => (await listAll(ctx, "Number/", {})).map((wire) => ({ id: String(wire.number), wire })),
  // A number already in the account is adopted, never bought again (see acquire).
  adoptsExisting: (inputs) => inputs.number as string | undefined,

  async create(ctx, inputs) {
    const wanted = inputs.number as string | undefined;
    if (!wanted) {
      const number = await acquireBySearch(ctx, inputs);
      await finishPurchase(ctx, number, inputs, markerAlias(ctx, inputs));
      return number;
    }
    if ((await buyNumber(ctx, wanted, inputs)) === "bought") {
      await finishPurchase(ctx, wanted, inputs);
      return wanted;
    }
    // Not in the inventory: already in the account (adopted, never bought twice), or not available at all.
    const existing = await accountNumber(ctx, wanted);
    if (!existing) {
      throw new Error(`PhoneNumber "${ctx.name}": buy ${wanted} failed: 404 not found — the number is not available in Plivo's inventory`);
    }
    // Another stack's number is never taken over (the preview refuses it; this holds when no preview looked).
    const owners = await claimsOn(ctx, wanted, existing);
    if (owners.by.length > 0) throw new Error(`PhoneNumber "${ctx.name}": ${implicitAdoptionRefused(phoneNumber, wanted, owners.by, undefined).reason}`);
    ctx.progress(`${wanted} is already in the account: adopting it instead of buying it again`);
    try {
      // An adopted number gets every declared field.
      await updateNumber(
        ctx,
        wanted,
        inputs,
        Object.keys(phoneNumberSchema.inputs).filter((k) => inputs[k] !== undefined),
      );
    } catch (err) {
      throw new PartialCreateError(wanted, err);
    }
    return wanted;
  },

  /**
   * An interrupted create recorded the number it was buying: finish that buy (re-sending it cannot pay twice; "not
   * in the inventory" is checked against the account) and take the number over, or forget it when it went to
   * someone else.
   */
  async findInterrupted(ctx, inputs, entries) {
    const journal = ctx.journal!;
    let found: string | undefined;
    for (const e of entries) {
      const number = e.id;
      const usable = number !== undefined && !found && (inputs.number === undefined || inputs.number === number);
      if (!usable) {
        if (number !== undefined && number !== found)
          ctx.warn(
            `the interrupted create was buying ${number}; the program now declares ${inputs.number}: not taken over (\`pulumi-plivo scan\` lists it if it was bought)`,
          );
        journal.discard(e);
        continue;
      }
      const existing = await accountNumber(ctx, number);
      if (existing) {
        const alias = existing.alias;
        const ours =
          alias === null || alias === undefined || alias === "" || alias === inputs.alias || (ctx.urn !== undefined && alias === purchaseMarker(ctx.urn));
        if (ours) found = number;
        else {
          ctx.warn(`${number}, which the interrupted create was buying, carries another alias (${JSON.stringify(alias)}): not taken over`);
          journal.discard(e);
        }
        continue;
      }
      if ((await buyNumber(ctx, number, inputs, true)) === "bought") {
        await finishPurchase(ctx, number, inputs, inputs.number === undefined ? markerAlias(ctx, inputs) : undefined);
        found = number;
      } else {
        journal.discard(e);
      }
    }
    return found;
  },

  // Where no journal survived (another runner, PULUMI_SKIP_CHECKPOINTS): the marker, or a recent unmarked purchase.
  findUnrecorded: findUnrecordedNumber,

  // Refresh and read-backs of many numbers are batched (list pages of account numbers); a buy in flight announces
  // its read-back so that the numbers bought together are read back together.
  read: (ctx, id, _props, opts) => readBatched(ctx, accountNumbers, id, opts),
  announceRead: (ctx) => readerFor(ctx, accountNumbers).expect(),
  planReadBack: (ctx, id) => readerFor(ctx, accountNumbers).plan(id),

  async update(ctx, id, _olds, news, diff) {
    await updateNumber(ctx, id, news, diff.updates);
  },

  delete: (ctx, id) => deleteObject(ctx, `Number/${id}/`, `unrent ${id}`),

  refineOutputs(outs, wire, prior) {
    // A number bought by search keeps the search criteria it was found with; `number` is always known.
    outs.number = String(wire.number);
    // The purchase marker is not the user's alias: an undeclared alias stays undeclared (no diff, never cleared).
    if (prior.alias === undefined && isMarker(outs.alias)) delete outs.alias;
    return outs;
  },
};
