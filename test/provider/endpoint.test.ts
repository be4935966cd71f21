/**
 * Endpoint against the emulator over HTTP: the username Plivo stamps (no diff, replaced only by another name), the
 * password updated in place and never shown, alias and application, drift, import (no password: the next up sets it)
 * and delete; made with a subaccount's own credentials, the endpoint is the subaccount's.
 */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { makeContext } from "../../provider/core/context";
import * as crud from "../../provider/core/crud";
import { handlers } from "../../provider/resources";
import { apply, check, create, destroy, diff, emulatorClient, importById, refresh } from "../helpers/engine";
import { useEmulator } from "../helpers/provider";

const emulator = useEmulator();
const md5 = (s: string) => createHash("md5").update(s).digest("hex");
const stored = async (id: string) => (await emulator().state()).endpoints.find((e: { endpoint_id: string }) => e.endpoint_id === id);

const args = { username: "desk", password: "s3cret-one", alias: "front-desk" };

describe("Endpoint", () => {
  it("creates an endpoint whose username carries Plivo's timestamp; the declared name is no diff", async () => {
    const ep = await create("Endpoint", "desk", args);
    expect(ep.id).toMatch(/^\d{14}$/);
    expect(ep.outs.username).toMatch(/^desk\d{12}$/);
    expect(ep.outs).toMatchObject({ endpointId: ep.id, alias: "front-desk", password: "s3cret-one", sipUri: `sip:${ep.outs.username}@phone.plivo.com` });
    expect(ep.outs).not.toHaveProperty("subaccount");
    expect((await stored(ep.id)).password_md5).toBe(md5("s3cret-one"));
    expect(await diff(ep, args)).toMatchObject({ changes: false });
    expect(await refresh(ep)).toEqual(ep.outs);
  });

  it("a password and alias change update in place; another username replaces", async () => {
    const app = await create("Application", "ivr", { appName: "ivr", answerUrl: "https://example.com/a" });
    const ep = await create("Endpoint", "desk", args);
    const upd = await apply(ep, { ...args, password: "s3cret-two", alias: "lobby", appId: app.id });
    expect(upd).toMatchObject({ action: "update" });
    expect(upd.next.id).toBe(ep.id);
    expect(await stored(ep.id)).toMatchObject({ password_md5: md5("s3cret-two"), alias: "lobby", app_id: app.id });
    expect(upd.next.outs).toMatchObject({ password: "s3cret-two", alias: "lobby", appId: app.id, username: ep.outs.username });

    const rep = await apply(upd.next, { ...args, username: "lobby", password: "s3cret-two", appId: app.id });
    expect(rep).toMatchObject({ action: "replace", replaces: ["username"] });
    expect(rep.next.outs.username).toMatch(/^lobby\d{12}$/);
    expect((await emulator().get(`Endpoint/${ep.id}/`)).status).toBe(404);
  });

  it("a bad password fails check without echoing it", async () => {
    const res = await check("Endpoint", "desk", { ...args, password: "abcd", username: "9desk" });
    expect(res.failures?.map((f) => f.reason)).toEqual([
      'username: must start with a letter and contain only letters and digits (got "9desk")',
      "password: must be at least 5 characters",
    ]);
  });

  it("refresh sees an alias changed outside Pulumi (not the password: Plivo never returns it); up puts it back", async () => {
    const ep = await create("Endpoint", "desk", args);
    await emulator().post(`Endpoint/${ep.id}/`, { alias: "changed", password: "outside-pw" });
    const outs = (await refresh(ep))!;
    expect(outs).toMatchObject({ alias: "changed", password: "s3cret-one" });
    const drifted = { ...ep, outs };
    expect(await diff(drifted, args)).toMatchObject({ changes: true, replaces: [] });
    await apply(drifted, args);
    expect(await stored(ep.id)).toMatchObject({ alias: "front-desk", password_md5: md5("s3cret-one") });
  });

  it("imports by id without the password (the declared one is then set in place); delete tolerates a deleted endpoint", async () => {
    const made = (await emulator().post("Endpoint/", { username: "phone", password: "by-hand-pw", alias: "by-hand" })).body;
    const imported = await importById("Endpoint", "phone", made.endpoint_id);
    // No application: the account has no default endpoint application.
    expect(imported.inputs).toEqual({ username: "phone", alias: "by-hand" });
    const managed = { type: "Endpoint" as const, name: "phone", id: made.endpoint_id, inputs: imported.inputs!, outs: imported.props! };
    const declared = { username: "phone", password: "declared-pw", alias: "by-hand" };
    expect(await diff(managed, declared)).toMatchObject({ changes: true, replaces: [] });
    await apply(managed, declared);
    expect((await stored(made.endpoint_id)).password_md5).toBe(md5("declared-pw"));
    await emulator().del(`Endpoint/${made.endpoint_id}/`);
    await destroy(managed);
  });

  it("made with a subaccount's own credentials, it is the subaccount's and invisible to another one", async () => {
    const t = emulator();
    const sub = (await t.post("Subaccount/", { name: "stage-dev", enabled: true })).body;
    const other = (await t.post("Subaccount/", { name: "stage-prod", enabled: true })).body;
    const ctxOf = (authId: string, authToken: string) =>
      makeContext(emulatorClient(t, { "plivo:authId": authId, "plivo:authToken": authToken }), "Endpoint", { name: "desk" });
    const h = handlers.Endpoint;
    const inputs = crud.check(h, {}, args).inputs;
    const ep = await crud.create(h, ctxOf(sub.auth_id, sub.auth_token), inputs);
    expect(ep.outs.subaccount).toBe(sub.auth_id);
    expect((await t.get(`Endpoint/${ep.id}/`)).body.sub_account).toBe(sub.auth_id);
    expect(await crud.read(h, ctxOf(other.auth_id, other.auth_token), ep.id, ep.outs)).toEqual({});
    await crud.remove(h, ctxOf(sub.auth_id, sub.auth_token), ep.id, ep.outs);
    expect((await t.state()).endpoints).toEqual([]);
  });
});
