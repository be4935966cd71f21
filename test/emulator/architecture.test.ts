/**
 * The emulator's architecture, from the outside: an asynchronous resource added as one backend, one routes module
 * and one registration (here the `resources` option) is run by the generic transition engine (policies, reads,
 * /resolve, flags) without any change to the engine; and every change of every resource is journaled (a restart
 * on the data file gives back exactly the state that was acknowledged).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { afterAll, describe, expect, it } from "vitest";
import type { Ctx } from "../../emulator/context";
import { defineLifecycle, type LifecycleHandler } from "../../emulator/engine/lifecycle";
import { notFound, send } from "../../emulator/http";
import { defineResource } from "../../emulator/resources/registry";
import type { Table } from "../../emulator/store/table";
import { startTestEmulator } from "../helpers/emulator";
import { submissions } from "../helpers/ledger";
import { PROFILE_BODY, buyLongCode, buyTollfree, campaignBody, completedBrand, tfvBody } from "./async-fixtures";

// --- a new asynchronous resource: the backend (records + domain operations, no HTTP) -----------------------------
interface Widget {
  id: string;
  state: string;
}
const widgetLifecycle = defineLifecycle({ kind: "widget", statusField: "state", pending: ["BUILDING"], outcomes: { success: "READY", failure: "BROKEN" } });

class WidgetBackend implements LifecycleHandler {
  readonly widgets: Table<Widget>;
  constructor(private readonly ctx: Ctx) {
    this.widgets = ctx.store.table<Widget>("widgets", (w) => w.id);
    ctx.engine.register(widgetLifecycle, this);
  }
  create(id: string): Widget {
    this.widgets.insert({ id, state: "BUILDING" });
    this.ctx.engine.submit(widgetLifecycle.kind, id);
    return this.widgets.get(id)!;
  }
  read(id: string): Widget | undefined {
    this.ctx.engine.read(widgetLifecycle.kind, id);
    return this.widgets.get(id);
  }
  status(id: string) {
    return this.widgets.get(id)?.state;
  }
  apply(id: string, outcome: string) {
    const w = this.widgets.edit(id)!;
    w.state = widgetLifecycle.outcomes[outcome as "success" | "failure"];
    return w.state;
  }
}

// --- its routes and its registration ------------------------------------------------------------------------------
let backend: WidgetBackend;
const widgets = defineResource({
  name: "widget",
  lifecycles: [widgetLifecycle],
  setup(ctx) {
    backend = new WidgetBackend(ctx);
  },
  routes(api: FastifyInstance) {
    api.post("/Widget/:id/", async (req, reply) => send(reply, 201, { widget: backend.create((req.params as { id: string }).id) }));
    api.get("/Widget/:id/", async (req, reply) => {
      const w = backend.read((req.params as { id: string }).id);
      if (!w) throw notFound();
      return send(reply, 200, { widget: w });
    });
  },
});

describe("adding an asynchronous resource", () => {
  it("one backend, one routes module, one registration: the engine runs its lifecycle", async () => {
    const e = await startTestEmulator({ resources: [widgets], transitions: ["widget=reads:2"] });
    try {
      expect((await e.post("Widget/w1/")).status).toBe(201);
      const states = [];
      for (let i = 0; i < 3; i++) states.push((await e.get("Widget/w1/")).body.widget.state);
      expect(states).toEqual(["BUILDING", "BUILDING", "READY"]);
      expect(await submissions(e, "widget", "w1")).toBe(1);
      // policies, /resolve and the pending view are the engine's, for any kind
      expect((await e.control("POST", "transitions", { resource: "widget", mode: "manual" })).status).toBe(200);
      await e.post("Widget/w2/");
      expect((await e.control("GET", "transitions")).body.pending.map((p: any) => [p.resource, p.id, p.status])).toEqual([["widget", "w2", "BUILDING"]]);
      expect((await e.control("POST", "resolve", { resource: "widget", id: "w2", outcome: "failure" })).body).toEqual({
        resource: "widget",
        id: "w2",
        status: "BROKEN",
      });
      expect((await e.control("POST", "resolve", { resource: "widget", id: "w2", outcome: "update_required" })).status).toBe(400);
      expect((await e.control("GET", "state")).body.widgets).toEqual([
        { id: "w1", state: "READY" },
        { id: "w2", state: "BROKEN" },
      ]);
    } finally {
      await e.close();
    }
  });

  it("a flag naming an outcome the lifecycle does not declare refuses to start", async () => {
    await expect(startTestEmulator({ resources: [widgets], transitions: ["widget=immediate:expire"] })).rejects.toThrow(/invalid --transition/);
  });
});

describe("every change is journaled", () => {
  const dir = mkdtempSync(join(tmpdir(), "plivo-emu-arch-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("a restart on the data file gives back exactly the acknowledged state, every resource included", async () => {
    const dataFile = join(dir, "state.json");
    const e = await startTestEmulator({ dataFile, transitions: ["campaign=immediate", "link=immediate", "tfv=reads:1"] });
    let before: any;
    try {
      const app = (await e.post("Application/", { app_name: "a1", answer_url: "https://e.com/a", default_number_app: true })).body.app_id;
      await e.post(`Application/${app}/`, { message_url: "https://e.com/sms" });
      const pp = (await e.post("Powerpack/", { name: "pool", application_type: "XML", application_id: app })).body;
      const pool = pp.number_pool.split("/")[5];
      const long = await buyLongCode(e, "512");
      await e.post(`Number/${long}/`, { alias: "main" });
      expect((await e.post(`NumberPool/${pool}/Number/${long}/`, {})).status).toBe(200);
      const tf = await buyTollfree(e);
      const profile = (await e.post("Profile/", { ...PROFILE_BODY, profile_alias: "p2" })).body.profile_uuid;
      await e.post(`Profile/${profile}/`, { website: "https://changed.example" });
      const tfv = (await e.post("TollfreeVerification/", tfvBody(profile, tf))).body.uuid;
      await e.get(`TollfreeVerification/${tfv}/`);
      const brand = await completedBrand(e);
      const campaign = (await e.post("10dlc/Campaign/", campaignBody(brand))).body.campaign_id;
      expect((await e.post(`10dlc/Campaign/${campaign}/Number/`, { numbers: [long] })).status).toBe(202);
      await e.control("POST", "clock", { advanceMs: 3_600_000 });
      await e.control("POST", "shortcodes", { powerpack_uuid: pp.uuid, shortcode: "55555" });
      before = await e.state();
    } finally {
      await e.close();
    }
    const again = await startTestEmulator({ dataFile });
    try {
      expect(await again.state()).toEqual(before);
    } finally {
      await again.close();
    }
  });
});
