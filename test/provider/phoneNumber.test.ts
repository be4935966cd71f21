/** PhoneNumber lifecycle: buy by search or exact number, adopt, update, replace, unrent, drift, import. */
import { describe, expect, it } from "vitest";
import { ledger as ledgerOf } from "../helpers/ledger";
import { useEmulator } from "../helpers/provider";
import { apply, create, createExpectingPartial, destroy, diff, importById, refresh, resume } from "../helpers/engine";

const emulator = useEmulator();

const ledger = (action: string, number?: string) => ledgerOf(emulator(), { action, number });

const searchArgs = { search: { countryIso: "US", type: "local", pattern: "415" }, alias: "support" };

describe("PhoneNumber", () => {
  it("buys the first number matching the search criteria, once", async () => {
    const pn = await create("PhoneNumber", "main", searchArgs);
    expect(pn.id).toMatch(/^1415\d{7}$/);
    expect(pn.outs).toMatchObject({ number: pn.id, alias: "support", search: { countryIso: "US", type: "LOCAL", pattern: "415" } });
    expect(await ledger("buy", pn.id)).toHaveLength(1);
    expect((await emulator().api("GET", `Number/${pn.id}/`)).body.alias).toBe("support");
    expect(await refresh(pn)).toEqual(pn.outs);
  });

  it("adopts an exact number already in the account instead of buying it again", async () => {
    const inventory = await emulator().api("GET", "PhoneNumber/?country_iso=US&pattern=212");
    const number = inventory.body.objects[0].number as string;
    await emulator().api("POST", `PhoneNumber/${number}/`, {});
    const pn = await create("PhoneNumber", "adopted", { number: `+${number}`, alias: "nyc" });
    expect(pn.id).toBe(number);
    expect(await ledger("buy", number)).toHaveLength(1);
    expect((await emulator().api("GET", `Number/${number}/`)).body.alias).toBe("nyc");
  });

  it("updates alias and application in place; new search criteria never replace; a new exact number does", async () => {
    const app = await create("Application", "app", { appName: "voice", answerUrl: "https://example.com/a" });
    const pn = await create("PhoneNumber", "main", searchArgs);
    const upd = await apply(pn, { ...searchArgs, alias: "sales", appId: app.id });
    expect(upd.action).toBe("update");
    expect(upd.next.outs).toMatchObject({ alias: "sales", appId: app.id });
    expect((await emulator().api("GET", `Number/${pn.id}/`)).body.application).toContain(`/Application/${app.id}/`);

    const same = await apply(upd.next, { search: { countryIso: "US", pattern: "212" }, alias: "sales", appId: app.id });
    expect(same.action).toBe("same");

    const other = (await emulator().api("GET", "PhoneNumber/?country_iso=US&pattern=312")).body.objects[0].number as string;
    const rep = await apply(upd.next, { number: other, alias: "sales", appId: app.id });
    expect(rep).toMatchObject({ action: "replace", replaces: ["number"] });
    expect(rep.next.id).toBe(other);
    expect(await ledger("unrent", pn.id)).toHaveLength(1);
    expect(await ledger("buy", other)).toHaveLength(1);
  });

  it("refresh sees an out-of-band alias change and an out-of-band unrent", async () => {
    const pn = await create("PhoneNumber", "main", searchArgs);
    await emulator().api("POST", `Number/${pn.id}/`, { alias: "changed-in-console" });
    const outs = await refresh(pn);
    expect(outs?.alias).toBe("changed-in-console");
    expect(await diff({ ...pn, outs: outs! }, searchArgs)).toMatchObject({ changes: true, replaces: [] });

    await emulator().api("DELETE", `Number/${pn.id}/`);
    expect(await refresh(pn)).toBeUndefined();
    await expect(destroy(pn)).resolves.toBeUndefined();
  });

  it("reports the account default application when none is declared, without a diff", async () => {
    const app = await create("Application", "default", { appName: "default-app", answerUrl: "https://example.com/a", defaultNumberApp: true });
    const pn = await create("PhoneNumber", "main", searchArgs);
    expect(pn.outs.appId).toBe(app.id);
    expect(await diff(pn, searchArgs)).toMatchObject({ changes: false });
  });

  it("imports by E.164 number and shows no diff for the matching program", async () => {
    const number = (await emulator().api("GET", "PhoneNumber/?country_iso=US&pattern=646")).body.objects[0].number as string;
    await emulator().api("POST", `PhoneNumber/${number}/`, {});
    await emulator().api("POST", `Number/${number}/`, { alias: "legacy" });
    const imported = await importById("PhoneNumber", "legacy", `+${number}`);
    expect(imported.id).toBe(number);
    const r = { type: "PhoneNumber" as const, name: "legacy", id: imported.id!, inputs: imported.inputs!, outs: imported.props! };
    expect(await diff(r, { number, alias: "legacy" })).toMatchObject({ changes: false });
  });

  it("destroy unrents the number once", async () => {
    const pn = await create("PhoneNumber", "main", searchArgs);
    await destroy(pn);
    expect((await emulator().api("GET", `Number/${pn.id}/`)).status).toBe(404);
    expect(await ledger("unrent", pn.id)).toHaveLength(1);
  });

  it("an ambiguous buy is checked against the account and never repeated", async () => {
    await emulator().control("POST", "faults", { method: "POST", path: "/PhoneNumber/", mode: "after", count: 1 });
    const pn = await create("PhoneNumber", "main", searchArgs);
    expect(await ledger("buy")).toHaveLength(1);
    expect((await ledger("buy"))[0].number).toBe(pn.id);
  });

  it("a failure after the purchase keeps the number in state; the next up finishes without buying again", async () => {
    await emulator().control("POST", "faults", { method: "POST", path: "/Number/", mode: "status", status: 400, error: "alias rejected", count: 1 });
    const { error, partial } = await createExpectingPartial("PhoneNumber", "main", searchArgs);
    expect(error.message).toMatch(/alias rejected/);
    expect(partial.id).toMatch(/^1415/);
    expect(partial.outs.alias).toBeUndefined(); // the state says what really exists
    const done = await resume(partial);
    expect(done.outs.alias).toBe("support");
    expect((await emulator().api("GET", `Number/${partial.id}/`)).body.alias).toBe("support");
    expect(await ledger("buy")).toHaveLength(1);
  });

  it("says clearly when an exact number is not available", async () => {
    await expect(create("PhoneNumber", "gone", { number: "19999999999" })).rejects.toThrow(/PhoneNumber "gone": buy 19999999999 failed: 404 not found/);
  });
});
