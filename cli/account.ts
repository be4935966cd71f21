/**
 * Everything in a Plivo account that the provider manages, read through the provider's own client: every resource
 * type of the registry (provider/resources/index.ts) that has a listing, in registry order, 20 objects per page.
 * Objects Plivo keeps but nobody can manage are left out: the account's PRIMARY profile, and what the resource's
 * lifecycle counts as gone (deactivated, EXPIRED campaigns). The main account's lists include its subaccounts'
 * objects, each marked with its subaccount (docs/plivo-api.md §14.20).
 */
import type { PlivoClient } from "../provider/client/plivoClient";
import { makeContext } from "../provider/core/context";
import type { Listed } from "../provider/core/handler";
import { canonicalId } from "../provider/core/ids";
import { outputs, present } from "../provider/core/read";
import { handlers, type ResourceType } from "../provider/resources";

export interface AccountObject {
  type: ResourceType;
  id: string;
  /** The provider's outputs for it (input names, normalised values). */
  outs: Record<string, unknown>;
  /** Its alias as Plivo has it (a number's purchase marker is not an output). */
  alias?: string;
}

const quiet = { progress: () => {}, warn: () => {} };

/** The types the scan lists, in registry order (what `pulumi-plivo scan` covers). */
export const listedTypes = (): ResourceType[] => (Object.keys(handlers) as ResourceType[]).filter((t) => handlers[t].listing !== undefined);

/** Every manageable object of the account. */
export async function listAccount(client: PlivoClient): Promise<AccountObject[]> {
  const out: AccountObject[] = [];
  const earlier = new Map<string, Listed[]>();
  for (const type of listedTypes()) {
    const h = handlers[type];
    const ctx = makeContext(client, type, { name: "scan", log: quiet });
    const kept: Listed[] = [];
    for (const item of await h.listing!(ctx, earlier)) {
      const outs = present(h, outputs(h, item.wire, {}));
      if (!outs) continue;
      kept.push(item);
      const alias = typeof item.wire.alias === "string" && item.wire.alias ? item.wire.alias : undefined;
      out.push({ type, id: canonicalId(h.schema, item.id), outs, ...(alias ? { alias } : {}) });
    }
    earlier.set(type, kept);
  }
  return out;
}
