/**
 * `GET /v1/Account/{auth_id}/` — the account details (handy as a credentials check). Read-only; nothing of its own
 * besides the state's `created_at`.
 */
import { send } from "../../http";
import { defineResource } from "../registry";

export default defineResource({
  name: "account",
  routes(api, ctx) {
    api.get("/", async (_req, reply) =>
      send(reply, 200, {
        account_type: "standard",
        address: "",
        auth_id: ctx.authId,
        auto_recharge: false,
        billing_mode: "prepaid",
        cash_credits: "1000.00000",
        city: "",
        created: String(ctx.store.getMeta<string>("created_at") ?? "").slice(0, 10),
        enabled: true,
        modified: null,
        name: "Plivo Emulator",
        resource_uri: ctx.uri(""),
        state: "",
        timezone: "UTC",
      }),
    );
  },
});
