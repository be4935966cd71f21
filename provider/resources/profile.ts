/** Profile (reference §6). */
import { profileSchema } from "../../schema/profile";
import { isNotFound } from "../engine/context";
import type { ResourceHandler } from "../engine/handler";
import { requestBody } from "../engine/wire";
import { findOne, getOrUndefined } from "./lookup";

export const profile: ResourceHandler = {
  schema: profileSchema,

  async create(ctx, inputs) {
    const alias = inputs.profileAlias as string;
    return ctx.createOnce(
      async () => {
        const res = await ctx.client.request<{ profile_uuid: string }>({
          method: "POST",
          path: "Profile/",
          body: requestBody(profileSchema, inputs, "create"),
          operation: ctx.op(`create profile ${alias}`),
        });
        return String(res.body.profile_uuid);
      },
      () => findOne(ctx, "Profile/", {}, (o) => o.profile_alias === alias, "profile_uuid", "profiles"),
    );
  },

  read: (ctx, id) => getOrUndefined(ctx, `Profile/${id}/`, `read profile ${id}`, "profile"),

  async update(ctx, id, _olds, news) {
    // The full updatable set: some clients require company name and address on every update.
    await ctx.client.request({
      method: "POST",
      path: `Profile/${id}/`,
      body: requestBody(profileSchema, news, "update"),
      operation: ctx.op(`update profile ${id}`),
    });
  },

  async delete(ctx, id) {
    try {
      await ctx.client.request({ method: "DELETE", path: `Profile/${id}/`, operation: ctx.op(`delete profile ${id}`) });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  },
};
