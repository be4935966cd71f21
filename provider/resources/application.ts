/** Application (docs/plivo-api.md §3). */
import { applicationSchema } from "../../schema/application";
import type { ResourceHandler } from "../core/handler";
import { restHandler } from "./rest";

export const application: ResourceHandler = restHandler({
  schema: applicationSchema,
  collection: "Application/",
  noun: "application",
  idKey: "app_id",
  // Application names are what users declare: they identify what an ambiguous create made.
  naturalKey: (inputs) => ({
    describe: String(inputs.appName),
    query: { app_name: String(inputs.appName) },
    match: (o) => o.app_name === inputs.appName,
  }),
  // cascade=false keeps the SIP endpoints that point at this application.
  deleteBody: { cascade: false },
  // Free: where no journal survives, an interrupted create's object is found by name (docs/reliability.md).
  recoverByKey: true,
});
