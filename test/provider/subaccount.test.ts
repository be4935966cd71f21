/**
 * Subaccount against the emulator over HTTP: create (enabled, its own working credentials, the token scrubbed from
 * messages), name and enabled updated in place, cascade changing nothing on Plivo, drift, import, adoption, and delete
 * with and without cascade (what it held moved to the main account, or deleted and unrented, and said so); what the
 * preview says a delete will do.
 */
import { describe, expect, it } from "vitest";
import { scrub } from "../../provider/client/redact";
import { makeContext } from "../../provider/core/context";
import * as crud from "../../provider/core/crud";
import { changeWarnings, createNotes } from "../../provider/core/preview";
import { handlers } from "../../provider/resources";
import * as runtime from "../../provider/runtime";
import { ledger } from "../helpers/ledger";
import { apply, check, create, diff, emulatorClient, importById, refresh } from "../helpers/engine";
import { useEmulator } from "../helpers/provider";

const emulator = useEmulator();
const h = handlers.Subaccount;

/** A request with the subaccount's own credentials. */
const asSub = (sub: { authId: string; authToken: string }, method: string, path: string, body?: unknown) =>
  emulator().call(method, `/v1/Account/${sub.authId}/${path}`, { absolute: true, auth: [sub.authId, sub.authToken], ...(body ? { body } : {}) });

/** The API requests that change something (the request log's non-GETs). */
const writes = async () => ((await emulator().control("GET", "requests")).body as { method: string }[]).filter((r) => r.method !== "GET").length;

