/**
 * The `pulumirpc.ResourceProvider` gRPC service of the plugin, on the protos generated in `@pulumi/pulumi`.
 *
 * `@pulumi/pulumi`'s own `provider.main` server (3.248) drops what this provider needs (Read inputs for import,
 * `detailedDiff`, custom timeouts, Configure arguments, CheckConfig/DiffConfig), so the service is served here:
 * each call unwraps its Struct values (values.ts), calls the provider instance (provider.ts, which delegates to the
 * shared machinery) and wraps the answer. Errors keep their message; an error carrying a created resource's id
 * becomes the protocol's ErrorResourceInitFailed, so the engine keeps the resource and the next `up` resumes it.
 */
import * as grpc from "@grpc/grpc-js";
import { checkFailureForEngine, type CheckFailure } from "../../schema/resource";
import { ResourceInitError } from "../core/errors";
import { detailedDiff } from "../core/diff";
import { packageSchema, secretNames } from "./packageSchema";
import { handlerFor, type PluginProvider, UnknownResourceTypeError } from "./provider";
import { fromStruct, toStruct } from "./values";

/* eslint-disable @typescript-eslint/no-require-imports */
const providerPb = require("@pulumi/pulumi/proto/provider_pb");
const providerGrpc = require("@pulumi/pulumi/proto/provider_grpc_pb");
const pluginPb = require("@pulumi/pulumi/proto/plugin_pb");
const statusPb = require("@pulumi/pulumi/proto/status_pb");
const emptyPb = require("google-protobuf/google/protobuf/empty_pb");
const anyPb = require("google-protobuf/google/protobuf/any_pb");
/* eslint-enable @typescript-eslint/no-require-imports */

type Call = { request: any };
type Callback = (err: grpc.ServiceError | Partial<grpc.StatusObject> | null, value?: unknown) => void;

const Kind = providerPb.PropertyDiff.Kind;
const Changes = providerPb.DiffResponse.DiffChanges;

export interface ServiceOptions {
  version: string;
  provider: PluginProvider;
  /** Called with the engine's address from Handshake/Attach (diagnostics go there). */
  onEngineAddress?: (address: string) => void;
}

/** A gRPC error with the operation's message; secrets never reach messages (the client scrubs them). */
function failure(err: unknown, code: grpc.status = grpc.status.UNKNOWN): Partial<grpc.StatusObject> {
  const message = err instanceof Error ? err.message : String(err);
  return { code, details: message };
}

/** The engine keeps a resource that exists although the operation failed: ErrorResourceInitFailed in the details. */
function initFailure(err: ResourceInitError, secrets: ReadonlySet<string>): Partial<grpc.StatusObject> {
  const detail = new providerPb.ErrorResourceInitFailed();
  detail.setId(err.id);
  detail.setProperties(toStruct(err.properties, secrets));
  detail.setReasonsList(err.reasons);
  const any = new anyPb.Any();
  any.pack(detail.serializeBinary(), "pulumirpc.ErrorResourceInitFailed");
  const status = new statusPb.Status();
  status.setCode(grpc.status.UNKNOWN);
  status.setMessage(err.message);
  status.addDetails(any);
  const metadata = new grpc.Metadata();
  metadata.add("grpc-status-details-bin", Buffer.from(status.serializeBinary()));
  return { code: grpc.status.UNKNOWN, details: err.message, metadata };
}

/** Runs a handler and answers the call with its result or its error. */
function serve(callback: Callback, fn: () => unknown, onError?: (err: unknown) => Partial<grpc.StatusObject> | undefined) {
  Promise.resolve()
    .then(fn)
    .then(
      (value) => callback(null, value),
      (err) => {
        const specific = onError?.(err);
        if (specific) return callback(specific);
        const code = err instanceof UnknownResourceTypeError ? grpc.status.INVALID_ARGUMENT : grpc.status.UNKNOWN;
        callback(failure(err, code));
      },
    );
}

const tokenOf = (req: { getType(): string; getUrn(): string }) => req.getType() || req.getUrn().split("::")[2]!.split("$").pop()!;

