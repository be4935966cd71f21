import * as pulumi from "@pulumi/pulumi";
import * as plivo from "pulumi-plivo";

const stack = pulumi.getStack();

const profile = new plivo.Profile("acme", {
  profileAlias: `acme-${stack}`,
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

// Registration is asynchronous and costs a one-time fee: create waits until the brand is COMPLETED (the default),
// because a campaign can only be submitted under a registered brand.
const brand = new plivo.Brand("acme-brand", {
  // `.id` (the profile uuid) stays known while a preview plans an in-place update of the profile: editing its
  // address never shows the brand (and its campaign) as replaced.
  profileUuid: profile.id,
  brandAlias: "Acme",
  brandType: "STANDARD",
  waitTimeoutSeconds: 3600,
});

// Carriers review campaigns for days to weeks. Here create waits until ACTIVE; in a pipeline you might prefer the
// default (SUBMITTED) and let the number links wait for the approval instead.
const campaign = new plivo.Campaign("order-updates", {
  brandId: brand.id,
  campaignAlias: `order-updates-${stack}`,
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

// One link per number, each with its own lifecycle; destroy unlinks and waits before the campaign goes.
const links = ["415", "212"].map((areaCode) => {
  const number = new plivo.PhoneNumber(`sender-${areaCode}`, {
    search: { countryIso: "US", type: "local", pattern: areaCode, services: ["sms"] },
    alias: `10dlc-${areaCode}`,
  });
  return new plivo.CampaignNumberLink(`link-${areaCode}`, { campaignId: campaign.id, number: number.id });
});

export const brandId = brand.brandId;
export const brandStatus = brand.registrationStatus;
export const campaignId = campaign.campaignId;
export const campaignStatus = campaign.registrationStatus;
export const linkedNumbers = pulumi.all(links.map((l) => pulumi.all([l.number, l.status]).apply(([n, s]) => `${n} ${s}`)));
