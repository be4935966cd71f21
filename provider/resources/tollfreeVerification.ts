/**
 * TollfreeVerification (docs/plivo-api.md §10): SUBMITTED → PROCESSING → APPROVED | REJECTED | UPDATE_REQUIRED.
 * Editable only while SUBMITTED or UPDATE_REQUIRED; APPROVED and REJECTED requests cannot be deleted.
 */
import { tollfreeVerificationSchema } from "../../schema/tollfreeVerification";
import type { DiffResult } from "../engine/diff";
import { ForbiddenChangeError } from "../engine/errors";
import { containsUnknown } from "../engine/unknowns";
import type { ResourceHandler } from "../engine/handler";
import { waitFor } from "../engine/wait";
import { requestBody } from "../engine/wire";
import { deleteObject, objectPath, readObject, restHandler, type RestSpec } from "./rest";

type Tfv = { status?: string; error_message?: string };

const EDITABLE = new Set(["SUBMITTED", "UPDATE_REQUIRED"]);
const UNDELETABLE = new Set(["APPROVED", "REJECTED"]);

const spec: RestSpec = {
  schema: tollfreeVerificationSchema,
  collection: "TollfreeVerification/",
  noun: "toll-free verification",
  idKey: "uuid",
  // One verification per number: the number identifies what an ambiguous create made.
  naturalKey: (inputs) => ({ describe: `for ${inputs.number}`, query: { number: String(inputs.number) }, match: (t) => String(t.number) === inputs.number }),
};
const rest = restHandler(spec);

const readTfv = (ctx: Parameters<ResourceHandler["read"]>[0], id: string) => readObject(spec, ctx, id) as Promise<Tfv | undefined>;

export const tollfreeVerification: ResourceHandler = {
  schema: tollfreeVerificationSchema,
  // One verification per number: the old request must go before a new one for the same number.
  deleteBeforeReplace: true,

  create: rest.create,

  async settle(ctx, id, inputs) {
    const status = (t: Tfv | undefined) => t?.status ?? "NOT_FOUND";
    const failure = (t: Tfv | undefined) => {
      switch (status(t)) {
        case "REJECTED":
          return `${t!.error_message || "no reason given"}. A rejected use case cannot be resubmitted`;
        case "UPDATE_REQUIRED":
          return `the carrier asks for more information: ${t!.error_message || "no detail given"}. Update the fields and run up again within six days, or the request is REJECTED`;
        case "NOT_FOUND":
          return "the verification request no longer exists";
        default:
          return undefined;
      }
    };
    if (inputs.waitUntil !== "APPROVED") {
      const reason = failure(await readTfv(ctx, id));
      if (reason) throw new Error(`toll-free verification ${id}: ${reason}`);
      return;
    }
    await waitFor(ctx, {
      what: `toll-free verification ${id} to be APPROVED`,
      poll: () => readTfv(ctx, id),
      status,
      done: (t) => status(t) === "APPROVED",
      failure,
      timeoutSeconds: inputs.waitTimeoutSeconds as number,
    });
  },

  read: (ctx, id) => readTfv(ctx, id) as Promise<Record<string, unknown> | undefined>,

  refineDiff(olds, news, diff): DiffResult {
    const status = olds.status as string | undefined;
    // A value still unknown at preview (it depends on a resource being updated) is judged at `up`, once known.
    const changed = diff.updates.filter((k) => !containsUnknown(news[k]));
    if (changed.length === 0 || status === undefined || EDITABLE.has(status)) return diff;
    throw new ForbiddenChangeError(
      `TollfreeVerification ${olds.uuid}: ${changed.join(", ")} cannot be changed while the request is ${status}; ` +
        "Plivo accepts edits only while it is SUBMITTED or UPDATE_REQUIRED. " +
        (status === "APPROVED"
          ? "To change the content of a verified number, submit a new verification request."
          : "Revert the change and wait for the current review to finish."),
    );
  },

  async update(ctx, id, _olds, news, diff) {
    await ctx.client.request({
      method: "POST",
      path: objectPath(spec, id),
      body: requestBody(tollfreeVerificationSchema, news, "update", diff.updates),
      operation: ctx.op(`update toll-free verification ${id}`),
    });
  },

  async delete(ctx, id, props) {
    const current = await readTfv(ctx, id);
    if (!current) return;
    const status = current.status ?? (props.status as string | undefined) ?? "";
    if (UNDELETABLE.has(status)) {
      ctx.warn(
        `toll-free verification ${id} is ${status} and Plivo does not allow deleting it; removed from the Pulumi state only (it stays on the Plivo account)`,
      );
      return;
    }
    await deleteObject(ctx, objectPath(spec, id), `delete toll-free verification ${id}`);
  },
};
