/** Every resource handler by type name. */
import type { ResourceHandler } from "../engine/handler";
import { application } from "./application";
import { numberPoolMember } from "./numberPoolMember";
import { phoneNumber } from "./phoneNumber";
import { powerpack } from "./powerpack";
import { profile } from "./profile";

export const handlers = {
  Application: application,
  PhoneNumber: phoneNumber,
  Powerpack: powerpack,
  NumberPoolMember: numberPoolMember,
  Profile: profile,
} satisfies Record<string, ResourceHandler>;

export type ResourceType = keyof typeof handlers;
