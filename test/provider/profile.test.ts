/** Profile lifecycle against the emulator, including Plivo's read-back vocabulary (PRIVATE_PROFIT). */
import { describe, expect, it } from "vitest";
import { useEmulator } from "../helpers/provider";
import { apply, create, destroy, diff, importById, refresh } from "../helpers/engine";
import { validProfile } from "../helpers/fixtures";

const emulator = useEmulator();

describe("Profile", () => {
  it("creates; the read-back (upper case, PRIVATE_PROFIT) is no diff", async () => {
    const p = await create("Profile", "acme", validProfile);
    expect(p.outs).toMatchObject({ profileUuid: p.id, entityType: "PRIVATE", vertical: "TECHNOLOGY", profileType: "SECONDARY" });
    expect((await emulator().api("GET", `Profile/${p.id}/`)).body.profile.entity_type).toBe("PRIVATE_PROFIT");
    expect(await diff(p, validProfile)).toMatchObject({ changes: false });
    expect(await refresh(p)).toEqual(p.outs);
  });

  it("updates company data in place and replaces on alias or customer type", async () => {
    const p = await create("Profile", "acme", validProfile);
    const upd = await apply(p, { ...validProfile, companyName: "Acme Holdings", address: { ...validProfile.address, city: "Dallas" } });
    expect(upd.action).toBe("update");
    expect((await emulator().api("GET", `Profile/${p.id}/`)).body.profile).toMatchObject({ company_name: "Acme Holdings", address: { city: "Dallas" } });
    const rep = await apply(upd.next, {
      ...validProfile,
      companyName: "Acme Holdings",
      address: { ...validProfile.address, city: "Dallas" },
      customerType: "RESELLER",
    });
    expect(rep).toMatchObject({ action: "replace", replaces: ["customerType"] });
    expect((await emulator().api("GET", `Profile/${p.id}/`)).status).toBe(404);
  });

  it("drift: out-of-band edit and delete; import", async () => {
    const p = await create("Profile", "acme", validProfile);
    await emulator().api("POST", `Profile/${p.id}/`, { website: "https://changed.example.com" });
    const outs = await refresh(p);
    expect(outs?.website).toBe("https://changed.example.com");
    expect(await diff({ ...p, outs: outs! }, validProfile)).toMatchObject({ changes: true, replaces: [] });

    const imported = await importById("Profile", "acme", p.id);
    const r = { type: "Profile" as const, name: "acme", id: imported.id!, inputs: imported.inputs!, outs: imported.props! };
    expect(await diff(r, { ...validProfile, website: "https://changed.example.com" })).toMatchObject({ changes: false });

    await emulator().api("DELETE", `Profile/${p.id}/`);
    expect(await refresh(p)).toBeUndefined();
    await expect(destroy(p)).resolves.toBeUndefined();
  });
});
