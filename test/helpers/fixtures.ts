/** Valid inputs shared by tests. */
export const validProfile = {
  profileAlias: "acme",
  customerType: "direct",
  entityType: "private",
  companyName: "Acme Inc",
  vertical: "technology",
  ein: "123456789",
  einIssuingCountry: "us",
  address: { street: "1 Main St", city: "Austin", state: "tx", postalCode: "73301", country: "us" },
  authorizedContact: { firstName: "Ada", lastName: "Lovelace", email: "ada@acme.test", title: "CTO", seniority: "cfo", phone: "+1 (512) 555-0100" },
};

export const validCampaign = (brandId: string) => ({
  brandId,
  campaignAlias: "order-updates",
  vertical: "retail",
  usecase: "mixed",
  subUsecases: ["customer_care", "delivery_notification"],
  description: "Order confirmations and delivery updates for customers of Acme online store.",
  sample1: "Your Acme order 1234 has shipped and arrives Tuesday.",
  sample2: "Reply HELP for help or STOP to opt out of Acme alerts.",
  messageFlow: "Customers opt in at checkout on acme.test by ticking the SMS updates box.",
  helpMessage: "Acme: reply STOP to opt out. Help at acme.test/help",
  optoutMessage: "Acme: you are unsubscribed and will get no more messages.",
  embeddedLink: false,
  embeddedPhone: false,
  ageGated: false,
  directLending: false,
  affiliateMarketing: false,
});

export const validTfv = (number: string, profileUuid: string) => ({
  number,
  profileUuid,
  usecases: ["2fa", "account_notification"],
  usecaseSummary: "One-time passcodes and account alerts for Acme customers.",
  messageSample: "Your Acme code is 123456. Reply STOP to opt out.",
  optinImageUrl: "https://acme.test/optin.png",
  optinType: "web_form",
  volume: "10,000",
});
