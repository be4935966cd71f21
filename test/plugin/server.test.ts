/**
 * The plugin's gRPC service, called as the engine calls it (generated protos, a real grpc-js channel) and served
 * against the emulator over HTTP: schema and config checks, preview vs real create, detailed diffs, import reads
 * with only an id, updates, deletes, custom timeouts that keep a registration as partially created, Cancel, and
 * diagnostics with the resource's URN.
 */
import * as grpc from "@grpc/grpc-js";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { OperationGuard } from "../../provider/process/guard";
import { PluginProvider, type DiagnosticSink } from "../../provider/plugin/provider";
import { createServer } from "../../provider/plugin/server";
import { UNKNOWN } from "../../provider/core/unknowns";
import { handlers } from "../../provider/resources";
import { setTransition, startTestEmulator, type TestEmulator } from "../helpers/emulator";
import { submissions } from "../helpers/ledger";
import { validCampaign, validProfile } from "../helpers/fixtures";

/* eslint-disable @typescript-eslint/no-require-imports */
const providerPb = require("@pulumi/pulumi/proto/provider_pb");
const providerGrpc = require("@pulumi/pulumi/proto/provider_grpc_pb");
const fromPulumi = (id: string) => require(require.resolve(id, { paths: [require.resolve("@pulumi/pulumi")] }));
const structPb = fromPulumi("google-protobuf/google/protobuf/struct_pb");
const emptyPb = fromPulumi("google-protobuf/google/protobuf/empty_pb");
const statusPb = require("@pulumi/pulumi/proto/status_pb");
/* eslint-enable @typescript-eslint/no-require-imports */

const SECRET = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270" };
const struct = (o: Record<string, unknown>) => structPb.Struct.fromJavaScript(o);
const urn = (type: string, name: string) => `urn:pulumi:dev::proj::plivo:index:${type}::${name}`;

interface Plugin {
  client: any;
  diagnostics: Parameters<DiagnosticSink>[0][];
  guard: OperationGuard;
  close(): void;
}

async function startPlugin(): Promise<Plugin> {
  const diagnostics: Parameters<DiagnosticSink>[0][] = [];
  const guard = new OperationGuard();
  const server = createServer({ version: "9.9.9", provider: new PluginProvider((e) => diagnostics.push(e), guard) });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  const client = new providerGrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  return {
    client,
    diagnostics,
    guard,
    close: () => {
      client.close();
      server.forceShutdown();
    },
  };
}

/** Promisified unary call. */
function call<T = any>(p: Plugin, method: string, req: unknown): Promise<T> {
  return new Promise((resolve, reject) => p.client[method](req, (err: grpc.ServiceError | null, res: T) => (err ? reject(err) : resolve(res))));
}

const checkReq = (type: string, name: string, news: Record<string, unknown>, olds: Record<string, unknown> = {}) => {
  const r = new providerPb.CheckRequest();
  r.setUrn(urn(type, name));
  r.setType(`plivo:index:${type}`);
  r.setName(name);
  r.setOlds(struct(olds));
  r.setNews(struct(news));
  return r;
};

async function configure(p: Plugin, emu: TestEmulator, extra: Record<string, unknown> = {}) {
  const r = new providerPb.ConfigureRequest();
  r.setArgs(struct({ authId: emu.emu.authId, authToken: { ...SECRET, value: emu.emu.authToken }, baseUrl: emu.emu.url, version: "9.9.9", ...extra }));
  r.setAcceptsecrets(true);
  r.setAcceptresources(true);
  return call(p, "configure", r);
}

async function checked(p: Plugin, type: string, name: string, inputs: Record<string, unknown>) {
  const res = await call(p, "check", checkReq(type, name, inputs));
  expect(res.getFailuresList().map((f: any) => f.getReason())).toEqual([]);
  return res.getInputs().toJavaScript() as Record<string, unknown>;
}

