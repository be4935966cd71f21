/** Powerpack: a pool of sender numbers with routing rules (docs/plivo-api.md §4). Everything updates in place. */
import { f } from "./fields";
import { APP_ID, UUID } from "./ids";
import { defineResource, fail, type CheckFailure, ref } from "./resource";

/** `/v1/Account/{auth}/NumberPool/{uuid}/` → `uuid` (what the SDKs derive with split('/')[5]). */
export const poolIdFromUri = (v: unknown) => {
  if (typeof v !== "string") return v;
  const m = /\/NumberPool\/([^/]+)\/?$/.exec(v);
  return m ? m[1] : v;
};

const priority = ["LONGCODE", "SHORTCODE", "TOLLFREE"] as const;
const toLower = (v: string) => v.toLowerCase();

export const powerpackSchema = defineResource({
  type: "Powerpack",
  description: "A Plivo Powerpack: a number pool that picks the sender number for each message (sticky sender, local connect, priorities).",
  deletion: "Deletes the Powerpack with `unrent_numbers=false`: the numbers of its pool stay rented in the account.",
  idDescription: "the Powerpack uuid",
  idField: "uuid",
  idFormat: UUID,
  example: {
    name: "notifications",
    inputs: { name: "notifications", stickySender: true, localConnect: true, applicationType: "xml", applicationId: ref("support.id") },
  },
  inputs: {
    name: f.string({ wire: "name", required: true, min: 1, max: 255, description: "Name, unique across the account's Powerpacks." }),
    stickySender: f.boolean({ wire: "sticky_sender", default: true, description: "Always send to a given recipient from the same pool number." }),
    localConnect: f.boolean({ wire: "local_connect", default: true, description: "Prefer a pool number with the recipient's area code or region." }),
    applicationType: f.enum(["XML", "PHLO"], {
      wire: "application_type",
      toWire: toLower,
      description: "Type of the application that receives inbound messages: xml (a Plivo Application) or phlo. Required with applicationId.",
    }),
    applicationId: f.string({
      wire: "application_id",
      clearValue: "none",
      problem: {
        says: "must be an application id (digits) or a PHLO id (a UUID)",
        check: (v) =>
          v === "" || APP_ID.pattern.test(v) || UUID.pattern.test(v)
            ? undefined
            : `must be an application id (digits) or a PHLO id (a UUID)${v.toLowerCase() === "none" ? "; leave applicationId out for no application" : ""}`,
      },
      fromWire: (v) => (v === "none" ? undefined : v),
      description: "Application (or PHLO) applied to numbers added to the pool.",
    }),
    numberPriorities: f.objectList(
      {
        countryIso: f.enum(["US", "CA"], { wire: "country_iso", required: true, description: "Destination country." }),
        serviceType: f.enum(["SMS", "MMS"], { wire: "service_type", required: true, description: "Service." }),
        priority: f.object(
          {
            priority1: f.enum(priority, { wire: "priority1", required: true, toWire: toLower, description: "First choice." }),
            priority2: f.enum(priority, { wire: "priority2", required: true, toWire: toLower, description: "Second choice." }),
            priority3: f.enum(priority, { wire: "priority3", required: true, toWire: toLower, description: "Third choice." }),
          },
          { wire: "priority", required: true, description: "Number types in order of preference." },
        ),
      },
      {
        wire: "number_priority",
        computed: true,
        sortBy: (p) => `${p.countryIso}/${p.serviceType}`,
        // Plivo reports all four country × service entries, filling undeclared ones with its defaults.
        partial: true,
        description: "Which number type sends first per destination country and service. Plivo's defaults apply when omitted.",
      },
    ),
  },
  outputs: {
    uuid: f.output("uuid", "The Powerpack uuid."),
    numberPoolId: f.output("number_pool", "The uuid of the Powerpack's number pool.", poolIdFromUri),
    createdOn: f.output("created_on", "Creation time."),
  },
  rules: [
    {
      // docs/plivo-api.md §4.2: the type is required with an application, which is an XML application or a PHLO.
      reads: ["applicationId", "applicationType"],
      says: "applicationType is required with applicationId and must match it: XML for an application id (digits), PHLO for a PHLO id (a UUID)",
      check(i) {
        if (i.applicationId === undefined || i.applicationId === "") return [];
        if (i.applicationType === undefined) return [fail("applicationType", "is required when applicationId is set (xml or phlo)")];
        const phlo = UUID.pattern.test(i.applicationId);
        if (i.applicationType === "XML" && phlo)
          return [
            fail(
              "applicationId",
              "is a PHLO id (a UUID) but applicationType is XML: give an application id (digits), or set applicationType PHLO",
              i.applicationId,
            ),
          ];
        if (i.applicationType === "PHLO" && !phlo)
          return [
            fail("applicationId", "is an application id but applicationType is PHLO: give a PHLO id (a UUID), or set applicationType XML", i.applicationId),
          ];
        return [];
      },
    },
    {
      reads: ["numberPriorities"],
      says: "numberPriorities lists each country and service once, ranking longcode, shortcode and tollfree once each",
      check(i) {
        const failures: CheckFailure[] = [];
        const seen = new Set<string>();
        for (const p of i.numberPriorities ?? []) {
          const key = `${p.countryIso}/${p.serviceType}`;
          if (seen.has(key)) failures.push(fail("numberPriorities", `${key} is listed twice`));
          seen.add(key);
          if (new Set([p.priority.priority1, p.priority.priority2, p.priority.priority3]).size !== 3) {
            failures.push(fail("numberPriorities", `${key} must rank longcode, shortcode and tollfree once each`));
          }
        }
        return failures;
      },
    },
  ],
});
