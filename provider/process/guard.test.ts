import * as grpc from "@grpc/grpc-js";
import { describe, expect, it } from "vitest";
import { EngineConnection, looksLikeEngineAddress } from "./engineConnection";
import { OperationGuard, ProviderStoppingError, watchProcess } from "./guard";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const enginePb = require("@pulumi/pulumi/proto/engine_pb");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const engineGrpc = require("@pulumi/pulumi/proto/engine_grpc_pb");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const emptyPb = require("google-protobuf/google/protobuf/empty_pb");

describe("OperationGuard", () => {
  it("lets operations under way finish after stop, refuses new ones, and ends waits", async () => {
    const guard = new OperationGuard();
    let release!: () => void;
    const running = guard.run("create of PhoneNumber", () => new Promise<string>((r) => (release = () => r("bought"))));
    expect(guard.inflight).toBe(1);
    guard.stop("the Pulumi engine is gone");
    expect(guard.signal.aborted).toBe(true);
    expect(() => guard.begin("create of Campaign")).toThrow(ProviderStoppingError);
    expect(() => guard.begin("create of Campaign")).toThrow("not starting create of Campaign: the Pulumi engine is gone");
    let idle = false;
    const whenIdle = guard.whenIdle().then(() => (idle = true));
    await new Promise((r) => setTimeout(r, 10));
    expect(idle).toBe(false);
    release();
    await expect(running).resolves.toBe("bought");
    await whenIdle;
    expect(guard.inflight).toBe(0);
  });

  it("keeps the first stop reason", () => {
    const guard = new OperationGuard();
    guard.stop("first");
    guard.stop("second");
    expect(guard.stopReason).toBe("first");
  });
});

describe("watchProcess", () => {
  it("stops the guard when the engine stops answering", async () => {
    // A stand-in engine: the Engine gRPC service from @pulumi/pulumi's protos, answering GetRootResource.
    const server = new grpc.Server();
    server.addService(engineGrpc.EngineService, {
      getRootResource: (_call: unknown, cb: (e: null, r: unknown) => void) => cb(null, new enginePb.GetRootResourceResponse()),
      log: (_call: unknown, cb: (e: null, r: unknown) => void) => cb(null, new emptyPb.Empty()),
    });
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
    );
    const engine = new EngineConnection(`127.0.0.1:${port}`);
    expect(await engine.alive()).toBe(true);

    const guard = new OperationGuard();
    const messages: string[] = [];
    const unwatch = watchProcess(guard, engine, { intervalMs: 50, failures: 2, log: (m) => messages.push(m) });
    const ticket = guard.begin("create of PhoneNumber");
    await new Promise((r) => setTimeout(r, 200));
    expect(guard.stopping).toBe(false);

    expect(await engine.log({ severity: "info", message: "still here", urn: "urn:pulumi:s::p::t::n" })).toBe(true);
    server.forceShutdown();
    const start = Date.now();
    while (!guard.stopping && Date.now() - start < 5_000) await new Promise((r) => setTimeout(r, 20));
    expect(guard.stopReason).toBe("the Pulumi engine is gone (the CLI exited or was killed)");
    expect(messages.join("\n")).toContain("finishing 1 operation(s) already under way");
    ticket.end();
    unwatch();
    engine.close();
  });

  it("recognises engine addresses", () => {
    expect(looksLikeEngineAddress("127.0.0.1:34567")).toBe(true);
    expect(looksLikeEngineAddress("[::1]:34567")).toBe(true);
    expect(looksLikeEngineAddress("--logtostderr")).toBe(false);
    expect(looksLikeEngineAddress(undefined)).toBe(false);
  });
});
