/**
 * The resource-module contract.
 *
 * A resource is one self-contained file that
 *  - declares its state sections (module augmentation of `State`),
 *  - fills them in `initState` (idempotent: also runs on a loaded data file,
 *    so adding a module to an existing data file just adds empty sections),
 *  - wires hooks in `setup`,
 *  - registers its API routes in `routes` (the Fastify instance is already
 *    prefixed with `/v1/Account/:authId`, authenticated, and every route is
 *    reachable with and without the trailing slash),
 *  - optionally registers control routes under `/__emulator` in `control`.
 *
 * To add a resource: create `emulator/resources/<name>.ts` exporting
 * `export default defineResource({...})` and add one line to
 * `emulator/resources/index.ts`.
 */
import type { FastifyInstance } from "fastify";
import type { Ctx } from "../context";
import type { State } from "../store";

export interface InitCtx {
  authId: string;
  seed: number;
  now: Date;
  uri(suffix: string): string;
}

export interface ResourceModule {
  name: string;
  /** Fill in missing state sections. Must be idempotent. */
  initState(state: State, init: InitCtx): void;
  /** Register hooks/guards on the per-emulator context. */
  setup?(ctx: Ctx): void;
  /** API routes; `api` is prefixed with `/v1/Account/:authId`. */
  routes(api: FastifyInstance, ctx: Ctx): void;
  /** Control routes; `control` is prefixed with `/__emulator`. */
  control?(control: FastifyInstance, ctx: Ctx): void;
}

export function defineResource(m: ResourceModule): ResourceModule {
  return m;
}
