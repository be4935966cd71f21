/**
 * Batched reads. Reads of many objects of one collection (account numbers, a pool's members, a campaign's numbers)
 * asked by one provider process within a short window are answered together: from a list page of the last seconds
 * that already brought the object, else by walking a list endpoint (20 objects per page) while that costs fewer
 * requests than one GET per object, else with one GET each (concurrent readers of one object share it). Pages the
 * list's count says exist are fetched a few at a time (a refresh waits a round trip per wave, not per page).
 *
 * When a batch goes: after a short window, or later while reads it can share a page with are coming — creates
 * in flight when its first read was asked (they come within a round trip, `holdMs`), and, while the engine hands out
 * creates slowly (its checkpoints, not its slots, bound the run), the planned objects of the same page (a preview
 * note looked them up and found them absent: they are being created in this run; or a diff planned their in-place
 * update), as long as new creates or updates keep coming (`trickleMs` at most). When every slot of the engine holds
 * a read waiting for its batch, no new create comes and the batch goes.
 *
 * Freshness: a read is answered only by a response whose request started after the last write this process
 * completed before the read was asked (a read after our own change sees it) and at most `maxAgeMs` before it; a
 * `fresh` read (a poll) only by a request started after it was asked. An object a page brought ahead of its read
 * answers one read: a second read of the same object asks again (so does every read of an object read on its own).
 * An object missing from a complete walk is confirmed with its own GET before it counts as gone: offset pagination
 * can skip an object while others come and go.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { PlivoClient } from "../client/plivoClient";
import { isNotFoundError } from "../client/errors";
import type { ResourceContext } from "./context";

export type Wire = Record<string, unknown>;
type Query = Record<string, string | number | boolean | undefined>;

/** A list call that may return some of the wanted objects. */
export interface Scope {
  path: string;
  query?: Query;
  /** What it lists, for operation names, e.g. "account numbers starting 1415". */
  describe: string;
}

export interface Collection {
  /** Identity of the collection within a client, e.g. `NumberPool/<uuid>/Number/`. */
  readonly id: string;
  /** One object; undefined when it does not exist. */
  getOne(ctx: ResourceContext, key: string): Promise<Wire | undefined>;
  /**
   * List calls that may return `keys`, each with the keys it may return (keys in none are read one by one).
   * `narrow`: the fewest objects around the keys (a read-back's page, a look-up of a large account) rather than a
   * scope whose walk goes on across batches (a refresh); collections with one scope ignore it.
   */
  scopes(keys: string[], opts: { narrow: boolean }): { scope: Scope; keys: string[] }[];
  /** The objects of a list page, keyed. */
  itemsOf(body: Wire): [string, Wire][];
  /**
   * The page a read that needs a fresh answer (a read-back) shares with others: reads of keys on one page are worth
   * waiting for each other. Without it, a batch waits only for the creates in flight.
   */
  pageOf?(key: string): string;
  /** How many keys such a page holds at most (a batch waits for half of them at most). */
  readonly pageSize?: number;
}

export interface BatchOptions {
  /** How long a read waits for others to join its batch (ms). */
  windowMs: number;
  /** How long a read may wait longer for reads announced as coming (creates in flight, see `expect`) (ms). */
  holdMs: number;
  /** How long a read may wait for planned objects of its page while creates trickle in (ms). */
  trickleMs: number;
  /** How old an answer may be for a read that is not `fresh` (ms). */
  maxAgeMs: number;
}

export function batchOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): BatchOptions {
  const num = (v: string | undefined, d: number) => (v !== undefined && /^\d+$/.test(v) ? Number(v) : d);
  return {
    windowMs: num(env.PLIVO_BATCH_WINDOW_MS, 20),
    holdMs: num(env.PLIVO_BATCH_HOLD_MS, 300),
    trickleMs: num(env.PLIVO_BATCH_TRICKLE_MS, 1_500),
    maxAgeMs: num(env.PLIVO_READ_MAX_AGE_MS, 10_000),
  };
}

const now = () => performance.now();