async function create(p: Plugin, type: string, name: string, inputs: Record<string, unknown>, opts: { preview?: boolean; timeout?: number } = {}) {
  const r = new providerPb.CreateRequest();
  r.setUrn(urn(type, name));
  r.setType(`plivo:index:${type}`);
  r.setName(name);
  r.setProperties(struct(await checked(p, type, name, inputs)));
  r.setPreview(opts.preview === true);
  r.setTimeout(opts.timeout ?? 0);
  const res = await call(p, "create", r);
  return { id: res.getId() as string, outs: res.getProperties().toJavaScript() as Record<string, any> };
}

function readReq(type: string, name: string, id: string, props?: Record<string, unknown>) {
  const r = new providerPb.ReadRequest();
  r.setUrn(urn(type, name));
  r.setType(`plivo:index:${type}`);
  r.setName(name);
  r.setId(id);
  if (props) r.setProperties(struct(props));
  return r;
}

async function diff(p: Plugin, type: string, name: string, id: string, olds: Record<string, unknown>, inputs: Record<string, unknown>) {
  const r = new providerPb.DiffRequest();
  r.setUrn(urn(type, name));
  r.setType(`plivo:index:${type}`);
  r.setId(id);
  r.setOlds(struct(olds));
  r.setNews(struct(await checked(p, type, name, inputs)));
  const res = await call(p, "diff", r);
  const detailed: Record<string, number> = {};
  for (const [k, v] of res.getDetaileddiffMap().entries()) detailed[k] = v.getKind();
  return { changes: res.getChanges(), replaces: res.getReplacesList() as string[], detailed, hasDetailed: res.getHasdetaileddiff() as boolean };
}

/** The ErrorResourceInitFailed detail of a failed Create/Update, if any. */
function initFailure(err: grpc.ServiceError): { id: string; properties: Record<string, any>; reasons: string[] } | undefined {
  const bin = err.metadata?.get("grpc-status-details-bin")?.[0];
  if (!bin) return undefined;
  const status = statusPb.Status.deserializeBinary(bin as Buffer);
  const detail = status.getDetailsList()[0]?.unpack(providerPb.ErrorResourceInitFailed.deserializeBinary, "pulumirpc.ErrorResourceInitFailed");
  return detail && { id: detail.getId(), properties: detail.getProperties().toJavaScript(), reasons: detail.getReasonsList() };
}

const Kind = providerPb.PropertyDiff.Kind;
const app = { appName: "support", answerUrl: "https://example.com/answer", messageUrl: "https://example.com/sms" };

