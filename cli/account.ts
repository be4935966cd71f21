/**
 * Everything in a Plivo account that the provider manages, read through the provider's own client and list
 * endpoints (20 per page): numbers, applications, Powerpacks, profiles, 10DLC brands, campaigns and their number
 * links, toll-free verifications. Objects Plivo keeps but nobody can manage are left out: the account's PRIMARY
 * profile and deactivated (EXPIRED) campaigns.
 */
import type { PlivoClient } from "../provider/client/plivoClient";
import { makeContext } from "../provider/core/context";
import { canonicalId } from "../provider/core/ids";
import { outputs } from "../provider/core/read";
import { handlers, type ResourceType } from "../provider/resources";
import { listAll } from "../provider/resources/lookup";

export interface AccountObject {
  type: ResourceType;
  id: string;
  /** The provider's outputs for it (input names, normalised values). */
  outs: Record<string, unknown>;
  /** A number's alias as Plivo has it (a purchase marker is not an output). */
  alias?: string;
}

interface Listing {
  type: ResourceType;
  path: string;
  listKey?: string;
  idKey: string;
  /** Objects to leave out. */
  skip?: (o: Record<string, unknown>) => boolean;
}

const LISTINGS: Listing[] = [
  { type: "PhoneNumber", path: "Number/", idKey: "number" },
  { type: "Application", path: "Application/", idKey: "app_id" },
  { type: "Powerpack", path: "Powerpack/", idKey: "uuid" },
  { type: "Profile", path: "Profile/", listKey: "profiles", idKey: "profile_uuid", skip: (o) => o.profile_type === "PRIMARY" },
  { type: "Brand", path: "10dlc/Brand/", listKey: "brands", idKey: "brand_id" },
  { type: "Campaign", path: "10dlc/Campaign/", listKey: "campaigns", idKey: "campaign_id", skip: (o) => o.registration_status === "EXPIRED" },
  { type: "TollfreeVerification", path: "TollfreeVerification/", idKey: "uuid" },
];

const quiet = { progress: () => {}, warn: () => {} };

/** Every manageable object of the account. */
export async function listAccount(client: PlivoClient): Promise<AccountObject[]> {
  const out: AccountObject[] = [];
  for (const l of LISTINGS) {
    const h = handlers[l.type];
    const ctx = makeContext(client, l.type, { name: "scan", log: quiet });
    for (const wire of await listAll(ctx, l.path, {}, l.listKey)) {
      if (l.skip?.(wire)) continue;
      const id = canonicalId(h.schema, String(wire[l.idKey]));
      const alias = typeof wire.alias === "string" && wire.alias ? wire.alias : undefined;
      out.push({ type: l.type, id, outs: outputs(h, wire, {}), ...(l.type === "PhoneNumber" && alias ? { alias } : {}) });
    }
  }
  // Number links live under each (not deactivated) campaign.
  const linkCtx = makeContext(client, "CampaignNumberLink", { name: "scan", log: quiet });
  for (const c of out.filter((o) => o.type === "Campaign")) {
    for (const page of await listAll(linkCtx, `10dlc/Campaign/${c.id}/Number/`, {}, "phone_numbers")) {
      const number = String(page.number);
      const id = canonicalId(handlers.CampaignNumberLink.schema, `${c.id}/${number}`);
      const wire = { ...page, number: id.split("/")[1], campaign_id: c.id };
      out.push({ type: "CampaignNumberLink", id, outs: outputs(handlers.CampaignNumberLink, wire, {}) });
    }
  }
  return out;
}
