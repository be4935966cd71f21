/** Application (reference §3). */
import { applicationSchema } from "../../schema/application";
import { isNotFound } from "../engine/context";
import type { ResourceHandler } from "../engine/handler";
import { requestBody } from "../engine/wire";
import { findOne, getOrUndefined } from "./lookup";

export const application: ResourceHandler = {
  schema: applicationSchema,

  async create(ctx, inputs) {
    const appName = inputs.appName as string;
    return ctx.createOnce(
      async () => {
        const res = await ctx.client.request<{ app_id: string }>({
          method: "POST",
          path: "Application/",
          body: requestBody(applicationSchema, inputs, "create"),
          operation: ctx.op(`create application ${appName}`),
        });
        return String(res.body.app_id);
      },
      // The natural key: application names are what users declare.
      () => findOne(ctx, "Application/", { app_name: appName }, (o) => o.app_name === appName, "app_id"),
    );
  },

  read: (ctx, id) => getOrUndefined(ctx, `Application/${id}/`, `read application ${id}`),

  async update(ctx, id, _olds, news) {
    // Always the full desired set: Plivo resets omitted methods and flags to their defaults on update.
    await ctx.client.request({
      method: "POST",
      path: `Application/${id}/`,
      body: requestBody(applicationSchema, news, "update"),
      operation: ctx.op(`update application ${id}`),
    });
  },

  async delete(ctx, id) {
    try {
      // cascade=false keeps the SIP endpoints that point at this application.
      await ctx.client.request({
        method: "DELETE",
        path: `Application/${id}/`,
        body: { cascade: false },
        operation: ctx.op(`delete application ${id}`),
      });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  },
};
