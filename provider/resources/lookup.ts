/**
 * Finders shared by resource handlers: read-or-undefined, natural-key lookups over paginated lists, and the
 * batched collections (account numbers, a pool's members, a campaign's numbers) that refresh, read-backs and waits
 * of many resources read through (provider/core/batch.ts).
 */
import { readerFor, type Collection, type Scope, type Wire } from "../core/batch";
import { isNotFound, type ResourceContext } from "../core/context";
import type { ReadOptions } from "../core/handler";
import { e164Digits } from "../../schema/fields";

/** GET an object; undefined on 404 (deleted outside Pulumi). `unwrap` picks a wrapper key (`{profile: …}`). */
export async function getOrUndefined(ctx: ResourceContext, path: string, action: string, unwrap?: string): Promise<Record<string, unknown> | undefined> {
  try {
    const res = await ctx.client.request<Record<string, unknown>>({ method: "GET", path, operation: ctx.op(action) });
    return unwrap ? (res.body[unwrap] as Record<string, unknown> | undefined) : res.body;
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/** Walks a paginated list (limit 20, the API maximum) and returns every object. */
export async function listAll(
  ctx: ResourceContext,
  path: string,
  query: Record<string, string | number | boolean | undefined>,
  listKey = "objects",
): Promise<Record<string, unknown>[]> {
  const all: Record<string, unknown>[] = [];
  for (let offset = 0; ; offset += 20) {
    const res = await ctx.client.request<Record<string, unknown>>({
      method: "GET",
      path,
      query: { ...query, limit: 20, offset },
      operation: ctx.op(`list ${path}`),
    });
    const page = (res.body[listKey] as Record<string, unknown>[] | undefined) ?? [];
    all.push(...page);
    const meta = res.body.meta as { next?: string | null; total_count?: number } | undefined;
    if (page.length < 20 || !meta?.next) return all;
  }
}

/** The id of the single object matching `match`; undefined when none; an error when several match. */
export async function findOne(
  ctx: ResourceContext,
  path: string,
  query: Record<string, string | number | boolean | undefined>,
  match: (o: Record<string, unknown>) => boolean,
  idKey: string,
  listKey = "objects",
): Promise<string | undefined> {
  const found = (await listAll(ctx, path, query, listKey)).filter(match);
  if (found.length > 1) {
    throw new Error(`${ctx.type} "${ctx.name}": ${found.length} existing objects match; cannot tell which one the failed create made`);
  }
  return found.length ? String(found[0][idKey]) : undefined;
}

// ---------------------------------------------------------------------------------------------------------
// Batched collections

/** Objects read one by one (no list worth walking): concurrent reads of one object share its GET. */
export function singleObjects(collection: string, noun: string, unwrap?: string): Collection {
  return {
    id: `${collection}*`,
    getOne: (ctx, id) => getOrUndefined(ctx, `${collection}${id}/`, `read ${noun} ${id}`, unwrap),
    scopes: () => [],
    itemsOf: () => [],
  };
}

const objectsOf = (body: Wire, key = "objects") => (body[key] as Wire[] | undefined) ?? [];

/**
 * Numbers rented in the account (`GET Number/?number_startswith=`). Reads that accept an answer of the last seconds
 * (refresh) walk a stable prefix (country code and area code: the walk goes on across batches); reads that need an
 * answer newer than a write (read-backs), and look-ups in an account too large to walk for them, list the numbers
 * that differ from theirs in the last digit only — at most ten of a length, one page — so numbers bought together
 * in sequence share a page and no walk reads numbers nobody asked for (a shorter shared prefix can list hundreds).
 */
export const accountNumbers: Collection = {
  id: "Number/",
  getOne: (ctx, n) => getOrUndefined(ctx, `Number/${n}/`, `read number ${n}`),
  scopes(keys, { narrow }) {
    const byPrefix = new Map<string, string[]>();
    const prefixOf = (k: string) => (narrow ? k.slice(0, -1) : k.slice(0, 4));
    for (const k of keys) byPrefix.set(prefixOf(k), [...(byPrefix.get(prefixOf(k)) ?? []), k]);
    return [...byPrefix].map(([prefix, group]) => {
      const scope: Scope = { path: "Number/", query: { number_startswith: prefix }, describe: `account numbers starting ${prefix}` };
      return { scope, keys: group };
    });
  },
  itemsOf: (body) => objectsOf(body).map((o) => [String(o.number), o]),
  // A read-back's page: the numbers that differ from it in the last digit (see scopes).
  pageOf: (k) => k.slice(0, -1),
  pageSize: 10,
};

/** The long codes (`Number`) or the toll-free number (`Tollfree`) of a number pool. */
export function poolMembers(pool: string, kind: "Number" | "Tollfree"): Collection {
  const path = `NumberPool/${pool}/${kind}/`;
  return {
    id: path,
    getOne: (ctx, n) => getOrUndefined(ctx, `${path}${n}/`, `read pool member ${n}`),
    scopes: (keys) => [{ scope: { path, describe: `${kind === "Number" ? "long codes" : "toll-free number"} of pool ${pool}` }, keys }],
    itemsOf: (body) => objectsOf(body).map((o) => [String(o.number), o]),
  };
}

/** The numbers linked to a 10DLC campaign, each with the campaign's alias and use case (as a single read gives). */
export function campaignNumbers(campaignId: string): Collection {
  const path = `10dlc/Campaign/${campaignId}/Number/`;
  const entries = (body: Wire): [string, Wire][] =>
    ((body.phone_numbers as { number: string; status: string }[] | undefined) ?? []).map((p) => {
      const number = String(e164Digits(p.number));
      return [number, { status: p.status, number, campaign_id: campaignId, usecase: body.usecase, campaign_alias: body.campaign_alias }];
    });
  return {
    id: path,
    async getOne(ctx, n) {
      const body = await getOrUndefined(ctx, `${path}${n}/`, `read link ${campaignId}/${n}`);
      return body ? entries(body).find(([k]) => k === n)?.[1] : undefined;
    },
    scopes: (keys) => [{ scope: { path, describe: `numbers of campaign ${campaignId}` }, keys }],
    itemsOf: entries,
  };
}

/** Reads `key` of `collection` through the process's batched reader. */
export function readBatched(ctx: ResourceContext, collection: Collection, key: string, opts: ReadOptions = {}): Promise<Wire | undefined> {
  return readerFor(ctx, collection).get(ctx, key, opts);
}
