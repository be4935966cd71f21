/**
 * What a resource file in provider/resources/ supplies: the API calls that are really specific to it. Everything
 * else (check, diff, outputs, ids, waiting, state gates, partial failures, drift) is shared machinery in this folder,
 * derived from the resource's schema.
 */
import type { CheckFailure, ResourceSchema } from "../../schema/resource";
import type { ResourceContext } from "./context";
import type { DiffResult } from "./diff";
import type { StoredEntry } from "./journal";

export type Props = Record<string, unknown>;

export interface ResourceHandler {
  readonly schema: ResourceSchema;
  /**
   * Creates the resource and returns its id. Use `ctx.createOnce` around the non-idempotent POST, and record it in
   * `ctx.journal` first when it pays for something or leaves an object behind.
   */
  create(ctx: ResourceContext, inputs: Props): Promise<string>;
  /**
   * Called instead of a create when the journal holds entries of earlier, interrupted creates of this resource:
   * the id of the object they made (the flow then makes its fields match the declared ones), or undefined when they
   * made nothing (their entries discarded) and a normal create should follow.
   */
  findInterrupted?(ctx: ResourceContext, inputs: Props, entries: StoredEntry[]): Promise<string | undefined>;
  /**
   * Billed per submission and rare (brands, campaigns, toll-free verifications): look for an existing submission of
   * this resource (`findInterrupted` with no journal entries: its natural key) before every create, so a submission
   * interrupted on any machine — where no journal survives — is never paid twice. One request per create.
   */
  readonly lookBeforeCreate?: boolean;
  /** The old resource must be gone before its replacement is created (a number links to one campaign, a profile backs one brand). */
  readonly deleteBeforeReplace?: boolean;
  /** The API object for `id` (a canonical id), or undefined when it no longer exists (deleted outside Pulumi). */
  read(ctx: ResourceContext, id: string, props: Props): Promise<Record<string, unknown> | undefined>;
  /** Applies an in-place update of `diff.updates`. */
  update(ctx: ResourceContext, id: string, olds: Props, news: Props, diff: DiffResult): Promise<void>;
  /** Deletes; a resource that is already gone is not an error. */
  delete(ctx: ResourceContext, id: string, props: Props): Promise<void>;
  /**
   * The id of an existing object that `create` adopts instead of creating one when it exists (a PhoneNumber whose
   * `number` is already rented), so a preview can say so; undefined when create always creates.
   */
  adoptsExisting?(inputs: Props): string | undefined;
  /**
   * Rules about other objects (read-only look-ups), judged when a create is planned and its inputs are known: at
   * preview, and again in the `up`'s own check before anything is sent (provider/core/preview.ts).
   */
  lookupRules?(ctx: ResourceContext, inputs: Props): Promise<CheckFailure[]>;
  /** Relation-dependent validation that the schema alone cannot express. */
  checkMore?(inputs: Props, olds: Props): CheckFailure[];
  /** Adjusts outputs derived from the API object (e.g. fields the API reports elsewhere). */
  refineOutputs?(outputs: Props, wire: Record<string, unknown>, prior: Props): Props;
}
