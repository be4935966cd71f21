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
