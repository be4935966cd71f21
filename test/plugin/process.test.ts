/**
 * The plugin as the CLI runs it: bin/pulumi-resource-plivo started as a process (from the build, `npm run build`),
 * its port read from stdout, closed the way the CLI closes a plugin at the end of every command — the engine's
 * Cancel, then SIGINT to its process group — after which the CLI waits at most 5 s before it kills the process.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import { describe, expect, it } from "vitest";

/* eslint-disable @typescript-eslint/no-require-imports */
const providerGrpc = require("@pulumi/pulumi/proto/provider_grpc_pb");
const pluginPb = require("@pulumi/pulumi/proto/plugin_pb");
const emptyPb = require(require.resolve("google-protobuf/google/protobuf/empty_pb", { paths: [require.resolve("@pulumi/pulumi")] }));
/* eslint-enable @typescript-eslint/no-require-imports */

const BIN = path.join(__dirname, "..", "..", "bin", "pulumi-resource-plivo");

/** Starts the plugin; resolves with the process and its port (the first line of its stdout). */
function startPlugin(): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN], { stdio: ["ignore", "pipe", "pipe"], detached: true });
    let stderr = "";
    child.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.stdout!.setEncoding("utf8").once("data", (d: string) => resolve({ child, port: Number(d.trim().split("\n")[0]) }));
    child.on("exit", (code) => reject(new Error(`the plugin exited (${code}) before printing its port: ${stderr}`)));
  });
}

const unary = (client: any, method: string, req: unknown) =>
  new Promise<any>((resolve, reject) => client[method](req, (err: grpc.ServiceError | null, res: any) => (err ? reject(err) : resolve(res))));

/** How the process ended; a process still running after `ms` is killed (SIGKILL), as the CLI would. */
function ended(child: ChildProcess, ms: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => process.kill(-child.pid!, "SIGKILL"), ms);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal });
    });
  });
}

describe("the plugin process", () => {
  it("exits on its own when the CLI closes it after a Cancel (no 5 s wait for the CLI's kill at the end of a command)", async () => {
    const { child, port } = await startPlugin();
    const client = new providerGrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    try {
      expect((await unary(client, "getPluginInfo", new emptyPb.Empty())) instanceof pluginPb.PluginInfo).toBe(true);
      await unary(client, "cancel", new emptyPb.Empty());
    } finally {
      client.close();
    }
    process.kill(-child.pid!, "SIGINT");
    // An exit of its own is code 0; a process that ignored the SIGINT is killed by the signal.
    expect(await ended(child, 15_000)).toEqual({ code: 0, signal: null });
  });
});
