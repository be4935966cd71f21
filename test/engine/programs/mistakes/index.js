// A plain JavaScript program (no type checker to catch anything) that makes one mistake, chosen by config:
// `form` is `dynamic` (require("pulumi-plivo")) or `plugin` (require("pulumi-plivo/plugin")), `mistake` one of those below.
const pulumi = require("@pulumi/pulumi");

const config = new pulumi.Config();
const plivo = config.require("form") === "plugin" ? require("pulumi-plivo/plugin") : require("pulumi-plivo");

const mistakes = {
  // A typo'd key inside a nested input.
  "nested-typo": () => new plivo.PhoneNumber("line", { search: { countryIso: "US", areaCode: "415" } }),
  // A bad value inside a nested input.
  "nested-value": () => new plivo.PhoneNumber("line", { search: { countryIso: "XX" } }),
  // A required input left out.
  "missing-required": () => new plivo.Application("inbound", { answerUrl: "https://example.com/answer" }),
};
mistakes[config.require("mistake")]();
