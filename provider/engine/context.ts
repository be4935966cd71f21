/**
 * Per-operation context handed to resource handlers: the shared client, the resource's identity for error
 * messages, progress reporting, and the "create once" rule for non-idempotent POSTs.
 */
import type { PlivoClient } from "../client/plivoClient";
import { isAmbiguousError, type OperationContext } from "../client/errors";

export interface ResourceContext {
  readonly client: PlivoClient;
  /** Resource type, e.g. "PhoneNumber". */
  readonly type: string;
  /** Pulumi resource name (or the id when unknown, e.g. during import). */
  readonly name: string;
  op(action: string): OperationContext;
  /** Progress visible in the CLI output while an operation runs (never carries secrets). */
  progress(message: string): void;
  warn(message: string): void;
  /**
   * Runs a non-idempotent create. If it fails ambiguously (timeout, reset, 5xx after sending) the request may
   * have succeeded: look the resource up by its natural key and adopt it instead of sending it again.
   */
  createOnce<T>(post: () => Promise<T>, findExisting: () => Promise<T | undefined>): Promise<T>;
}

/** The client's own classification: one definition of "ambiguous" and "not found" for the whole provider. */
export { isAmbiguousError as isAmbiguous, isNotFoundError as isNotFound } from "../client/errors";

export function makeContext(client: PlivoClient, type: string, name: string): ResourceContext {
  const label = `${type} "${name}"`;
  return {
    client,
    type,
    name,
    op: (action) => ({ resource: type, name, action }),
    progress: (message) => process.stderr.write(`${label}: ${message}\n`),
    warn: (message) => process.stderr.write(`warning: ${label}: ${message}\n`),
    async createOnce(post, findExisting) {
      try {
        return await post();
      } catch (err) {
        if (!isAmbiguousError(err)) throw err;
        const found = await findExisting();
        if (found === undefined) throw err;
        process.stderr.write(`${label}: the create request failed ambiguously; adopted the resource it created\n`);
        return found;
      }
    },
  };
}
