/**
 * The methods of every provider object stored in a dynamic resource's state (`__provider`, see dynamicProvider.ts).
 *
 * This module's exports object is the prototype of those provider objects, so Pulumi's closure serializer stores it
 * as `require("pulumi-plivo/dist/provider/dynamicMethods.js")` and each resource's `__provider` holds only that line
 * and its type: a few hundred bytes, which every checkpoint of the stack rewrites. Keep this file's path and the
 * methods' names stable: state written by one version of the package is refreshed and destroyed by whichever version
 * is installed later. The host calls them as methods of the stored object, which carries the resource type.
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import type { Props } from "./core/handler";
import type { ResourceType } from "./resources";
import * as runtime from "./runtime";

/** What a stored provider object carries besides these methods. */
export interface StoredProvider {
  readonly type: ResourceType;
}

export function configure(req: dynamic.ConfigureRequest): Promise<void> {
  return runtime.configure(req);
}

export function check(this: StoredProvider, olds: Props, news: Props): Promise<dynamic.CheckResult> {
  return runtime.check(this.type, undefined, olds, news);
}

export function diff(this: StoredProvider, id: string, olds: Props, news: Props): Promise<dynamic.DiffResult> {
  return runtime.diff(this.type, undefined, id, olds, news);
}

export function create(this: StoredProvider, inputs: Props): Promise<dynamic.CreateResult> {
  return runtime.create(this.type, undefined, inputs);
}

export function read(this: StoredProvider, id: string, props?: Props): Promise<dynamic.ReadResult> {
  return runtime.read(this.type, undefined, id, props ?? {});
}

export function update(this: StoredProvider, id: string, olds: Props, news: Props): Promise<dynamic.UpdateResult> {
  return runtime.update(this.type, undefined, id, olds, news);
}

// `delete` is a reserved word for a function name; the export keeps the name the host calls.
function remove(this: StoredProvider, id: string, props: Props): Promise<void> {
  return runtime.remove(this.type, undefined, id, props);
}
export { remove as delete };
