/**
 * A table of records keyed by id, in insertion order (the order lists show). Records are copy-on-write: what
 * `get`/`all` return is frozen, so a backend that forgets to `edit` a record before changing it fails loudly
 * (a TypeError in strict mode) instead of silently skipping persistence. Every change marks the key dirty in the
 * store, which journals the record's final value at the next commit (see persistence.ts): the cost of a write is
 * the size of the records it changed, not the size of the state.
 */
export interface DirtySink {
  markDirty(table: string, key: string): void;
}

export class Table<T extends object> {
  private rows = new Map<string, T>();

  constructor(
    readonly name: string,
    readonly keyOf: (r: T) => string,
    private readonly sink: DirtySink,
  ) {}

  get size(): number {
    return this.rows.size;
  }

  get(key: string): T | undefined {
    return this.rows.get(key);
  }

  has(key: string): boolean {
    return this.rows.has(key);
  }

  /** Every record, in order (a fresh array). */
  all(): T[] {
    return Array.from(this.rows.values());
  }

  values(): IterableIterator<T> {
    return this.rows.values();
  }

  find(pred: (r: T) => boolean): T | undefined {
    for (const r of this.rows.values()) if (pred(r)) return r;
    return undefined;
  }

  filter(pred: (r: T) => boolean): T[] {
    const out: T[] = [];
    for (const r of this.rows.values()) if (pred(r)) out.push(r);
    return out;
  }

  some(pred: (r: T) => boolean): boolean {
    return this.find(pred) !== undefined;
  }

  /** Add a new record (its key must be free). Returns it, still mutable until the next commit. */
  insert(rec: T): T {
    const key = this.keyOf(rec);
    if (this.rows.has(key)) throw new Error(`${this.name}: duplicate key ${key}`);
    this.rows.set(key, rec);
    this.sink.markDirty(this.name, key);
    return rec;
  }

  /** Insert or replace (a replaced record keeps its position). */
  put(rec: T): T {
    const key = this.keyOf(rec);
    this.rows.set(key, rec);
    this.sink.markDirty(this.name, key);
    return rec;
  }

  /** A mutable copy of the record, put in its place; undefined when there is none. */
  edit(key: string): T | undefined {
    const cur = this.rows.get(key);
    if (!cur) return undefined;
    this.sink.markDirty(this.name, key);
    if (!Object.isFrozen(cur)) return cur; // already being edited in this commit
    const copy = structuredClone(cur) as T;
    this.rows.set(key, copy);
    return copy;
  }

  delete(key: string): boolean {
    if (!this.rows.delete(key)) return false;
    this.sink.markDirty(this.name, key);
    return true;
  }

  /** Remove every record matching `pred`; returns them. */
  deleteWhere(pred: (r: T) => boolean): T[] {
    const gone = this.filter(pred);
    for (const r of gone) this.delete(this.keyOf(r));
    return gone;
  }

  clear(): void {
    for (const key of [...this.rows.keys()]) this.delete(key);
  }

  // --- persistence hooks (store only) -------------------------------------------------

  /** Replace the content without journaling (loading a snapshot, replaying a journal). */
  loadRows(rows: T[]): void {
    this.rows.clear();
    for (const r of rows) this.rows.set(this.keyOf(r), deepFreeze(r));
  }

  applyPut(key: string, value: T): void {
    this.rows.set(key, deepFreeze(value));
  }

  applyDelete(key: string): void {
    this.rows.delete(key);
  }

  /** Freeze a record once its value is journaled. */
  seal(key: string): void {
    const r = this.rows.get(key);
    if (r) deepFreeze(r);
  }
}

export function deepFreeze<T>(v: T): T {
  if (v === null || typeof v !== "object" || Object.isFrozen(v)) return v;
  for (const k of Object.keys(v as object)) deepFreeze((v as Record<string, unknown>)[k]);
  return Object.freeze(v);
}
