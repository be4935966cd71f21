/**
 * Brand (reference §7): asynchronous TCR registration, PROCESSING → COMPLETED | FAILED. No update API.
 */
import { brandSchema } from "../../schema/brand";
import { isNotFound } from "../engine/context";
import type { ResourceHandler } from "../engine/handler";
import { waitFor } from "../engine/wait";
import { requestBody } from "../engine/wire";
import { findOne, getOrUndefined } from "./lookup";

type Brand = { registration_status?: string; declined_reasons?: { code?: string; message?: string }[] };

const describeDecline = (b: Brand) =>
  (b.declined_reasons ?? []).map((r) => [r.code, r.message].filter(Boolean).join(" ")).join("; ") || "no reason given";

export const brand: ResourceHandler = {
  schema: brandSchema,
  // A profile backs one brand: the replacement can only be registered once the old brand is gone.
  deleteBeforeReplace: true,

  async create(ctx, inputs) {
    const profileUuid = inputs.profileUuid as string;
    return ctx.createOnce(
      async () => {
        const res = await ctx.client.request<{ brand_id: string }>({
          method: "POST",
          path: "10dlc/Brand/",
          body: requestBody(brandSchema, inputs, "create"),
          operation: ctx.op(`register brand ${inputs.brandAlias}`),
        });
        return String(res.body.brand_id);
      },
      // The profile is the natural key: it can back only one brand.
      () => findOne(ctx, "10dlc/Brand/", {}, (b) => b.profile_uuid === profileUuid, "brand_id", "brands"),
    );
  },

  async settle(ctx, id, inputs) {
    const read = () => getOrUndefined(ctx, `10dlc/Brand/${id}/`, `read brand ${id}`, "brand") as Promise<Brand | undefined>;
    const status = (b: Brand | undefined) => b?.registration_status ?? "NOT_FOUND";
    if (inputs.waitUntil !== "COMPLETED") {
      // Only the submission was asked for; a brand that already failed is still reported.
      const b = await read();
      if (status(b) === "FAILED") throw new Error(`brand ${id} registration FAILED: ${describeDecline(b!)}`);
      return;
    }
    await waitFor(ctx, {
      what: `brand ${id} to be registered (COMPLETED)`,
      poll: read,
      status,
      done: (b) => status(b) === "COMPLETED",
      failure: (b) =>
        status(b) === "FAILED"
          ? `${describeDecline(b!)}. Brands cannot be edited through the API: fix the profile and replace the brand (e.g. change brandAlias)`
          : status(b) === "NOT_FOUND"
            ? "the brand no longer exists"
            : undefined,
      timeoutSeconds: inputs.waitTimeoutSeconds as number,
    });
  },

  read: (ctx, id) => getOrUndefined(ctx, `10dlc/Brand/${id}/`, `read brand ${id}`, "brand"),

  async update() {
    // Every registry input replaces; only wait options reach here (resuming a partially created brand).
  },

  async delete(ctx, id) {
    try {
      await ctx.client.request({ method: "DELETE", path: `10dlc/Brand/${id}/`, operation: ctx.op(`delete brand ${id}`) });
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
  },
};
