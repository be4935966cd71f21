/**
 * The dynamic-resource form of the provider: the stable entry point that serialized providers call into at run time.
 *
 * The object stored in each resource's `__provider` is a thin closure that `require`s this file from the installed
 * package (see dynamicProvider.ts). Keep its path and exported names and signatures stable: state written by one
 * version of the package is refreshed and destroyed by whichever version is installed later (closures of older
 * versions pass the resource name; newer ones pass undefined and the SDK's hidden `__urn` input names it).
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { PlivoConfigError } from "./client/errors";
import { getClient, PREVIEW_OFFLINE, previewOffline, resolveConfig } from "./config";
import { isHiddenKey } from "./core/check";
import * as crud from "./core/crud";
import { makeContext, type OperationLog, type ResourceContext } from "./core/context";
import { verifyCredentials } from "./core/credentials";
import type { Props, ResourceHandler } from "./core/handler";
import { changeWarnings, createNotes } from "./core/preview";
import { JOURNAL_CONFIG_KEY, journalDir, openJournal, type CreateJournal } from "./core/journal";
import { stateHolds as stateHoldsObject } from "./core/resume";
import { EngineConnection, looksLikeEngineAddress } from "./process/engineConnection";
import { ignoreBrokenPipes, processGuard, watchProcess } from "./process/guard";
import { forEngine, installQuietHostErrors } from "./process/hostErrors";
import { handlers, type ResourceType } from "./resources";
import { checkFailureForEngine } from "../schema/resource";

type ConfigSource = { get(key: string): string | undefined };

/** The SDK's hidden input holding the resource's URN (diagnostics on the resource's row, purchase markers). */
export const URN_KEY = "__urn";

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
  ignoreBrokenPipes();
  engine = new EngineConnection(address);
  watchProcess(processGuard, engine, { exitWhenIdle: true });
}

/** Called once per provider instance by the dynamic-provider host with the stack configuration. */
export async function configure(req: dynamic.ConfigureRequest): Promise<void> {
  configSource = { get: (key: string) => req.config.get(key) };
  installInHost();
}

function handler(type: ResourceType): ResourceHandler {
  const h = handlers[type];
  if (!h) throw new Error(`unknown Plivo resource type "${type}"`);
  return h;
}

/** Progress as the row's status and warnings under the resource, through the engine when it can take them. */
function logFor(type: string, name: string | undefined, urn: string | undefined): OperationLog | undefined {
  if (!engine || !urn) return undefined;
  const conn = engine;
  const fallback = (line: string) => process.stderr.write(`${type} "${name ?? urn}": ${line}\n`);
  const send = (severity: "info" | "warning", message: string, ephemeral: boolean) =>
    void conn.log({ severity, message, urn, ephemeral }).then((ok) => ok || fallback(message));
  return { progress: (m) => send("info", m, true), warn: (m) => send("warning", m, false) };
}

const urnOf = (props: Props | undefined) => (typeof props?.[URN_KEY] === "string" ? (props[URN_KEY] as string) : undefined);

/** The create journal of this machine (core/journal.ts), unless turned off. */
function journal(): CreateJournal | undefined {
  return openJournal(journalDir(configSource?.get(JOURNAL_CONFIG_KEY)));
}

/** The engine holds `id` for the resource: see core/resume.ts. */
function stateHolds(type: ResourceType, props: Props | undefined, id: string): void {
  stateHoldsObject(journal(), type, urnOf(props), id);
}

function context(type: ResourceType, name: string | undefined, props: Props): ResourceContext {
  // Credentials are read here, at run time: never captured in the serialized provider nor stored in state.
  const config = resolveConfig(configSource);
  const urn = urnOf(props);
  return makeContext(getClient(config), type, { urn, name, log: logFor(type, name, urn), signal: processGuard.signal, journal: journal() });
}

/** Where warnings about a resource go: the engine (on its row) when it is there, else stderr. */
function warnFor(type: ResourceType, name: string | undefined, props: Props): (message: string) => void {
  const urn = typeof props[URN_KEY] === "string" ? (props[URN_KEY] as string) : undefined;
  const log = logFor(type, name, urn);
  return log ? (m) => log.warn(m) : (m) => process.stderr.write(`warning: ${type} "${name ?? urn ?? "?"}": ${m}\n`);
}

