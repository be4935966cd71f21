import * as pulumi from "@pulumi/pulumi";

// The same shape as bench/programs/plivo-stack: one "pool", N "numbers", N "members" depending on both, each with as
// many properties as the real resource declares (bench:props), and one provider object per type. With bench:alias
// set, every fifth number gets it as an input, which its diff reports as an in-place update (as plivo-stack's alias).
const config = new pulumi.Config("bench");
const count = config.requireNumber("numbers");
const prefix = config.require("prefix");
const props = config.requireObject<Record<string, number>>("props");
const alias = config.get("alias");

const provider: pulumi.dynamic.ResourceProvider = {
  async create(inputs) {
    return { id: String(inputs.key), outs: inputs };
  },
  async diff(_id, olds, news) {
    return { changes: olds.alias !== news.alias };
  },
  async update(_id, _olds, news) {
    return { outs: news };
  },
  async read(id, state) {
    return { id, props: state };
  },
  async delete() {},
};

class Noop extends pulumi.dynamic.Resource {
  declare readonly key: pulumi.Output<string>;
  constructor(type: string, name: string, args: Record<string, pulumi.Input<unknown>>, opts?: pulumi.CustomResourceOptions) {
    const all: Record<string, unknown> = {};
    for (let i = 0; i < (props[type] ?? 0); i++) all[`p${i}`] = undefined;
    super(provider, name, { ...all, ...args }, opts, "noop", type);
  }
}

const pool = new Noop("Powerpack", "pool", { key: `pool-${pulumi.getStack()}` });
for (let i = 0; i < count; i++) {
  const digits = `${prefix}${String(i).padStart(4, "0")}`;
  const number = new Noop("PhoneNumber", `number-${i}`, { key: digits, alias: alias && i % 5 === 0 ? `${alias}-${i}` : undefined });
  new Noop("NumberPoolMember", `member-${i}`, { key: pulumi.interpolate`${pool.id}/${number.id}` });
}

export const powerpackId = pool.id;
