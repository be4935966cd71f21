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
import { numberPoolMemberSchema } from "../schema/numberPoolMember";
import { phoneNumberSchema } from "../schema/phoneNumber";
import { powerpackSchema } from "../schema/powerpack";
import { profileSchema } from "../schema/profile";
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

export type { DeepInput, ArgsOf, OutputsOf, PlivoResource } from "./resourceClass";
