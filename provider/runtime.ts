/**
 * The stable entry point that serialized providers call into at run time.
 *
 * The object stored in each resource's `__provider` is a thin closure that `require`s this file from the
 * installed package (see dynamicProvider.ts). Keep its path and exported names stable: state written by one
 * version of the package is refreshed and destroyed by whichever version is installed later.
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { getClient, resolveConfig } from "./config";

type ConfigSource = { get(key: string): string | undefined };
import * as crud from "./engine/crud";
import { makeContext, type ResourceContext } from "./engine/context";
import type { Props, ResourceHandler } from "./engine/handler";
import { handlers, type ResourceType } from "./resources";

let configSource: ConfigSource | undefined;

/** Called once per provider instance by the dynamic-provider host with the stack configuration. */
export async function configure(req: dynamic.ConfigureRequest): Promise<void> {
  configSource = { get: (key: string) => req.config.get(key) };
}

function handler(type: ResourceType): ResourceHandler {
  const h = handlers[type];
  if (!h) throw new Error(`unknown Plivo resource type "${type}"`);
  return h;
}

function context(type: ResourceType, name: string): ResourceContext {
  // Credentials are read here, at run time: never captured in the serialized provider nor stored in state.
  const config = resolveConfig(configSource);
  return makeContext(getClient(config), type, name);
}

export async function check(type: ResourceType, _name: string, olds: Props, news: Props): Promise<dynamic.CheckResult> {
  return crud.check(handler(type), olds, news);
}

export async function diff(type: ResourceType, _name: string, _id: string, olds: Props, news: Props): Promise<dynamic.DiffResult> {
  const d = crud.diff(handler(type), olds, news);
  return { changes: d.changes, replaces: d.replaces, deleteBeforeReplace: d.deleteBeforeReplace };
}

export async function create(type: ResourceType, name: string, inputs: Props): Promise<dynamic.CreateResult> {
  return crud.create(handler(type), context(type, name), inputs);
}

export async function read(type: ResourceType, name: string, id: string, props: Props): Promise<dynamic.ReadResult> {
  return crud.read(handler(type), context(type, name), id, props);
}

export async function update(type: ResourceType, name: string, id: string, olds: Props, news: Props): Promise<dynamic.UpdateResult> {
  return crud.update(handler(type), context(type, name), id, olds, news);
}

export async function remove(type: ResourceType, name: string, id: string, props: Props): Promise<void> {
  return crud.remove(handler(type), context(type, name), id, props);
}
