/**
 * `GET /v1/Account/{auth_id}/` — the account details (handy as a credentials check). Read-only. With a subaccount's
 * credentials it describes the subaccount (its auth id, name and dates; the credits are the main account's, which
 * pays for everything: docs/plivo-api.md §16).
 */
import { accountUri, callerOf } from "../../accounts";
import { send } from "../../http";
import { defineResource } from "../registry";

export default defineResource({
  name: "account",
  routes(api, ctx) {
    api.get("/", async (req, reply) => {
      const caller = callerOf(req);
      const sub = caller.sub ? ctx.backends.subaccounts.get(caller.sub) : undefined;
      return send(reply, 200, {
        account_type: "standard",
        address: "",
        auth_id: caller.authId,
        auto_recharge: false,
        billing_mode: "prepaid",
        cash_credits: "1000.00000",
        city: "",
        created: sub ? sub.created : String(ctx.store.getMeta<string>("created_at") ?? "").slice(0, 10),
        enabled: sub ? sub.enabled : true,
        modified: sub ? sub.modified : null,
        name: sub ? sub.name : "Plivo Emulator",
        resource_uri: accountUri(caller, ""),
        state: "",
        timezone: "UTC",
      });
    });
  },
});
