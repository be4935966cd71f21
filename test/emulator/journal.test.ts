/**
 * The journal's edge cases, in process: a torn last line (a write cut by a crash, never acknowledged) is dropped and
 * cut off the file; a bad line before the end is corruption and refuses to start; a compaction leaves a snapshot of
 * the new generation and no old journal; a data file of the previous format (one JSON object) loads.
 */
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readDataFile } from "../../emulator/server";
import { startTestEmulator } from "../helpers/emulator";

const dir = mkdtempSync(join(tmpdir(), "plivo-emu-journal-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const journals = (file: string) => readdirSync(dir).filter((f) => f.startsWith(`${file.split("/").pop()}.journal.`));

describe("journal", () => {
  it("a torn last line is dropped (and cut off); the acknowledged state loads", async () => {
    const file = join(dir, "torn.json");
    const e = await startTestEmulator({ dataFile: file });
    const app = (await e.post("Application/", { app_name: "kept", answer_url: "https://e.com/a" })).body.app_id;
    const before = await e.state();
    await e.close();
    const [journal] = journals(file);
    const good = statSync(join(dir, journal)).size;
    appendFileSync(join(dir, journal), '{"n":99,"ops":[{"t":"applications","k":"1","v":{"app_id":"1"'); // cut mid-write
    const again = await startTestEmulator({ dataFile: file });
    try {
      expect(await again.state()).toEqual(before);
      expect((await again.get(`Application/${app}/`)).status).toBe(200);
      expect(statSync(join(dir, journal)).size).toBe(good);
    } finally {
      await again.close();
    }
  });

  it("a bad line before the end is corruption: the emulator refuses to start and changes nothing", async () => {
    const file = join(dir, "corrupt.json");
    const e = await startTestEmulator({ dataFile: file });
    await e.post("Application/", { app_name: "one", answer_url: "https://e.com/a" });
    await e.post("Application/", { app_name: "two", answer_url: "https://e.com/a" });
    await e.close();
    const path = join(dir, journals(file)[0]);
    const lines = readFileSync(path, "utf8").split("\n");
    lines[lines.length - 3] = "garbage";
    writeFileSync(path, lines.join("\n"));
    const text = readFileSync(path, "utf8");
    await expect(startTestEmulator({ dataFile: file })).rejects.toThrow(/journal .* is corrupt at line/);
    expect(readFileSync(path, "utf8")).toBe(text);
  });

  it("compaction writes a snapshot of the next generation and drops the old journal; nothing is lost", async () => {
    const file = join(dir, "compact.json");
    const e = await startTestEmulator({ dataFile: file, persistence: { compactAfterBytes: 20_000 } });
    try {
      for (let i = 0; i < 60; i++) await e.post("Application/", { app_name: `a${i}`, answer_url: "https://e.com/a" });
      await e.emu.store.flush();
      const stats = (await e.control("GET", "persistence")).body;
      expect(stats.compactions).toBeGreaterThan(0);
      expect(JSON.parse(readFileSync(file, "utf8")).persistence.generation).toBe(stats.generation);
      expect(journals(file)).toEqual([`compact.json.journal.${stats.generation}`]);
      const onDisk = await readDataFile(file);
      expect(onDisk.applications).toHaveLength(60);
      expect(onDisk).toEqual(await e.state());
    } finally {
      await e.close();
    }
  });

  it("a data file of the previous format (one JSON object, no journal) loads as generation 0", async () => {
    const file = join(dir, "old.json");
    const e = await startTestEmulator();
    await e.post("Application/", { app_name: "old", answer_url: "https://e.com/a" });
    const state = await e.state();
    await e.close();
    writeFileSync(file, JSON.stringify(state));
    const again = await startTestEmulator({ dataFile: file });
    try {
      expect((await again.state()).applications).toEqual(state.applications);
      expect((await again.control("GET", "persistence")).body.generation).toBe(0);
    } finally {
      await again.close();
    }
  });
});
