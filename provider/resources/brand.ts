/**
 * Brand (docs/plivo-api.md §7): asynchronous TCR registration, PROCESSING → COMPLETED | FAILED (declared in the
 * schema's lifecycle). No update API: every registry input replaces.
 */
import { brandSchema } from "../../schema/brand";
import type { ResourceHandler } from "../core/handler";
import { restHandler, type RestSpec } from "./rest";

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

  async update() {
    // Every registry input replaces; only wait options reach here (resuming a partially created brand).
  },
};