/** The properties that came in secret, and the resource's credentials (schema secrets), which always go out secret. */
function secretsFor(req: { getType(): string; getUrn(): string }, ...sets: ReadonlySet<string>[]): Set<string> {
  const out = new Set(sets.flatMap((s) => [...s]));
  try {
    for (const name of secretNames(handlerFor(tokenOf(req)).schema)) out.add(name);
  } catch {
    // An unknown type fails on its own in the call.
  }
  return out;
}

function diffResponse(
  d: { changes: boolean; replaces: string[]; updates: string[]; deleteBeforeReplace?: boolean },
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
) {
  const resp = new providerPb.DiffResponse();
  resp.setChanges(d.changes ? Changes.DIFF_SOME : Changes.DIFF_NONE);
  resp.setReplacesList(d.replaces);
  resp.setDiffsList([...d.replaces, ...d.updates]);
  resp.setDeletebeforereplace(d.deleteBeforeReplace === true);
  resp.setHasdetaileddiff(true);
  const detailed = resp.getDetaileddiffMap();
  for (const [key, kind] of Object.entries(detailedDiff(d, olds, news))) {
    const pd = new providerPb.PropertyDiff();
    pd.setKind(Kind[kind]);
    detailed.set(key, pd);
  }
  return resp;
}

/** The service implementation for grpc-js's `addService`. */
export function resourceProviderService(opts: ServiceOptions): grpc.UntypedServiceImplementation {
  const p = opts.provider;
  return {
    handshake(call: Call, callback: Callback) {
      opts.onEngineAddress?.(call.request.getEngineAddress());
      const resp = new providerPb.ProviderHandshakeResponse();
      resp.setAcceptSecrets(true);
      resp.setAcceptResources(true);
      resp.setAcceptOutputs(false);
      callback(null, resp);
    },

    attach(call: Call, callback: Callback) {
      opts.onEngineAddress?.(call.request.getAddress());
      callback(null, new emptyPb.Empty());
    },

    getPluginInfo(_call: Call, callback: Callback) {
      const info = new pluginPb.PluginInfo();
      info.setVersion(opts.version);
      callback(null, info);
    },

    getSchema(call: Call, callback: Callback) {
      if (call.request.getVersion() !== 0) return callback(failure(`unsupported schema version ${call.request.getVersion()}`, grpc.status.INVALID_ARGUMENT));
      const resp = new providerPb.GetSchemaResponse();
      resp.setSchema(JSON.stringify(packageSchema(opts.version)));
      callback(null, resp);
    },

    checkConfig(call: Call, callback: Callback) {
      serve(callback, () => {
        const news = fromStruct(call.request.getNews());
        const result = p.checkConfig(news.values);
        const resp = new providerPb.CheckResponse();
        resp.setInputs(toStruct(result.inputs, news.secrets));
        resp.setFailuresList(result.failures.map(checkFailure));
        return resp;
      });
    },

    diffConfig(call: Call, callback: Callback) {
      serve(callback, () => {
        const olds = fromStruct(call.request.getOldInputs() ?? call.request.getOlds()).values;
        const news = fromStruct(call.request.getNews()).values;
        const { changed } = p.diffConfig(olds, news);
        return diffResponse({ changes: changed.length > 0, replaces: [], updates: changed }, olds, news);
      });
    },

    configure(call: Call, callback: Callback) {
      serve(callback, () => {
        const req = call.request;
        const args = req.hasArgs() ? fromStruct(req.getArgs()).values : {};
        // Older engines send only `variables`, keyed `plivo:config:<key>` with JSON-encoded non-strings.
        if (!req.hasArgs()) for (const [k, v] of req.getVariablesMap().entries()) args[String(k).split(":").pop()!] = v;
        p.configure(args);
        const resp = new providerPb.ConfigureResponse();
        resp.setAcceptsecrets(true);
        resp.setSupportspreview(true);
        resp.setAcceptresources(true);
        resp.setAcceptoutputs(false);
        return resp;
      });
    },

    check(call: Call, callback: Callback) {
      serve(callback, async () => {
        const req = call.request;
        const olds = fromStruct(req.getOlds()).values;
        const news = fromStruct(req.getNews());
        const result = await p.check(tokenOf(req), req.getUrn(), olds, news.values);
        const resp = new providerPb.CheckResponse();
        resp.setInputs(toStruct(result.inputs, secretsFor(req, news.secrets)));
        resp.setFailuresList(result.failures.map(checkFailure));
        return resp;
      });
    },

    diff(call: Call, callback: Callback) {
      serve(callback, () => {
        const req = call.request;
        const olds = fromStruct(req.getOlds()).values;
        const news = fromStruct(req.getNews()).values;
        return diffResponse(p.diff(tokenOf(req), req.getUrn(), req.getId(), olds, news, req.getIgnorechangesList()), olds, news);
      });
    },

    create(call: Call, callback: Callback) {
      const req = call.request;
      const inputs = fromStruct(req.getProperties());
      inputs.secrets = secretsFor(req, inputs.secrets);
      serve(
        callback,
        async () => {
          const res = await p.create(tokenOf(req), req.getUrn(), inputs.values, req.getPreview(), { customTimeoutSeconds: req.getTimeout() });
          const resp = new providerPb.CreateResponse();
          resp.setId(res.id);
          resp.setProperties(toStruct(res.outs, inputs.secrets));
          return resp;
        },
        (err) => (err instanceof ResourceInitError ? initFailure(err, inputs.secrets) : undefined),
      );
    },

    read(call: Call, callback: Callback) {
      const req = call.request;
      // An import reads with the id alone: no state, no inputs.
      const state = req.hasProperties() ? fromStruct(req.getProperties()) : { values: {}, secrets: new Set<string>() };
      const inputs = req.hasInputs() ? fromStruct(req.getInputs()) : { values: {}, secrets: new Set<string>() };
      const secrets = secretsFor(req, state.secrets, inputs.secrets);
      serve(callback, async () => {
        const res = await p.read(tokenOf(req), req.getUrn(), req.getId(), state.values, { customTimeoutSeconds: req.getTimeout() });
        const resp = new providerPb.ReadResponse();
        // No id: the resource is gone (deleted outside Pulumi); the engine drops it from the state.
        if (!res.id || !res.props) return resp;
        resp.setId(res.id);
        resp.setProperties(toStruct(res.props, secrets));
        if (res.inputs) resp.setInputs(toStruct(res.inputs, secrets));
        return resp;
      });
    },

    update(call: Call, callback: Callback) {
      const req = call.request;
      const olds = fromStruct(req.getOlds());
      const news = fromStruct(req.getNews());
      const secrets = secretsFor(req, olds.secrets, news.secrets);
      serve(
        callback,
        async () => {
          const outs = await p.update(tokenOf(req), req.getUrn(), req.getId(), olds.values, news.values, req.getPreview(), {
            customTimeoutSeconds: req.getTimeout(),
          });
          const resp = new providerPb.UpdateResponse();
          resp.setProperties(toStruct(outs, secrets));
          return resp;
        },
        (err) => (err instanceof ResourceInitError ? initFailure(err, secrets) : undefined),
      );
    },

    delete(call: Call, callback: Callback) {
      const req = call.request;
      serve(callback, async () => {
        await p.delete(tokenOf(req), req.getUrn(), req.getId(), fromStruct(req.getProperties()).values, { customTimeoutSeconds: req.getTimeout() });
        return new emptyPb.Empty();
      });
    },

    cancel(_call: Call, callback: Callback) {
      p.cancel();
      callback(null, new emptyPb.Empty());
    },

    getMapping(_call: Call, callback: Callback) {
      callback(null, new providerPb.GetMappingResponse());
    },

    getMappings(_call: Call, callback: Callback) {
      callback(null, new providerPb.GetMappingsResponse());
    },
  };
}

/** A failure of Check or CheckConfig as the engine gets it: printed on one line, the same as the dynamic form's. */
function checkFailure(f: CheckFailure) {
  const shown = checkFailureForEngine(f);
  const failure = new providerPb.CheckFailure();
  failure.setProperty(shown.property);
  failure.setReason(shown.reason);
  return failure;
}

/** Registers the service on a new grpc-js server. */
export function createServer(opts: ServiceOptions): grpc.Server {
  const server = new grpc.Server({ "grpc.max_receive_message_length": 400 * 1024 * 1024 });
  server.addService(providerGrpc.ResourceProviderService, resourceProviderService(opts));
  return server;
}
