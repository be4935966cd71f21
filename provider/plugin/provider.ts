/**
 * One instance of the `plivo` provider as the plugin serves it: its configuration (an account: stack config for the
 * default provider, the arguments of a `plivo.Provider` resource otherwise), its client, and the resource
 * operations, all delegated to the shared machinery in provider/core with the same handlers the dynamic resources
 * use. server.ts translates the gRPC protocol to these calls; nothing here knows about protobuf.
 */
import { PlivoConfigError } from "../client/errors";
import type { PlivoClient } from "../client/plivoClient";
import { getClient, PREVIEW_OFFLINE, previewOffline, resolveConfig, type ConfigSource } from "../config";
import * as crud from "../core/crud";
import { idShape } from "../../schema/resource";
import { isHiddenKey } from "../core/check";
import { makeContext, type OperationLog, type ResourceContext } from "../core/context";
import { JOURNAL_CONFIG_KEY, journalDir, openJournal } from "../core/journal";
import { stateHolds } from "../core/resume";
import { verifyCredentials } from "../core/credentials";
import type { DiffResult } from "../core/diff";
import { InvalidIdError } from "../core/ids";
import type { Props, ResourceHandler } from "../core/handler";
import { plannedCreate, plannedUpdate } from "../core/planned";
import { changeWarnings, createNotes } from "../core/preview";
import { containsUnknown } from "../core/unknowns";
import { processGuard, type OperationGuard } from "../process/guard";
import { handlers, type ResourceType } from "../resources";
import { PACKAGE_NAME, PROVIDER_CONFIG } from "./packageSchema";

/** Where diagnostics of a resource go (the engine's Log service, with the URN). */
export type DiagnosticSink = (entry: { urn?: string; severity: "info" | "warning"; message: string; ephemeral: boolean }) => void;

export interface OperationOptions {
  /** The engine's custom timeout for the operation in seconds (0 or undefined: none set). */
  customTimeoutSeconds?: number;
}

/** What the engine adds to a provider's inputs besides its configuration. */
const ENGINE_KEYS = new Set(["version", "pluginDownloadURL", "pluginChecksums", "__internal"]);

export class UnknownResourceTypeError extends Error {
  override readonly name = "UnknownResourceTypeError";
  constructor(readonly token: string) {
    super(`unknown resource type "${token}": the plivo provider serves ${Object.keys(handlers).map((t) => `${PACKAGE_NAME}:index:${t}`).join(", ")}`);
  }
}

/** `plivo:index:PhoneNumber` → the PhoneNumber handler. */
export function handlerFor(token: string): ResourceHandler {
  const [pkg, mod, type] = token.split(":");
  const h = pkg === PACKAGE_NAME && mod === "index" ? handlers[type as ResourceType] : undefined;
  if (!h) throw new UnknownResourceTypeError(token);
  return h;
}

/** A configuration value as the ConfigSource of provider/config.ts reads it (`plivo:authId` → "MA…"). */
function configSource(values: Props): ConfigSource {
  return {
    get(key: string) {
      const v = values[key.startsWith(`${PACKAGE_NAME}:`) ? key.slice(PACKAGE_NAME.length + 1) : key];
      if (v === undefined || v === null) return undefined;
      return typeof v === "string" ? v : JSON.stringify(v);
    },
  };
}

export class PluginProvider {
  #config: Props = {};
  #client: PlivoClient | undefined;

  constructor(
    private readonly diagnostics: DiagnosticSink = () => {},
    private readonly guard: OperationGuard = processGuard,
  ) {}

  /**
   * Validates the configuration before anything runs (`pulumi preview` fails here, naming the key): unknown keys,
   * missing credentials (neither set nor in the environment), a malformed base URL, rate limit or timeout.
   */
  checkConfig(news: Props): { inputs: Props; failures: { property: string; reason: string }[] } {
    const failures: { property: string; reason: string }[] = [];
    for (const key of Object.keys(news)) {
      if (ENGINE_KEYS.has(key) || key in PROVIDER_CONFIG) continue;
      failures.push({ property: key, reason: `${PACKAGE_NAME}:${key} is not a setting of the plivo provider (settings: ${Object.keys(PROVIDER_CONFIG).join(", ")})` });
    }
    if (failures.length === 0 && !containsUnknown(news)) {
      try {
        resolveConfig(configSource(news));
      } catch (err) {
        if (!(err instanceof PlivoConfigError)) throw err;
        const key = (err as PlivoConfigError & { key?: string }).key ?? "";
        failures.push({ property: key.replace(`${PACKAGE_NAME}:`, ""), reason: err.message });
      }
    }
    return { inputs: news, failures };
  }

  /** A new account or endpoint updates the provider in place: resources are never replaced for it. */
  diffConfig(olds: Props, news: Props): { changed: string[] } {
    const changed = Object.keys(PROVIDER_CONFIG).filter((k) => containsUnknown(news[k]) || JSON.stringify(olds[k] ?? null) !== JSON.stringify(news[k] ?? null));
    return { changed };
  }

  /** Takes the instance's configuration; credentials are resolved (with the environment fallbacks) when first needed. */
  configure(args: Props): void {
    this.#config = Object.fromEntries(Object.entries(args).filter(([k]) => !ENGINE_KEYS.has(k)));
    this.#client = undefined;
  }

  /** Stops starting new operations and ends waits (the engine's Cancel): waiting resources are kept as partially created. */
  cancel(): void {
    this.guard.stop("the Pulumi run was cancelled");
  }

