/**
 * The CRUD shape most Plivo objects share: POST to a collection returns an id, GET/POST/DELETE on
 * `{collection}{id}/`. A resource file describes its paths and natural key; this builds the handler methods.
 */
import type { ResourceSchema } from "../../schema/resource";
import { PlivoApiError } from "../client/errors";
import { readerFor } from "../core/batch";
import { isAmbiguous, isNotFound, type ResourceContext } from "../core/context";
import type { Created, Listed, Props, ReadOptions, ResourceHandler, Unrecorded } from "../core/handler";
import { takenElsewhere } from "../core/resume";
import { snapshot } from "../core/snapshot";
import type { StoredEntry } from "../core/journal";
import { requestBody } from "../core/wire";
import { findOne, listAll, readBatched, singleObjects } from "./lookup";

export interface RestSpec {
  schema: ResourceSchema;
  /** Collection path, e.g. `"Application/"` or `"10dlc/Brand/"`. */
  collection: string;
  /** What the object is called in messages, e.g. "application". */
  noun: string;
  /** Key of the new id in the create response, e.g. `"app_id"`. */
  idKey: string;
  /** Wrapper key of GET responses (`{brand: {...}}`) and list key (`brands`); plain objects and `objects` otherwise. */
  unwrap?: string;
  listKey?: string;
  /**
   * How an ambiguous create is recognised: list query and match on the natural key (name, alias, profile, number).
   */
  naturalKey(inputs: Props): { describe: string; query?: Record<string, string>; match(o: Record<string, unknown>): boolean };
  /** Body of the DELETE (e.g. `{cascade: false}`). */
  deleteBody?: Record<string, unknown>;
  /** Verb of the delete in messages ("delete", "deactivate"). */
  deleteVerb?: string;
  /** The create and update responses are the full object (Powerpack): no read-back needed. */
  respondsWithObject?: boolean;
  /**
   * A free object an interrupted run may have left where no journal survives: before a create, the one object of
   * the collection with this natural key and the declared values, that no resource of this run holds, is taken
   * over (one walk of the collection per process, shared by its creates: core/snapshot.ts).
   */
  recoverByKey?: boolean;
  /**
   * The natural key is unique in the account (a Powerpack's name): the look happens only when the create is refused
   * (4xx) — nothing on the ordinary path — and the create's error stands when nothing is taken over.
   */
  uniqueKey?: boolean;
  /** Objects of the collection that Plivo keeps but nobody can manage (the PRIMARY profile): never listed. */
  unmanageable?(o: Record<string, unknown>): boolean;
}

export function objectPath(spec: RestSpec, id: string): string {
  return `${spec.collection}${id}/`;
}

const collections = new Map<RestSpec, ReturnType<typeof singleObjects>>();

function objectsOf(spec: RestSpec) {
  let collection = collections.get(spec);
  if (!collection) collections.set(spec, (collection = singleObjects(spec.collection, spec.noun, spec.unwrap)));
  return collection;
}

/** GET of one object, shared by concurrent readers (e.g. many links waiting for their campaign). */
export function readObject(spec: RestSpec, ctx: ResourceContext, id: string, opts: ReadOptions = {}): Promise<Record<string, unknown> | undefined> {
  return readBatched(ctx, objectsOf(spec), id, opts);
}

