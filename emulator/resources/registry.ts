/**
 * The resource-module contract (moto-shaped). A resource is
 *   - a backend (`<name>/backend.ts`): typed records in store tables and the domain operations on them, no HTTP;
 *     other backends reach it through `ctx.backends.<name>`; an asynchronous one also declares its lifecycle
 *     (engine/lifecycle.ts) and implements `status`/`apply` for the transition engine;
 *   - routes (`<name>/routes.ts`): the API endpoints, their parameter schemas and the rendering of responses;
 *   - one registration line in `resources/index.ts`.
 * Per-account resources read the caller (`callerOf(req)`, emulator/accounts.ts) and show a subaccount only what it
 * owns; account-level resources declare `mainOnly`.
 */
import type { FastifyInstance } from "fastify";
import type { Ctx } from "../context";
import type { LifecycleSpec } from "../engine/lifecycle";

export interface ResourceModule {
  name: string;
  /**
   * The module's API is the main account's alone: requests with a subaccount's credentials are refused with 403
   * before any handler runs (emulator/accounts.ts). The string names what is refused in the error message.
   */
  mainOnly?: string;
  /** lifecycles of the module's asynchronous models (static data: validated flags, the pending view) */
  lifecycles?: readonly LifecycleSpec[];
  /** create the backend: declare tables, register with the engine, listen to events, guard deletions */
  setup?(ctx: Ctx): void;
  /** fill a fresh state (seeded inventory, the primary profile, …) */
  seed?(ctx: Ctx): void;
  /** API routes; `api` is prefixed with `/v1/Account/:authId`, authenticated, trailing slash optional */
  routes?(api: FastifyInstance, ctx: Ctx): void;
  /** control routes; `control` is prefixed with `/__emulator` */
  control?(control: FastifyInstance, ctx: Ctx): void;
}

export function defineResource(m: ResourceModule): ResourceModule {
  return m;
}
