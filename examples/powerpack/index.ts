import * as pulumi from "@pulumi/pulumi";
import * as plivo from "pulumi-plivo";

const stack = pulumi.getStack();

// Inbound messages to every pool number are posted to this application's message URL.
const inbound = new plivo.Application("inbound", {
  appName: `pool-inbound-${stack}`,
  answerUrl: "https://example.com/voice/answer",
  messageUrl: "https://example.com/sms/inbound",
});

// Outputs that hold a resource's id (`appId`, `uuid`, `number`, …) are wired to its `.id`, which stays known while a
// preview plans an in-place update of that resource: editing the pool never shows its members as replaced.
const pool = new plivo.Powerpack("notifications", {
  name: `notifications-${stack}`,
  stickySender: true,
  localConnect: true,
  applicationType: "xml",
  applicationId: inbound.appId,
  numberPriorities: [{ countryIso: "US", serviceType: "SMS", priority: { priority1: "longcode", priority2: "tollfree", priority3: "shortcode" } }],
});

// Three long codes in different area codes (local connect picks the closest one) and one toll-free number.
const longCodes = ["415", "212", "312"].map(
  (areaCode) =>
    new plivo.PhoneNumber(`longcode-${areaCode}`, {
      search: { countryIso: "US", type: "local", pattern: areaCode, services: ["sms"] },
      appId: inbound.id,
      alias: `pool-${areaCode}`,
    }),
);
const tollFree = new plivo.PhoneNumber("tollfree", {
  search: { countryIso: "US", type: "tollfree", services: ["sms"] },
  appId: inbound.id,
  alias: "pool-tollfree",
});

const members = [...longCodes, tollFree].map(
  (n, i) => new plivo.NumberPoolMember(`member-${i}`, { powerpackId: pool.uuid, number: n.number, tollFree: n === tollFree }),
);

export const powerpackId = pool.uuid;
export const numberPoolId = pool.numberPoolId;
export const poolNumbers = pulumi.all(members.map((m) => m.number));
