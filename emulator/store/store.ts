/**
 * The emulator's state: named tables of frozen, copy-on-write records plus a few scalars (`meta`), owned per
 * emulator instance. Backends declare their tables (`store.table(name, keyOf)`); every change marks a key dirty,
 * and `commit()` hands the dirty keys' final values to the persistence layer (a journal with group commit, see
 * persistence.ts) and resolves once they are durable. Without a data file commits are free.
 *
 * `view()` renders the whole state as one JSON object (`GET /__emulator/state`, the snapshot file): each table is
 * an array under its name, each meta scalar a top-level key.
 */
import type { Persistence, JournalOp } from "./persistence";
import { Table, type DirtySink } from "./table";

interface MetaRow {
  key: string;
  value: unknown;
}

export const META_TABLE = "__meta";

export class Store implements DirtySink {
  private tables = new Map<string, Table<any>>();
  private dirty = new Map<string, Set<string>>();
  private persistence: Persistence | undefined;
  readonly meta: Table<MetaRow>;

  constructor() {
    this.meta = this.table<MetaRow>(META_TABLE, (r) => r.key);
  }

  /** Declare (or get) a table. Declaring twice with the same name returns the same table. */
  table<T extends object>(name: string, keyOf: (r: T) => string): Table<T> {
    const existing = this.tables.get(name);
    if (existing) return existing as Table<T>;
    const t = new Table<T>(name, keyOf, this);
    this.tables.set(name, t);
    return t;
  }

  tableNames(): string[] {
    return [...this.tables.keys()].filter((n) => n !== META_TABLE);
  }

  getTable(name: string): Table<any> | undefined {
    return this.tables.get(name);
  }

  getMeta<T>(key: string): T | undefined {
    return this.meta.get(key)?.value as T | undefined;
  }

  setMeta(key: string, value: unknown): void {
    this.meta.put({ key, value });
  }

  markDirty(table: string, key: string): void {
    let s = this.dirty.get(table);
    if (!s) this.dirty.set(table, (s = new Set()));
    s.add(key);
  }

  get hasChanges(): boolean {
    return this.dirty.size > 0;
  }

  /** Take the dirty keys as journal operations and freeze the records they name. */
  takeOps(): JournalOp[] {
    const ops: JournalOp[] = [];
    for (const [name, keys] of this.dirty) {
      const t = this.tables.get(name);
      if (!t) continue;
      for (const key of keys) {
        const v = t.get(key);
        if (v === undefined) ops.push({ t: name, k: key, d: 1 });
        else {
          t.seal(key);
          ops.push({ t: name, k: key, v });
        }
      }
    }
    this.dirty.clear();
    return ops;
  }

  /** Apply journal operations read back from disk (no journaling). */
  applyOps(ops: JournalOp[]): void {
    for (const op of ops) {
      const t = this.tables.get(op.t);
      if (!t) continue; // a table no module declares any more
      if (op.d) t.applyDelete(op.k);
      else t.applyPut(op.k, op.v);
    }
  }

  /** Load a state object (`view()` shape) into the declared tables, without journaling. */
  load(state: Record<string, unknown>): void {
    const tableNames = new Set(this.tableNames());
    const meta: MetaRow[] = [];
    for (const [k, v] of Object.entries(state)) {
      if (tableNames.has(k)) continue;
      if (k === "persistence") continue;
      meta.push({ key: k, value: v });
    }
    this.meta.loadRows(meta);
    for (const name of tableNames) {
      const rows = state[name];
      this.tables.get(name)!.loadRows(Array.isArray(rows) ? rows : []);
    }
    this.dirty.clear();
  }

  /** The whole state as one JSON-able object. */
  view(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const r of this.meta.values()) out[r.key] = r.value;
    for (const name of this.tableNames()) out[name] = this.tables.get(name)!.all();
    return out;
  }

  /** Rows of every table, captured now (frozen records: safe to serialize later, piece by piece). */
  capture(): { meta: Record<string, unknown>; tables: Array<[string, unknown[]]> } {
    const meta: Record<string, unknown> = {};
    for (const r of this.meta.values()) meta[r.key] = r.value;
    return { meta, tables: this.tableNames().map((n) => [n, this.tables.get(n)!.all()]) };
  }

  attach(p: Persistence): void {
    this.persistence = p;
  }

  get dataFile(): string | undefined {
    return this.persistence?.file;
  }

  /** Persist every change made so far; resolves once durable (immediately without a data file). */
  commit(): Promise<void> {
    if (!this.persistence) {
      if (this.dirty.size) this.takeOps();
      return Promise.resolve();
    }
    return this.persistence.commit(this);
  }

  /** Wait for every pending write (and a running compaction). */
  async flush(): Promise<void> {
    await this.persistence?.flush();
  }

  /** Flush and close the data files. */
  async close(): Promise<void> {
    await this.persistence?.close();
  }

  /** Completed journal writes (tests, benchmarks). */
  get writes(): number {
    return this.persistence?.writes ?? 0;
  }

  get persistenceStats(): Record<string, number> | undefined {
    return this.persistence?.stats();
  }
}
