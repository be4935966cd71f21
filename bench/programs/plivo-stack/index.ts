import * as pulumi from "@pulumi/pulumi";
import * as plivo from "pulumi-plivo";

// bench:numbers numbers, named from bench:prefix (the bench adds them to the emulator's inventory first).
const config = new pulumi.Config("bench");
const count = config.requireNumber("numbers");
const prefix = config.require("prefix");

const pool = new plivo.Powerpack("pool", { name: `bench-${pulumi.getStack()}` });
for (let i = 0; i < count; i++) {
  const number = new plivo.PhoneNumber(`number-${i}`, { number: `${prefix}${String(i).padStart(4, "0")}` });
  new plivo.NumberPoolMember(`member-${i}`, { powerpackId: pool.id, number: number.id });
}

export const powerpackId = pool.id;
