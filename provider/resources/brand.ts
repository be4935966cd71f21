/**
 * Brand (docs/plivo-api.md §7): asynchronous TCR registration, PROCESSING → COMPLETED | FAILED. No update API.
 */
import { brandSchema } from "../../schema/brand";
import type { ResourceHandler } from "../engine/handler";
import { waitFor } from "../engine/wait";
import { readObject, restHandler, type RestSpec } from "./rest";

type Brand = { registration_status?: string; declined_reasons?: { code?: string; message?: string }[] };

const describeDecline = (b: Brand) =>
  (b.declined_reasons ?? []).map((r) => [r.code, r.message].filter(Boolean).join(" ")).join("; ") || "no reason given";

export const brandSpec: RestSpec = {
  schema: brandSchema,
  collection: "10dlc/Brand/",
  noun: "brand",
  idKey: "brand_id",
  unwrap: "brand",
  listKey: "brands",
  // The profile is the natural key: it can back only one brand.
  naturalKey: (inputs) => ({ describe: String(inputs.brandAlias), match: (b) => b.profile_uuid === inputs.profileUuid }),
};

export const brand: ResourceHandler = {
  ...restHandler(brandSpec),
  // A profile backs one brand: the replacement can only be registered once the old brand is gone.
  deleteBeforeReplace: true,

  async settle(ctx, id, inputs) {
    const read = () => readObject(brandSpec, ctx, id) as Promise<Brand | undefined>;
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

  async update() {
    // Every registry input replaces; only wait options reach here (resuming a partially created brand).
  },
};
