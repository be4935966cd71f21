import * as pulumi from "@pulumi/pulumi";
import * as plivo from "pulumi-plivo";

const config = new pulumi.Config();
const areaCode = config.require("areaCode");
const stack = pulumi.getStack();

// Where Plivo sends calls and inbound messages.
const app = new plivo.Application("demo-app", {
  appName: `demo-${stack}`,
  answerUrl: "https://example.com/voice/answer",
  messageUrl: "https://example.com/sms/inbound",
});

// The first local number in the area code: bought once, adopted on later runs, never bought twice.
const number = new plivo.PhoneNumber("demo-number", {
  search: { countryIso: "US", type: "local", pattern: areaCode, services: ["sms", "voice"] },
  appId: app.id,
  alias: `demo-${stack}`,
});

// A Powerpack whose pool holds the number; inbound messages go to the same application.
const powerpack = new plivo.Powerpack("demo-powerpack", {
  name: `demo-${stack}`,
  stickySender: true,
  localConnect: true,
  applicationType: "xml",
  applicationId: app.id,
});

// Resources are referenced by `.id`: it stays known while a preview plans an in-place update of the referenced
// resource, so an edit never shows dependents as replaced.
const member = new plivo.NumberPoolMember("demo-pool-member", { powerpackId: powerpack.id, number: number.id });

export const phoneNumber = number.number;
export const numberRegion = number.region;
export const applicationId = app.appId;
export const applicationName = app.appName;
export const powerpackId = powerpack.uuid;
export const numberPoolId = powerpack.numberPoolId;
export const poolMember = member.id;
