/** Application lifecycle against the emulator: create, read, update, replace, delete, drift, import. */
import { describe, expect, it } from "vitest";
import { useEmulator } from "../helpers/provider";
import * as runtime from "../../provider/runtime";
import { apply, check, create, destroy, diff, importById, refresh } from "../helpers/engine";

const emulator = useEmulator();

const args = { appName: "inbound-sms", answerUrl: "https://example.com/answer", messageUrl: "https://example.com/sms" };

describe("Application", () => {
  it("creates and reads back every output", async () => {
    const app = await create("Application", "inbound", args);
    expect(app.id).toMatch(/^\d+$/);
    expect(app.outs).toMatchObject({ ...args, appId: app.id, answerMethod: "POST", logIncomingMessages: true });
    expect(app.outs.sipUri).toContain(app.id);
    const server = await emulator().api("GET", `Application/${app.id}/`);
    expect(server.body).toMatchObject({ app_name: "inbound-sms", message_url: "https://example.com/sms" });
    expect(await refresh(app)).toEqual(app.outs);
  });

  it("updates URLs in place and replaces on a name change", async () => {
    const app = await create("Application", "inbound", args);
    const upd = await apply(app, { ...args, answerUrl: "https://example.com/v2/answer", answerMethod: "get" });
    expect(upd.action).toBe("update");
    expect(upd.next.id).toBe(app.id);
    expect((await emulator().api("GET", `Application/${app.id}/`)).body).toMatchObject({ answer_url: "https://example.com/v2/answer", answer_method: "GET" });

    const rep = await apply(upd.next, { ...args, appName: "inbound-sms-2" });
    expect(rep).toMatchObject({ action: "replace", replaces: ["appName"] });
    expect(rep.next.id).not.toBe(app.id);
    expect((await emulator().api("GET", `Application/${app.id}/`)).status).toBe(404);
    expect((await emulator().api("GET", `Application/${rep.next.id}/`)).body.app_name).toBe("inbound-sms-2");
  });

  it("refresh brings an out-of-band change in, and the next up reverts it", async () => {
    const app = await create("Application", "inbound", args);
    await emulator().api("POST", `Application/${app.id}/`, { message_url: "https://evil.example.com/sms" });
    const outs = await refresh(app);
    expect(outs?.messageUrl).toBe("https://evil.example.com/sms");
    const drifted = { ...app, outs: outs! };
    expect(await diff(drifted, args)).toMatchObject({ changes: true, replaces: [] });
    await apply(drifted, args);
    expect((await emulator().api("GET", `Application/${app.id}/`)).body.message_url).toBe("https://example.com/sms");
  });

  it("refresh after an out-of-band delete drops it from the state; delete tolerates it", async () => {
    const app = await create("Application", "inbound", args);
    await emulator().api("DELETE", `Application/${app.id}/`);
    expect(await refresh(app)).toBeUndefined();
    await expect(destroy(app)).resolves.toBeUndefined();
  });

  it("imports by id with no diff against the matching program", async () => {
    const made = await emulator().api("POST", "Application/", {
      app_name: "legacy",
      answer_url: "https://example.com/a",
      message_url: "https://example.com/m",
    });
    const imported = await importById("Application", "legacy", made.body.app_id);
    expect(imported.id).toBe(made.body.app_id);
    const r = { type: "Application" as const, name: "legacy", id: imported.id!, inputs: imported.inputs!, outs: imported.props! };
    expect(await diff(r, { appName: "legacy", answerUrl: "https://example.com/a", messageUrl: "https://example.com/m" })).toMatchObject({ changes: false });
  });

  it("adopts an existing application with adoptId: updates what may change, never creates a second one", async () => {
    const made = await emulator().api("POST", "Application/", { app_name: "inbound-sms", answer_url: "https://old.example.com/a" });
    const app = await create("Application", "inbound", { ...args, adoptId: made.body.app_id });
    expect(app.id).toBe(made.body.app_id);
    expect((await emulator().api("GET", `Application/${app.id}/`)).body).toMatchObject({ answer_url: args.answerUrl, message_url: args.messageUrl });
    expect((await emulator().api("GET", "Application/")).body.objects).toHaveLength(1);
    expect(await diff(app, { ...args, adoptId: made.body.app_id })).toMatchObject({ changes: false });
    // A name that differs fails already at preview (check looks the object up) ...
    const mismatch = await check("Application", "other", { ...args, appName: "other-name", adoptId: made.body.app_id });
    expect(mismatch.failures).toEqual([
      {
        property: "",
        reason: `appName: cannot change on the existing Application ${made.body.app_id}, which has "inbound-sms"; declare that value, or drop adoptId to create a new one (got "other-name")`,
      },
    ]);
    const missing = await check("Application", "missing", { ...args, adoptId: "999" });
    expect(missing.failures?.map((f) => f.reason)).toEqual([
      `adoptId: Application 999 does not exist in the Plivo account: there is nothing to adopt (got "999")`,
    ]);
    // ... and again at up, should the object have changed in between.
    const other = (await check("Application", "other", { ...args, adoptId: made.body.app_id })).inputs as Record<string, unknown>;
    await expect(runtime.create("Application", "other", { ...other, appName: "other-name" })).rejects.toThrow(
      /appName: cannot change on the existing Application \d+, which has "inbound-sms"/,
    );
  });

  it("deletes with cascade=false", async () => {
    const app = await create("Application", "inbound", args);
    await destroy(app);
    expect((await emulator().api("GET", `Application/${app.id}/`)).status).toBe(404);
    const log = (await emulator().control("GET", "requests")).body as { method: string; path: string }[];
    expect(log.some((r) => r.method === "DELETE" && r.path.includes(`Application/${app.id}`))).toBe(true);
  });

  it("adopts the application an ambiguous create made instead of creating a second one", async () => {
    await emulator().control("POST", "faults", { method: "POST", path: "/Application/", mode: "after", count: 1 });
    const app = await create("Application", "inbound", args);
    const list = await emulator().api("GET", "Application/?app_name=inbound-sms");
    expect(list.body.objects).toHaveLength(1);
    expect(list.body.objects[0].app_id).toBe(app.id);
  });

  it("sends a create again once its ambiguous failure is proven to have created nothing", async () => {
    // The connection is reset before the emulator processes the POST: the client cannot know, so it looks first.
    await emulator().control("POST", "faults", { method: "POST", path: "/Application/", mode: "reset", count: 1 });
    const app = await create("Application", "inbound", args);
    const list = await emulator().api("GET", "Application/?app_name=inbound-sms");
    expect(list.body.objects.map((o: { app_id: string }) => o.app_id)).toEqual([app.id]);
    const posts = ((await emulator().control("GET", "requests")).body as { method: string; path: string }[]).filter(
      (r) => r.method === "POST" && /\/Application\/?$/.test(r.path.split("?")[0]!),
    );
    expect(posts).toHaveLength(2);
  });

  it("gives up after five ambiguous creates that created nothing, and says so", async () => {
    await emulator().control("POST", "faults", { method: "POST", path: "/Application/", mode: "reset", count: 5 });
    await expect(create("Application", "inbound", args)).rejects.toThrow(/may have been applied/);
    expect((await emulator().api("GET", "Application/?app_name=inbound-sms")).body.objects).toHaveLength(0);
  });

  it("fails check with the field and the rule before any API call", async () => {
    const before = ((await emulator().control("GET", "requests")).body as unknown[]).length;
    const res = await (await import("../helpers/engine")).check("Application", "bad", { appName: "bad name", answerUrl: "nope" });
    // The reason carries the path; the property stays empty (the engine would print the raw value with it).
    expect(res.failures).toEqual([
      { property: "", reason: `appName: may contain only letters, digits, '-' and '_' (got "bad name")` },
      { property: "", reason: `answerUrl: must be an http(s) URL (got "nope")` },
    ]);
    expect(((await emulator().control("GET", "requests")).body as unknown[]).length).toBe(before);
  });
});
