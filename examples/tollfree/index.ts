import * as pulumi from "@pulumi/pulumi";
import * as plivo from "pulumi-plivo";

const stack = pulumi.getStack();

const profile = new plivo.Profile("acme", {
  profileAlias: `acme-tollfree-${stack}`,
  customerType: "DIRECT",
  entityType: "PRIVATE",
  companyName: "Acme Inc",
  vertical: "TECHNOLOGY",
  ein: "123456789",
  einIssuingCountry: "US",
  address: { street: "1 Main St", city: "Austin", state: "TX", postalCode: "73301", country: "US" },
  authorizedContact: { firstName: "Ada", lastName: "Lovelace", email: "ada@acme.example.com", title: "CTO", seniority: "CEO", phone: "+15125550100" },
});

const number = new plivo.PhoneNumber("otp-sender", {
  search: { countryIso: "US", type: "tollfree", services: ["sms"] },
  alias: `otp-${stack}`,
});

// Verification takes days to weeks; create waits until APPROVED here. An APPROVED verification cannot be deleted
// through Plivo's API: `pulumi destroy` then removes it from the state with a warning.
const verification = new plivo.TollfreeVerification("otp", {
  // `.id` (the number, the profile uuid) stays known while a preview plans an in-place update of the number or the
  // profile, so editing them never shows a change of the (APPROVED, no longer editable) verification.
  number: number.id,
  profileUuid: profile.id,
  usecases: ["2FA", "ACCOUNT_NOTIFICATION"],
  usecaseSummary: "One-time passcodes and account security alerts for Acme customers.",
  messageSample: "Acme: your verification code is 123456. It expires in 10 minutes.",
  optinImageUrl: "https://acme.example.com/sms-optin.png",
  optinType: "WEB_FORM",
  volume: "10,000",
  additionalInformation: "Terms: https://acme.example.com/terms Privacy: https://acme.example.com/privacy",
  waitUntil: "APPROVED",
  waitTimeoutSeconds: 3600,
});

export const tollFreeNumber = number.number;
export const verificationId = verification.uuid;
export const verificationStatus = verification.status;
