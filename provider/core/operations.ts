/**
 * What both forms of the provider do for each engine call, once: validation, the run's credentials check and what a
 * planned create costs or adopts (check), the state gate and what a change costs (diff), the journal's bookkeeping and
 * the process guard around create, read, update and delete. The dynamic form (provider/runtime.ts) and the plugin
 * (provider/plugin/provider.ts) differ only in how the engine calls them and how they reach it: each gives a
 * {@link ProviderHost}.
 */
import { checkFailureForEngine, type CheckFailure } from "../../schema/resource";
import { PlivoConfigError } from "../client/errors";
import { getClient, PREVIEW_OFFLINE, previewOffline, resolveConfig, type ConfigSource } from "../config";
import type { OperationGuard } from "../process/guard";
import { isHiddenKey } from "./check";
import { makeContext, type OperationLog, type ResourceContext } from "./context";
import { verifyCredentials } from "./credentials";
import * as crud from "./crud";
import type { DiffResult } from "./diff";
import type { Props, ResourceHandler } from "./handler";
import { JOURNAL_CONFIG_KEY, journalDir, openJournal, type CreateJournal } from "./journal";
import { changeWarnings, createNotes, keepCreateOnly, replacementNote } from "./preview";
import { resolveFees } from "../cost/fees";
import { priceBook } from "../cost/prices";
import { stateHolds } from "./resume";
import { TENDLC_FEES, type TenDlcFees } from "../../schema/fees";

/** An info line on the row (a progress line where the form has no lasting info). */
const noteOn = (log: OperationLog, message: string) => (log.note ? log.note(message) : log.progress(message));

/** The resource an engine call is about. */
export interface OperationTarget {
  readonly urn?: string;
  /** The resource's name when the engine gives it without a URN (older dynamic closures). */
  readonly name?: string;
}

export interface OperationOptions {
  /** The engine's custom timeout for the operation in seconds (0 or undefined: none set; plugin only). */
  customTimeoutSeconds?: number;
}

/** What a form of the provider supplies: its settings, where a resource's messages go, its guard. */
export interface ProviderHost {
  /** The provider instance's settings: the stack config, or the arguments of a plivo.Provider. */
  config(): ConfigSource;
  /** Where progress and warnings about a resource go (its row in the CLI, else stderr). */
  log(h: ResourceHandler, target: OperationTarget): OperationLog;
  readonly guard: OperationGuard;
}

export interface CheckOutcome {
  inputs: Props;
  /** As the engine prints them best: one line each, the path once (see checkFailureForEngine). */
  failures: CheckFailure[];
}

/** No old inputs: the engine plans a create (of a new resource, or of the replacement a diff asked for). */
const plansCreate = (olds: Props | undefined) => !Object.keys(olds ?? {}).some((k) => !isHiddenKey(k));

export class ProviderOperations {
  constructor(private readonly host: ProviderHost) {}

  /**
   * Validation, then (unless previewOffline) the run's credentials check, then what a planned create costs or adopts
   * (core/preview.ts), logged on the resource: the engine calls check for every resource before it shows any plan.
   */
  async check(h: ResourceHandler, target: OperationTarget, olds: Props, news: Props): Promise<CheckOutcome> {
    const result = crud.check(h, olds, news);
    if (result.failures.length > 0) return { inputs: result.inputs, failures: result.failures.map(checkFailureForEngine) };
    const log = this.host.log(h, target);
    const creating = plansCreate(olds);
    // Search criteria and adoptId of an object that exists: kept as recorded, with a note (never an update).
    const kept = creating ? { inputs: result.inputs, notes: [] } : keepCreateOnly(h, olds, result.inputs);
    kept.notes.forEach((m) => noteOn(log, m));
    const offline = previewOffline(this.host.config());
    const ctx = offline ? undefined : await this.#checkedContext(h, target);
    if (creating) {
      const fees = resolveFees(this.host.config());
      // Pricing only (one request per country and process): no search per number on the check path.
      const pricing = ctx ? { fees, book: priceBook(ctx.client, fees, false) } : { fees, whyNoBook: `offline preview (${PREVIEW_OFFLINE.key})` };
      const notes = await createNotes(h, kept.inputs, ctx, pricing);
      notes.warnings.forEach((m) => log.warn(m));
      if (notes.failures.length > 0) return { inputs: kept.inputs, failures: notes.failures.map(checkFailureForEngine) };
    }
    return { inputs: kept.inputs, failures: [] };
  }