/** Every error leaves as one line, reported once (see process/hostErrors.ts). */
async function reported<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw forEngine(err);
  }
}

/** Keeps the hidden URN with the outputs, so delete and refresh can name the resource too. */
function withUrn<T extends Props | undefined>(outs: T, from: Props): T {
  if (outs && typeof from[URN_KEY] === "string") (outs as Props)[URN_KEY] = from[URN_KEY];
  return outs;
}

/**
 * Validation, then (unless plivo:previewOffline) the run's credentials check, then what a planned create costs or
 * adopts: the engine calls check for every resource of a preview, before it shows any plan.
 */
export async function check(type: ResourceType, name: string | undefined, olds: Props, news: Props): Promise<dynamic.CheckResult> {
  return reported(async () => {
    const h = handler(type);
    const result = crud.check(h, olds, news);
    const inputs = withUrn(result.inputs, news);
    if (result.failures.length > 0) return { inputs, failures: result.failures.map(checkFailureForEngine) };
    const offline = previewOffline(configSource);
    const ctx = offline ? undefined : await checkedContext(type, name, news);
    // No old inputs: the engine plans a create (of a new resource, or of a replacement after diff).
    const creating = !Object.keys(olds ?? {}).some((k) => !isHiddenKey(k));
    if (creating) {
      const notes = await createNotes(h, result.inputs, ctx);
      const warn = warnFor(type, name, news);
      notes.warnings.forEach(warn);
      if (notes.failures.length > 0) return { inputs, failures: notes.failures.map(checkFailureForEngine) };
    }
    return { inputs, failures: [] };
  });
}

/** A context for look-ups, once the credentials are known to work. */
async function checkedContext(type: ResourceType, name: string | undefined, props: Props): Promise<ResourceContext> {
  let ctx: ResourceContext;
  try {
    ctx = context(type, name, props);
  } catch (err) {
    if (err instanceof PlivoConfigError) err.message += `; to preview without calling Plivo, set ${PREVIEW_OFFLINE.key} true`;
    throw err;
  }
  await verifyCredentials(ctx.client, ctx.signal);
  return ctx;
}

export async function diff(type: ResourceType, name: string | undefined, id: string, olds: Props, news: Props): Promise<dynamic.DiffResult> {
  return reported(async () => {
    stateHolds(type, olds, id);
    const h = handler(type);
    const d = crud.diff(h, olds, news);
    changeWarnings(h, id, olds, news, d).forEach(warnFor(type, name, news));
    return { changes: d.changes, replaces: d.replaces, deleteBeforeReplace: d.deleteBeforeReplace };
  });
}

export async function create(type: ResourceType, name: string | undefined, inputs: Props): Promise<dynamic.CreateResult> {
  return reported(() => processGuard.run(`create of ${type}`, async () => {
    const res = await crud.create(handler(type), context(type, name, inputs), inputs);
    return { id: res.id, outs: withUrn(res.outs, inputs) };
  }));
}

export async function read(type: ResourceType, name: string | undefined, id: string, props: Props): Promise<dynamic.ReadResult> {
  return reported(() => processGuard.run(`read of ${type} ${id}`, async () => {
    stateHolds(type, props, id);
    const res = await crud.read(handler(type), context(type, name, props ?? {}), id, props ?? {});
    return { ...res, props: withUrn(res.props, props ?? {}) };
  }));
}

export async function update(type: ResourceType, name: string | undefined, id: string, olds: Props, news: Props): Promise<dynamic.UpdateResult> {
  return reported(() => processGuard.run(`update of ${type} ${id}`, async () => {
    stateHolds(type, olds, id);
    const res = await crud.update(handler(type), context(type, name, news), id, olds, news);
    return { outs: withUrn(res.outs, news) };
  }));
}

export async function remove(type: ResourceType, name: string | undefined, id: string, props: Props): Promise<void> {
  return reported(() =>
    processGuard.run(`delete of ${type} ${id}`, async () => {
      stateHolds(type, props, id);
      await crud.remove(handler(type), context(type, name, props ?? {}), id, props ?? {});
    }),
  );
}
