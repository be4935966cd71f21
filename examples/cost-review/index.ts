import * as pulumi from "@pulumi/pulumi";
import * as plivo from "pulumi-plivo";

// Everything here costs money: `pulumi preview --json | npx pulumi-plivo cost` prices a change of it for the pull
// request that makes the change (ci/ holds the pipelines). See docs/cost.md.
const stack = pulumi.getStack();

// A local number for 10DLC messaging and a toll-free number: a setup fee, the rest of this month, then a monthly rental.
const local = new plivo.PhoneNumber("local", {
  search: { countryIso: "US", type: "local", pattern: "415", services: ["sms"] },
  alias: `review-local-${stack}`,
});
const tollfree = new plivo.PhoneNumber("tollfree", {
  search: { countryIso: "US", type: "tollfree", services: ["sms"] },
  alias: `review-tollfree-${stack}`,
});

const profile = new plivo.Profile("acme", {
  profileAlias: `acme-review-${stack}`,
  customerType: "DIRECT",
  entityType: "PRIVATE",
  companyName: "Acme Inc",
  vertical: "RETAIL",
  ein: "123456789",
  einIssuingCountry: "US",
  website: "https://acme.example.com",
  address: { street: "1 Main St", city: "Austin", state: "TX", postalCode: "73301", country: "US" },
  authorizedContact: { firstName: "Ada", lastName: "Lovelace", email: "ada@acme.example.com", title: "CTO", seniority: "CEO", phone: "+15125550100" },
});

// A brand registration is a one-time fee; a campaign's vetting too, and the campaign costs a monthly fee by use case.
const brand = new plivo.Brand("acme", { profileUuid: profile.id, brandAlias: "Acme", brandType: "STANDARD", waitTimeoutSeconds: 3600 });
const orders = new plivo.Campaign("orders", {
  brandId: brand.id,
  campaignAlias: `orders-${stack}`,
  vertical: "RETAIL",
  usecase: "MIXED",
  subUsecases: ["CUSTOMER_CARE", "DELIVERY_NOTIFICATION"],
  description: "Order confirmations and delivery updates for customers of the Acme online store.",
  sample1: "Acme: your order 1234 has shipped and arrives on Tuesday.",
  sample2: "Acme: your order 1234 was delivered. Reply HELP for help, STOP to opt out.",
  messageFlow: "Customers opt in at checkout on acme.example.com by ticking the box for SMS order updates.",
  helpMessage: "Acme order updates: help at acme.example.com/help. Reply STOP to opt out.",
  optoutMessage: "Acme: you are unsubscribed from order updates and will receive no more messages.",
  optoutKeywords: "STOP,UNSUBSCRIBE",
  helpKeywords: "HELP,INFO",
  embeddedLink: false,
  embeddedPhone: false,
  ageGated: false,
  directLending: false,
  affiliateMarketing: false,
  waitUntil: "ACTIVE",
  waitTimeoutSeconds: 3600,
});

// Linking a number to a campaign is free.
new plivo.CampaignNumberLink("orders-local", { campaignId: orders.id, number: local.id });

export const localNumber = local.number;
export const tollfreeNumber = tollfree.number;
export const campaignId = orders.campaignId;
