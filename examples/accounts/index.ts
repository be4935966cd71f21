import * as pulumi from "@pulumi/pulumi";
import * as plivo from "pulumi-plivo/plugin";

const config = new pulumi.Config();
const stack = pulumi.getStack();

// One explicit provider per Plivo account: its credentials come from this program's config (the token a secret), so
// one program manages both. Resources say which account they belong to with `{ provider }`.
function account(name: string): plivo.Provider {
  return new plivo.Provider(name, {
    authId: config.require(`${name}AuthId`),
    authToken: config.requireSecret(`${name}AuthToken`),
    baseUrl: config.get(`${name}BaseUrl`),
  });
}

const lines = ["main", "partner"].map((name) => {
  const provider = account(name);
  const app = new plivo.Application(
    `${name}-app`,
    {
      appName: `${name}-${stack}`,
      answerUrl: `https://example.com/${name}/answer`,
    },
    { provider },
  );
  const number = new plivo.PhoneNumber(
    `${name}-line`,
    {
      search: { countryIso: "US", type: "local", pattern: "415" },
      appId: app.id,
      alias: `${name}-${stack}`,
    },
    { provider },
  );
  return { app, number };
});

export const mainAppId = lines[0]!.app.appId;
export const mainNumber = lines[0]!.number.number;
export const partnerAppId = lines[1]!.app.appId;
export const partnerNumber = lines[1]!.number.number;