describe("Subaccount", () => {
  it("creates an enabled subaccount whose own credentials work; the token is an output, scrubbed from messages", async () => {
    const sub = await create("Subaccount", "dev", { name: "stage-dev" });
    expect(sub.id).toMatch(/^SA[A-Z0-9]{18}$/);
    expect(sub.outs).toMatchObject({ name: "stage-dev", enabled: true, cascade: false, authId: sub.id });
    expect(sub.outs.authToken).toMatch(/^.{40}$/);
    const creds = { authId: sub.id, authToken: sub.outs.authToken as string };
    expect((await asSub(creds, "GET", "")).status).toBe(200);
    expect((await asSub(creds, "GET", "Subaccount/")).status).toBe(403);
    expect(scrub(`token ${creds.authToken} leaked`)).toBe("token [REDACTED] leaked");
    expect(await refresh(sub)).toEqual(sub.outs);
  });

  it("updates name and enabled in place; a cascade change alone sends nothing; drift is seen and put back", async () => {
    const sub = await create("Subaccount", "dev", { name: "stage-dev" });
    const renamed = await apply(sub, { name: "stage-dev-2", enabled: false });
    expect(renamed).toMatchObject({ action: "update" });
    expect((await emulator().get(`Subaccount/${sub.id}/`)).body).toMatchObject({ name: "stage-dev-2", enabled: false });
    expect(renamed.next.id).toBe(sub.id);

    const before = await writes();
    const cascading = await apply(renamed.next, { name: "stage-dev-2", enabled: false, cascade: true });
    expect(cascading.action).toBe("update");
    expect(cascading.next.outs.cascade).toBe(true);
    expect(await writes()).toBe(before);

    await emulator().post(`Subaccount/${sub.id}/`, { name: "renamed-outside", enabled: true });
    const drifted = { ...cascading.next, outs: (await refresh(cascading.next))! };
    expect(drifted.outs).toMatchObject({ name: "renamed-outside", enabled: true, cascade: true });
    expect(await diff(drifted, { name: "stage-dev-2", enabled: false, cascade: true })).toMatchObject({ changes: true, replaces: [] });
    await apply(drifted, { name: "stage-dev-2", enabled: false, cascade: true });
    expect((await emulator().get(`Subaccount/${sub.id}/`)).body).toMatchObject({ name: "stage-dev-2", enabled: false });
  });

  it("imports by auth id (the token included) and adopts with adoptId", async () => {
    const made = (await emulator().post("Subaccount/", { name: "made-by-hand", enabled: true })).body;
    const imported = await importById("Subaccount", "hand", made.auth_id);
    expect(imported).toMatchObject({ id: made.auth_id, inputs: { name: "made-by-hand", enabled: true } });
    expect(imported.props).toMatchObject({ authToken: made.auth_token });
    // Declared as imported (cascade, the provider's own input, left at its default), it previews with no changes.
    const managed = { type: "Subaccount" as const, name: "hand", id: made.auth_id, inputs: imported.inputs!, outs: imported.props! };
    expect(await diff(managed, { name: "made-by-hand", enabled: true })).toMatchObject({ changes: false });
    expect(await diff(managed, { name: "made-by-hand", enabled: true, cascade: true })).toMatchObject({ changes: true, replaces: [] });
    const adopted = await create("Subaccount", "hand", { name: "made-by-hand", adoptId: made.auth_id });
    expect(adopted.id).toBe(made.auth_id);
    expect((await emulator().state()).subaccounts).toHaveLength(1);
  });

  it("deletes without cascade: what it held moves to the main account, and the delete says what that was", async () => {
    const sub = await create("Subaccount", "dev", { name: "stage-dev" });
    const number = await emulator().buy({ country_iso: "US", pattern: "415" });
    await emulator().post(`Number/${number}/`, { subaccount: sub.id });
    const app = (
      await asSub({ authId: sub.id, authToken: sub.outs.authToken }, "POST", "Application/", { app_name: "ivr", answer_url: "https://example.com/a" })
    ).body;
    const warnings: string[] = [];
    await crud.remove(h, logging(warnings), sub.id, sub.outs);
    expect(warnings).toEqual([
      `subaccount ${sub.id} held 1 number (${number}), 1 application: moved to the main account (cascade is false)`,
      `Deleted: deletes subaccount ${sub.id}; the applications, SIP endpoints and numbers it still holds move to the main account (cascade is false)`,
    ]);
    expect((await emulator().get(`Number/${number}/`)).body.sub_account).toBeNull();
    expect((await emulator().get(`Application/${app.app_id}/`)).body.sub_account).toBeNull();
    expect((await emulator().get(`Subaccount/${sub.id}/`)).status).toBe(404);
    // Gone already: deleting again is no error.
    await runtime.remove("Subaccount", "dev", sub.id, sub.outs);
  });

  it("deletes with cascade: its number is unrented and its endpoint deleted", async () => {
    const sub = await create("Subaccount", "dev", { name: "stage-dev", cascade: true });
    const number = await emulator().buy({ country_iso: "US", pattern: "415" });
    await emulator().post(`Number/${number}/`, { subaccount: sub.id });
    await asSub({ authId: sub.id, authToken: sub.outs.authToken }, "POST", "Endpoint/", { username: "desk", password: "s3cret", alias: "desk" });
    const warnings: string[] = [];
    await crud.remove(h, logging(warnings), sub.id, sub.outs);
    expect(warnings[0]).toBe(`subaccount ${sub.id} held 1 number (${number}), 1 SIP endpoint: deleted with it, its numbers unrented (cascade)`);
    expect(warnings[1]).toMatch(/^Deleted: deletes subaccount SA\w+ with cascade: .* unrented \(also those no stack manages\), which cannot be undone$/);
    expect(await ledger(emulator(), { action: "unrent", number })).toHaveLength(1);
    const state = await emulator().state();
    expect(state.numbers).toEqual([]);
    expect(state.endpoints).toEqual([]);
  });

  it("a preview says what a later delete will do, when it is created and when cascade changes", async () => {
    const inputs = crud.check(h, {}, { name: "stage-dev" }).inputs;
    expect((await createNotes(h, inputs)).warnings).toEqual([
      "Deleting it later deletes subaccount; the applications, SIP endpoints and numbers it still holds move to the main account (cascade is false)",
    ]);
    const sub = await create("Subaccount", "dev", { name: "stage-dev" });
    const news = crud.check(h, sub.inputs, { name: "stage-dev", cascade: true }).inputs;
    const d = crud.diff(h, sub.outs, news);
    expect(d).toMatchObject({ changes: true, replaces: [], updates: ["cascade"] });
    expect(changeWarnings(h, sub.id, sub.outs, news, d)).toEqual([
      `From now on, deleting it deletes subaccount ${sub.id} with cascade: the applications and SIP endpoints it still holds are deleted and its numbers unrented (also those no stack manages), which cannot be undone`,
    ]);
    // A rename says nothing about the delete.
    const renamed = crud.check(h, sub.inputs, { name: "stage-dev-2" }).inputs;
    expect(changeWarnings(h, sub.id, sub.outs, renamed, crud.diff(h, sub.outs, renamed))).toEqual([]);
  });

  it("bad input fails check naming the field", async () => {
    const res = await check("Subaccount", "dev", { name: "", enabled: "yes" });
    expect(res.failures?.map((f) => f.reason)).toEqual(['name: must not be empty (got "")', 'enabled: must be a boolean (got "yes")']);
  });
});

/** A context of the subaccount handler whose warnings are collected. */
function logging(warnings: string[]) {
  const t = emulator();
  return makeContext(emulatorClient(t), "Subaccount", { name: "dev", log: { progress: () => {}, warn: (m) => warnings.push(m) } });
}
