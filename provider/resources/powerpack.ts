/** Powerpack (reference §4). */
import { powerpackSchema } from "../../schema/powerpack";
import { isNotFound } from "../engine/context";
import type { ResourceHandler } from "../engine/handler";
import { requestBody } from "../engine/wire";
import { findOne, getOrUndefined } from "./lookup";

export const powerpack: ResourceHandler = {
  schema: powerpackSchema,

  async create(ctx, inputs) {
    const name = inputs.name as string;
    return ctx.createOnce(
      async () => {
        const res = await ctx.client.request<{ uuid: string }>({
          method: "POST",
          path: "Powerpack/",
          // Booleans are always explicit: an omitted false has been dropped by SDKs before.
          body: requestBody(powerpackSchema, inputs, "create"),
          operation: ctx.op(`create powerpack ${name}`),
        });
        return String(res.body.uuid);
      },
      // Names are unique per account, so the name identifies what an ambiguous create made.
      () => findOne(ctx, "Powerpack/", {}, (o) => o.name === name, "uuid"),
    );
  },

  read: (ctx, id) => getOrUndefined(ctx, `Powerpack/${id}/`, `read powerpack ${id}`),

  async update(ctx, id, _olds, news) {
    await ctx.client.request({
      method: "POST",
      path: `Powerpack/${id}/`,
      body: requestBody(powerpackSchema, news, "update"),
      operation: ctx.op(`update powerpack ${id}`),
    });
  },

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

  async delete(ctx, id) {
    try {
      // Numbers belong to their PhoneNumber resources: never unrent them with the Powerpack.
      await ctx.client.request({
        method: "DELETE",
        path: `Powerpack/${id}/`,
        body: { unrent_numbers: false },
        operation: ctx.op(`delete powerpack ${id}`),
      });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  },
};
