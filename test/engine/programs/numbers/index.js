// `count` numbers bought by search criteria: the shape of stack the interruption suite kills while it buys.
const pulumi = require("@pulumi/pulumi");
const plivo = require("pulumi-plivo");

const config = new pulumi.Config();
const count = config.getNumber("count") ?? 10;
const numbers = [];
for (let i = 0; i < count; i++) {
  numbers.push(new plivo.PhoneNumber(`line-${i}`, { search: { countryIso: "US", type: "local" } }));
}
exports.numbers = numbers.map((n) => n.number);