describe("the plugin's gRPC service", () => {
  let emu: TestEmulator;
  let p: Plugin;
  beforeAll(async () => {
    process.env.PLIVO_POLL_INITIAL_MS = "20";
    process.env.PLIVO_POLL_MAX_MS = "100";
    emu = await startTestEmulator();
  });
  afterAll(() => emu?.close());
  beforeEach(async () => {
    p?.close();
    await emu.reset();
    p = await startPlugin();
  });

  it("reports its version and serves the package schema", async () => {
    expect((await call(p, "getPluginInfo", new emptyPb.Empty())).getVersion()).toBe("9.9.9");
    const req = new providerPb.GetSchemaRequest();
    const schema = JSON.parse((await call(p, "getSchema", req)).getSchema());
    expect(schema).toMatchObject({ name: "plivo", version: "9.9.9" });
    expect(Object.keys(schema.resources).sort()).toEqual(
      Object.keys(handlers)
        .map((t) => `plivo:index:${t}`)
        .sort(),
    );
  });

  it("credentials go out secret in every answer, whatever came in: a password from Check, a subaccount's token from Create and Read", async () => {
    await configure(p, emu);
    const checkedEndpoint = await call(p, "check", checkReq("Endpoint", "desk", { username: "desk", password: "plain-pw-1", alias: "desk" }));
    expect(checkedEndpoint.getInputs().toJavaScript().password).toEqual({ ...SECRET, value: "plain-pw-1" });
    const sub = await create(p, "Subaccount", "stage", { name: "stage-dev" });
    expect(sub.outs.authToken).toEqual({ ...SECRET, value: expect.stringMatching(/^.{40}$/) });
    expect(sub.outs.name).toBe("stage-dev");
    const read = await call(p, "read", readReq("Subaccount", "stage", sub.id));
    expect(read.getProperties().toJavaScript().authToken).toEqual(sub.outs.authToken);
  });

  it("CheckConfig accepts credentials that are still unknown (a provider configured from a subaccount being created)", async () => {
    const r = new providerPb.CheckRequest();
    r.setUrn("urn:pulumi:dev::proj::pulumi:providers:plivo::stage-account");
    r.setNews(struct({ authId: UNKNOWN, authToken: { ...SECRET, value: UNKNOWN }, baseUrl: emu.emu.url, version: "9.9.9" }));
    expect((await call(p, "checkConfig", r)).getFailuresList()).toEqual([]);
  });

  it("CheckConfig names a missing credential, a malformed setting and an unknown key; accepts a valid config", async () => {
    const saved = { id: process.env.PLIVO_AUTH_ID, token: process.env.PLIVO_AUTH_TOKEN };
    delete process.env.PLIVO_AUTH_ID;
    delete process.env.PLIVO_AUTH_TOKEN;
    try {
      const cfg = (news: Record<string, unknown>) => {
        const r = new providerPb.CheckRequest();
        r.setUrn("urn:pulumi:dev::proj::pulumi:providers:plivo::default");
        r.setNews(struct(news));
        return call(p, "checkConfig", r).then((res) => res.getFailuresList().map((f: any) => [f.getProperty(), f.getReason()]));
      };
      const missing = await cfg({ authId: "MAEMULATORACCOUNT0001", version: "9.9.9" });
      // Each reason names the setting; the property stays empty, so the engine prints one line with the key once.
      expect(missing).toEqual([["", expect.stringContaining("pulumi config set --secret plivo:authToken")]]);
      expect(await cfg({ authId: "MA1", authToken: "t", baseUrl: "ftp://x" })).toEqual([["", expect.stringContaining("plivo:baseUrl")]]);
      expect(await cfg({ authId: "MA1", authToken: "t", authid: "x" })).toEqual([
        ["", expect.stringMatching(/^plivo:authid is not a setting of the plivo provider/)],
      ]);
      expect(await cfg({ authId: "MA1", authToken: "t", baseUrl: "http://127.0.0.1:1", rateLimit: "10/1s", timeoutSeconds: "20" })).toEqual([]);
    } finally {
      if (saved.id !== undefined) process.env.PLIVO_AUTH_ID = saved.id;
      if (saved.token !== undefined) process.env.PLIVO_AUTH_TOKEN = saved.token;
    }
  });

  it("Check fails with the field and the rule; keeps a secret input secret", async () => {
    const res = await call(p, "check", checkReq("Application", "a", { appName: "bad name", answerUrl: "ftp://x" }));
    // The reason starts with the path and ends with the value as written; the property stays empty, as in the dynamic
    // form (the engine would print it again, with the raw value of the top-level input: `{<nil>}` for a nested path).
    expect(res.getFailuresList().map((f: any) => [f.getProperty(), f.getReason()])).toEqual([
      ["", `appName: may contain only letters, digits, '-' and '_' (got "bad name")`],
      ["", 'answerUrl: must be an http(s) URL (got "ftp://x")'],
    ]);

    // Valid inputs go on to the run's credentials check (and the purchase warning): a configured provider, as in a run.
    await configure(p, emu);
    const secret = await call(p, "check", checkReq("PhoneNumber", "n", { number: "+14155550100", alias: { ...SECRET, value: "private line" } }));
    expect(secret.getInputs().toJavaScript().alias).toEqual({ ...SECRET, value: "private line" });
    // A planned purchase is announced on the resource's row, as in the dynamic form (provider/core/preview.ts).
    expect(p.diagnostics).toContainEqual({
      urn: urn("PhoneNumber", "n"),
      severity: "warning",
      ephemeral: false,
      message: expect.stringMatching(/^Creating it /),
    });
  });

  it("a preview create calls nothing and marks what Plivo decides unknown; a real create makes it", async () => {
    await configure(p, emu);
    const before = (await emu.state()).ledger.length;
    const preview = await create(p, "Application", "support", app, { preview: true });
    expect(preview.id).toBe("");
    expect(preview.outs).toMatchObject({ appName: "support", appId: UNKNOWN, hangupUrl: UNKNOWN, answerMethod: "POST" });
    expect((await emu.state()).ledger.length).toBe(before);

    const made = await create(p, "Application", "support", app);
    expect(made.id).toMatch(/^\d+$/);
    expect(made.outs).toMatchObject({ appId: made.id, appName: "support", messageUrl: "https://example.com/sms" });
    expect((await emu.api("GET", `Application/${made.id}/`)).body.app_name).toBe("support");
  });

  it("Diff returns a detailed diff: updates in place, replaces naming the property, nothing for ignored changes", async () => {
    await configure(p, emu);
    const made = await create(p, "Application", "support", app);
    expect(await diff(p, "Application", "support", made.id, made.outs, app)).toMatchObject({ changes: 1, replaces: [], detailed: {} });

    const edit = await diff(p, "Application", "support", made.id, made.outs, { ...app, messageUrl: "https://example.com/v2", hangupMethod: "get" });
    expect(edit).toMatchObject({ changes: 2, replaces: [], hasDetailed: true, detailed: { messageUrl: Kind.UPDATE, hangupMethod: Kind.UPDATE } });
    const removed = await diff(p, "Application", "support", made.id, made.outs, { appName: app.appName, answerUrl: app.answerUrl });
    expect(removed.detailed).toEqual({ messageUrl: Kind.DELETE });
    const renamed = await diff(p, "Application", "support", made.id, made.outs, { ...app, appName: "helpdesk" });
    expect(renamed).toMatchObject({ changes: 2, replaces: ["appName"], detailed: { appName: Kind.UPDATE_REPLACE } });
  });

  it("Read with only an id imports: outputs and inputs, the id in canonical form; a deleted object reads as gone", async () => {
    await configure(p, emu);
    const made = await create(p, "Application", "support", app);
    const imported = await call(p, "read", readReq("Application", "support", ` ${made.id} `));
    expect(imported.getId()).toBe(made.id);
    expect(imported.getProperties().toJavaScript()).toMatchObject({ appId: made.id, appName: "support" });
    expect(imported.getInputs().toJavaScript()).toMatchObject({ appName: "support", answerUrl: app.answerUrl, messageUrl: app.messageUrl });

    const refreshed = await call(p, "read", readReq("Application", "support", made.id, made.outs));
    expect(refreshed.hasInputs()).toBe(false);
    await emu.api("DELETE", `Application/${made.id}/`);
    expect((await call(p, "read", readReq("Application", "support", made.id, made.outs))).getId()).toBe("");
  });

  it("an imported id that does not have the resource's id shape fails before any request (it would go into a URL path)", async () => {
    await configure(p, emu);
    await emu.control("DELETE", "requests");
    for (const [type, id] of [
      ["Application", "../Number/14155550100"],
      ["Powerpack", "pool"],
      ["CampaignNumberLink", "CVWMV6V?x=1/14155550100"],
    ]) {
      const err = await call(p, "read", readReq(type!, "imported", id!)).then(
        () => undefined,
        (e: grpc.ServiceError) => e,
      );
      expect(err?.details, `${type} ${id}`).toMatch(new RegExp(`^${type} id "${id!.replace(/[.?]/g, "\\$&")}" is not valid: expected `));
    }
    expect((await emu.control("GET", "requests")).body).toEqual([]);
  });

  it("Update applies in place (preview predicts without calling); Delete removes", async () => {
    await configure(p, emu);
    const made = await create(p, "Application", "support", app);
    const upd = async (preview: boolean) => {
      const r = new providerPb.UpdateRequest();
      r.setUrn(urn("Application", "support"));
      r.setType("plivo:index:Application");
      r.setId(made.id);
      r.setOlds(struct(made.outs));
      r.setNews(struct(await checked(p, "Application", "support", { ...app, messageUrl: "https://example.com/v2" })));
      r.setPreview(preview);
      return (await call(p, "update", r)).getProperties().toJavaScript();
    };
    expect(await upd(true)).toMatchObject({ appId: made.id, messageUrl: "https://example.com/v2", sipUri: made.outs.sipUri });
    expect((await emu.api("GET", `Application/${made.id}/`)).body.message_url).toBe("https://example.com/sms");
    expect(await upd(false)).toMatchObject({ appId: made.id, messageUrl: "https://example.com/v2" });
    expect((await emu.api("GET", `Application/${made.id}/`)).body.message_url).toBe("https://example.com/v2");

    const del = new providerPb.DeleteRequest();
    del.setUrn(urn("Application", "support"));
    del.setType("plivo:index:Application");
    del.setId(made.id);
    del.setProperties(struct(made.outs));
    await call(p, "delete", del);
    expect((await emu.api("GET", `Application/${made.id}/`)).status).toBe(404);
  });

  it("a custom timeout cuts a registration wait short: the campaign is kept (ErrorResourceInitFailed), progress goes to its URN", async () => {
    await configure(p, emu);
    const profile = await create(p, "Profile", "acme", validProfile);
    const brand = await create(p, "Brand", "acme", { profileUuid: profile.id, brandAlias: "Acme" });
    await setTransition(emu, "campaign", { mode: "manual" });
    const started = Date.now();
    const err = await create(p, "Campaign", "c", { ...validCampaign(brand.id), waitUntil: "ACTIVE", waitTimeoutSeconds: 3600 }, { timeout: 1 }).then(
      () => undefined,
      (e: grpc.ServiceError) => e,
    );
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(err?.details).toMatch(/timed out after 1s waiting for campaign C\w{6} to become ACTIVE; last status PROCESSING/);
    const kept = initFailure(err!);
    expect(kept?.id).toMatch(/^C\w{6}$/);
    expect(kept?.properties).toMatchObject({ campaignId: kept?.id, registrationStatus: "PROCESSING" });
    expect(await submissions(emu, "campaign")).toBe(1);
    expect(p.diagnostics).toContainEqual({
      urn: urn("Campaign", "c"),
      severity: "info",
      ephemeral: true,
      message: expect.stringMatching(/^waiting for campaign C\w{6} to become ACTIVE: PROCESSING/),
    });
  });

  it("Cancel ends a wait at once, keeping the registration; nothing new starts afterwards", async () => {
    await configure(p, emu);
    const profile = await create(p, "Profile", "acme", validProfile);
    const brand = await create(p, "Brand", "acme", { profileUuid: profile.id, brandAlias: "Acme" });
    await setTransition(emu, "campaign", { mode: "manual" });
    const pending = create(p, "Campaign", "c", { ...validCampaign(brand.id), waitUntil: "ACTIVE" }).then(
      () => undefined,
      (e: grpc.ServiceError) => e,
    );
    await new Promise((r) => setTimeout(r, 500));
    await call(p, "cancel", new emptyPb.Empty());
    const err = await pending;
    expect(err?.details).toMatch(/stopped waiting for campaign C\w{6}/);
    expect(initFailure(err!)?.id).toMatch(/^C\w{6}$/);
    const next = await create(p, "Application", "late", app).then(
      () => undefined,
      (e: grpc.ServiceError) => e,
    );
    expect(next?.details).toMatch(/not starting create of .*the Pulumi run was cancelled/);
  });
});
