// `count` numbers bought by search, and with `members` a Powerpack holding them: what the throwaway-runner kill suite
// (test/engine/interruptions-runners.test.ts) kills while it buys.
import * as pulumi from "@pulumi/pulumi";
import * as plivo from "pulumi-plivo";

const config = new pulumi.Config();
const count = config.getNumber("count") ?? 10;
const pool = config.getBoolean("members") ? new plivo.Powerpack("pool", { name: `pool-${pulumi.getStack()}` }) : undefined;
export const numbers = Array.from({ length: count }, (_, i) => {
  const line = new plivo.PhoneNumber(`line-${i}`, { search: { countryIso: "US", type: "local", services: ["sms"] } });
  if (pool) new plivo.NumberPoolMember(`member-${i}`, { powerpackId: pool.id, number: line.number });
  return line.number;
});
