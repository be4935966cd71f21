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

/** A create's result: the new id, and the API object when the create response carries it (no read-back then). */
export interface Created {
  id: string;
  wire?: Record<string, unknown>;
}

export interface ReadOptions {
  /** Answered only by a request started after the read was asked (a poll), never by a recent list page. */
  fresh?: boolean;
  /** Answered by any request started at or after this `performance.now()` time (a poll woken by another's read). */
  since?: number;
  /**
   * A look-up that only informs (a preview note), where a wrong answer costs a wrong note, not a wrong act: it may
   * be answered by any list page of the last seconds (writes of this process since then do not matter to it), and
   * an object a complete list walk does not show counts as absent without a GET of its own.
   */
  informational?: boolean;
}

/** What an interrupted create left in the account, found without a journal (see ResourceHandler.findUnrecorded). */
export interface Unrecorded {
  id: string;
  /** How it was recognised, for the takeover's warning: "carrying this resource's purchase marker". */
  how: string;
  /** Taken over only when every declared value already matches (nothing but a name says whose it is). */
  onlyIfUnchanged?: boolean;
  /**
   * It carries this resource's own purchase marker: proof that this resource bought it, which outranks another
   * stack's state listing it (a stale state: the object was released and bought again since). Taken over, with a
   * warning naming that state.
   */
  markedForThisResource?: boolean;
}

/** One object of the account as a listing returns it: its id (as Plivo writes it) and the API object. */
export interface Listed {
  id: string;
  wire: Record<string, unknown>;
}

export interface ResourceHandler {
  readonly schema: ResourceSchema;
  /**
   * Every object of this type in the account, for the account scan (`pulumi-plivo scan`) and whoever needs the whole
   * account; absent when objects of the type are parts of another (a pool member of its Powerpack). `earlier` holds
   * what the types before this one in the registry listed, by type (a campaign's number links are listed per
   * campaign). Objects Plivo keeps but nobody can manage (the PRIMARY profile) are left out.
   */
  listing?(ctx: ResourceContext, earlier: ReadonlyMap<string, readonly Listed[]>): Promise<Listed[]>;
  /**
   * Creates the resource and returns its id, with the API object when the response carries it (saves the
   * read-back). Use `ctx.createOnce` around the non-idempotent POST, and record it in `ctx.journal` first when it
   * pays for something or leaves an object behind.
   */
  create(ctx: ResourceContext, inputs: Props): Promise<string | Created>;
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
  /**
   * Called before every create the journal has nothing for (a fresh runner, a run after a killed one with
   * PULUMI_SKIP_CHECKPOINTS): what an interrupted create of this resource left in the account, recognised without
   * the journal, or undefined. Must cost no request per create on the ordinary path: answer from an account
   * snapshot (snapshot.ts) shared by the process.
   */
  findUnrecorded?(ctx: ResourceContext, inputs: Props): Promise<Unrecorded | undefined>;
  /**
   * Like findUnrecorded, asked only once the create was refused (a name unique in the account already taken): what
   * an interrupted create left, or undefined (the refusal then stands).
   */
  findAfterRefusal?(ctx: ResourceContext, inputs: Props, err: unknown): Promise<Unrecorded | undefined>;
  /** The old resource must be gone before its replacement is created (a number links to one campaign, a profile backs one brand). */
  readonly deleteBeforeReplace?: boolean;
  /** The API object for `id` (a canonical id), or undefined when it no longer exists (deleted outside Pulumi). */
  read(ctx: ResourceContext, id: string, props: Props, opts?: ReadOptions): Promise<Record<string, unknown> | undefined>;
  /**
   * Announces, while a create or an update runs, the read-back that will follow it (see BatchedReader.expect):
   * returns the function to call once the request is over.
   */
  announceRead?(ctx: ResourceContext): () => void;
  /**
   * An in-place update of `id` is planned (a diff reported one): its read-back will come, and reads of objects that
   * share a list page with it may wait for it while the engine hands out updates slowly (see BatchedReader.plan).
   */
  planReadBack?(ctx: ResourceContext, id: string): void;
  /**
   * Calls `arrived(at)` whenever this process reads the object for another reader (a list page another wait's poll
   * brought, a GET of a campaign many links wait for), with the start time of that request: a waiting resource
   * looks at it instead of polling on its own. Returns the unsubscribe function.
   */
  watch?(ctx: ResourceContext, id: string, props: Props, arrived: (at: number) => void): () => void;
  /** Applies an in-place update of `diff.updates`; returns the API object when the response carries it. */
  // biome-ignore lint/suspicious/noConfusingVoidType: handlers whose response carries nothing return nothing (an async method without a return)
  update(ctx: ResourceContext, id: string, olds: Props, news: Props, diff: DiffResult): Promise<void | Record<string, unknown>>;
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
