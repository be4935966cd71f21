import * as pulumi from "@pulumi/pulumi";
import * as plivo from "pulumi-plivo/plugin";

// One program, one stack per stage. Everything that differs between stages lives in Pulumi.<stack>.yaml; the only
// Plivo credential is the main account's (plivo:authId / plivo:authToken, e.g. from CI's secret store).
const config = new pulumi.Config();
const stage = pulumi.getStack();
const baseUrl = config.require("baseUrl");
const areaCodes = config.requireObject<string[]>("areaCodes");

// The stage's boundary: a subaccount of the main account, with its own auth id and token. Only the main account
// (the default provider) can create it; destroying the stack deletes it.
const account = new plivo.Subaccount("stage", { name: `stage-${stage}` });

// A provider with the subaccount's own credentials: what it creates belongs to the subaccount, and it sees nothing
// of the other stages.
const stageAccount = new plivo.Provider("stage-account", {
  authId: account.authId,
  authToken: account.authToken,
  baseUrl: new pulumi.Config("plivo").get("baseUrl"),
});

const app = new plivo.Application(
  "app",
  {
    appName: `support-${stage}`,
    answerUrl: `${baseUrl}/voice/answer`,
    messageUrl: `${baseUrl}/sms/inbound`,
  },
  { provider: stageAccount },
);

// The stage's desk phone (or softphone) registers as this SIP user; its calls go to the stage's application.
const desk = new plivo.Endpoint(
  "desk",
  {
    username: "desk",
    password: config.requireSecret("deskPassword"),
    alias: `desk-${stage}`,
    appId: app.id,
  },
  { provider: stageAccount },
);

// Numbers can only be searched and rented by the main account, which then hands them to the subaccount. They come
// last (dependsOn): on a new stage's first `up`, what lives under the subaccount's provider is checked only then (its
// credentials are unknown at preview), so a mistake there stops the run before anything is bought.
const numbers = areaCodes.map(
  (areaCode) =>
    new plivo.PhoneNumber(
      `line-${areaCode}`,
      {
        search: { countryIso: "US", type: "local", pattern: areaCode, services: ["voice", "sms"] },
        subaccount: account.authId,
        appId: app.id,
        alias: `support-${stage}-${areaCode}`,
      },
      { dependsOn: [desk] },
    ),
);

export const stageName = stage;
export const subaccountId = account.authId;
export const applicationId = app.appId;
export const sipUsername = desk.username;
export const sipUri = desk.sipUri;
export const phoneNumbers = pulumi.all(numbers.map((n) => n.number));