  /** The shared diff (state gate included), without the properties the engine was told to ignore; what it costs is logged. */
  diff(h: ResourceHandler, target: OperationTarget, id: string, olds: Props, news: Props, ignoreChanges: readonly string[] = []): DiffResult {
    stateHolds(this.journal(), h.schema.type, target.urn, id);
    const d = crud.diff(h, olds, news);
    const ignored = new Set(ignoreChanges.map((p) => p.split(/[.[]/)[0]!));
    const replaces = d.replaces.filter((k) => !ignored.has(k));
    const updates = d.updates.filter((k) => !ignored.has(k));
    const kept = { ...d, replaces, updates, changes: replaces.length + updates.length > 0, deleteBeforeReplace: replaces.length > 0 && d.deleteBeforeReplace };
    const log = this.host.log(h, target);
    for (const message of changeWarnings(h, id, olds, news, kept, this.#fees())) log.warn(message);
    const replaced = replacementNote(h, olds, news, kept);
    if (replaced) noteOn(log, replaced);
    if (kept.updates.length > 0 && kept.replaces.length === 0) this.#planReadBack(h, target, id);
    return kept;
  }

  /**
   * The engine diffs ahead of the updates it then hands out, slowly when its checkpoints bound the run: an update's
   * read-back planned now shares a list page with the next ones (batch.ts) instead of going alone.
   */
  #planReadBack(h: ResourceHandler, target: OperationTarget, id: string): void {
    if (!h.planReadBack || previewOffline(this.host.config())) return;
    try {
      h.planReadBack(this.context(h, target), id);
    } catch {
      // Settings that give no client (the update will say why): its read-back simply goes alone.
    }
  }

  create(h: ResourceHandler, target: OperationTarget, inputs: Props, opts: OperationOptions = {}): Promise<{ id: string; outs: Props }> {
    return this.host.guard.run(`create of ${target.urn ?? h.schema.type}`, () => crud.create(h, this.context(h, target, opts), inputs));
  }

  read(h: ResourceHandler, target: OperationTarget, id: string, props: Props, opts: OperationOptions = {}): ReturnType<typeof crud.read> {
    stateHolds(this.journal(), h.schema.type, target.urn, id);
    return this.host.guard.run(`read of ${target.urn ?? `${h.schema.type} ${id}`}`, () => crud.read(h, this.context(h, target, opts), id, props));
  }

  update(h: ResourceHandler, target: OperationTarget, id: string, olds: Props, news: Props, opts: OperationOptions = {}): Promise<{ outs: Props }> {
    stateHolds(this.journal(), h.schema.type, target.urn, id);
    return this.host.guard.run(`update of ${target.urn ?? `${h.schema.type} ${id}`}`, () => crud.update(h, this.context(h, target, opts), id, olds, news));
  }

  remove(h: ResourceHandler, target: OperationTarget, id: string, props: Props, opts: OperationOptions = {}): Promise<void> {
    stateHolds(this.journal(), h.schema.type, target.urn, id);
    const fees = this.#fees();
    return this.host.guard.run(`delete of ${target.urn ?? `${h.schema.type} ${id}`}`, () => crud.remove(h, this.context(h, target, opts), id, props, fees));
  }

  /**
   * The fee table for what diff and delete say (a bad `plivo:fees` fails check, and the plugin's CheckConfig, naming
   * the key; it must never block a delete, so here it falls back to the documented table).
   */
  #fees(): TenDlcFees {
    try {
      return resolveFees(this.host.config());
    } catch {
      return TENDLC_FEES;
    }
  }

  /** The create journal of this machine (journal.ts): `journalDir` of this provider, PLIVO_JOURNAL_DIR, or the default. */
  journal(): CreateJournal | undefined {
    return openJournal(journalDir(this.host.config().get(JOURNAL_CONFIG_KEY)));
  }

  /**
   * The context of an operation. Credentials are resolved here, when an operation needs the API (never for check or
   * diff), and never captured anywhere the state could hold them.
   */
  context(h: ResourceHandler, target: OperationTarget, opts: OperationOptions = {}): ResourceContext {
    const customTimeoutSeconds = opts.customTimeoutSeconds && opts.customTimeoutSeconds > 0 ? opts.customTimeoutSeconds : undefined;
    // getClient shares one client per account and endpoint in the process.
    return makeContext(getClient(resolveConfig(this.host.config())), h.schema.type, {
      urn: target.urn,
      name: target.name,
      log: this.host.log(h, target),
      signal: this.host.guard.signal,
      customTimeoutSeconds,
      journal: this.journal(),
    });
  }

  /** A context for look-ups at preview, once the credentials are known to work (one check per account and process). */
  async #checkedContext(h: ResourceHandler, target: OperationTarget): Promise<ResourceContext> {
    let ctx: ResourceContext;
    try {
      ctx = this.context(h, target);
    } catch (err) {
      if (err instanceof PlivoConfigError) err.message += `; to preview without calling Plivo, set ${PREVIEW_OFFLINE.key} true`;
      throw err;
    }
    await verifyCredentials(ctx.client, ctx.signal);
    return ctx;
  }
}
