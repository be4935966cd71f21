/**
 * The provider object Pulumi serializes into every resource's state (`__provider`).
 *
 * One object per resource type: it holds only the type, and inherits its methods from the exports of
 * dynamicMethods.ts. A module loaded from node_modules is serialized as a `require(...)` of it, so the stored
 * provider is `Object.create(require("pulumi-plivo/dist/provider/dynamicMethods.js"))` plus the type — under 400
 * bytes, and it always runs the installed package's code; never credentials, never a client. Because the object is
 * shared by every resource of its type, `@pulumi/pulumi` serializes it once per type (it caches by object), and the
 * dynamic-provider host configures it once per type. The resource's URN reaches the runtime through the SDK's
 * hidden `__urn` input.
 *
 * State written before this layout stores a closure that requires runtime.js and passes the type itself; runtime.js
 * keeps serving it.
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import * as methods from "./dynamicMethods";
import type { ResourceType } from "./resources";

const providers = new Map<ResourceType, dynamic.ResourceProvider>();

export function dynamicProviderFor(type: ResourceType): dynamic.ResourceProvider {
  let provider = providers.get(type);
  if (!provider) {
    provider = Object.create(methods, { type: { value: type, enumerable: true } }) as dynamic.ResourceProvider;
    providers.set(type, provider);
  }
  return provider;
}
