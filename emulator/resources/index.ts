/**
 * The resource modules served by the emulator, in registration order.
 * Adding a resource = one import + one array entry here.
 */
import type { ResourceModule } from "./registry";
import account from "./account";
import application from "./application";
import numbers from "./numbers";
import powerpack from "./powerpack";
import numberPool from "./numberPool";
import profile from "./profile";
import transitions from "../transitions";
import brand from "./brand";
import campaign from "./campaign";
import campaignNumbers from "./campaignNumbers";
import tollfreeVerification from "./tollfreeVerification";

export const resources: ResourceModule[] = [
  account, application, numbers, powerpack, numberPool, profile,
  // asynchronous registrations (transitions first: shared state, sweep, control routes)
  transitions, brand, campaign, campaignNumbers, tollfreeVerification,
];

export type { ResourceModule } from "./registry";
export { defineResource } from "./registry";
