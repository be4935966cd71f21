/**
 * The provider object Pulumi serializes into every resource's state (`__provider`).
 *
 * It captures only the resource type, the resource name (for error messages) and the `runtime` module. A
 * module loaded from node_modules is serialized as a `require(...)` of it, so the stored provider stays a
 * few hundred bytes and always runs the installed package's code — never credentials, never a client.
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import * as runtime from "./runtime";
import type { ResourceType } from "./resources";

export function dynamicProviderFor(type: ResourceType, name: string): dynamic.ResourceProvider {
  return {
    configure: (req) => runtime.configure(req),
    check: (olds, news) => runtime.check(type, name, olds, news),
    diff: (id, olds, news) => runtime.diff(type, name, id, olds, news),
    create: (inputs) => runtime.create(type, name, inputs),
    read: (id, props) => runtime.read(type, name, id, props ?? {}),
    update: (id, olds, news) => runtime.update(type, name, id, olds, news),
    delete: (id, props) => runtime.remove(type, name, id, props),
  };
}
