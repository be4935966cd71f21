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
  applicationId: app.id,
});

const numbers = areaCodes.flatMap((areaCode) =>
  Array.from({ length: perAreaCode }, (_, i) => {
    const n = new plivo.PhoneNumber(`number-${areaCode}-${i}`, {
      search: { countryIso: "US", type: "local", pattern: areaCode, services: ["sms"] },
      appId: app.id,
      alias: `${stage}-${areaCode}-${i}`,
    });
    // `.id` (Powerpack uuid, number) stays known while a preview plans an in-place update: members never show a
    // spurious replacement when the pool or the number changes in place.
    new plivo.NumberPoolMember(`member-${areaCode}-${i}`, { powerpackId: pool.id, number: n.id });
    return n.number;
  }),
);

export const stageName = stage;
export const powerpackId = pool.uuid;
export const phoneNumbers = pulumi.all(numbers);
