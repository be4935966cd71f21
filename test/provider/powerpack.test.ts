/** Powerpack and NumberPoolMember lifecycles against the emulator. */
import { describe, expect, it } from "vitest";
import { ledger as ledgerOf } from "../helpers/ledger";
import { useEmulator } from "../helpers/provider";
import { apply, check, create, destroy, diff, importById, refresh, type Managed } from "../helpers/engine";

const emulator = useEmulator();

const ppArgs = { name: "marketing-pool", stickySender: true, localConnect: false };

async function buy(pattern: string, type = "local"): Promise<Managed> {
  return create("PhoneNumber", `n${pattern}`, { search: { countryIso: "US", type, pattern } });
}

describe("Powerpack", () => {
  it("creates with explicit booleans and exposes the pool id", async () => {
    const pp = await create("Powerpack", "pool", ppArgs);
    expect(pp.outs).toMatchObject({ ...ppArgs, uuid: pp.id });
    expect(pp.outs.numberPoolId).toMatch(/^[0-9a-f-]{36}$/);
    expect(pp.outs.numberPriorities).toHaveLength(4);
    const log = (await emulator().control("GET", "requests")).body as { method: string; path: string; body?: unknown }[];
    expect(log.filter((r) => r.method === "POST" && r.path.includes("/Powerpack/"))).toHaveLength(1);
    expect(await refresh(pp)).toEqual(pp.outs);
  });

  it("updates everything in place, including turning a boolean off", async () => {
    const app = await create("Application", "app", { appName: "sms-in", answerUrl: "https://example.com/a", messageUrl: "https://example.com/m" });
    const pp = await create("Powerpack", "pool", ppArgs);
    const upd = await apply(pp, { ...ppArgs, name: "renamed-pool", stickySender: false, applicationType: "xml", applicationId: app.id });
    expect(upd.action).toBe("update");
    const server = (await emulator().api("GET", `Powerpack/${pp.id}/`)).body;
    expect(server).toMatchObject({ name: "renamed-pool", sticky_sender: false, application_id: app.id });
    expect(await diff(upd.next, { ...ppArgs, name: "renamed-pool", stickySender: false, applicationType: "XML", applicationId: app.id })).toMatchObject({
      changes: false,
    });
  });

  it("a partial priority list tracks only the declared entries (Plivo fills the rest): no perpetual diff", async () => {
    const one = [{ countryIso: "US", serviceType: "SMS", priority: { priority1: "longcode", priority2: "tollfree", priority3: "shortcode" } }];
    const pp = await create("Powerpack", "pool", { ...ppArgs, numberPriorities: one });
    expect((await emulator().api("GET", `Powerpack/${pp.id}/`)).body.number_priority).toHaveLength(4);
    expect(pp.outs.numberPriorities).toHaveLength(1);
    expect(await diff(pp, { ...ppArgs, numberPriorities: one })).toMatchObject({ changes: false });
    expect(await refresh(pp)).toEqual(pp.outs);
  });

  it("drift: out-of-band change and delete", async () => {
    const pp = await create("Powerpack", "pool", ppArgs);
    await emulator().api("POST", `Powerpack/${pp.id}/`, { local_connect: true });
    const outs = await refresh(pp);
    expect(outs?.localConnect).toBe(true);
    expect(await diff({ ...pp, outs: outs! }, ppArgs)).toMatchObject({ changes: true, replaces: [] });
    await emulator().api("DELETE", `Powerpack/${pp.id}/`, { unrent_numbers: false });
    expect(await refresh(pp)).toBeUndefined();
  });

  it("imports by uuid", async () => {
    const made = (await emulator().api("POST", "Powerpack/", { name: "legacy-pool", sticky_sender: true, local_connect: true })).body;
    const imported = await importById("Powerpack", "legacy", made.uuid);
    const r = { type: "Powerpack" as const, name: "legacy", id: imported.id!, inputs: imported.inputs!, outs: imported.props! };
    expect(await diff(r, { name: "legacy-pool" })).toMatchObject({ changes: false });
  });

  it("adopts an existing Powerpack and pool member with adoptId", async () => {
    const made = (await emulator().api("POST", "Powerpack/", { name: "legacy-pool", sticky_sender: false, local_connect: true })).body;
    const pp = await create("Powerpack", "legacy", { name: "legacy-pool", stickySender: true, adoptId: made.uuid });
    expect(pp.id).toBe(made.uuid);
    expect((await emulator().api("GET", `Powerpack/${made.uuid}/`)).body.sticky_sender).toBe(true);
    const n = await buy("415");
    await emulator().api("POST", `NumberPool/${pp.outs.numberPoolId}/Number/${n.id}/`, { service: "sms" });
    const m = await create("NumberPoolMember", "m", { powerpackId: pp.id, number: n.id, adoptId: `${pp.id}/${n.id}` });
    expect(m.id).toBe(`${pp.id}/${n.id}`);
    expect(await diff(m, { powerpackId: pp.id, number: n.id, adoptId: `${pp.id}/${n.id}` })).toMatchObject({ changes: false });
  });

  it("destroy never unrents the pool's numbers", async () => {
    const pp = await create("Powerpack", "pool", ppArgs);
    const pn = await buy("415");
    await create("NumberPoolMember", "m", { powerpackId: pp.id, number: pn.id });
    await destroy(pp);
    expect((await emulator().api("GET", `Powerpack/${pp.id}/`)).status).toBe(404);
    expect((await emulator().api("GET", `Number/${pn.id}/`)).status).toBe(200);
  });
});

