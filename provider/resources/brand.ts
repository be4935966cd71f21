/**
 * Brand (docs/plivo-api.md §7): asynchronous TCR registration, PROCESSING → COMPLETED | FAILED (declared in the
 * schema's lifecycle). No update API: every registry input replaces.
 */
import { brandSchema } from "../../schema/brand";
import { fail } from "../../schema/resource";
import type { ResourceHandler } from "../core/handler";
import { getOrUndefined } from "./lookup";
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
  // Billed per submission: an earlier submission for this resource is found (by its natural key) before paying again.
  lookBeforeCreate: true,

  // "STANDARD not allowed for profiles not containing an EIN" (docs/plivo-api.md §7.2): refused before the fee.
  async lookupRules(ctx, inputs) {
    if (inputs.brandType !== "STANDARD" || inputs.adoptId !== undefined) return [];
    const profile = await getOrUndefined(ctx, `Profile/${inputs.profileUuid}/`, `read profile ${inputs.profileUuid}`, "profile");
    if (!profile) return [fail("profileUuid", "names no profile of the Plivo account", inputs.profileUuid)];
    return profile.ein ? [] : [fail("brandType", `STANDARD needs a profile with an EIN; profile ${inputs.profileUuid} has none (set its ein)`)];
  },

  async update() {
    // Every registry input replaces; only wait options reach here (resuming a partially created brand).
  },
};
