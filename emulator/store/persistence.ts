/**
 * Durable state with a cost per write that does not grow with the state: a snapshot plus an append-only journal.
 *
 *   FILE                 the snapshot: the whole state as one JSON object (the `view()` shape) plus
 *                        `persistence: {generation: G}`
 *   FILE.journal.G       one line per commit batch, `{"n":seq,"ops":[{t,k,v}|{t,k,d:1}]}`: the final value of every
 *                        record changed (or deleted) since the snapshot
 *
 * A commit appends one line holding every change made since the previous one (group commit: requests that change
 * state while a write is in flight share the next write) and fdatasyncs it; only then are the requests answered, so
 * every acknowledged write survives `kill -9`. When the journal grows past twice the snapshot (at least 4 MB), a
 * compaction starts generation G+1 (new appends go there), captures the tables (frozen records, so nothing can
 * change under it), writes the snapshot in the background in small slices (tmp file, fsync, rename, directory
 * fsync), then deletes journal G. Loading reads the snapshot and replays every journal from its generation on,
 * ignoring a torn last line (a write that was never acknowledged); anything else unreadable is an error, never a
 * silent reset.
 */
import { close, closeSync, fdatasync, openSync, promises as fsp, write } from "node:fs";
import { promisify } from "node:util";
import * as path from "node:path";
import type { Store } from "./store";

export interface JournalOp {
  /** table */
  t: string;
  /** key */
  k: string;
  /** the record's value (put) */
  v?: unknown;
  /** deleted */
  d?: 1;
}

export interface PersistenceOptions {
  /** compaction starts when the journal exceeds max(minCompactBytes, ratio × snapshot size) */
  minCompactBytes?: number;
  compactRatio?: number;
  /** compact whenever the journal exceeds this many bytes, whatever the snapshot's size (tests, benchmarks) */
  compactAfterBytes?: number;
  /** load only: never write, rename or delete anything */
  readOnly?: boolean;
}

interface Deferred {
  promise: Promise<void>;
  resolve(): void;
  reject(err: unknown): void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => undefined); // a failed write is reported to its committers, never as an unhandled rejection
  return { promise, resolve, reject };
}

const writeAsync = promisify(write) as (fd: number, s: string) => Promise<unknown>;
const fdatasyncAsync = promisify(fdatasync);
const closeAsync = promisify(close);

const journalName = (file: string, gen: number) => `${file}.journal.${gen}`;

export class Persistence {
  readonly file: string;
  writes = 0;
  private generation = 0;
  /** file descriptor of the journal being appended to */
  private journal: number | undefined;
  private journalBytes = 0;
  private snapshotBytes = 0;
  private seq = 0;
  private pending: JournalOp[] = [];
  private next: Deferred | undefined;
  private inflight: Promise<void> | undefined;
  private running = false;
  private compacting: Promise<void> | undefined;
  private compactions = 0;
  private readonly minCompactBytes: number;
  private readonly compactRatio: number;
  private store!: Store;

  private constructor(
    file: string,
    private readonly opts: PersistenceOptions,
  ) {
    this.file = file;
    this.minCompactBytes = opts.minCompactBytes ?? 4 * 1024 * 1024;
    this.compactRatio = opts.compactRatio ?? 2;
  }

