/**
 * The dynamic-resource form of the provider: the stable entry point that serialized providers call into at run time.
 *
 * The object stored in each resource's `__provider` inherits methods that call this file (dynamicMethods.ts);
 * state written by earlier builds stores closures that `require` this file from the installed package directly. Keep
 * its path and exported names and signatures stable: state written by one version of the package is refreshed and
 * destroyed by whichever version is installed later (closures of older versions pass the resource name; newer ones
 * pass undefined and the SDK's hidden `__urn` input names it).
 *
 * What each call does is shared with the plugin (core/operations.ts); this file only adapts the dynamic-provider
 * calls: the stack config from `configure`, the resource's URN from its hidden input, one-line errors for the host.
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import type { ConfigSource } from "./config";
import type { OperationLog } from "./core/context";
import type { Props, ResourceHandler } from "./core/handler";
import { ProviderOperations, type OperationTarget } from "./core/operations";
import { EngineConnection, looksLikeEngineAddress } from "./process/engineConnection";
import { ignoreBrokenPipes, processGuard, watchProcess } from "./process/guard";
import { forEngine, installQuietHostErrors } from "./process/hostErrors";
import { installHostDetailedDiff, withDetailedDiff } from "./process/hostDiff";
import { detailedDiff } from "./core/diff";
import { handlers, type ResourceType } from "./resources";

/** The SDK's hidden input holding the resource's URN (diagnostics on the resource's row, purchase markers). */
export const URN_KEY = "__urn";

const NO_CONFIG: ConfigSource = { get: () => undefined };
let configSource: ConfigSource | undefined;
let engine: EngineConnection | undefined;
let hostInstalled = false;

/**
 * In the dynamic-provider host process (`@pulumi/pulumi/cmd/dynamic-provider`, started by the CLI with the engine's
 * address as its last argument): log through the engine, and stop starting work once the engine is gone.
 */
function installInHost(): void {
  if (hostInstalled) return;
  hostInstalled = true;
  const main = require.main?.filename ?? "";
  // The CLI passes its logging flags first and the engine's address last.
  const address = process.argv.slice(2).reverse().find(looksLikeEngineAddress);
  if (!/cmd[\\/]dynamic-provider[\\/]index\.js$/.test(main) || !address) return;
  installQuietHostErrors();
  installHostDetailedDiff(main);
  ignoreBrokenPipes();
  engine = new EngineConnection(address);
  watchProcess(processGuard, engine, { exitWhenIdle: true });
}

/** Called once per provider instance by the dynamic-provider host with the stack configuration. */
export async function configure(req: dynamic.ConfigureRequest): Promise<void> {
  configSource = { get: (key: string) => req.config.get(key) };
  installInHost();
}

/** Progress on the resource's row and warnings under it, through the engine when it can take them, else stderr. */
function logFor(h: ResourceHandler, target: OperationTarget): OperationLog {
  const { urn, name } = target;
  const conn = engine;
  const fallback = (prefix: string) => (line: string) => process.stderr.write(`${prefix}${h.schema.type} "${name ?? urn ?? "?"}": ${line}\n`);
  if (!conn || !urn) return { progress: fallback(""), warn: fallback("warning: "), note: fallback("") };
  const send = (severity: "info" | "warning", message: string, ephemeral: boolean) =>
    void conn.log({ severity, message, urn, ephemeral }).then((ok) => ok || fallback(severity === "warning" ? "warning: " : "")(message));
  return { progress: (m) => send("info", m, true), warn: (m) => send("warning", m, false), note: (m) => send("info", m, false) };
}

// Credentials are read at run time, from the configuration `configure` gave: never captured in the serialized
// provider nor stored in the state.
const operations = new ProviderOperations({ config: () => configSource ?? NO_CONFIG, log: logFor, guard: processGuard });

function handler(type: ResourceType): ResourceHandler {
  const h = handlers[type];
  if (!h) throw new Error(`unknown Plivo resource type "${type}"`);
  return h;
}

const target = (name: string | undefined, props: Props | undefined): OperationTarget => ({
  name,
  urn: typeof props?.[URN_KEY] === "string" ? (props[URN_KEY] as string) : undefined,
});

/** Every error leaves as one line, reported once (see process/hostErrors.ts). */
async function reported<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw forEngine(err);
  }
}

/** Keeps the hidden URN with the outputs, so delete and refresh can name the resource too. */
function withUrn<T extends Props | undefined>(outs: T, from: Props | undefined): T {
  if (outs && typeof from?.[URN_KEY] === "string") (outs as Props)[URN_KEY] = from[URN_KEY];
  return outs;
}

export async function check(type: ResourceType, name: string | undefined, olds: Props, news: Props): Promise<dynamic.CheckResult> {
  return reported(async () => {
    const result = await operations.check(handler(type), target(name, news), olds, news);
    return { inputs: withUrn(result.inputs, news), failures: result.failures };
  });
}

export async function diff(type: ResourceType, name: string | undefined, id: string, olds: Props, news: Props): Promise<dynamic.DiffResult> {
  return reported(async () => {
    const d = operations.diff(handler(type), target(name, news), id, olds, news);
    // The CLI shows exactly the changed inputs, as with the plugin (process/hostDiff.ts).
    return withDetailedDiff({ changes: d.changes, replaces: d.replaces, deleteBeforeReplace: d.deleteBeforeReplace }, detailedDiff(d, olds, news));
  });
}

export async function create(type: ResourceType, name: string | undefined, inputs: Props): Promise<dynamic.CreateResult> {
  return reported(async () => {
    const res = await operations.create(handler(type), target(name, inputs), inputs);
    return { id: res.id, outs: withUrn(res.outs, inputs) };
  });
}

export async function read(type: ResourceType, name: string | undefined, id: string, props: Props): Promise<dynamic.ReadResult> {
  return reported(async () => {
    const res = await operations.read(handler(type), target(name, props), id, props ?? {});
    return { ...res, props: withUrn(res.props, props) };
  });
}

export async function update(type: ResourceType, name: string | undefined, id: string, olds: Props, news: Props): Promise<dynamic.UpdateResult> {
  return reported(async () => {
    const res = await operations.update(handler(type), target(name, news), id, olds, news);
    return { outs: withUrn(res.outs, news) };
  });
}

export async function remove(type: ResourceType, name: string | undefined, id: string, props: Props): Promise<void> {
  return reported(() => operations.remove(handler(type), target(name, props), id, props ?? {}));
}
