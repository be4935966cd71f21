import * as pulumi from "@pulumi/pulumi";
import * as plivo from "pulumi-plivo/plugin";

// bench:numbers numbers, named from bench:prefix (the bench adds them to the emulator's inventory first). With
// bench:alias set, every fifth number carries it as its alias (an in-place update of a tenth of the resources).
const config = new pulumi.Config("bench");
const count = config.requireNumber("numbers");
const prefix = config.require("prefix");
const alias = config.get("alias");

const pool = new plivo.Powerpack("pool", { name: `bench-${pulumi.getStack()}` });
for (let i = 0; i < count; i++) {
  const digits = `${prefix}${String(i).padStart(4, "0")}`;
  const number = new plivo.PhoneNumber(`number-${i}`, { number: digits, alias: alias && i % 5 === 0 ? `${alias}-${i}` : undefined });
  new plivo.NumberPoolMember(`member-${i}`, { powerpackId: pool.id, number: number.id });
}

export const powerpackId = pool.id;
