/**
 * The resource modules served by the emulator, in registration order (a module's backend may use the backends
 * registered before it at setup, and any backend at request time). Adding a resource = one line here.
 */
import type { LifecycleSpec } from "../engine/lifecycle";
import account from "./account/routes";
import application from "./application/routes";
import billing from "./billing/routes";
import brand from "./brand/routes";
import campaign from "./campaign/routes";
import campaignNumbers from "./campaignNumbers/routes";
import endpoint from "./endpoint/routes";
import media from "./media/routes";
import message from "./message/routes";
import numberPool from "./numberPool/routes";
import numbers from "./numbers/routes";
import powerpack from "./powerpack/routes";
import pricing from "./pricing/routes";
import profile from "./profile/routes";
import type { ResourceModule } from "./registry";
import subaccount from "./subaccount/routes";
import tollfreeVerification from "./tollfreeVerification/routes";

export const resources: ResourceModule[] = [
  account,
  subaccount,
  application,
  numbers,
  endpoint,
  pricing,
  billing,
  powerpack,
  numberPool,
  profile,
  brand,
  campaign,
  campaignNumbers,
  tollfreeVerification,
  media,
  message,
];

/** The lifecycles the built-in (and given) modules declare, by kind (what `--transition` may name). */
export function lifecycleCatalog(modules: readonly ResourceModule[] = resources): Map<string, LifecycleSpec> {
  const out = new Map<string, LifecycleSpec>();
  for (const m of modules) for (const l of m.lifecycles ?? []) out.set(l.kind, l);
  return out;
}

export type { ResourceModule } from "./registry";
export { defineResource } from "./registry";
