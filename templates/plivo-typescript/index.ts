import * as pulumi from "@pulumi/pulumi";
import * as plivo from "pulumi-plivo";

const config = new pulumi.Config();
const name = `${pulumi.getProject()}-${pulumi.getStack()}`;

// Where Plivo sends calls and messages for the number.
const app = new plivo.Application("app", {
  appName: name,
  answerUrl: "https://example.com/voice/answer",
  messageUrl: "https://example.com/sms/inbound",
});

// The first available US local number in the area code, bought once at create time (the search is used once).
const line = new plivo.PhoneNumber("line", {
  search: { countryIso: "US", type: "local", pattern: config.get("areaCode") ?? "415", services: ["voice", "sms"] },
  appId: app.id,
  alias: name,
});

export const applicationId = app.appId;
export const phoneNumber = line.number;
