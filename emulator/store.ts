/**
 * Emulator state + durable persistence.
 *
 * The state is one plain JSON-serialisable object. Every resource module owns
 * one or more top-level sections of it and declares them by augmenting the
 * `State` interface:
 *
 *   declare module "../store" {
 *     interface State { brands: BrandRecord[] }
 *   }
 *
 * Persistence (when a data file is configured): after every mutating request
 * the whole state is written to `<file>.tmp-<pid>`, fsync'ed, renamed over the
 * data file and the directory is fsync'ed. A crash (even `kill -9`) at any
 * point leaves either the previous or the new complete file. Writes are
 * serialised through a promise chain and coalesced: a commit requested while
 * a write is queued (not yet started) shares that write.
 */
import { promises as fsp } from "node:fs";
import * as path from "node:path";

export interface LedgerEntry {
  seq: number;
  at: string;
  /** "buy" | "unrent" | "create" | "update" | "delete" | "add" | "remove" | … */
  action: string;
  number?: string;
  resource?: string;
  id?: string;
  [extra: string]: unknown;
}

/** A number available for purchase (the `/PhoneNumber/` search object plus internals). */
export interface InventoryItem {
  number: string;
  /** ISO-3166 alpha-2, upper case (internal; not part of the API object). */
  country_iso: string;
  /** Country calling code without "+", e.g. "1", "44" (internal). */
  dial_code: string;
  /** State / province code for US and CA local numbers (internal). */
  region_code: string | null;
  prefix: string;
  city: string;
  country: string;
  region: string;
  rate_center: string | null;
  lata: number | null;
  type: "fixed" | "mobile" | "tollfree";
  sub_type: "local" | "fixed" | "mobile" | "tollfree" | "national";
  setup_rate: string;
  monthly_rental_rate: string;
  sms_enabled: boolean;
  sms_rate: string;
  mms_enabled: boolean;
  mms_rate: string;
  voice_enabled: boolean;
  voice_rate: string;
  restriction: string | null;
  restriction_text: string | null;
}

export interface ReservedNumber {
  number: string;
  unrented_at: string;
  reserved_until: string;
  item: InventoryItem;
}

/** Core sections; resource modules add theirs through declaration merging. */
export interface State {
  version: number;
  created_at: string;
  auth_id: string;
  seed: number;
  /** Offset added to the wall clock (see POST /__emulator/clock). */
  clock_offset_ms: number;
  ledger_seq: number;
  ledger: LedgerEntry[];
  /** Numbers available for purchase, in a stable order. */
  inventory: InventoryItem[];
  /** Unrented numbers: not searchable nor buyable (10-day reserve, then gone). */
  reserved: ReservedNumber[];
}

export const STATE_VERSION = 1;

export class Store {
  state: State;
  readonly dataFile: string | undefined;
  private queued: Promise<void> | null = null;
  private tail: Promise<void> = Promise.resolve();
  private lastError: unknown = null;
  /** Number of completed writes (useful in tests). */
  writes = 0;

  constructor(state: State, dataFile?: string) {
    this.state = state;
    this.dataFile = dataFile ? path.resolve(dataFile) : undefined;
  }

  /**
   * Load the state from `dataFile` if it exists; otherwise use `fresh()`.
   * `upgrade` runs on both paths (resource modules fill in missing sections).
   */
  static async open(
    dataFile: string | undefined,
    fresh: () => State,
    upgrade: (s: State) => void,
  ): Promise<Store> {
    let state: State | undefined;
    if (dataFile) {
      await fsp.mkdir(path.dirname(path.resolve(dataFile)), { recursive: true });
      let text: string | undefined;
      try {
        text = await fsp.readFile(dataFile, "utf8");
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
      }
      if (text !== undefined && text.trim() !== "") {
        try {
          state = JSON.parse(text) as State;
        } catch (err) {
          throw new Error(`emulator data file ${dataFile} is not valid JSON: ${(err as Error).message}`);
        }
        if (typeof state !== "object" || state === null || Array.isArray(state)) {
          throw new Error(`emulator data file ${dataFile} does not contain a state object`);
        }
      }
      await removeStaleTmpFiles(dataFile);
    }
    const s = state ?? fresh();
    upgrade(s);
    const store = new Store(s, dataFile);
    if (dataFile && !state) await store.commit();
    return store;
  }

  /** Persist the current state (no-op without a data file). Resolves once durable. */
  commit(): Promise<void> {
    if (!this.dataFile) return Promise.resolve();
    if (this.queued) return this.queued;
    const p = this.tail.then(() => {
      this.queued = null;
      return this.writeNow();
    });
    this.queued = p;
    this.tail = p.catch((err) => {
      this.lastError = err;
    });
    return p;
  }

  /** Wait for all pending writes. */
  async flush(): Promise<void> {
    await this.tail;
  }

  get lastWriteError(): unknown {
    return this.lastError;
  }

  private async writeNow(): Promise<void> {
    const file = this.dataFile as string;
    const text = JSON.stringify(this.state);
    const tmp = `${file}.tmp-${process.pid}`;
    const fh = await fsp.open(tmp, "w", 0o600);
    try {
      await fh.writeFile(text, "utf8");
      await fh.sync();
    } finally {
      await fh.close();
    }
    await fsp.rename(tmp, file);
    await fsyncDir(path.dirname(file));
    this.writes++;
  }
}

async function fsyncDir(dir: string): Promise<void> {
  let dh: fsp.FileHandle | undefined;
  try {
    dh = await fsp.open(dir, "r");
    await dh.sync();
  } catch {
    // Some platforms/filesystems refuse fsync on directories; the rename is still atomic.
  } finally {
    await dh?.close().catch(() => undefined);
  }
}

async function removeStaleTmpFiles(dataFile: string): Promise<void> {
  const dir = path.dirname(dataFile);
  const base = path.basename(dataFile) + ".tmp-";
  let names: string[] = [];
  try {
    names = await fsp.readdir(dir);
  } catch {
    return;
  }
  await Promise.all(
    names.filter((n) => n.startsWith(base)).map((n) => fsp.rm(path.join(dir, n), { force: true }).catch(() => undefined)),
  );
}
