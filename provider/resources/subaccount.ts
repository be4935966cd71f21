/**
 * Subaccount (docs/plivo-api.md §16): created, updated and deleted by the main account only. `cascade` is the
 * provider's own input (it only decides the delete's body), and the delete says what the subaccount still held.
 */
import { subaccountSchema } from "../../schema/subaccount";
import type { ResourceContext } from "../core/context";
import type { ResourceHandler } from "../core/handler";
import { listAll } from "./lookup";
import { deleteObject, objectPath, restHandler, type RestSpec } from "./rest";

const spec: RestSpec = {
  schema: subaccountSchema,
  collection: "Subaccount/",
  noun: "subaccount",
  idKey: "auth_id",
  // Names are what users declare: they identify what an ambiguous create made.
  naturalKey: (inputs) => ({ describe: String(inputs.name), match: (o) => o.name === inputs.name }),
  // Free: where no journal survives, an interrupted create's subaccount is found by name (docs/reliability.md).
  recoverByKey: true,
};
const rest = restHandler(spec);

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? "" : "s"}`;

/** What the subaccount holds, in words ("2 numbers (1415…, 1415…), 1 application"), or undefined when nothing. */
async function heldBy(ctx: ResourceContext, authId: string): Promise<string | undefined> {
  // The main account lists every object, each marked with its subaccount (docs/plivo-api.md §14.20).
  const numbers = await listAll(ctx, "Number/", { subaccount: authId });
  const apps = await listAll(ctx, "Application/", { subaccount: authId });
  const endpoints = (await listAll(ctx, "Endpoint/", {})).filter((e) => e.sub_account === authId);
  const parts: string[] = [];
  if (numbers.length > 0) {
    const shown = numbers.slice(0, 5).map((n) => String(n.number));
    parts.push(`${plural(numbers.length, "number")} (${shown.join(", ")}${numbers.length > shown.length ? ", …" : ""})`);
  }
  if (apps.length > 0) parts.push(plural(apps.length, "application"));
  if (endpoints.length > 0) parts.push(plural(endpoints.length, "SIP endpoint"));
  return parts.length > 0 ? parts.join(", ") : undefined;
}

export const subaccount: ResourceHandler = {
  ...rest,

  async update(ctx, id, olds, news, diff) {
    // `cascade` only decides what a later delete does: a change of it alone sends nothing.
    if (diff.updates.every((k) => subaccountSchema.inputs[k as keyof typeof subaccountSchema.inputs]?.wire === undefined)) return;
    return rest.update(ctx, id, olds, news, diff);
  },

  async delete(ctx, id, props) {
    const cascade = props.cascade === true;
    const held = await heldBy(ctx, id);
    await deleteObject(ctx, objectPath(spec, id), `delete subaccount ${id}`, { cascade });
    if (held)
      ctx.warn(
        `subaccount ${id} held ${held}: ${cascade ? "deleted with it, its numbers unrented (cascade)" : "moved to the main account (cascade is false)"}`,
      );
  },
};
