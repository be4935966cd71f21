/**
 * NumberPoolMember (docs/plivo-api.md §5): id `{powerpackUuid}/{number}`. Long codes live under `/Number/`,
 * the pool's one toll-free number under `/Tollfree/`.
 *
 * An add is one request when nothing suggests otherwise: the pool uuid is known once per process (poolOf), the
 * number's type from this process's read of the number, and the add response is the member (no read-back). An
 * existing membership is adopted when the add is refused.
 */
import { PlivoApiError } from "../client/errors";
import { numberPoolMemberSchema } from "../../schema/numberPoolMember";
import { isNotFound, type ResourceContext } from "../core/context";
import { ResourceNotFoundError } from "../core/errors";
import type { Props, ResourceHandler } from "../core/handler";
import { formatId, parseId } from "../core/ids";
import { readerFor } from "../core/batch";
import { accountNumbers, getOrUndefined, poolMembers, readBatched } from "./lookup";
import { poolOf } from "./powerpack";
import { deleteObject } from "./rest";

const parseMemberId = (id: string) => parseId(numberPoolMemberSchema, id) as { powerpackId: string; number: string };

const kindPath = (tollFree: boolean) => (tollFree ? "Tollfree" : "Number");

/** The member as outputs are read from it (the API object does not name the Powerpack or the kind). */
const memberWire = (member: Record<string, unknown>, powerpackId: string, tollFree: boolean) => ({
  ...member,
  powerpack_id: powerpackId,
  toll_free: tollFree,
  service: member.service ?? undefined,
});

const notRented = (ctx: ResourceContext, number: string) =>
  new ResourceNotFoundError(`NumberPoolMember "${ctx.name}": number ${number} is not rented in the account; create its PhoneNumber first`);

/** Whether `number` is toll-free: a number's type never changes, so any read of it this process made answers. */
async function isTollFree(ctx: ResourceContext, number: string): Promise<boolean> {
  const n = readerFor(ctx, accountNumbers).known(number) ?? (await readBatched(ctx, accountNumbers, number));
  if (!n) throw notRented(ctx, number);
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
      return [
        {
          property: "tollFree",
          reason: `tollFree: Powerpack ${key} already gets toll-free number ${holder} in this program; a pool holds at most one toll-free number`,
        },
      ];
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
    const existing = () => getOrUndefined(ctx, path, `read pool member ${number}`);
    const member = await ctx.createOnce(async () => {
      try {
        const res = await ctx.client.request<Record<string, unknown>>({
          method: "POST",
          path,
          body: { service: service.toLowerCase(), rent: false },
          operation: ctx.op(`add ${number} to powerpack ${powerpackId}`),
        });
        return res.body;
      } catch (err) {
        if (!(err instanceof PlivoApiError)) throw err;
        // Adding is naturally idempotent: a membership that already exists is adopted.
        if (err.status === 400) {
          const found = await existing();
          if (found) {
            ctx.progress(`${number} is already in the pool of powerpack ${powerpackId}: adopting the membership`);
            return found;
          }
        }
        if (isNotFound(err)) {
          // The pool may be known from earlier in this run: tell a deleted Powerpack from a number not rented.
          if (!(await getOrUndefined(ctx, `Powerpack/${powerpackId}/`, `read powerpack ${powerpackId}`))) {
            throw new ResourceNotFoundError(`NumberPoolMember "${ctx.name}": Powerpack ${powerpackId} does not exist`);
          }
          throw notRented(ctx, number);
        }
        throw err;
      }
    }, existing);
    return { id: formatId(numberPoolMemberSchema, { powerpackId, number }), wire: memberWire(member, powerpackId, tollFree) };
  },

  async read(ctx, id, props, opts) {
    const { powerpackId, number } = parseMemberId(id);
    const pool = await poolOf(ctx, powerpackId);
    if (!pool) return undefined;
    // The kind is known from the state (or the inputs); an import-style read tries both.
    const kinds = typeof props.tollFree === "boolean" ? [props.tollFree] : [false, true];
    for (const tollFree of kinds) {
      const member = await readBatched(ctx, poolMembers(pool, kindPath(tollFree)), number, opts);
      if (member) return memberWire(member, powerpackId, tollFree);
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
