/**
 * TollfreeVerification: verification of one US/CA toll-free number for messaging (docs/plivo-api.md §10). Editable only
 * while SUBMITTED or UPDATE_REQUIRED; the number never changes.
 */
import { f, urlListProblems } from "./fields";
import { describeNumber, isNanpTollFree } from "./geo";
import { UUID } from "./ids";
import { US_USECASES, waitInputs } from "./registration";
import { defineResource, ref } from "./resource";

/** Monthly volumes Plivo accepts ("one of the following exact values"); the list follows the industry form (docs/plivo-api.md §14.7). */
export const TFV_VOLUMES = ["10", "100", "1,000", "10,000", "100,000", "250,000", "500,000", "750,000", "1,000,000", "5,000,000", "10,000,000+"] as const;

export const tollfreeVerificationSchema = defineResource({
  type: "TollfreeVerification",
  description:
    "A toll-free verification request. Approval takes days to weeks: by default create returns once submitted; set waitUntil APPROVED to wait. " +
    "APPROVED and REJECTED requests cannot be deleted through the API: destroy then only removes them from the state.",
  deletion:
    "Deletes the request while SUBMITTED or UPDATE_REQUIRED. APPROVED and REJECTED requests cannot be deleted through Plivo's API: destroy removes them from the state only, with a warning on the resource.",
  idDescription: "the verification uuid",
  idField: "uuid",
  idFormat: UUID,
  lifecycle: {
    noun: "toll-free verification",
    goal: "be APPROVED",
    statusField: "status",
    pending: ["SUBMITTED", "PROCESSING"],
    success: "APPROVED",
    failures: {
      REJECTED: "A rejected use case cannot be resubmitted",
      UPDATE_REQUIRED: "The carrier asks for more information: {reason}. Update the fields and run up again within six days, or the request is REJECTED",
    },
    editableIn: ["SUBMITTED", "UPDATE_REQUIRED"],
    editAdvice: (status) =>
      "Plivo accepts edits only while it is SUBMITTED or UPDATE_REQUIRED. " +
      (status === "APPROVED"
        ? "To change the content of a verified number, submit a new verification request."
        : "Revert the change and wait for the current review to finish."),
    undeletableIn: ["APPROVED", "REJECTED"],
    reason: (o) => (o.errorMessage as string | undefined) || undefined,
  },
  example: {
    name: "otp",
    inputs: {
      number: ref("otp-sender.id"),
      profileUuid: ref("acme.id"),
      usecases: ["2FA", "ACCOUNT_NOTIFICATION"],
      usecaseSummary: "One-time passcodes and account security alerts for Acme customers.",
      messageSample: "Acme: your verification code is 123456. It expires in 10 minutes.",
      optinImageUrl: "https://acme.example.com/sms-optin.png",
      optinType: "WEB_FORM",
      volume: "10,000",
    },
  },
  inputs: {
    number: f.phone({
      wire: "number",
      required: true,
      onChange: "replace",
      // "Only US and Canadian toll-free numbers will be accepted" (docs/plivo-api.md §10.2).
      problem: {
        says: "must be a US or Canadian toll-free number (+1 800, 833, 844, 855, 866, 877 or 888)",
        check: (n) =>
          isNanpTollFree(n) ? undefined : `must be a US or Canadian toll-free number (+1 800, 833, 844, 855, 866, 877 or 888); ${n} is ${describeNumber(n)}`,
      },
      description: "US or Canadian toll-free number rented in the account.",
    }),
    profileUuid: f.id(UUID, { wire: "profile_uuid", required: true, min: 1, description: "Business profile of the sender." }),
    usecases: f.stringSet({
      wire: "usecase",
      values: US_USECASES,
      minItems: 1,
      required: true,
      toWire: (v) => v.join(","),
      description: "Use cases of the traffic.",
    }),
    usecaseSummary: f.string({ wire: "usecase_summary", required: true, min: 1, max: 500, description: "What the number sends (up to 500 characters)." }),
    messageSample: f.string({ wire: "message_sample", required: true, min: 1, max: 1000, description: "Sample messages (up to 1000 characters)." }),
    optinImageUrl: f.string({
      wire: "optin_image_url",
      required: true,
      pattern: /^https?:\/\/\S+(,\s*https?:\/\/\S+)*$/,
      patternText: "must be one or more http(s) URLs separated by commas",
      problem: urlListProblems,
      description: "Evidence of the opt-in flow; several URLs comma separated.",
    }),
    optinType: f.enum(["VERBAL", "WEB_FORM", "PAPER_FORM", "VIA_TEXT", "MOBILE_QR_CODE"], {
      wire: "optin_type",
      required: true,
      description: "How recipients opt in.",
    }),
    volume: f.enum(TFV_VOLUMES, {
      wire: "volume",
      required: true,
      normalize: (v) => (typeof v === "number" ? v.toLocaleString("en-US") : typeof v === "string" ? v.trim() : v),
      description: "Expected monthly message volume, one of 10, 100, 1,000, … 10,000,000+.",
    }),
    additionalInformation: f.string({
      wire: "additional_information",
      max: 500,
      clearValue: "",
      description: "Links to terms, privacy policy, anything else.",
    }),
    extraData: f.string({ wire: "extra_data", max: 500, clearValue: "", description: "Your own reference." }),
    callbackUrl: f.url({ wire: "callback_url", clearValue: "", description: "URL Plivo posts status changes to." }),
    callbackMethod: f.enum(["GET", "POST"], { wire: "callback_method", computed: true, description: "Method of the status callback." }),
    ...waitInputs("APPROVED", "SUBMITTED", 3600, "verified by the carriers, usually days to weeks"),
  },
  consequences: {
    // docs/plivo-api.md §10.3–10.5: review takes up to six weeks; a REJECTED request can neither be resubmitted nor deleted.
    create: "submits a toll-free verification for carrier review (up to six weeks); a REJECTED request can never be resubmitted or deleted",
    update: "resubmits verification {id} for carrier review",
    delete: "deletes verification {id}, which cannot be undone",
  },
  outputs: {
    uuid: f.output("uuid", "The verification uuid."),
    status: f.output("status", "SUBMITTED, PROCESSING, APPROVED, REJECTED or UPDATE_REQUIRED."),
    errorMessage: f.output("error_message", "Why the request was rejected or needs an update."),
    created: f.output("created", "Creation time."),
    lastModified: f.output("last_modified", "Last change."),
  },
});
