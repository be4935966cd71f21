/** Finders shared by resource handlers: read-or-undefined, and natural-key lookups over paginated lists. */
import { isNotFound, type ResourceContext } from "../core/context";

/** GET an object; undefined on 404 (deleted outside Pulumi). `unwrap` picks a wrapper key (`{profile: …}`). */
export async function getOrUndefined(
  ctx: ResourceContext,
  path: string,
  action: string,
  unwrap?: string,
): Promise<Record<string, unknown> | undefined> {
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
