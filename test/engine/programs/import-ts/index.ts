// Empty until the test pastes what `pulumi import --file` generated below these imports (the fixture's plugin variant
// switches the second one to the plugin's classes, "pulumi-plivo/plugin").
// biome-ignore lint/correctness/noUnusedImports: the pasted code uses it
import * as pulumi from "@pulumi/pulumi";
// biome-ignore lint/correctness/noUnusedImports: the pasted code uses it
import * as plivo from "pulumi-plivo";
