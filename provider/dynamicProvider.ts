/**
 * The provider object Pulumi serializes into every resource's state (`__provider`).
 *
 * One object per resource type, capturing only the type and the `runtime` module. A module loaded from
 * node_modules is serialized as a `require(...)` of it, so the stored provider stays a few hundred bytes and always
 * runs the installed package's code — never credentials, never a client. Because the object is shared by every
 * resource of its type, `@pulumi/pulumi` serializes it once per type (it caches by object), not once per resource,
 * and the dynamic-provider host configures it once per type. The resource's name reaches the runtime through the
 * SDK's hidden `__urn` input instead of the closure.
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import * as runtime from "./runtime";
import type { ResourceType } from "./resources";

const providers = new Map<ResourceType, dynamic.ResourceProvider>();

export function dynamicProviderFor(type: ResourceType): dynamic.ResourceProvider {
  let provider = providers.get(type);
  if (!provider) {
    provider = {
      configure: (req) => runtime.configure(req),
      check: (olds, news) => runtime.check(type, undefined, olds, news),
      diff: (id, olds, news) => runtime.diff(type, undefined, id, olds, news),
      create: (inputs) => runtime.create(type, undefined, inputs),
      read: (id, props) => runtime.read(type, undefined, id, props ?? {}),
      update: (id, olds, news) => runtime.update(type, undefined, id, olds, news),
      delete: (id, props) => runtime.remove(type, undefined, id, props),
    };
    providers.set(type, provider);
  }
  return provider;
}
