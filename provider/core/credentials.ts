/**
 * The credentials check of a run: one cheap authenticated request (`GET /v1/Account/{auth_id}/`, the account's
 * details) before the first plan is shown, so a preview fails on a wrong token with the message an `up` would give,
 * instead of passing and leaving the failure to the `up`. Once per client, so once per process and account.
 */
import type { PlivoClient } from "../client/plivoClient";

const checks = new WeakMap<PlivoClient, Promise<void>>();

export function verifyCredentials(client: PlivoClient, signal?: AbortSignal): Promise<void> {
  let check = checks.get(client);
  if (!check) {
    check = client.request({ method: "GET", path: "", signal, operation: { resource: "Plivo", action: "credentials check" } }).then(() => undefined);
    checks.set(client, check);
  }
  return check;
}
