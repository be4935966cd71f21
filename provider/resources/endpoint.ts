/** Endpoint (docs/plivo-api.md §17). The username Plivo stores is the declared one with a 12-digit timestamp. */
import { endpointSchema } from "../../schema/endpoint";
import type { ResourceHandler } from "../core/handler";
import { restHandler } from "./rest";

const declared = (stored: unknown) => endpointSchema.inputs.username.declaredFrom!(stored);

export const endpoint: ResourceHandler = restHandler({
  schema: endpointSchema,
  collection: "Endpoint/",
  noun: "SIP endpoint",
  idKey: "endpoint_id",
  // The username asked for identifies what an ambiguous create made (Plivo's has the timestamp appended).
  naturalKey: (inputs) => ({ describe: String(inputs.username), match: (o) => declared(o.username) === inputs.username }),
  // Free: where no journal survives, an interrupted create's endpoint is found by its username (docs/reliability.md).
  recoverByKey: true,
});
