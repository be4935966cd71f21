/**
 * pulumi-plivo: declare Plivo phone numbers, applications, Powerpacks, number pools and US messaging
 * registrations in a Pulumi program.
 *
 *   import * as plivo from "pulumi-plivo";
 *   const app = new plivo.Application("inbound", { appName: "inbound", answerUrl: "https://example.com/answer" });
 *
 * Credentials come from stack config `plivo:authId` / `plivo:authToken` (secret) / `plivo:baseUrl`, or the
 * environment (`PLIVO_AUTH_ID`, `PLIVO_AUTH_TOKEN`, `PLIVO_BASE_URL`); they are never resource inputs.
 */
import { applicationSchema } from "../schema/application";
import { brandSchema } from "../schema/brand";
import { campaignSchema } from "../schema/campaign";
import { campaignNumberLinkSchema } from "../schema/campaignNumberLink";
import { numberPoolMemberSchema } from "../schema/numberPoolMember";
import { phoneNumberSchema } from "../schema/phoneNumber";
import { powerpackSchema } from "../schema/powerpack";
import { profileSchema } from "../schema/profile";
import { tollfreeVerificationSchema } from "../schema/tollfreeVerification";
import { resourceClass, type ArgsOf, type PlivoResource } from "./resourceClass";

/** A bundle of answer, hangup and message URLs that numbers and endpoints point to. */
export const Application = resourceClass(applicationSchema);
export type Application = PlivoResource<typeof applicationSchema>;
export type ApplicationArgs = ArgsOf<typeof applicationSchema>;

/** A rented phone number: an exact `number`, or `search` criteria used once at create time. */
export const PhoneNumber = resourceClass(phoneNumberSchema);
export type PhoneNumber = PlivoResource<typeof phoneNumberSchema>;
export type PhoneNumberArgs = ArgsOf<typeof phoneNumberSchema>;

/** A Powerpack (number pool with sticky sender, local connect and number priorities). */
export const Powerpack = resourceClass(powerpackSchema);
export type Powerpack = PlivoResource<typeof powerpackSchema>;
export type PowerpackArgs = ArgsOf<typeof powerpackSchema>;

/** One account number in a Powerpack's pool. */
export const NumberPoolMember = resourceClass(numberPoolMemberSchema);
export type NumberPoolMember = PlivoResource<typeof numberPoolMemberSchema>;
export type NumberPoolMemberArgs = ArgsOf<typeof numberPoolMemberSchema>;

/** A business profile (needed by 10DLC brands and toll-free verification). */
export const Profile = resourceClass(profileSchema);
export type Profile = PlivoResource<typeof profileSchema>;
export type ProfileArgs = ArgsOf<typeof profileSchema>;

/** A 10DLC brand registered from a Profile; waits for COMPLETED by default. */
export const Brand = resourceClass(brandSchema);
export type Brand = PlivoResource<typeof brandSchema>;
export type BrandArgs = ArgsOf<typeof brandSchema>;

/** A 10DLC campaign under a brand; text fields editable only while FAILED or PROCESSING. */
export const Campaign = resourceClass(campaignSchema);
export type Campaign = PlivoResource<typeof campaignSchema>;
export type CampaignArgs = ArgsOf<typeof campaignSchema>;

/** One number linked to one 10DLC campaign. */
export const CampaignNumberLink = resourceClass(campaignNumberLinkSchema);
export type CampaignNumberLink = PlivoResource<typeof campaignNumberLinkSchema>;
export type CampaignNumberLinkArgs = ArgsOf<typeof campaignNumberLinkSchema>;

/** Verification of a US/CA toll-free number for messaging. */
export const TollfreeVerification = resourceClass(tollfreeVerificationSchema);
export type TollfreeVerification = PlivoResource<typeof tollfreeVerificationSchema>;
export type TollfreeVerificationArgs = ArgsOf<typeof tollfreeVerificationSchema>;

export type { DeepInput, ArgsOf, OutputsOf, PlivoResource } from "./resourceClass";
