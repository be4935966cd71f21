/** Powerpack (docs/plivo-api.md §4). */
import { powerpackSchema } from "../../schema/powerpack";
import type { ResourceHandler } from "../core/handler";
import { restHandler } from "./rest";

export const powerpack: ResourceHandler = {
  ...restHandler({
    schema: powerpackSchema,
    collection: "Powerpack/",
    noun: "powerpack",
    idKey: "uuid",
    // Names are unique per account, so the name identifies what an ambiguous create made.
    naturalKey: (inputs) => ({ describe: String(inputs.name), match: (o) => o.name === inputs.name }),
    // Numbers belong to their PhoneNumber resources: never unrent them with the Powerpack.
    deleteBody: { unrent_numbers: false },
  }),

  /**
   * Plivo always reports all four country × service priorities, filling the ones not declared with its defaults.
   * Track only the entries the program declares (the rest are server-computed), so a partial list is no diff.
   */
  refineOutputs(outs, _wire, prior) {
    const declared = prior.numberPriorities as { countryIso: string; serviceType: string }[] | undefined;
    const current = outs.numberPriorities as typeof declared;
    if (declared && current) {
      const keys = new Set(declared.map((p) => `${p.countryIso}/${p.serviceType}`));
      outs.numberPriorities = current.filter((p) => keys.has(`${p.countryIso}/${p.serviceType}`));
    }
    return outs;
  },
};
