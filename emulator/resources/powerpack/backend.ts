/** Powerpack backend: records and operations (docs/plivo-api.md §4). Each Powerpack owns one number pool. */
import type { Ctx } from "../../context";
import { badRequest, isoMicros, notFound, uuid } from "../../http";
import type { Table } from "../../store/table";

export type Priority = "longcode" | "shortcode" | "tollfree";

export interface NumberPriority {
  country_iso: "US" | "CA";
  priority: { priority1: Priority; priority2: Priority; priority3: Priority };
  service_type: "SMS" | "MMS";
}

export interface PowerpackRecord {
  uuid: string;
  name: string;
  sticky_sender: boolean;
  local_connect: boolean;
  application_type: "XML" | "PHLO" | "";
  /** an app id, "none" (as sent) or "" (never set) */
  application_id: string;
  number_pool_uuid: string;
  number_priority: NumberPriority[];
  created_on: string;
}

declare module "../../context" {
  interface Backends {
    powerpacks: PowerpackBackend;
  }
}

/** Console defaults (docs/plivo-api.md §4.2): US short code → toll-free → long code; CA short code → long code → toll-free. */
export function defaultNumberPriority(): NumberPriority[] {
  const us = { priority1: "shortcode", priority2: "tollfree", priority3: "longcode" } as const;
  const ca = { priority1: "shortcode", priority2: "longcode", priority3: "tollfree" } as const;
  return [
    { country_iso: "US", priority: { ...us }, service_type: "SMS" },
    { country_iso: "US", priority: { ...us }, service_type: "MMS" },
    { country_iso: "CA", priority: { ...ca }, service_type: "SMS" },
    { country_iso: "CA", priority: { ...ca }, service_type: "MMS" },
  ];
}

export type PowerpackInput = Pick<PowerpackRecord, "name" | "sticky_sender" | "local_connect" | "application_type" | "application_id" | "number_priority">;

export class PowerpackBackend {
  readonly powerpacks: Table<PowerpackRecord>;

  constructor(private readonly ctx: Ctx) {
    this.powerpacks = ctx.store.table<PowerpackRecord>("powerpacks", (p) => p.uuid);
  }

  get(id: string): PowerpackRecord | undefined {
    return this.powerpacks.get(id);
  }

  byPool(poolUuid: string): PowerpackRecord | undefined {
    return this.powerpacks.find((p) => p.number_pool_uuid === poolUuid);
  }

  list(name?: string): PowerpackRecord[] {
    return this.powerpacks.filter((x) => name === undefined || x.name === name);
  }

  /** The XML application pool numbers should point at, if any. */
  appIdOf(pp: PowerpackRecord): string | undefined {
    if (pp.application_type !== "XML" || !pp.application_id || pp.application_id === "none") return undefined;
    return this.ctx.backends.applications.get(pp.application_id) ? pp.application_id : undefined;
  }

  private checkName(name: string, self?: string): void {
    if (this.powerpacks.some((x) => x.uuid !== self && x.name === name)) {
      throw badRequest(`name must be unique: a Powerpack named '${name}' already exists`);
    }
  }

  create(input: PowerpackInput): PowerpackRecord {
    this.checkName(input.name);
    const pp = this.powerpacks.insert({ ...input, uuid: uuid(), number_pool_uuid: uuid(), created_on: isoMicros(this.ctx.now()) });
    this.ctx.record({ action: "create", resource: "Powerpack", id: pp.uuid });
    return pp;
  }

  update(id: string, patch: Partial<PowerpackInput>): PowerpackRecord {
    const cur = this.powerpacks.get(id);
    if (!cur) throw notFound();
    if (patch.name !== undefined) this.checkName(patch.name, id);
    const before = this.appIdOf(cur);
    const pp = this.powerpacks.edit(id)!;
    for (const [k, v] of Object.entries(patch)) if (v !== undefined) (pp as unknown as Record<string, unknown>)[k] = v;
    const after = this.appIdOf(pp);
    if (after && after !== before) {
      // the numbers in the pool follow the Powerpack's application
      for (const m of this.ctx.backends.numberPool.membersOf(pp.number_pool_uuid)) this.ctx.backends.numbers.setApplication(m.number, after);
    }
    this.ctx.record({ action: "update", resource: "Powerpack", id });
    return pp;
  }

  delete(id: string, unrentNumbers: boolean): void {
    const pp = this.powerpacks.get(id);
    if (!pp) throw notFound();
    this.powerpacks.delete(id);
    this.ctx.record({ action: "delete", resource: "Powerpack", id, unrent_numbers: unrentNumbers });
    this.ctx.hooks.emit("powerpack.deleted", { uuid: pp.uuid, number_pool_uuid: pp.number_pool_uuid, unrent_numbers: unrentNumbers });
  }
}
