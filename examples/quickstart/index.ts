import * as pulumi from "@pulumi/pulumi";
import * as plivo from "pulumi-plivo";

const config = new pulumi.Config();
const areaCode = config.require("areaCode");
const stack = pulumi.getStack();

// Where Plivo sends calls and messages for the number.
const app = new plivo.Application("support", {
  appName: `support-${stack}`,
  answerUrl: "https://example.com/voice/answer",
  hangupUrl: "https://example.com/voice/hangup",
  messageUrl: "https://example.com/sms/inbound",
});

// The first available US local number in the area code, bought once at create time. Changing the area code later
// does not replace the number; `protect` keeps `pulumi destroy` from unrenting it by accident in production.
const number = new plivo.PhoneNumber("support-line", {
  search: { countryIso: "US", type: "local", pattern: areaCode, services: ["voice", "sms"] },
  appId: app.id, // `.id` stays known while a preview plans an update of the app: no spurious diff here
  alias: `support-${stack}`,
});

export const applicationId = app.appId;
export const phoneNumber = number.number;
export const numberRegion = number.region;
