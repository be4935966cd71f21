/** Brand: a 10DLC brand registered with The Campaign Registry (docs/plivo-api.md §7). No update API: inputs replace. */
import { z } from "zod";
import { f } from "./fields";
import { BRAND_ID, UUID } from "./ids";
import { callbackInputs, waitInputs } from "./registration";
import { defineResource, fail, ref } from "./resource";

/** `[{code, message}]` → `code message; code message`. */
export const describeList = (items: { code?: string; message?: string }[] | undefined) =>
  (items ?? []).map((r) => [r.code, r.message].filter(Boolean).join(" ")).join("; ") || undefined;

export const brandSchema = defineResource({
  type: "Brand",
  description:
    "A 10DLC brand (one per Profile). Registration is asynchronous and costs a one-time fee; no input can change afterwards, so any change replaces the brand.",
  deletion: "Deletes the brand (Plivo refuses while it has active campaigns). A replacement deletes the old brand first: a profile backs one brand.",
  idDescription: "the brand id (B + 6 characters, e.g. BCDEF1G)",
  idField: "brandId",
  idFormat: BRAND_ID,
  lifecycle: {
    noun: "brand",
    goal: "be registered (COMPLETED)",
    statusField: "registrationStatus",
    pending: ["PROCESSING"],
    success: "COMPLETED",
    failures: {
      FAILED: "Brands cannot be edited through the API: fix the profile and replace the brand (e.g. change brandAlias)",
    },
    reason: (o) => describeList(o.declinedReasons as { code?: string; message?: string }[] | undefined),
  },
  example: { name: "acme-brand", inputs: { profileUuid: ref("acme.id"), brandAlias: "Acme", brandType: "STANDARD" } },
  inputs: {
    profileUuid: f.id(UUID, {
      wire: "profile_uuid",
      required: true,
      onChange: "replace",
      min: 1,
      description: "Profile the brand is registered from; a profile backs one brand.",
    }),
    brandAlias: f.string({ wire: "brand_alias", required: true, onChange: "replace", min: 1, max: 100, description: "Friendly name." }),
    brandType: f.enum(["STANDARD", "STARTER"], {
      wire: "brand_type",
      default: "STANDARD",
      onChange: "replace",
      description: "STANDARD (needs a profile with an EIN). Plivo has paused STARTER brands.",
    }),
    secondaryVetting: f.boolean({
      wire: "secondary_vetting",
      onChange: "replace",
      writeOnly: true,
      toWire: (v) => (v ? "true" : "false"),
      description: "Ask for secondary vetting (STANDARD brands; a higher vetting score unlocks throughput).",
    }),
    ...callbackInputs("replace"),
    ...waitInputs("COMPLETED", "COMPLETED", 3600, "brand registered; campaigns need it"),
  },
  outputs: {
    brandId: f.output("brand_id", "The brand id."),
    registrationStatus: f.output("registration_status", "PROCESSING, COMPLETED or FAILED."),
    vettingStatus: f.output("vetting_status", "Vetting status."),
    vettingScore: f.outputOf(z.number(), "vetting_score", "Vetting score."),
    declinedReasons: f.outputOf(
      z.array(z.object({ code: z.string().optional(), message: z.string().optional() })),
      "declined_reasons",
      "Why the registration failed: code and message of each reason.",
    ),
    entityType: f.output("entity_type", "Entity type as registered (TCR vocabulary)."),
    companyName: f.output("company_name", "Company name copied from the profile at registration."),
    createdAt: f.output("created_at", "Creation time."),
  },
  consequences: {
    // docs/plivo-api.md §7.3 (a one-time fee per registration) and §7.5 (a deactivation cannot be undone).
    create: "registers a 10DLC brand with The Campaign Registry: a one-time registration fee",
    delete: "deactivates brand {id}, which cannot be undone",
  },
  rules: [
    {
      reads: ["brandType"],
      says: "brandType STARTER is refused: Plivo has paused STARTER brands",
      check: (i) => (i.brandType === "STARTER" ? [fail("brandType", "Plivo has paused support for STARTER brands; use STANDARD")] : []),
    },
  ],
});