// ---------------------------------------------------------------------------------------------------------
// Writes: every non-GET request this process sends, whatever its outcome, raises the floor of acceptable answers.
// Requests are also counted for whoever asks (poll rounds pace themselves by what they cost).

let lastWriteDone = -Infinity;
const tracked = new WeakMap<PlivoClient, PlivoClient>();

export interface RequestCounter {
  requests: number;
}
const counting = new AsyncLocalStorage<RequestCounter>();

/** Runs `fn`, counting in `counter` the API requests it causes (including batched reads it starts). */
export function countRequests<T>(counter: RequestCounter, fn: () => Promise<T>): Promise<T> {
  return counting.run(counter, fn);
}

/** The client, with its writes noted (answers fetched before a write completed are not served after it). */
export function trackWrites(client: PlivoClient): PlivoClient {
  let proxy = tracked.get(client);
  if (!proxy) {
    const request: PlivoClient["request"] = async (req) => {
      const counter = counting.getStore();
      if (counter) counter.requests++;
      if (req.method === "GET") return client.request(req);
      try {
        return await client.request(req);
      } finally {
        lastWriteDone = now();
      }
    };
    proxy = new Proxy(client, {
      get(target, prop) {
        if (prop === "request") return request;
        const value = Reflect.get(target, prop, target);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    tracked.set(client, proxy);
  }
  return proxy;
}

// ---------------------------------------------------------------------------------------------------------

interface Waiter {
  notBefore: number;
  /** A look-up that only informs: missing from a complete walk counts as absent without a GET of its own. */
  informational: boolean;
  /** The answer must be newer than a write or than the read itself: a walk of it cannot serve later reads. */
  bounded: boolean;
  ctx: ResourceContext;
  resolve(wire: Wire | undefined): void;
  reject(err: unknown): void;
}

/** A walk of one list scope. Later reads that accept its age continue it instead of starting over. */
interface Cursor {
  startedAt: number;
  nextOffset: number;
  complete: boolean;
  pages: number;
  /** Reads it answered (directly or through the cache): a walk goes on while it pays for itself. */
  served: number;
  /** Every key its pages listed. */
  seen: Set<string>;
}

interface Cached {
  wire: Wire | undefined;
  /** When the request that brought it started. */
  at: number;
  /** It answered a read already (kept only for `known`). */
  used: boolean;
  cursor?: Cursor;
}

export interface BatchStats {
  /** List pages requested. */
  pages: number;
  /** Single GETs. */
  gets: number;
  /** Reads answered. */
  reads: number;
}

/** The batched reader of one collection for one client (one Plivo account), for the life of the process. */
export class BatchedReader {
  private readonly cache = new Map<string, Cached>();
  private readonly cursors = new Map<string, Cursor>();
  /** Object counts that list pages reported, per scope (how many pages a walk would take). */
  private readonly counts = new Map<string, number>();
  private readonly inflight = new Map<string, { at: number; promise: Promise<Wire | undefined> }>();
  private readonly walking = new Map<string, Promise<void>>();
  private readonly watchers = new Map<string, Set<(at: number) => void>>();
  private pending = new Map<string, Waiter[]>();
  private pendingSince = 0;
  private timer: NodeJS.Timeout | undefined;
  /** Reads announced as coming (a create in flight reads its object back when it is done), with when. */
  private readonly announced = new Map<number, number>();
  private announcements = 0;
  private lastAnnouncedAt = -Infinity;
  /** The last few gaps between announcements (ms): how fast the engine hands out creates now. */
  private readonly gaps: number[] = [];
  /** Keys that will be read back in this run (see `plan`), by page. */
  private readonly planned = new Map<string, Set<string>>();
  readonly stats: BatchStats = { pages: 0, gets: 0, reads: 0 };

  constructor(
    readonly collection: Collection,
    private readonly options: BatchOptions = batchOptionsFromEnv(),
  ) {}

  /**
   * The object, or undefined when it does not exist. `fresh`: answered only by a request started now or later;
   * `since`: by one started at or after that time (such reads may share an answer another read used already).
   */
  get(ctx: ResourceContext, key: string, opts: { fresh?: boolean; since?: number; informational?: boolean } = {}): Promise<Wire | undefined> {
    this.stats.reads++;
    const t = now();
    // Reads that state their own freshness may share an answer that another read used already.
    const explicit = opts.fresh === true || opts.since !== undefined || opts.informational === true;
    // A look-up that only informs takes a list of the last minute, whatever this process wrote since.
    const floor = opts.informational ? t - Math.max(this.options.maxAgeMs, 60_000) : Math.max(t - this.options.maxAgeMs, lastWriteDone);
    const notBefore = opts.since ?? (opts.fresh ? t : floor);
    const bounded = notBefore > Math.min(floor, t - this.options.maxAgeMs);
    if (!opts.informational) this.unplan(key);
    const hit = this.cache.get(key);
    if (hit && (!hit.used || explicit) && hit.at >= notBefore) {
      hit.used = true;
      if (hit.cursor) hit.cursor.served++;
      return Promise.resolve(hit.wire);
    }
    const flying = this.inflight.get(key);
    if (flying && flying.at >= notBefore) return flying.promise;
    // A look-up that only informs never waits behind the reads of creates in flight: the engine calls checks one
    // after the other, so a check held until the previous resource's create is done would serialize every create.
    if (opts.informational && this.absentFromWalk(key, notBefore)) {
      this.plan(key);
      return Promise.resolve(undefined);
    }
    const answer = new Promise<Wire | undefined>((resolve, reject) => {
      const waiters = this.pending.get(key) ?? [];
      waiters.push({ notBefore, bounded, informational: opts.informational === true, ctx, resolve, reject });
      if (this.pending.size === 0) this.pendingSince = t;
      this.pending.set(key, waiters);
      this.arm();
    });
    return opts.informational
      ? answer.then((wire) => {
          if (wire === undefined) this.plan(key);
          return wire;
        })
      : answer;
  }

  /**
   * Announces a read of this collection that will follow (a create in flight): batches wait for it, up to
   * `holdMs`. Call the returned function when that read has been asked (or will not be).
   */
  expect(): () => void {
    const id = this.announcements++;
    const t = now();
    if (this.lastAnnouncedAt > -Infinity) {
      this.gaps.push(t - this.lastAnnouncedAt);
      if (this.gaps.length > 5) this.gaps.shift();
    }
    this.lastAnnouncedAt = t;
    this.announced.set(id, t);
    return () => void this.announced.delete(id);
  }

  /**
   * `key` will be read back in this run: a look-up found it absent (it is being created), or a diff planned its
   * in-place update. Reads of its page may wait for it while creates and updates trickle in.
   */
  plan(key: string): void {
    const page = this.collection.pageOf?.(key);
    if (page === undefined) return;
    let keys = this.planned.get(page);
    if (!keys) this.planned.set(page, (keys = new Set()));
    keys.add(key);
  }

  private unplan(key: string): void {
    const page = this.collection.pageOf?.(key);
    const keys = page !== undefined ? this.planned.get(page) : undefined;
    if (!keys?.delete(key)) return;
    if (keys.size === 0) this.planned.delete(page!);
  }

  /** A batch goes after the window, or later while reads it can share pages with are coming (see the header). */
  private arm(): void {
    if (this.timer || this.pending.size === 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.holding()) this.arm();
      else void this.flush();
    }, this.options.windowMs);
  }

  private holding(): boolean {
    // Only reads that act wait; a batch of look-ups that only inform goes now.
    if (![...this.pending.values()].some((ws) => ws.some((w) => !w.informational))) return false;
    const waited = now() - this.pendingSince;
    // Creates in flight when the batch began: their requests were sent, their reads come within a round trip.
    if (waited < this.options.holdMs) for (const at of this.announced.values()) if (at <= this.pendingSince) return true;
    // Creates trickling in: wait for the planned objects of the batch's pages while new creates keep coming.
    if (waited >= this.options.trickleMs || now() - this.lastAnnouncedAt > this.quietMs()) return false;
    return this.plannedSiblings();
  }

  /**
   * How long without a new create means none is coming: four times the usual gap between creates. (A CLI bound by
   * its checkpoints hands them out in bursts — a save of the whole state, a pause for its garbage collector — and at
   * twice the gap 14–21 % of the numbers of a 2,001-resource run were read back alone.)
   */
  private quietMs(): number {
    const sorted = [...this.gaps].sort((a, b) => a - b);
    const median = sorted.length ? sorted[Math.floor(sorted.length / 2)]! : 0;
    return Math.min(Math.max(4 * median, this.options.windowMs), this.options.trickleMs);
  }

  /**
   * A page of the batch holds fewer than half the reads it could, and a planned key that has not been read yet
   * shares it: worth waiting for. (Half a page already cuts the reads to a fifth of the numbers for a page of ten;
   * waiting for the whole page would hold every slot of the engine once creates come about as fast as they finish.)
   */
  private plannedSiblings(): boolean {
    const pageOf = this.collection.pageOf;
    if (!pageOf || this.planned.size === 0) return false;
    const enough = Math.max(2, Math.ceil((this.collection.pageSize ?? 20) / 2));
    const pendingOn = new Map<string, number>();
    for (const key of this.pending.keys()) pendingOn.set(pageOf(key), (pendingOn.get(pageOf(key)) ?? 0) + 1);
    for (const [page, count] of pendingOn) {
      if (count >= enough) continue;
      for (const sibling of this.planned.get(page) ?? []) if (!this.pending.has(sibling)) return true;
    }
    return false;
  }

  /** Calls `arrived(at)` each time a request started at `at` brings `key` (see ResourceHandler.watch). */
  watch(key: string, arrived: (at: number) => void): () => void {
    let set = this.watchers.get(key);
    if (!set) this.watchers.set(key, (set = new Set()));
    set.add(arrived);
    return () => {
      set!.delete(arrived);
      if (set!.size === 0 && this.watchers.get(key) === set) this.watchers.delete(key);
    };
  }

  private store(key: string, entry: Cached): void {
    this.cache.set(key, entry);
    for (const arrived of this.watchers.get(key) ?? []) arrived(entry.at);
  }

  /** The object as last seen, however old: for what never changes (a number's type, a Powerpack's pool). */
  known(key: string): Wire | undefined {
    return this.cache.get(key)?.wire;
  }

  private async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = new Map();
    const fresh = [...batch.values()].some((ws) => ws.some((w) => w.bounded));
    const first = [...batch.values()][0]![0]!.ctx;
    const unlisted = new Set<string>();
    const walked = new Set<string>();
    const walkAll = async (groups: { scope: Scope; keys: string[] }[]) => {
      await Promise.all(
        groups.map((g) => {
          walked.add(scopeKey(g.scope));
          return this.serialized(scopeKey(g.scope), async () => {
            for (const k of await this.walk(first, g.scope, g.keys, batch)) unlisted.add(k);
          });
        }),
      );
    };
    try {
      await walkAll(this.collection.scopes([...batch.keys()], { narrow: fresh }));
      // Look-ups that only inform and that a walk of the wide scope did not settle (the account is too large to
      // walk for them): the narrow scope's page answers them and their neighbours, where a GET answers one.
      const lookups = [...batch].filter(([k, ws]) => ws.length > 0 && !unlisted.has(k) && ws.every((w) => w.informational)).map(([k]) => k);
      if (!fresh && lookups.length > 0) await walkAll(this.collection.scopes(lookups, { narrow: true }).filter((g) => !walked.has(scopeKey(g.scope))));
    } catch {
      // A failed list call is not the end: whatever is still unanswered is read on its own below.
    }
    for (const [key, waiters] of batch) {
      if (waiters.length === 0) continue;
      if (unlisted.has(key) && waiters.every((w) => w.informational)) {
        this.answer(batch, key, undefined);
        continue;
      }
      const minimum = Math.max(...waiters.map((w) => w.notBefore));
      const hit = this.cache.get(key);
      if (hit && !hit.used && hit.at >= minimum) {
        hit.used = true;
        this.answer(batch, key, hit.wire);
        continue;
      }
      this.one(waiters[0]!.ctx, key).then(
        (wire) => this.answer(batch, key, wire),
        (err) => {
          for (const w of batch.get(key) ?? []) w.reject(err);
          batch.set(key, []);
        },
      );
    }
  }

  /** Walks of one scope run one after the other (they share its cursor). */
  private serialized(id: string, fn: () => Promise<void>): Promise<void> {
    const next = (this.walking.get(id) ?? Promise.resolve()).then(fn);
    const settled = next.catch(() => undefined);
    this.walking.set(id, settled);
    void settled.then(() => {
      if (this.walking.get(id) === settled) this.walking.delete(id);
    });
    return next;
  }

  private answer(batch: Map<string, Waiter[]>, key: string, wire: Wire | undefined): void {
    const waiters = batch.get(key) ?? [];
    batch.set(key, []);
    for (const w of waiters) w.resolve(wire);
  }

  /** A complete walk (of either scope that lists it) started at or after `notBefore` did not list `key`. */
  private absentFromWalk(key: string, notBefore: number): boolean {
    const scopes = [false, true].flatMap((narrow) => this.collection.scopes([key], { narrow }));
    return scopes.some(({ scope }) => {
      const cursor = this.cursors.get(scopeKey(scope));
      return cursor?.complete && cursor.startedAt >= notBefore && !cursor.seen.has(key);
    });
  }

  /** A walk of `scope` recent enough for every waiter of `keys` (complete or able to go on), if any. */
  private recentWalk(scope: Scope, batch: Map<string, Waiter[]>, keys: string[]): Cursor | undefined {
    const cursor = this.cursors.get(scopeKey(scope));
    const minimum = Math.max(...keys.flatMap((k) => (batch.get(k) ?? []).map((w) => w.notBefore)));
    return cursor && cursor.startedAt >= minimum ? cursor : undefined;
  }

  /** A walk of `scope` recent enough for every waiter of `keys` that can go on, if any. */
  private cursorFor(scope: Scope, batch: Map<string, Waiter[]>, keys: string[]): Cursor | undefined {
    const cursor = this.recentWalk(scope, batch, keys);
    return cursor && !cursor.complete ? cursor : undefined;
  }

  /**
   * Walks `scope` for `keys`: continues a recent enough walk or starts one, and goes on while the walk pays for
   * itself (fewer pages than the reads it answered plus those still wanted). Answers what it finds; returns the
   * keys a complete walk did not list.
   */
  private async walk(ctx: ResourceContext, scope: Scope, scopeKeys: string[], batch: Map<string, Waiter[]>): Promise<string[]> {
    const id = scopeKey(scope);
    // What an earlier walk (this one waited for it) brought is answered from the cache.
    const keys = scopeKeys.filter((k) => {
      const waiters = batch.get(k) ?? [];
      const hit = this.cache.get(k);
      if (waiters.length > 0 && hit && !hit.used && hit.at >= Math.max(...waiters.map((w) => w.notBefore))) {
        hit.used = true;
        if (hit.cursor) hit.cursor.served++;
        this.answer(batch, k, hit.wire);
      }
      return (batch.get(k) ?? []).length > 0;
    });
    if (keys.length === 0) return [];
    // A recent complete walk that did not list them: they were not there (for the look-ups that accept that).
    const done = this.recentWalk(scope, batch, keys);
    if (done?.complete) return keys.filter((k) => !done.seen.has(k));
    // One object is read on its own, unless a walk that can answer it is under way.
    if (keys.length === 1 && !this.cursorFor(scope, batch, keys)) {
      // A look-up that only informs starts a walk even for one object: the next ones are then answered by it.
      const informational = (batch.get(keys[0]!) ?? []).every((w) => w.informational);
      if (!informational) return [];
    }
    let cursor = this.cursorFor(scope, batch, keys);
    if (!cursor) {
      // A walk known to take more pages than there are objects wanted costs more than reading them one by one.
      const count = this.counts.get(id);
      if (count !== undefined && Math.ceil(count / 20) > keys.length) return [];
      cursor = { startedAt: now(), nextOffset: 0, complete: false, pages: 0, served: 0, seen: new Set() };
      this.cursors.set(id, cursor);
    }
    const wanted = new Set(keys);
    while (wanted.size > 0 && !cursor.complete && cursor.pages < cursor.served + wanted.size) {
      // Pages known to exist (the list's count) are fetched several at a time, as far as the walk pays for itself;
      // the first page of a list goes alone (a read-back's list is one page).
      const count = this.counts.get(id);
      const left = count === undefined ? 1 : Math.max(1, Math.ceil((count - cursor.nextOffset) / 20));
      const wave = Math.min(PAGES_AT_ONCE, left, cursor.served + wanted.size - cursor.pages);
      const offsets = Array.from({ length: wave }, (_, i) => cursor!.nextOffset + 20 * i);
      const pageStart = now();
      cursor.pages += wave;
      this.stats.pages += wave;
      cursor.nextOffset += 20 * wave;
      let bodies: Wire[];
      try {
        bodies = await Promise.all(
          offsets.map(async (offset) => {
            const res = await ctx.client.request<Wire>({
              method: "GET",
              path: scope.path,
              query: { ...scope.query, limit: 20, offset },
              operation: { resource: ctx.type, name: "(batched read)", action: `list ${scope.describe}` },
              signal: ctx.signal,
            });
            return res.body;
          }),
        );
      } catch (err) {
        if (!isNotFoundError(err)) throw err;
        // The container is gone (a deleted Powerpack's pool, a campaign), and everything in it with it.
        cursor.complete = true;
        for (const k of wanted) {
          this.answer(batch, k, undefined);
          this.store(k, { wire: undefined, at: pageStart, used: true });
        }
        return [];
      }
      for (const body of bodies) {
        const items = this.collection.itemsOf(body);
        for (const [k, wire] of items) {
          cursor.seen.add(k);
          const answers = wanted.delete(k);
          if (answers) {
            cursor.served++;
            this.answer(batch, k, wire);
          }
          this.store(k, { wire, at: pageStart, used: answers, cursor });
        }
        const meta = body.meta as { next?: string | null; total_count?: number } | undefined;
        if (typeof meta?.total_count === "number") this.counts.set(id, meta.total_count);
        // Some lists carry no meta (a campaign's numbers): a full page then may have a next one.
        if (items.length < 20 || (meta !== undefined && !meta.next)) {
          cursor.complete = true;
          break;
        }
      }
    }
    return cursor.complete ? [...wanted].filter((k) => !cursor!.seen.has(k)) : [];
  }

  private one(ctx: ResourceContext, key: string): Promise<Wire | undefined> {
    const at = now();
    this.stats.gets++;
    const promise = this.collection.getOne(ctx, key).then((wire) => {
      this.store(key, { wire, at, used: true });
      return wire;
    });
    this.inflight.set(key, { at, promise });
    const clear = () => {
      if (this.inflight.get(key)?.promise === promise) this.inflight.delete(key);
    };
    promise.then(clear, clear);
    return promise;
  }
}

const scopeKey = (s: Scope) => `${s.path}?${JSON.stringify(s.query ?? {})}`;

/** List pages of one walk in flight at once (a refresh of many objects: each wave costs one round trip). */
const PAGES_AT_ONCE = 4;

const readers = new WeakMap<object, Map<string, BatchedReader>>();

/** The process's batched reader of `collection` for the context's client (one per account). */
export function readerFor(ctx: ResourceContext, collection: Collection): BatchedReader {
  let byId = readers.get(ctx.client);
  if (!byId) readers.set(ctx.client, (byId = new Map()));
  let reader = byId.get(collection.id);
  if (!reader) byId.set(collection.id, (reader = new BatchedReader(collection)));
  return reader;
}
