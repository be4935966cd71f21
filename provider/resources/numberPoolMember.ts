/**
 * NumberPoolMember (docs/plivo-api.md §5): id `{powerpackUuid}/{number}`. Long codes live under `/Number/`, the pool's one
 * toll-free number under `/Tollfree/`.
 */
import { numberPoolMemberSchema } from "../../schema/numberPoolMember";
import type { ResourceContext } from "../core/context";
import { ResourceNotFoundError } from "../core/errors";
import type { Props, ResourceHandler } from "../core/handler";
import { formatId, parseId } from "../core/ids";
import { getOrUndefined } from "./lookup";
import { deleteObject } from "./rest";

const parseMemberId = (id: string) => parseId(numberPoolMemberSchema, id) as { powerpackId: string; number: string };

async function poolOf(ctx: ResourceContext, powerpackId: string): Promise<string | undefined> {
  const pp = await getOrUndefined(ctx, `Powerpack/${powerpackId}/`, `read powerpack ${powerpackId}`);
  if (!pp) return undefined;
  return String(pp.number_pool).split("/").filter(Boolean).pop();
}

const kindPath = (tollFree: boolean) => (tollFree ? "Tollfree" : "Number");

async function isTollFree(ctx: ResourceContext, number: string): Promise<boolean> {
  const n = await getOrUndefined(ctx, `Number/${number}/`, `read number ${number}`);
  if (!n) throw new ResourceNotFoundError(`NumberPoolMember "${ctx.name}": number ${number} is not rented in the account; create its PhoneNumber first`);
  return n.number_type === "tollfree";
}

/**
 * One toll-free number per pool: the process that serves a program sees every member's `check`, so two
 * toll-free members of one Powerpack are caught at preview, before either is added.
 */
const tollFreeByPowerpack = new Map<string, string>();

export const numberPoolMember: ResourceHandler = {
  schema: numberPoolMemberSchema,
  // The replacement has the same id (a number sits in one pool once): remove first, then add.
  deleteBeforeReplace: true,

  checkMore(inputs) {
    if (inputs.tollFree !== true) return [];
    const key = inputs.powerpackId as string;
    const holder = tollFreeByPowerpack.get(key);
    if (holder && holder !== inputs.number) {
      return [{ property: "tollFree", reason: `tollFree: Powerpack ${key} already gets toll-free number ${holder} in this program; a pool holds at most one toll-free number` }];
    }
    tollFreeByPowerpack.set(key, inputs.number as string);
    return [];
  },

  async create(ctx, inputs) {
    const { powerpackId, number, service } = inputs as { powerpackId: string; number: string; service: string };
    const pool = await poolOf(ctx, powerpackId);
    if (!pool) throw new ResourceNotFoundError(`NumberPoolMember "${ctx.name}": Powerpack ${powerpackId} does not exist`);
    const tollFree = (inputs.tollFree as boolean | undefined) ?? (await isTollFree(ctx, number));
    const path = `NumberPool/${pool}/${kindPath(tollFree)}/${number}/`;
    // Adding is naturally idempotent: an existing membership is adopted.
    if (!(await getOrUndefined(ctx, path, `read pool member ${number}`))) {
      await ctx.createOnce(
        async () => {
          await ctx.client.request({ method: "POST", path, body: { service: service.toLowerCase(), rent: false }, operation: ctx.op(`add ${number} to powerpack ${powerpackId}`) });
          return true;
        },
        async () => ((await getOrUndefined(ctx, path, `read pool member ${number}`)) ? true : undefined),
      );
    }
    return formatId(numberPoolMemberSchema, { powerpackId, number });
  },

  async read(ctx, id) {
    const { powerpackId, number } = parseMemberId(id);
    const pool = await poolOf(ctx, powerpackId);
    if (!pool) return undefined;
    for (const tollFree of [false, true]) {
      const member = await getOrUndefined(ctx, `NumberPool/${pool}/${kindPath(tollFree)}/${number}/`, `read pool member ${number}`);
      if (member) return { ...member, powerpack_id: powerpackId, toll_free: tollFree, service: member.service ?? undefined };
    }
    return undefined;
  },

  async update() {
    throw new Error("NumberPoolMember has no in-place update: every change replaces it");
  },

  async delete(ctx, id, props: Props) {
    const { powerpackId, number } = parseMemberId(id);
    const pool = await poolOf(ctx, powerpackId);
    if (!pool) return; // The Powerpack (and with it the pool) is gone.
    // unrent=false: the PhoneNumber resource owns the rental.
    const path = `NumberPool/${pool}/${kindPath(props.tollFree === true)}/${number}/`;
    await deleteObject(ctx, path, `remove ${number} from powerpack ${powerpackId}`, { unrent: false });
  },

  refineOutputs(outs, wire) {
    outs.powerpackId = wire.powerpack_id;
    outs.tollFree = wire.toll_free;
    return outs;
  },
};
