/**
 * What every toolchain leg of scripts/test.js runs besides smoke.test.ts: the quickstart example through each form of
 * the provider and through the YAML language host, up to destroy.
 */
import { quickstartSuite } from "./suites/quickstart";

for (const variant of ["dynamic", "plugin", "yaml"] as const) quickstartSuite(variant, { smoke: true });
