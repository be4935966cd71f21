/** Inputs shared by the asynchronous registrations: what `create` waits for, and for how long. */
import { f } from "./fields";

export const US_USECASES = [
  "2FA",
  "ACCOUNT_NOTIFICATION",
  "CUSTOMER_CARE",
  "DELIVERY_NOTIFICATION",
  "FRAUD_ALERT",
  "HIGHER_EDUCATION",
  "MARKETING",
  "POLLING_VOTING",
  "PUBLIC_SERVICE_ANNOUNCEMENT",
  "SECURITY_ALERT",
] as const;

/**
 * `waitUntil`: SUBMITTED returns as soon as Plivo accepted the request; the terminal word waits for the
 * registry's verdict. Changing these never touches the registration.
 */
export function waitInputs<const T extends string>(terminal: T, defaultUntil: "SUBMITTED" | T, defaultTimeoutSeconds: number, what: string) {
  return {
    waitUntil: f.enum(["SUBMITTED", terminal] as const, {
      default: defaultUntil,
      onChange: "ignore",
      description: `What create (and a resumed up) waits for: SUBMITTED (accepted by Plivo) or ${terminal} (${what}). Default ${defaultUntil}.`,
    }),
    waitTimeoutSeconds: f.integer({
      default: defaultTimeoutSeconds,
      min: 1,
      max: 60 * 60 * 24 * 7,
      onChange: "ignore",
      description: `How long to wait, in seconds (default ${defaultTimeoutSeconds}). On timeout the resource stays in the state and the next up resumes waiting.`,
    }),
  };
}

export const callbackInputs = (onChange: "replace" | "update") => ({
  url: f.url({ wire: "url", onChange, writeOnly: true, description: "URL Plivo posts status changes to." }),
  method: f.enum(["GET", "POST"], { wire: "method", onChange, writeOnly: true, description: "HTTP method of the status callback (default POST)." }),
});
