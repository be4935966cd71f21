/** Every resource handler by type name. */
import type { ResourceHandler } from "../core/handler";
import { application } from "./application";
import { brand } from "./brand";
import { campaign } from "./campaign";
import { campaignNumberLink } from "./campaignNumberLink";
import { endpoint } from "./endpoint";
import { numberPoolMember } from "./numberPoolMember";
import { phoneNumber } from "./phoneNumber";
import { powerpack } from "./powerpack";
import { profile } from "./profile";
import { subaccount } from "./subaccount";
import { tollfreeVerification } from "./tollfreeVerification";

export const handlers = {
  Subaccount: subaccount,
  Application: application,
  Endpoint: endpoint,
  PhoneNumber: phoneNumber,
  Powerpack: powerpack,
  NumberPoolMember: numberPoolMember,
  Profile: profile,
  Brand: brand,
  Campaign: campaign,
  CampaignNumberLink: campaignNumberLink,
  TollfreeVerification: tollfreeVerification,
} satisfies Record<string, ResourceHandler>;

export type ResourceType = keyof typeof handlers;
