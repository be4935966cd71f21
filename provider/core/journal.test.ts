import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { CreateJournal, JournalError, journalDir, liveWriter } from "./journal";

const dirs: string[] = [];
const tempDir = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), "plivo-journal-"));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const urn = (name: string) => `urn:pulumi:dev::proj::pulumi-nodejs:dynamic/plivo:PhoneNumber::${name}`;

describe("CreateJournal", () => {
  it("records entries per resource, newest first, and survives a new instance (what the next process sees)", () => {
    const dir = path.join(tempDir(), "nested", "journal");
    const j = new CreateJournal(dir);
    const a = j.record({ urn: urn("a"), type: "PhoneNumber", account: "MA1", key: "buy 14155550100", id: "14155550100" });
    j.record({ urn: urn("b"), type: "PhoneNumber", account: "MA1", key: "buy 14155550101", id: "14155550101" });
    const later = j.record({ urn: urn("a"), type: "PhoneNumber", account: "MA1", key: "buy 14155550102" });
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    const again = new CreateJournal(dir);
    expect(again.entriesFor(urn("a")).map((e) => e.key)).toEqual(["buy 14155550102", "buy 14155550100"]);
    expect(again.entriesFor(urn("a"))[1]).toMatchObject({ v: 1, pid: process.pid, host: os.hostname(), id: "14155550100", file: a.file });
    expect(again.all()).toHaveLength(3);
    const resolved = j.resolve(later, "14155550103");
    expect(again.entriesFor(urn("a")).find((e) => e.file === later.file)?.id).toBe("14155550103");
    // Settling removes only the entries that name the id the state holds.
    again.settle(urn("a"), "14155550100");
    expect(again.entriesFor(urn("a")).map((e) => e.id)).toEqual(["14155550103"]);
    j.remove(resolved);
    expect(again.entriesFor(urn("a"))).toEqual([]);
    // No temp files are left behind.
    expect(fs.readdirSync(dir).filter((f) => !f.endsWith(".json"))).toEqual([]);
  });

  it("ignores torn and foreign files", () => {
    const dir = tempDir();
    const j = new CreateJournal(dir);
    j.record({ urn: urn("a"), type: "PhoneNumber", account: "MA1", key: "buy 1" });
    const [e] = j.entriesFor(urn("a"));
    fs.writeFileSync(`${e!.file.slice(0, -5)}x.json`, "{not json");
    fs.writeFileSync(path.join(dir, "other.json"), JSON.stringify({ hello: 1 }));
    expect(j.all()).toHaveLength(1);
  });

  it("refuses, with the setting to change, when the directory cannot be written", () => {
    const file = path.join(tempDir(), "a-file");
    fs.writeFileSync(file, "");
    const j = new CreateJournal(path.join(file, "journal"));
    expect(() => j.record({ urn: urn("a"), type: "PhoneNumber", account: "MA1", key: "buy 1" })).toThrow(JournalError);
    expect(() => j.record({ urn: urn("a"), type: "PhoneNumber", account: "MA1", key: "buy 1" })).toThrow(
      /nothing was sent\. Set plivo:journalDir or PLIVO_JOURNAL_DIR/,
    );
  });

  it("reads nothing from a directory that does not exist", () => {
    expect(new CreateJournal(path.join(tempDir(), "none")).entriesFor(urn("a"))).toEqual([]);
  });

  it("tells a live writer (another process on this machine) from a dead one and from this process", async () => {
    const child = spawn(process.execPath, ["-e", "setTimeout(() => {}, 10000)"]);
    const base = { v: 1 as const, urn: urn("a"), type: "PhoneNumber", account: "MA1", key: "k", host: os.hostname(), at: "" };
    try {
      expect(liveWriter({ ...base, pid: child.pid! })).toBe(true);
      expect(liveWriter({ ...base, pid: process.pid })).toBe(false);
      expect(liveWriter({ ...base, pid: child.pid!, host: "another-machine" })).toBe(false);
    } finally {
      child.kill("SIGKILL");
    }
    await new Promise((r) => child.on("exit", r));
    expect(liveWriter({ ...base, pid: child.pid! })).toBe(false);
  });
});

describe("journalDir", () => {
  it("config wins over the environment, which wins over PULUMI_HOME; off disables", () => {
    expect(journalDir("/x/j", { PLIVO_JOURNAL_DIR: "/y" })).toBe("/x/j");
    expect(journalDir(undefined, { PLIVO_JOURNAL_DIR: "/y" })).toBe("/y");
    expect(journalDir(undefined, { PULUMI_HOME: "/home/p/.pulumi" })).toBe("/home/p/.pulumi/plivo-journal");
    expect(journalDir(undefined, {})).toBe(path.join(os.homedir(), ".pulumi", "plivo-journal"));
    expect(journalDir("off", { PLIVO_JOURNAL_DIR: "/y" })).toBeUndefined();
    expect(journalDir(undefined, { PLIVO_JOURNAL_DIR: "OFF" })).toBeUndefined();
  });
});
