/** Powerpack (docs/plivo-api.md §4). Create and update respond with the full object. */
import { powerpackSchema } from "../../schema/powerpack";
import { readerFor, type Collection, type Wire } from "../core/batch";
import { uniqueName } from "../core/claims";
import type { ResourceContext } from "../core/context";
import type { ResourceHandler } from "../core/handler";
import { listAll } from "./lookup";
import { restHandler, readObject, type RestSpec } from "./rest";

const spec: RestSpec = {
  schema: powerpackSchema,
  collection: "Powerpack/",
  noun: "powerpack",
  idKey: "uuid",
  // Names are unique per account, so the name identifies what an ambiguous create made.
  naturalKey: (inputs) => ({ describe: String(inputs.name), match: (o) => o.name === inputs.name }),
  // Numbers belong to their PhoneNumber resources: never unrent them with the Powerpack.
  deleteBody: { unrent_numbers: false },
  respondsWithObject: true,
  // Free, and its name is unique: where no journal survives, a create refused because an interrupted run made the
  // Powerpack finds it by name (docs/reliability.md); the ordinary path sends nothing more.
  uniqueKey: true,
};
const rest = restHandler(spec);

/** Powerpack uuid → number pool uuid, per client: a Powerpack keeps its pool for life, so it is read once. */
const pools = new WeakMap<object, Map<string, string>>();

function remember(ctx: ResourceContext, powerpackId: string, wire: Record<string, unknown> | undefined): void {
  const pool = typeof wire?.number_pool === "string" ? wire.number_pool.split("/").filter(Boolean).pop() : undefined;
  if (!pool) return;
  let byId = pools.get(ctx.client);
  if (!byId) pools.set(ctx.client, (byId = new Map()));
  byId.set(powerpackId, pool);
}

/**
 * The uuid of a Powerpack's number pool; undefined when the Powerpack does not exist. Known without a request once
 * this process created or read the Powerpack (if it was deleted since, the pool's own endpoints answer 404).
 */
export async function poolOf(ctx: ResourceContext, powerpackId: string): Promise<string | undefined> {
  const known = pools.get(ctx.client)?.get(powerpackId);
  if (known) return known;
  remember(ctx, powerpackId, await readObject(spec, ctx, powerpackId));
  return pools.get(ctx.client)?.get(powerpackId);
}

/**
 * Powerpacks by name. A preview asks whether each new Powerpack's name is taken: one walk of the list answers every
 * name of the run (informational reads, core/batch.ts), so the checks of a stack stay instant.
 */
const byName: Collection = {
  id: "Powerpack/#name",
  getOne: async (ctx, name) => (await listAll(ctx, "Powerpack/", {})).find((o) => o.name === name),
  scopes: (keys) => [{ scope: { path: "Powerpack/", describe: "Powerpacks" }, keys }],
  itemsOf: (body) => ((body.objects as Wire[] | undefined) ?? []).map((o) => [String(o.name), o]),
};

export const powerpack: ResourceHandler = {
  ...rest,

  /**
   * The name is unique in the account (docs/plivo-api.md §4.2): a taken one fails the preview, before anything of the
   * stack is bought, naming whose it is (core/claims.ts). A Powerpack nobody holds with the declared values passes:
   * the create takes it over (an interrupted run's).
   */
  async lookupRules(ctx, inputs) {
    if (inputs.adoptId !== undefined) return [];
    const existing = await readerFor(ctx, byName).get(ctx, String(inputs.name), { informational: true });
    return existing ? uniqueName(powerpack, ctx, inputs, "name", existing, String(existing.uuid)) : [];
  },

  async create(ctx, inputs) {
    const created = await rest.create(ctx, inputs);
    if (typeof created !== "string") remember(ctx, created.id, created.wire);
    return created;
  },

  async read(ctx, id, props, opts) {
    const wire = await rest.read(ctx, id, props, opts);
    remember(ctx, id, wire);
    return wire;
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
};
