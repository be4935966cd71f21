/**
 * Entry point of the `pulumi-resource-plivo` plugin (started by bin/pulumi-resource-plivo): serves the provider on
 * 127.0.0.1 and prints the port as the first line of stdout, which is how the Pulumi CLI finds it. The engine's
 * address (the CLI's last argument, and Handshake's) is where diagnostics go, with each resource's URN, and what the
 * process watches: once the engine is gone, or on SIGINT/SIGTERM, nothing new starts and the process exits when idle.
 */
import * as grpc from "@grpc/grpc-js";
import { EngineConnection, looksLikeEngineAddress } from "../process/engineConnection";
import { ignoreBrokenPipes, processGuard, watchProcess } from "../process/guard";
import { PluginProvider, type DiagnosticSink } from "./provider";
import { createServer } from "./server";
import { packageVersion } from "./version";

export async function main(args: string[]): Promise<grpc.Server> {
  let engine: EngineConnection | undefined;
  const toStderr = (e: Parameters<DiagnosticSink>[0]) => process.stderr.write(`${e.severity === "warning" ? "warning: " : ""}${e.urn ?? ""}: ${e.message}\n`);
  const diagnostics: DiagnosticSink = (e) => {
    if (!engine) return void toStderr(e);
    void engine.log(e).then((ok) => ok || toStderr(e));
  };
  const connect = (address: string | undefined) => {
    if (!engine && looksLikeEngineAddress(address)) engine = new EngineConnection(address);
  };
  // The CLI passes its logging flags first and the engine's address last.
  connect([...args].reverse().find(looksLikeEngineAddress));
  watchProcess(processGuard, engine, { exitWhenIdle: true });

  const server = createServer({ version: packageVersion(), provider: new PluginProvider(diagnostics), onEngineAddress: connect });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  process.stdout.write(`${port}\n`);
  ignoreBrokenPipes();
  return server;
}
