/**
 * The provider process's line back to the Pulumi engine (the CLI's gRPC `Engine` service, whose address every
 * provider plugin receives as its first argument — the dynamic-provider host included).
 *
 * Two uses: diagnostics logged **with the resource's URN**, so the CLI shows progress on the resource's row (as an
 * ephemeral status) and warnings under that resource instead of on the Stack row; and a liveness probe, so the
 * process notices when the CLI is gone (SIGKILL, a dead runner) and starts nothing new (see guard.ts).
 */
import * as grpc from "@grpc/grpc-js";

/* The generated protos ship with @pulumi/pulumi (CommonJS, no typings we need beyond these calls). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const enginePb = require("@pulumi/pulumi/proto/engine_pb");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const engineGrpc = require("@pulumi/pulumi/proto/engine_grpc_pb");

export type Severity = "debug" | "info" | "warning" | "error";

const SEVERITY: Record<Severity, number> = { debug: 0, info: 1, warning: 2, error: 3 };

export interface EngineLogEntry {
  severity: Severity;
  message: string;
  /** Resource the message belongs to; the CLI shows it on that resource's row. */
  urn?: string;
  /** A status line that replaces the previous one on the row and is not repeated under Diagnostics. */
  ephemeral?: boolean;
}

export class EngineConnection {
  readonly #client: any;
  #closed = false;

  constructor(readonly address: string) {
    this.#client = new engineGrpc.EngineClient(address, grpc.credentials.createInsecure(), {
      "grpc.max_receive_message_length": 400 * 1024 * 1024,
    });
  }

  /** Sends one diagnostic; resolves false when the engine could not take it (the caller falls back to stderr). */
  log(entry: EngineLogEntry): Promise<boolean> {
    if (this.#closed) return Promise.resolve(false);
    const req = new enginePb.LogRequest();
    req.setSeverity(SEVERITY[entry.severity]);
    req.setMessage(entry.message);
    if (entry.urn) req.setUrn(entry.urn);
    req.setEphemeral(entry.ephemeral === true);
    return new Promise((resolve) => {
      this.#client.log(req, { deadline: Date.now() + 5_000 }, (err: grpc.ServiceError | null) => resolve(!err));
    });
  }

  /**
   * True when the engine answers. Only "unavailable" (nobody listens at the address any more) counts as gone: a
   * slow or busy engine is still there.
   */
  alive(timeoutMs = 2_000): Promise<boolean> {
    if (this.#closed) return Promise.resolve(false);
    return new Promise((resolve) => {
      this.#client.getRootResource(new enginePb.GetRootResourceRequest(), { deadline: Date.now() + timeoutMs }, (err: grpc.ServiceError | null) =>
        resolve(!err || err.code !== grpc.status.UNAVAILABLE),
      );
    });
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#client.close();
  }
}

/** `127.0.0.1:12345` or `[::1]:12345`: what the CLI passes to plugins. */
export function looksLikeEngineAddress(value: string | undefined): value is string {
  return typeof value === "string" && /^(\[[0-9a-f:]+\]|[\w.-]+):\d{1,5}$/i.test(value);
}
