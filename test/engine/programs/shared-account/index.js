// Two stacks of this program share one Plivo account. The names come from the stack config, so a stack can use names
// with or without its own name in them (the mistake test/engine/stacks.test.ts makes on purpose).
const pulumi = require("@pulumi/pulumi");
const plivo = require("pulumi-plivo");

const config = new pulumi.Config();
const app = new plivo.Application("support", { appName: config.require("appName"), answerUrl: "https://example.com/voice/answer" });
const pool = new plivo.Powerpack("pool", { name: config.require("poolName") });
const number = config.get("number");
const line = new plivo.PhoneNumber("line", { ...(number ? { number } : { search: { countryIso: "US", type: "local", pattern: "415" } }), appId: app.id });
// A team's subaccount and a desk phone's SIP endpoint: the dynamic classes keep the token and the password secret.
const team = new plivo.Subaccount("team", { name: `team-${pulumi.getStack()}` });
new plivo.Endpoint("desk", { username: "desk", password: config.requireSecret("deskPassword"), alias: "desk", appId: app.id });
// An existing number taken over on purpose (adoptId).
const adopt = config.get("adoptNumber");
if (adopt) new plivo.PhoneNumber("adopted-line", { adoptId: adopt });

exports.applicationId = app.appId;
exports.powerpackId = pool.uuid;
exports.phoneNumber = line.number;
exports.teamSubaccount = team.authId;
