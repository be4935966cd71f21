/**
 * TollfreeVerification (docs/plivo-api.md §10): SUBMITTED → PROCESSING → APPROVED | REJECTED |
 * UPDATE_REQUIRED. Edits only while SUBMITTED or UPDATE_REQUIRED; APPROVED and REJECTED requests cannot be deleted
 * (all declared in the schema's lifecycle).
 */
import { tollfreeVerificationSchema } from "../../schema/tollfreeVerification";
import type { ResourceHandler } from "../core/handler";
import { requestBody } from "../core/wire";
import { objectPath, restHandler, type RestSpec } from "./rest";

const spec: RestSpec = {
  schema: tollfreeVerificationSchema,
  collection: "TollfreeVerification/",
  noun: "toll-free verification",
  idKey: "uuid",
  // One verification per number: the number identifies what an ambiguous create made.
  naturalKey: (inputs) => ({ describe: `for ${inputs.number}`, query: { number: String(inputs.number) }, match: (t) => String(t.number) === inputs.number }),
};

export const tollfreeVerification: ResourceHandler = {
  ...restHandler(spec),
  // One verification per number: the old request must go before a new one for the same number.
  deleteBeforeReplace: true,
  // Billed per submission: an earlier submission for this resource is found (by its natural key) before paying again.
  lookBeforeCreate: true,

  async update(ctx, id, _olds, news, diff) {
    await ctx.client.request({
      method: "POST",
      path: objectPath(spec, id),
      body: requestBody(tollfreeVerificationSchema, news, "update", diff.updates),
      operation: ctx.op(`update toll-free verification ${id}`),
    });
  },
};
