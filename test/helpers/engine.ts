/**
 * Drives the provider exactly as the Pulumi engine drives a dynamic provider (configure → check → diff →
 * create/update/delete, read for refresh and import), over HTTP against the emulator. No Plivo mocks.
 */
import { expect } from "vitest";
import { getClient, resolveConfig } from "../../provider/config";
import type { PlivoClient } from "../../provider/client/plivoClient";
import * as runtime from "../../provider/runtime";
import type { ResourceType } from "../../provider/resources";
import type { TestEmulator } from "./emulator";

export type Props = Record<string, any>;

export interface Managed {
  type: ResourceType;
  name: string;
  id: string;
  inputs: Props;
  outs: Props;
}

/** The provider's config for the test emulator: its main account, unless `extra` says otherwise. */
export function emulatorConfig(t: TestEmulator, extra: Record<string, string> = {}): Record<string, string> {
  return { "plivo:authId": t.emu.authId, "plivo:authToken": t.emu.authToken, "plivo:baseUrl": t.emu.url, ...extra };
}

/** The provider's client (the one `getClient` shares) for the test emulator, configured as `emulatorConfig`. */
export function emulatorClient(t: TestEmulator, extra: Record<string, string> = {}): PlivoClient {
  const values = emulatorConfig(t, extra);
  return getClient(resolveConfig({ get: (k) => values[k] }));
}

export async function configureFor(t: TestEmulator, extra: Record<string, string> = {}): Promise<void> {
  const values = emulatorConfig(t, extra);
  await runtime.configure({ config: { get: (k: string) => values[k], require: (k: string) => values[k] } } as never);
}

export async function check(type: ResourceType, name: string, news: Props, olds: Props = {}) {
  return runtime.check(type, name, olds, news);
}

/** check + create; fails the test on check failures. */
export async function create(type: ResourceType, name: string, news: Props): Promise<Managed> {
  const checked = await check(type, name, news);
  expect(checked.failures ?? []).toEqual([]);
  const res = await runtime.create(type, name, checked.inputs as Props);
  return { type, name, id: res.id, inputs: checked.inputs as Props, outs: res.outs as Props };
}

/** check + diff + update/replace, the way `pulumi up` applies an edit. Returns what happened. */
export async function apply(r: Managed, news: Props): Promise<{ action: "same" | "update" | "replace"; replaces: string[]; next: Managed }> {
  const checked = await check(r.type, r.name, news, r.inputs);
  expect(checked.failures ?? []).toEqual([]);
  const inputs = checked.inputs as Props;
  const d = await runtime.diff(r.type, r.name, r.id, r.outs, inputs);
  if (!d.changes) return { action: "same", replaces: [], next: r };
  if (d.replaces && d.replaces.length > 0) {
    if (d.deleteBeforeReplace) await runtime.remove(r.type, r.name, r.id, r.outs);
    const created = await runtime.create(r.type, r.name, inputs);
    if (!d.deleteBeforeReplace) await runtime.remove(r.type, r.name, r.id, r.outs);
    return { action: "replace", replaces: d.replaces, next: { ...r, id: created.id, inputs, outs: created.outs as Props } };
  }
  const updated = await runtime.update(r.type, r.name, r.id, r.outs, inputs);
  return { action: "update", replaces: [], next: { ...r, inputs, outs: updated.outs as Props } };
}

export async function diff(r: Managed, news: Props) {
  const checked = await check(r.type, r.name, news, r.inputs);
  return runtime.diff(r.type, r.name, r.id, r.outs, checked.inputs as Props);
}

/** `pulumi refresh`: the new outputs, or undefined when the resource is gone. */
export async function refresh(r: Managed): Promise<Props | undefined> {
  const res = await runtime.read(r.type, r.name, r.id, r.outs);
  return res.id ? (res.props as Props) : undefined;
}

/** `pulumi import`: read with nothing but the id. */
export async function importById(type: ResourceType, name: string, id: string) {
  return runtime.read(type, name, id, {});
}

export async function destroy(r: Managed): Promise<void> {
  await runtime.remove(r.type, r.name, r.id, r.outs);
}

/**
 * `pulumi up` that fails while waiting: the engine keeps the resource (id + properties) as partially created.
 * Returns that record, or throws if the error is not a partial-creation error.
 */
export async function createExpectingPartial(type: ResourceType, name: string, news: Props): Promise<{ error: Error; partial: Managed }> {
  const checked = await check(type, name, news);
  expect(checked.failures ?? []).toEqual([]);
  try {
    await runtime.create(type, name, checked.inputs as Props);
  } catch (err) {
    const e = err as Error & { id?: string; properties?: Props };
    if (!e.id) throw err;
    return { error: e, partial: { type, name, id: e.id, inputs: checked.inputs as Props, outs: e.properties ?? {} } };
  }
  throw new Error(`${type} "${name}": create succeeded but a partial failure was expected`);
}

/** The next `pulumi up` on a partially created resource: the engine calls update with the kept properties. */
export async function resume(r: Managed, news: Props = r.inputs): Promise<Managed> {
  const checked = await check(r.type, r.name, news, r.inputs);
  expect(checked.failures ?? []).toEqual([]);
  const updated = await runtime.update(r.type, r.name, r.id, r.outs, checked.inputs as Props);
  return { ...r, inputs: checked.inputs as Props, outs: updated.outs as Props };
}
