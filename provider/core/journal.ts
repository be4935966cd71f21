/**
 * The create journal: before a create that pays for something or leaves an object behind (a number bought, a
 * registration submitted, an application created), the provider writes — and fsyncs — a small file on this machine
 * saying which resource (URN) it is for and, once known, which object it made. If the run is interrupted before the
 * Pulumi state records the object (the CLI or the provider process killed, a runner cancelled), the next create of
 * the same resource finds the entry and takes that object over instead of buying or submitting again.
 *
 * An entry is removed when the state is proven to hold its object (the engine diffs, reads, updates or deletes the
 * resource with that id), or when the object it names turns out not to exist.
 *
 * What it covers: interruptions on the same machine (the directory must survive between runs: a CI runner that is
 * thrown away loses it — point `plivo:journalDir` / `PLIVO_JOURNAL_DIR` at a persisted directory, or run
 * `pulumi-plivo scan` after an interrupted run). Where: `$PULUMI_HOME/plivo-journal` (`~/.pulumi/plivo-journal`).
 */
import { createHash, randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export const JOURNAL_CONFIG_KEY = "plivo:journalDir";
export const JOURNAL_ENV = "PLIVO_JOURNAL_DIR";

export interface JournalEntry {
  v: 1;
  /** The resource the create was for. */
  urn: string;
  /** Resource type, e.g. "PhoneNumber". */
  type: string;
  /** Plivo account (auth id) the create was sent to. */
  account: string;
  /** What was being created, for people: `buy 14155550100`, `application support-dev`. */
  key: string;
  /** The object's id once known (a number is known before its buy). */
  id?: string;
  /** Writer process and machine: a live writer may still be finishing this create. */
  pid: number;
  host: string;
  at: string;
}

/** An entry as found on disk. */
export interface StoredEntry extends JournalEntry {
  readonly file: string;
}

/** Raised when the journal cannot be written: the create is not sent (nothing may be bought untracked). */
export class JournalError extends Error {
  override readonly name = "JournalError";
}

const hash = (s: string, n: number) => createHash("sha256").update(s).digest("hex").slice(0, n);
const prefixOf = (urn: string) => `${hash(urn, 16)}-`;

function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, "r");
    fs.fsyncSync(fd);
  } catch {
    // Some filesystems refuse fsync on a directory; the rename is still atomic.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Writes `text` to `file` atomically (temp file, fsync, rename, directory fsync when `durable`). */
function writeAtomic(file: string, text: string, durable: boolean): void {
  const tmp = `${file}.tmp-${process.pid}-${randomBytes(3).toString("hex")}`;
  const fd = fs.openSync(tmp, "w", 0o600);
  try {
    fs.writeSync(fd, text);
    if (durable) fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
  if (durable) fsyncDir(path.dirname(file));
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Another process on this machine that may still be finishing the entry's create. */
export function liveWriter(entry: JournalEntry): boolean {
  return entry.host === os.hostname() && entry.pid !== process.pid && processAlive(entry.pid);
}

export class CreateJournal {
  constructor(readonly dir: string) {}

  /** Every entry (the scan reads them all); unreadable files are skipped. */
  all(): StoredEntry[] {
    return this.#read(() => true);
  }

  /** The entries of one resource, newest first. */
  entriesFor(urn: string): StoredEntry[] {
    const prefix = prefixOf(urn);
    return this.#read((name) => name.startsWith(prefix)).filter((e) => e.urn === urn);
  }

  /** Records a create about to be sent; durable (fsync'ed) before it returns. */
  record(entry: Omit<JournalEntry, "v" | "pid" | "host" | "at">): StoredEntry {
    const full: JournalEntry = { v: 1, ...entry, pid: process.pid, host: os.hostname(), at: new Date().toISOString() };
    const file = path.join(this.dir, `${prefixOf(entry.urn)}${Date.now().toString(36)}-${randomBytes(4).toString("hex")}.json`);
    try {
      fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      writeAtomic(file, JSON.stringify(full), true);
    } catch (err) {
      throw new JournalError(
        `cannot write the create journal in ${this.dir} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); nothing was sent. ` +
          `Set ${JOURNAL_CONFIG_KEY} or ${JOURNAL_ENV} to a writable directory (or "off" to run without it: an interrupted run may then ` +
          "leave an object that only `pulumi-plivo scan` finds)",
      );
    }
    return { ...full, file };
  }

  /** Notes the id of the object the create made (not fsync'ed: without it the natural key still finds the object). */
  resolve(entry: StoredEntry, id: string): StoredEntry {
    const next = { ...entry, id };
    const { file, ...body } = next;
    try {
      writeAtomic(file, JSON.stringify(body), false);
    } catch {
      // The entry without id still leads the next create to look the object up.
    }
    return next;
  }

  remove(entry: StoredEntry): void {
    fs.rmSync(entry.file, { force: true });
  }

  /** The state holds `id` for `urn`: its entries are done. */
  settle(urn: string, id: string): void {
    for (const e of this.entriesFor(urn)) if (e.id === id) this.remove(e);
  }

  #read(match: (name: string) => boolean): StoredEntry[] {
    let names: string[];
    try {
      names = fs.readdirSync(this.dir);
    } catch {
      return [];
    }
    const out: StoredEntry[] = [];
    for (const name of names) {
      if (!name.endsWith(".json") || !match(name)) continue;
      const file = path.join(this.dir, name);
      try {
        const e = JSON.parse(fs.readFileSync(file, "utf8")) as JournalEntry;
        if (e.v === 1 && typeof e.urn === "string") out.push({ ...e, file });
      } catch {
        // A torn or foreign file: ignore it.
      }
    }
    return out.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  }
}

/**
 * Where the journal lives: `plivo:journalDir`, then `PLIVO_JOURNAL_DIR`, then `$PULUMI_HOME/plivo-journal`
 * (`~/.pulumi/plivo-journal`). `off` disables it.
 */
export function journalDir(configured: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const chosen = configured?.trim() || env[JOURNAL_ENV]?.trim();
  if (chosen) return chosen.toLowerCase() === "off" ? undefined : path.resolve(chosen);
  const home = env.PULUMI_HOME?.trim() || path.join(os.homedir(), ".pulumi");
  return path.join(home, "plivo-journal");
}

const journals = new Map<string, CreateJournal>();

export function openJournal(dir: string | undefined): CreateJournal | undefined {
  if (!dir) return undefined;
  let j = journals.get(dir);
  if (!j) journals.set(dir, (j = new CreateJournal(dir)));
  return j;
}
