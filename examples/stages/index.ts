import * as pulumi from "@pulumi/pulumi";
import * as plivo from "pulumi-plivo";

// Everything that differs between stages lives in Pulumi.<stack>.yaml.
const config = new pulumi.Config();
const stage = pulumi.getStack();
const baseUrl = config.require("baseUrl");
const areaCodes = config.requireObject<string[]>("areaCodes");
const perAreaCode = config.requireNumber("numbersPerAreaCode");

const app = new plivo.Application("app", {
  appName: `messaging-${stage}`,
  answerUrl: `${baseUrl}/voice/answer`,
  messageUrl: `${baseUrl}/sms/inbound`,
});

const pool = new plivo.Powerpack("pool", {
  name: `messaging-${stage}`,
  stickySender: true,
  localConnect: true,
  applicationType: "xml",
  applicationId: app.appId,
});

const numbers = areaCodes.flatMap((areaCode) =>
  Array.from({ length: perAreaCode }, (_, i) => {
    const n = new plivo.PhoneNumber(`number-${areaCode}-${i}`, {
      search: { countryIso: "US", type: "local", pattern: areaCode, services: ["sms"] },
      appId: app.appId,
      alias: `${stage}-${areaCode}-${i}`,
    });
    new plivo.NumberPoolMember(`member-${areaCode}-${i}`, { powerpackId: pool.uuid, number: n.number });
    return n.number;
  }),
);

export const stageName = stage;
export const powerpackId = pool.uuid;
export const phoneNumbers = pulumi.all(numbers);
