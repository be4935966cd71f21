/**
 * PhoneNumber (docs/plivo-api.md §2): buy from inventory (`/PhoneNumber/`), manage as an account number (`/Number/`).
 *
 * A number is scarce and costs a setup fee: a number already in the account is adopted, never bought twice;
 * an ambiguous buy is checked against the account before anything is retried.
 */
import { phoneNumberSchema, type PhoneNumberSearch } from "../../schema/phoneNumber";
import { isNotFound, type ResourceContext } from "../core/context";
import { PartialCreateError } from "../core/errors";
import type { Props, ResourceHandler } from "../core/handler";
import { requestBody } from "../core/wire";
import { readerFor } from "../core/batch";
import { accountNumbers, getOrUndefined, readBatched } from "./lookup";
import { deleteObject } from "./rest";

const accountNumber = (ctx: ResourceContext, number: string) => getOrUndefined(ctx, `Number/${number}/`, `read number ${number}`);

/** Inventory candidates for search criteria, best first (Plivo's order). */
async function searchInventory(ctx: ResourceContext, search: PhoneNumberSearch): Promise<string[]> {
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
    },
    operation: ctx.op(`search numbers ${JSON.stringify(search)}`),
  });
  return (res.body.objects ?? []).map((o: { number: string }) => String(o.number));
}

/** Buys `number`; returns false when Plivo says it is not available (404), so the caller can try another. */
async function buy(ctx: ResourceContext, number: string, inputs: Props): Promise<boolean> {
  try {
    await ctx.createOnce(
      async () => {
        await ctx.client.request({
          method: "POST",
          path: `PhoneNumber/${number}/`,
          body: requestBody(phoneNumberSchema, inputs, "create"),
          operation: ctx.op(`buy ${number}`),
        });
        return number;
      },
      async () => ((await accountNumber(ctx, number)) ? number : undefined),
    );
    return true;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
}

async function acquire(ctx: ResourceContext, inputs: Props): Promise<string> {
  const wanted = inputs.number as string | undefined;
  if (wanted) {
    if (await accountNumber(ctx, wanted)) {
      ctx.progress(`${wanted} is already in the account: adopting it instead of buying it again`);
      return wanted;
    }
    if (await buy(ctx, wanted, inputs)) return wanted;
    throw new Error(`PhoneNumber "${ctx.name}": buy ${wanted} failed: 404 not found — the number is not available in Plivo's inventory`);
  }
  const search = inputs.search as PhoneNumberSearch;
  const candidates = await searchInventory(ctx, search);
  for (const candidate of candidates) {
    if (await buy(ctx, candidate, inputs)) return candidate;
    ctx.progress(`${candidate} was taken meanwhile; trying the next match`);
  }
  throw new Error(`PhoneNumber "${ctx.name}": no number available for search ${JSON.stringify(search)}`);
}

/** Fields the buy endpoint does not take (alias, subaccount, CNAM, …) are applied with an update right after. */
function fieldsAfterBuy(inputs: Props): string[] {
  return Object.entries(phoneNumberSchema.inputs)
    .filter(([name, field]) => field.sendOnUpdate && !field.sendOnCreate && inputs[name] !== undefined)
    .map(([name]) => name);
}

async function updateNumber(ctx: ResourceContext, number: string, inputs: Props, fields: readonly string[]) {
  const body = requestBody(phoneNumberSchema, inputs, "update", fields);
  if (Object.keys(body).length === 0) return;
  // Sets declared values: sending it twice changes nothing, so it is retried like a GET.
  await ctx.client.request({ method: "POST", path: `Number/${number}/`, body, operation: ctx.op(`update number ${number}`), idempotent: true });
}

export const phoneNumber: ResourceHandler = {
  schema: phoneNumberSchema,
  // A number already in the account is adopted, never bought again (see acquire).
  adoptsExisting: (inputs) => inputs.number as string | undefined,

  async create(ctx, inputs) {
    const number = await acquire(ctx, inputs);
    try {
      // An adopted number gets every declared field; a bought one only what the buy call could not set.
      const adopted = inputs.number !== undefined;
      const fields = adopted ? Object.keys(phoneNumberSchema.inputs).filter((k) => inputs[k] !== undefined) : fieldsAfterBuy(inputs);
      await updateNumber(ctx, number, inputs, fields);
    } catch (err) {
      // The number is rented: keep it in the state so the next `up` retries the update instead of buying again.
      throw new PartialCreateError(number, err);
    }
    return number;
  },

  // Refresh and read-backs of many numbers are batched (list pages of account numbers); a buy in flight announces
  // its read-back so that the numbers bought together are read back together.
  read: (ctx, id, _props, opts) => readBatched(ctx, accountNumbers, id, opts),
  announceRead: (ctx) => readerFor(ctx, accountNumbers).expect(),

  async update(ctx, id, _olds, news, diff) {
    await updateNumber(ctx, id, news, diff.updates);
  },

  delete: (ctx, id) => deleteObject(ctx, `Number/${id}/`, `unrent ${id}`),

  refineOutputs(outs, wire) {
    // A number bought by search keeps the search criteria it was found with; `number` is always known.
    outs.number = String(wire.number);
    return outs;
  },
};
