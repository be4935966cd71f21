/**
 * Billing has no Plivo API of its own: its one route is on the control surface, `GET /__emulator/bill` (the bill
 * of the account and its subaccounts, backend.ts). The charges themselves are ledger entries.
 */
import { defineResource } from "../registry";
import { BillingBackend } from "./backend";

export default defineResource({
  name: "billing",
  setup(ctx) {
    (ctx.backends as { billing: BillingBackend }).billing = new BillingBackend(ctx);
  },
  control(control, ctx) {
    control.get("/bill", async () => ctx.backends.billing.bill());
  },
});