  /**
   * Validation, then (unless `previewOffline`) the run's credentials check, then what a planned create costs or
   * adopts (provider/core/preview.ts), logged on the resource's row: the same as the dynamic form.
   */
  async check(token: string, urn: string, olds: Props, news: Props): Promise<{ inputs: Props; failures: { property: string; reason: string }[] }> {
    const h = handlerFor(token);
    const result = crud.check(h, olds, news);
    if (result.failures.length > 0) return result;
    const offline = previewOffline(configSource(this.#config));
    const ctx = offline ? undefined : await this.#checkedContext(h, urn);
    // No old inputs: the engine plans a create (of a new resource, or of a replacement after diff).
    if (!Object.keys(olds ?? {}).some((k) => !isHiddenKey(k))) {
      const notes = await createNotes(h, result.inputs, ctx);
      for (const message of notes.warnings) this.diagnostics({ urn, severity: "warning", message, ephemeral: false });
      if (notes.failures.length > 0) return { inputs: result.inputs, failures: notes.failures };
    }
    return result;
  }

  /** The shared diff (state gate included), without the properties the engine was told to ignore; what it costs is logged. */
  diff(token: string, urn: string, id: string, olds: Props, news: Props, ignoreChanges: readonly string[] = []): DiffResult {
    const h = handlerFor(token);
    stateHolds(this.#journal(), h.schema.type, urn, id);
    const ignored = new Set(ignoreChanges.map((p) => p.split(/[.[]/)[0]!));
    const d = crud.diff(h, olds, news);
    const replaces = d.replaces.filter((k) => !ignored.has(k));
    const updates = d.updates.filter((k) => !ignored.has(k));
    const kept = { ...d, replaces, updates, changes: replaces.length + updates.length > 0, deleteBeforeReplace: replaces.length > 0 && d.deleteBeforeReplace };
    for (const message of changeWarnings(h, id, olds, news, kept)) this.diagnostics({ urn, severity: "warning", message, ephemeral: false });
    return kept;
  }

  /** A context for look-ups at preview, once the credentials are known to work (one check per account and process). */
  async #checkedContext(h: ResourceHandler, urn: string): Promise<ResourceContext> {
    let ctx: ResourceContext;
    try {
      ctx = this.#context(h, urn, {});
    } catch (err) {
      if (err instanceof PlivoConfigError) err.message += `; to preview without calling Plivo, set ${PREVIEW_OFFLINE.key} true`;
      throw err;
    }
    await verifyCredentials(ctx.client, ctx.signal);
    return ctx;
  }

  async create(token: string, urn: string, inputs: Props, preview: boolean, opts: OperationOptions = {}): Promise<{ id: string; outs: Props }> {
    const h = handlerFor(token);
    if (preview) return { id: "", outs: plannedCreate(h, inputs) };
    return this.guard.run(`create of ${urn}`, () => crud.create(h, this.#context(h, urn, opts), inputs));
  }

  /**
   * Refresh, or an import (`pulumi import`, the `import` option) when nothing is known yet: an imported id is the
   * user's and goes into the URL path of the read, so it must have the resource's id shape (as `adoptId` must).
   */
  async read(token: string, urn: string, id: string, props: Props, opts: OperationOptions = {}) {
    const h = handlerFor(token);
    const importing = !Object.keys(props ?? {}).some((k) => !isHiddenKey(k));
    if (importing && idShape(h.schema).problem(String(id).trim())) throw new InvalidIdError(h.schema.type, String(id), h.schema.idDescription);
    stateHolds(this.#journal(), h.schema.type, urn, id);
    return this.guard.run(`read of ${urn}`, () => crud.read(h, this.#context(h, urn, opts), id, props));
  }

  async update(token: string, urn: string, id: string, olds: Props, news: Props, preview: boolean, opts: OperationOptions = {}): Promise<Props> {
    const h = handlerFor(token);
    if (preview) return plannedUpdate(h, olds, news);
    stateHolds(this.#journal(), h.schema.type, urn, id);
    return this.guard.run(`update of ${urn}`, async () => (await crud.update(h, this.#context(h, urn, opts), id, olds, news)).outs);
  }

  async delete(token: string, urn: string, id: string, props: Props, opts: OperationOptions = {}): Promise<void> {
    const h = handlerFor(token);
    stateHolds(this.#journal(), h.schema.type, urn, id);
    await this.guard.run(`delete of ${urn}`, () => crud.remove(h, this.#context(h, urn, opts), id, props));
  }

  /** The create journal (core/journal.ts): `journalDir` of this provider, `PLIVO_JOURNAL_DIR`, else `$PULUMI_HOME/plivo-journal`. */
  #journal() {
    return openJournal(journalDir(configSource(this.#config).get(JOURNAL_CONFIG_KEY)));
  }

  #context(h: ResourceHandler, urn: string, opts: OperationOptions): ResourceContext {
    // Credentials are resolved here, when an operation needs the API (never for check, diff or a preview).
    this.#client ??= getClient(resolveConfig(configSource(this.#config)));
    const log: OperationLog = {
      progress: (message) => this.diagnostics({ urn, severity: "info", message, ephemeral: true }),
      warn: (message) => this.diagnostics({ urn, severity: "warning", message, ephemeral: false }),
    };
    const customTimeoutSeconds = opts.customTimeoutSeconds && opts.customTimeoutSeconds > 0 ? opts.customTimeoutSeconds : undefined;
    return makeContext(this.#client, h.schema.type, { urn, log, signal: this.guard.signal, customTimeoutSeconds, journal: this.#journal() });
  }
}
