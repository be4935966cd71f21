/** Profile (docs/plivo-api.md §6). */
import { profileSchema } from "../../schema/profile";
import type { ResourceHandler } from "../core/handler";
import { restHandler } from "./rest";

export const profile: ResourceHandler = restHandler({
  schema: profileSchema,
  collection: "Profile/",
  noun: "profile",
  idKey: "profile_uuid",
  unwrap: "profile",
  listKey: "profiles",
  naturalKey: (inputs) => ({ describe: String(inputs.profileAlias), match: (o) => o.profile_alias === inputs.profileAlias }),
  // Free: where no journal survives, an interrupted create's object is found by name (docs/reliability.md).
  recoverByKey: true,
  // The account's PRIMARY profile is Plivo's own: it cannot be created or deleted.
  unmanageable: (o) => o.profile_type === "PRIMARY",
});
