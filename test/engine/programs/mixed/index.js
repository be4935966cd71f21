// About 30 resources of every kind, wired together: what the chaos suite brings up in one `pulumi up` under faults.
const pulumi = require("@pulumi/pulumi");
const plivo = require("pulumi-plivo");

const stack = pulumi.getStack();

const inbound = new plivo.Application("inbound", {
  appName: `inbound-${stack}`,
  answerUrl: "https://example.com/voice/answer",
  messageUrl: "https://example.com/sms/inbound",
});
const fallback = new plivo.Application("fallback", { appName: `fallback-${stack}`, answerUrl: "https://example.com/voice/fallback" });

const pool = new plivo.Powerpack("pool", { name: `pool-${stack}`, applicationType: "xml", applicationId: inbound.appId });

// 12 long codes by search; 6 of them in the pool (which points them at its application), 3 linked to a campaign.
const areaCodes = ["415", "212", "312", "646", "512", "206", "305", "404", "617", "303", "702", "214"];
const numbers = areaCodes.map(
  (areaCode, i) =>
    new plivo.PhoneNumber(`line-${areaCode}`, {
      search: { countryIso: "US", type: "local", pattern: areaCode, services: ["sms"] },
      appId: (i < 6 ? inbound : fallback).id,
      ...(i % 2 === 0 ? { alias: `line-${areaCode}-${stack}` } : {}),
    }),
);
numbers.slice(0, 6).forEach((n, i) => new plivo.NumberPoolMember(`member-${i}`, { powerpackId: pool.uuid, number: n.number }));

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
const brand = new plivo.Brand("acme", { profileUuid: profile.id, brandAlias: "Acme", brandType: "STANDARD" });
const campaign = new plivo.Campaign("updates", {
  brandId: brand.id,
  campaignAlias: `updates-${stack}`,
  vertical: "RETAIL",
  usecase: "MIXED",
  subUsecases: ["CUSTOMER_CARE", "DELIVERY_NOTIFICATION"],
  description: "Order confirmations and delivery updates for customers of the Acme online store.",
  sample1: "Acme: your order 1234 has shipped and arrives on Tuesday.",
  sample2: "Acme: your order 1234 was delivered. Reply HELP for help, STOP to opt out.",
  messageFlow: "Customers opt in at checkout on acme.example.com by ticking the box for SMS order updates.",
  helpMessage: "Acme order updates: help at acme.example.com/help. Reply STOP to opt out.",
  optoutMessage: "Acme: you are unsubscribed from order updates and will receive no more messages.",
  embeddedLink: false,
  embeddedPhone: false,
  ageGated: false,
  directLending: false,
  affiliateMarketing: false,
  waitUntil: "ACTIVE",
});
numbers.slice(9).forEach((n, i) => new plivo.CampaignNumberLink(`link-${i}`, { campaignId: campaign.id, number: n.number }));

const tollFree = new plivo.PhoneNumber("tollfree", { search: { countryIso: "US", type: "tollfree", services: ["sms"] }, alias: `otp-${stack}` });
new plivo.TollfreeVerification("otp", {
  number: tollFree.id,
  profileUuid: profile.id,
  usecases: ["2FA", "ACCOUNT_NOTIFICATION"],
  usecaseSummary: "One-time passcodes and account security alerts for Acme customers.",
  messageSample: "Acme: your verification code is 123456. It expires in 10 minutes.",
  optinImageUrl: "https://acme.example.com/sms-optin.png",
  optinType: "WEB_FORM",
  volume: "10,000",
});

exports.numbers = numbers.map((n) => n.number);