describe("NumberPoolMember", () => {
  it("adds long codes and the toll-free number, reads them back, and removes without unrenting", async () => {
    const pp = await create("Powerpack", "pool", ppArgs);
    const local = await buy("415");
    const tollFree = await buy("855", "tollfree");
    const m1 = await create("NumberPoolMember", "m1", { powerpackId: pp.id, number: local.id });
    const m2 = await create("NumberPoolMember", "m2", { powerpackId: pp.id, number: tollFree.id });
    expect(m1.id).toBe(`${pp.id}/${local.id}`);
    expect(m1.outs).toMatchObject({ tollFree: false, service: "SMS", numberPoolId: pp.outs.numberPoolId });
    expect(m2.outs).toMatchObject({ tollFree: true });
    expect((await emulator().api("GET", `NumberPool/${pp.outs.numberPoolId}/Tollfree/${tollFree.id}/`)).status).toBe(200);
    expect(await refresh(m1)).toEqual(m1.outs);

    await destroy(m1);
    await destroy(m2);
    expect((await emulator().api("GET", `NumberPool/${pp.outs.numberPoolId}/Number/${local.id}/`)).status).toBe(404);
    expect((await emulator().api("GET", `Number/${local.id}/`)).status).toBe(200);
    expect(await ledgerOf(emulator(), { action: "unrent" })).toHaveLength(0);
  });

  it("replaces on a service change (remove first, then add)", async () => {
    const pp = await create("Powerpack", "pool", ppArgs);
    const local = await buy("415");
    const m = await create("NumberPoolMember", "m", { powerpackId: pp.id, number: local.id });
    const rep = await apply(m, { powerpackId: pp.id, number: local.id, service: "mms" });
    expect(rep).toMatchObject({ action: "replace", replaces: ["service"] });
    expect((await emulator().api("GET", `NumberPool/${pp.outs.numberPoolId}/Number/${local.id}/`)).body.service).toBe("mms");
  });

  it("rejects a second toll-free number for one Powerpack at check time", async () => {
    const first = await check("NumberPoolMember", "tf1", { powerpackId: "0b3c2ad4-6a1c-4b8e-9d3c-2f8c9d1e7a11", number: "18555550100", tollFree: true });
    expect(first.failures).toEqual([]);
    const second = await check("NumberPoolMember", "tf2", { powerpackId: "0b3c2ad4-6a1c-4b8e-9d3c-2f8c9d1e7a11", number: "18555550101", tollFree: true });
    expect(second.failures?.[0].reason).toMatch(/tollFree: .*at most one toll-free number/);
  });

  it("surfaces Plivo's one-toll-free rule when the pool already holds one", async () => {
    const pp = await create("Powerpack", "pool", ppArgs);
    const tf1 = await buy("833", "tollfree");
    const tf2 = await buy("844", "tollfree");
    await create("NumberPoolMember", "a", { powerpackId: pp.id, number: tf1.id });
    await expect(create("NumberPoolMember", "b", { powerpackId: pp.id, number: tf2.id })).rejects.toThrow(/toll-?free/i);
  });

  it("refresh after an out-of-band removal drops it; import by {powerpack}/{number}", async () => {
    const pp = await create("Powerpack", "pool", ppArgs);
    const local = await buy("415");
    const m = await create("NumberPoolMember", "m", { powerpackId: pp.id, number: local.id });
    const imported = await importById("NumberPoolMember", "m", `${pp.id}/+${local.id}`);
    expect(imported.id).toBe(m.id);
    const r = { type: "NumberPoolMember" as const, name: "m", id: imported.id!, inputs: imported.inputs!, outs: imported.props! };
    expect(await diff(r, { powerpackId: pp.id, number: local.id })).toMatchObject({ changes: false });

    await emulator().api("DELETE", `NumberPool/${pp.outs.numberPoolId}/Number/${local.id}/`, { unrent: false });
    expect(await refresh(m)).toBeUndefined();
  });

  it("explains a member whose number is not in the account", async () => {
    const pp = await create("Powerpack", "pool", ppArgs);
    await expect(create("NumberPoolMember", "m", { powerpackId: pp.id, number: "14155550199" })).rejects.toThrow(/not rented in the account/);
  });
});