  /**
   * Load `file` (snapshot + journals) into `store`, or call `fresh()` when there is none, and attach the
   * persistence to the store. Returns whether a state was loaded.
   */
  static async open(file: string, store: Store, fresh: () => void, opts: PersistenceOptions = {}): Promise<Persistence> {
    const p = new Persistence(path.resolve(file), opts);
    p.store = store;
    const dir = path.dirname(p.file);
    if (!opts.readOnly) await fsp.mkdir(dir, { recursive: true });
    let text: string | undefined;
    try {
      text = await fsp.readFile(p.file, "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    }
    let snapshot: Record<string, unknown> | undefined;
    if (text !== undefined && text.trim() !== "") {
      try {
        snapshot = JSON.parse(text) as Record<string, unknown>;
      } catch (err) {
        throw new Error(`emulator data file ${file} is not valid JSON: ${(err as Error).message}`);
      }
      if (typeof snapshot !== "object" || snapshot === null || Array.isArray(snapshot)) {
        throw new Error(`emulator data file ${file} does not contain a state object`);
      }
      p.snapshotBytes = Buffer.byteLength(text);
      p.generation = Number((snapshot.persistence as { generation?: number } | undefined)?.generation ?? 0);
      store.load(snapshot);
    }
    const journals = await p.listJournals();
    if (!opts.readOnly) {
      await removeStaleTmpFiles(p.file);
      for (const g of journals) if (g < p.generation) await fsp.rm(journalName(p.file, g), { force: true });
    }
    const replay = journals.filter((g) => g >= p.generation);
    if (!snapshot && replay.length === 0) fresh();
    for (const g of replay) await p.replay(g, g === replay[replay.length - 1]);
    if (replay.length) p.generation = replay[replay.length - 1];
    if (opts.readOnly) return p;
    store.attach(p);
    if (!snapshot && replay.length === 0) {
      // a new data file: write the fresh state as the first snapshot
      store.takeOps();
      await p.writeSnapshot(p.generation, store.capture());
    }
    p.journal = openSync(journalName(p.file, p.generation), "a", 0o600);
    await fsyncDir(path.dirname(p.file));
    return p;
  }

  private async listJournals(): Promise<number[]> {
    const dir = path.dirname(this.file);
    const prefix = `${path.basename(this.file)}.journal.`;
    let names: string[] = [];
    try {
      names = await fsp.readdir(dir);
    } catch {
      return [];
    }
    return names
      .filter((n) => n.startsWith(prefix) && /^\d+$/.test(n.slice(prefix.length)))
      .map((n) => Number(n.slice(prefix.length)))
      .sort((a, b) => a - b);
  }

  private async replay(gen: number, last: boolean): Promise<void> {
    const name = journalName(this.file, gen);
    const text = await fsp.readFile(name, "utf8");
    const lines = text.split("\n");
    const complete = text.endsWith("\n") ? lines.slice(0, -1) : lines;
    let goodBytes = 0;
    for (let i = 0; i < complete.length; i++) {
      const line = complete[i];
      let rec: { n: number; ops: JournalOp[] } | undefined;
      try {
        rec = JSON.parse(line);
      } catch {
        rec = undefined;
      }
      const isTail = i === complete.length - 1 && last;
      if (!rec || !Array.isArray(rec.ops)) {
        // a torn last line is a write that was never acknowledged; anywhere else it is corruption
        if (isTail && !text.endsWith("\n")) break;
        if (isTail) break;
        throw new Error(`emulator journal ${name} is corrupt at line ${i + 1}`);
      }
      if (!text.endsWith("\n") && isTail) break; // complete JSON but no newline: the write was cut; not acknowledged
      this.store.applyOps(rec.ops);
      this.seq = Math.max(this.seq, rec.n);
      goodBytes += Buffer.byteLength(line) + 1;
    }
    if (last && !this.opts.readOnly && goodBytes !== Buffer.byteLength(text)) {
      await fsp.truncate(name, goodBytes); // drop the torn tail before appending after it
    }
    if (last) this.journalBytes = goodBytes;
  }

  /** Journal every change made so far; resolves once it is on disk. */
  commit(store: Store): Promise<void> {
    const ops = store.takeOps();
    if (ops.length) {
      for (const op of ops) this.pending.push(op);
      this.next ??= deferred();
      const p = this.next.promise;
      this.run();
      return p;
    }
    if (this.next) return this.next.promise;
    return this.inflight ?? Promise.resolve();
  }

  private run(): void {
    if (this.running) return;
    this.running = true;
    void (async () => {
      try {
        while (this.pending.length) {
          const ops = this.pending;
          const done = this.next!;
          this.pending = [];
          this.next = undefined;
          this.inflight = done.promise;
          try {
            await this.append(ops);
            done.resolve();
          } catch (err) {
            done.reject(err);
          }
          this.maybeCompact();
        }
      } finally {
        this.running = false;
        this.inflight = undefined;
      }
    })();
  }

  private async append(ops: JournalOp[]): Promise<void> {
    const line = `${JSON.stringify({ n: ++this.seq, ops })}\n`;
    const fd = this.journal!;
    await writeAsync(fd, line);
    await fdatasyncAsync(fd);
    this.journalBytes += Buffer.byteLength(line);
    this.writes++;
  }

  private maybeCompact(): void {
    if (this.compacting) return;
    const threshold = this.opts.compactAfterBytes ?? Math.max(this.minCompactBytes, this.compactRatio * this.snapshotBytes);
    if (this.journalBytes < threshold) return;
    this.compacting = this.compact().finally(() => {
      this.compacting = undefined;
    });
    this.compacting.catch(() => undefined);
  }

  /** Start a new journal generation, then write the snapshot of everything before it in the background. */
  async compact(): Promise<void> {
    const old = this.generation;
    const gen = old + 1;
    // Called between two appends; this synchronous part switches the journal and captures the tables, so
    // everything before the switch is in the snapshot and everything after it in the new journal.
    const oldJournal = this.journal!;
    this.journal = openSync(journalName(this.file, gen), "a", 0o600);
    this.generation = gen;
    this.journalBytes = 0;
    const captured = this.store.capture();
    await closeAsync(oldJournal);
    await fsyncDir(path.dirname(this.file));
    await this.writeSnapshot(gen, captured);
    await fsp.rm(journalName(this.file, old), { force: true });
    this.compactions++;
  }

  /** Write the snapshot of `captured` as generation `gen` (tmp file, fsync, rename, directory fsync). */
  private async writeSnapshot(gen: number, captured: ReturnType<Store["capture"]>): Promise<void> {
    const tmp = `${this.file}.tmp-${process.pid}`;
    const fh = await fsp.open(tmp, "w", 0o600);
    let bytes = 0;
    try {
      let buf = "{";
      let first = true;
      const flush = async (force = false) => {
        if (!force && buf.length < 1 << 20) return;
        await fh.write(buf);
        bytes += Buffer.byteLength(buf);
        buf = "";
        await new Promise((r) => setImmediate(r)); // let requests run between slices
      };
      for (const [k, v] of Object.entries(captured.meta)) {
        buf += `${first ? "" : ","}${JSON.stringify(k)}:${JSON.stringify(v)}`;
        first = false;
      }
      buf += `${first ? "" : ","}"persistence":${JSON.stringify({ generation: gen })}`;
      for (const [name, rows] of captured.tables) {
        buf += `,${JSON.stringify(name)}:[`;
        for (let i = 0; i < rows.length; i++) {
          buf += (i ? "," : "") + JSON.stringify(rows[i]);
          if ((i & 255) === 255) await flush();
        }
        buf += "]";
      }
      buf += "}";
      await flush(true);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await fsp.rename(tmp, this.file);
    await fsyncDir(path.dirname(this.file));
    this.snapshotBytes = bytes;
  }

  /** Wait until every pending write and a running compaction are done. */
  async flush(): Promise<void> {
    for (;;) {
      const waits = [this.next?.promise, this.inflight, this.compacting].filter(Boolean) as Promise<void>[];
      if (!waits.length) return;
      await Promise.allSettled(waits);
    }
  }

  async close(): Promise<void> {
    await this.flush();
    if (this.journal !== undefined) closeSync(this.journal);
    this.journal = undefined;
  }

  stats(): Record<string, number> {
    return {
      generation: this.generation,
      journal_bytes: this.journalBytes,
      snapshot_bytes: this.snapshotBytes,
      writes: this.writes,
      compactions: this.compactions,
    };
  }
}

async function fsyncDir(dir: string): Promise<void> {
  let dh: fsp.FileHandle | undefined;
  try {
    dh = await fsp.open(dir, "r");
    await dh.sync();
  } catch {
    // Some filesystems refuse fsync on directories; the rename is still atomic.
  } finally {
    await dh?.close().catch(() => undefined);
  }
}

async function removeStaleTmpFiles(dataFile: string): Promise<void> {
  const dir = path.dirname(dataFile);
  const base = `${path.basename(dataFile)}.tmp-`;
  let names: string[] = [];
  try {
    names = await fsp.readdir(dir);
  } catch {
    return;
  }
  await Promise.all(names.filter((n) => n.startsWith(base)).map((n) => fsp.rm(path.join(dir, n), { force: true }).catch(() => undefined)));
}
