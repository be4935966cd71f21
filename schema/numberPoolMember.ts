/** NumberPoolMember: one account number inside a Powerpack's pool (docs/plivo-api.md §5). No update API: all replace. */
import { f } from "./fields";
import { isNanpTollFree, nanpAreaCode } from "./geo";
import { UUID } from "./ids";
import { defineResource, fail, ref } from "./resource";

export const numberPoolMemberSchema = defineResource({
  type: "NumberPoolMember",
  description: "Adds a number of the account to a Powerpack's number pool. Removing it never unrents the number.",
  deletion: "Removes the number from the pool with `unrent=false`: the PhoneNumber resource owns the rental.",
  idDescription: "`{powerpackUuid}/{number}`",
  identity: { parts: ["powerpackId", "number"] },
  example: { name: "member", inputs: { powerpackId: ref("notifications.id"), number: ref("support-line.id") } },
  inputs: {
    powerpackId: f.id(UUID, { required: true, onChange: "replace", min: 1, description: "uuid of the Powerpack (its `uuid` or `id` output)." }),
    number: f.phone({ wire: "number", required: true, onChange: "replace", description: "The number to add; it must already be rented in the account." }),
    service: f.enum(["SMS", "MMS"], {
      wire: "service",
      default: "SMS",
      onChange: "replace",
      toWire: (v) => v.toLowerCase(),
      description: "Service the number serves in the pool.",
    }),
    tollFree: f.boolean({
      onChange: "replace",
      computed: true,
      description: "Whether the number joins as the pool's toll-free number (at most one per pool). Detected from the number when omitted.",
    }),
  },
  rules: [
    {
      // A pool takes toll-free numbers through its toll-free endpoint only (docs/plivo-api.md §5.1): judged for +1 numbers.
      reads: ["number", "tollFree"],
      says: "tollFree, when given for a +1 number, must say whether it is a toll-free number",
      check(i) {
        if (i.tollFree === undefined || nanpAreaCode(i.number) === undefined || i.tollFree === isNanpTollFree(i.number)) return [];
        return [
          fail(
            "tollFree",
            i.tollFree
              ? `${i.number} is not a toll-free number; leave tollFree out or set it false`
              : `${i.number} is a toll-free number; leave tollFree out or set it true`,
          ),
        ];
      },
    },
  ],
  outputs: {
    numberPoolId: f.output("number_pool_uuid", "uuid of the number pool."),
    numberType: f.output("type", "fixed, mobile or tollfree."),
    countryIso2: f.output("country_iso2", "Country of the number."),
    addedOn: f.output("added_on", "When the number joined the pool."),
    accountPhoneNumberResource: f.output("account_phone_number_resource", "API URI of the account number."),
  },
});
