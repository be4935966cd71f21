/** Every resource schema, in the order the docs and SDKs list them. */
import { applicationSchema } from "./application";
import { brandSchema } from "./brand";
import { campaignSchema } from "./campaign";
import { campaignNumberLinkSchema } from "./campaignNumberLink";
import { endpointSchema } from "./endpoint";
import { numberPoolMemberSchema } from "./numberPoolMember";
import { phoneNumberSchema } from "./phoneNumber";
import { powerpackSchema } from "./powerpack";
import { profileSchema } from "./profile";
import type { ResourceSchema } from "./resource";
import { subaccountSchema } from "./subaccount";
import { tollfreeVerificationSchema } from "./tollfreeVerification";

export const resourceSchemas: readonly ResourceSchema[] = [
  subaccountSchema,
  applicationSchema,
  endpointSchema,
  phoneNumberSchema,
  powerpackSchema,
  numberPoolMemberSchema,
  profileSchema,
  brandSchema,
  campaignSchema,
  campaignNumberLinkSchema,
  tollfreeVerificationSchema,
];
