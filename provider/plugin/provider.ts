/**
 * One instance of the `plivo` provider as the plugin serves it: its configuration (an account: stack config for the
 * default provider, the arguments of a `plivo.Provider` resource otherwise), its client, and the resource
 * operations, delegated to what both forms share (core/operations.ts) with the same handlers the dynamic resources
 * use; only previews (the plugin plans outputs itself) and imports are its own. server.ts translates the gRPC protocol
 * to these calls; nothing here knows about protobuf.
 */
import { PlivoConfigError } from "../client/errors";
import { resolveConfig, type ConfigSource } from "../config";
import { resolveFees } from "../cost/fees";
import { idShape } from "../../schema/resource";
import { isHiddenKey } from "../core/check";
import type { DiffResult } from "../core/diff";
import { InvalidIdError } from "../core/ids";
import type { Props, ResourceHandler } from "../core/handler";
import { ProviderOperations, type CheckOutcome, type OperationOptions } from "../core/operations";
import { plannedCreate, plannedUpdate } from "../core/planned";
import { containsUnknown } from "../core/unknowns";
import { processGuard, type OperationGuard } from "../process/guard";
import { handlers, type ResourceType } from "../resources";
import { PACKAGE_NAME, PROVIDER_CONFIG } from "./packageSchema";

/** Where diagnostics of a resource go (the engine's Log service, with the URN). */
export type DiagnosticSink = (entry: { urn?: string; severity: "info" | "warning"; message: string; ephemeral: boolean }) => void;

export type { OperationOptions };

/** What the engine adds to a provider's inputs besides its configuration. */
const ENGINE_KEYS = new Set(["version", "pluginDownloadURL", "pluginChecksums", "__internal"]);

export class UnknownResourceTypeError extends Error {
  override readonly name = "UnknownResourceTypeError";
  constructor(readonly token: string) {
    super(
      `unknown resource type "${token}": the plivo provider serves ${Object.keys(handlers)
        .map((t) => `${PACKAGE_NAME}:index:${t}`)
        .join(", ")}`,
    );
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
  readonly #operations: ProviderOperations;

  constructor(
    private readonly diagnostics: DiagnosticSink = () => {},
    private readonly guard: OperationGuard = processGuard,
  ) {
    this.#operations = new ProviderOperations({
      config: () => configSource(this.#config),
      log: (_h, { urn }) => ({
        progress: (message) => this.diagnostics({ urn, severity: "info", message, ephemeral: true }),
        warn: (message) => this.diagnostics({ urn, severity: "warning", message, ephemeral: false }),
        note: (message) => this.diagnostics({ urn, severity: "info", message, ephemeral: false }),
      }),
      guard,
    });
  }

  /**
   * Validates the configuration before anything runs (`pulumi preview` fails here, naming the key): unknown keys,
   * missing credentials (neither set nor in the environment), a malformed base URL, rate limit or timeout.
   */
  checkConfig(news: Props): { inputs: Props; failures: { property: string; reason: string }[] } {
    const failures: { property: string; reason: string }[] = [];
    for (const key of Object.keys(news)) {
      if (ENGINE_KEYS.has(key) || key in PROVIDER_CONFIG) continue;
      failures.push({
        property: key,
        reason: `${PACKAGE_NAME}:${key} is not a setting of the plivo provider (settings: ${Object.keys(PROVIDER_CONFIG).join(", ")})`,
      });
    }
    if (failures.length === 0 && !containsUnknown(news)) {
      try {
        resolveConfig(configSource(news));
        resolveFees(configSource(news), {});
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
  }

  /** Stops starting new operations and ends waits (the engine's Cancel): waiting resources are kept as partially created. */
  cancel(): void {
    this.guard.stop("the Pulumi run was cancelled");
  }

  check(token: string, urn: string, olds: Props, news: Props): Promise<CheckOutcome> {
    return this.#operations.check(handlerFor(token), { urn }, olds, news);
  }

  diff(token: string, urn: string, id: string, olds: Props, news: Props, ignoreChanges: readonly string[] = []): DiffResult {
    return this.#operations.diff(handlerFor(token), { urn }, id, olds, news, ignoreChanges);
  }

  /** A preview's create plans the outputs from the inputs (core/planned.ts); nothing is sent. */
  async create(token: string, urn: string, inputs: Props, preview: boolean, opts: OperationOptions = {}): Promise<{ id: string; outs: Props }> {
    const h = handlerFor(token);
    if (preview) return { id: "", outs: plannedCreate(h, inputs) };
    return this.#operations.create(h, { urn }, inputs, opts);
  }

  /**
   * Refresh, or an import (`pulumi import`, the `import` option) when nothing is known yet: an imported id is the
   * user's and goes into the URL path of the read, so it must have the resource's id shape (as `adoptId` must).
   */
  async read(token: string, urn: string, id: string, props: Props, opts: OperationOptions = {}) {
    const h = handlerFor(token);
    const importing = !Object.keys(props ?? {}).some((k) => !isHiddenKey(k));
    if (importing && idShape(h.schema).problem(String(id).trim())) throw new InvalidIdError(h.schema.type, String(id), h.schema.idDescription);
    return this.#operations.read(h, { urn }, id, props, opts);
  }

  /** A preview's update predicts the outputs from the state (core/planned.ts); nothing is sent. */
  async update(token: string, urn: string, id: string, olds: Props, news: Props, preview: boolean, opts: OperationOptions = {}): Promise<Props> {
    const h = handlerFor(token);
    if (preview) return plannedUpdate(h, olds, news);
    return (await this.#operations.update(h, { urn }, id, olds, news, opts)).outs;
  }

  delete(token: string, urn: string, id: string, props: Props, opts: OperationOptions = {}): Promise<void> {
    return this.#operations.remove(handlerFor(token), { urn }, id, props, opts);
  }
}
