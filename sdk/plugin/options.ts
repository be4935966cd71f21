/** Resource options every class of the plugin SDK adds: the plugin version this SDK was generated with. */
import * as pulumi from "@pulumi/pulumi";
import { packageVersion } from "../../provider/plugin/version";

/** The engine loads the `plivo` plugin of the package's version (a `plugins.providers` path entry wins anyway). */
export function withPluginVersion<O extends pulumi.ResourceOptions>(opts: O | undefined): O {
  return pulumi.mergeOptions(opts, { version: opts?.version ?? packageVersion() } as O) as O;
}
