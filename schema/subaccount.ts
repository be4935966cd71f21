/** Subaccount: an account inside the main account, with its own credentials and objects (docs/plivo-api.md §16). */
import { f } from "./fields";
import { SUBACCOUNT_ID } from "./ids";
import { defineResource } from "./resource";

export const subaccountSchema = defineResource({
  type: "Subaccount",
  description:
    "A Plivo subaccount: an account inside the main account with its own auth id and token, applications, numbers and SIP " +
    "endpoints, billed to the main account — the boundary of a stage. A `plivo.Provider` configured with its `authId` and " +
    "`authToken` manages what it holds (see docs/stages.md). Only the main account's credentials can manage subaccounts.",
  deletion:
    "Deletes the subaccount; its credentials stop working at once. With `cascade: false` (the default) the applications, SIP " +
    "endpoints and numbers it still holds move to the main account; with `cascade: true` they are deleted and its numbers " +
    "unrented, which cannot be undone (docs/plivo-api.md §16.4). The delete logs what the subaccount held.",
  idDescription: "the subaccount's auth id (`SA` and 18 letters or digits)",
  idField: "authId",
  idFormat: SUBACCOUNT_ID,
  example: { name: "stage", inputs: { name: "stage-dev" } },
  inputs: {
    name: f.string({ wire: "name", required: true, min: 1, max: 255, description: "Name of the subaccount (not unique in Plivo: put the stage in it)." }),
    enabled: f.boolean({
      wire: "enabled",
      default: true,
      description:
        "Whether the subaccount's credentials work. Plivo's own default is false (a disabled subaccount is refused everything); " +
        "a subaccount declared in a program is made to be used, so this resource enables it unless told otherwise.",
    }),
    cascade: f.boolean({
      default: false,
      description:
        "What deleting the subaccount does to the applications, SIP endpoints and numbers it still holds then (including those " +
        "no stack manages): false moves them to the main account; true deletes them and unrents its numbers, which cannot be undone.",
    }),
  },
  outputs: {
    authId: f.output("auth_id", "The subaccount's auth id: the `authId` of a `plivo.Provider` for it."),
    authToken: f.secretOutput("auth_token", "The subaccount's auth token: the `authToken` of a `plivo.Provider` for it."),
    created: f.output("created", "Creation date (YYYY-MM-DD)."),
    resourceUri: f.output("resource_uri", "API URI of the subaccount."),
  },
  consequences: {
    // docs/plivo-api.md §16.4: cascade deletes what the subaccount holds and unrents its numbers (§2.5).
    delete: (props) =>
      props.cascade === true
        ? "deletes subaccount {id} with cascade: the applications and SIP endpoints it still holds are deleted and its numbers " +
          "unrented (also those no stack manages), which cannot be undone"
        : "deletes subaccount {id}; the applications, SIP endpoints and numbers it still holds move to the main account (cascade is false)",
  },
});