/** DELETE that treats "already gone" as done. */
export async function deleteObject(ctx: ResourceContext, path: string, action: string, body?: Record<string, unknown>): Promise<void> {
  try {
    await ctx.client.request({ method: "DELETE", path, body, operation: ctx.op(action) });
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}

/** Plivo answered 4xx: the request was refused and changed nothing. */
export const isRefusal = (err: unknown) => err instanceof PlivoApiError && err.status >= 400 && err.status < 500 && !isAmbiguous(err);

/** The object an interrupted create made: by the id its journal entry recorded, else by the natural key. */
async function findInterrupted(spec: RestSpec, ctx: ResourceContext, inputs: Props, entries: StoredEntry[]): Promise<string | undefined> {
  const key = spec.naturalKey(inputs);
  let found: string | undefined;
  for (const e of entries) {
    if (found || e.id === undefined) continue;
    const obj = await readObject(spec, ctx, e.id, { fresh: true });
    if (obj && key.match(obj)) found = e.id;
  }
  found ??= await findOne(ctx, spec.collection, key.query ?? {}, key.match, spec.idKey, spec.listKey);
  // Entries that made nothing are done; one without an id is superseded by the entry the takeover records.
  for (const e of entries) if (found === undefined || e.id === undefined) ctx.journal?.discard(e);
  return found;
}

/** The one object of the collection with the resource's natural key, from the process's snapshot of it. */
async function findUnrecorded(spec: RestSpec, ctx: ResourceContext, inputs: Props): Promise<Unrecorded | undefined> {
  const key = spec.naturalKey(inputs);
  const all = await snapshot(ctx, spec.collection, () => listAll(ctx, spec.collection, {}, spec.listKey)).items;
  const matches = all.filter((o) => key.match(o) && !takenElsewhere(ctx.type, String(o[spec.idKey]), ctx.urn));
  // Several with one key: nothing says which one (if any) the interrupted create made.
  if (matches.length !== 1) return undefined;
  return { id: String(matches[0]![spec.idKey]), how: `the ${spec.noun} named ${key.describe} with the declared values`, onlyIfUnchanged: true };
}

/** Every object of the collection (one walk of its list, 20 per page). */
export async function listCollection(spec: RestSpec, ctx: ResourceContext): Promise<Listed[]> {
  const all = await listAll(ctx, spec.collection, {}, spec.listKey);
  return all.filter((o) => !spec.unmanageable?.(o)).map((wire) => ({ id: String(wire[spec.idKey]), wire }));
}

export function restHandler(
  spec: RestSpec,
): Pick<ResourceHandler, "schema" | "listing" | "create" | "read" | "watch" | "update" | "delete" | "findInterrupted" | "findUnrecorded" | "findAfterRefusal"> {
  return {
    schema: spec.schema,

    listing: (ctx) => listCollection(spec, ctx),

    ...(spec.recoverByKey ? { findUnrecorded: (ctx: ResourceContext, inputs: Props) => findUnrecorded(spec, ctx, inputs) } : {}),
    ...(spec.uniqueKey
      ? {
          findAfterRefusal: (ctx: ResourceContext, inputs: Props, err: unknown) =>
            isRefusal(err) && (err as PlivoApiError).status === 400 ? findUnrecorded(spec, ctx, inputs) : Promise.resolve(undefined),
        }
      : {}),

    findInterrupted: (ctx, inputs, entries) => findInterrupted(spec, ctx, inputs, entries),

    async create(ctx, inputs) {
      const key = spec.naturalKey(inputs);
      ctx.checkNotStopping(`create ${spec.noun} ${key.describe}`);
      // Written (and fsync'ed) before the POST: an interrupted run's next create finds what this one made.
      const mark = ctx.journal?.record(`${spec.noun} ${key.describe}`);
      let sent = 0;
      let created: string | Created;
      try {
        created = await ctx.createOnce<string | Created>(
          async () => {
            sent++;
            const res = await ctx.client.request<Record<string, unknown>>({
              method: "POST",
              path: spec.collection,
              body: requestBody(spec.schema, inputs, "create"),
              operation: ctx.op(`create ${spec.noun} ${key.describe}`),
            });
            const id = String(res.body[spec.idKey]);
            return spec.respondsWithObject ? { id, wire: res.body } : id;
          },
          () => findOne(ctx, spec.collection, key.query ?? {}, key.match, spec.idKey, spec.listKey),
        );
      } catch (err) {
        // Only a first and only request refused outright proves nothing was made; otherwise the next run checks.
        if (sent === 1 && isRefusal(err)) mark?.discard();
        throw err;
      }
      mark?.resolved(typeof created === "string" ? created : created.id);
      return created;
    },

    read: (ctx, id, _props, opts) => readObject(spec, ctx, id, opts),

    watch: (ctx, id, _props, arrived) => readerFor(ctx, objectsOf(spec)).watch(id, arrived),

    async update(ctx, id, _olds, news) {
      // The full desired set of updatable fields: some endpoints reset omitted fields to their defaults.
      const res = await ctx.client.request<Record<string, unknown>>({
        method: "POST",
        path: objectPath(spec, id),
        body: requestBody(spec.schema, news, "update"),
        operation: ctx.op(`update ${spec.noun} ${id}`),
        // Sets declared values: sending it twice changes nothing, so it is retried like a GET.
        idempotent: true,
      });
      return spec.respondsWithObject ? res.body : undefined;
    },

    delete: (ctx, id) => deleteObject(ctx, objectPath(spec, id), `${spec.deleteVerb ?? "delete"} ${spec.noun} ${id}`, spec.deleteBody),
  };
}
