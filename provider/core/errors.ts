/**
 * Errors raised by the shared machinery. `ResourceInitError` carries `id`, `properties` and `reasons`, which the
 * Pulumi dynamic-provider host turns into a partially-created resource: the engine keeps it in the state and
 * the next `up` continues from it instead of creating (and paying for) a second one.
 */
export class ResourceInitError extends Error {
  override readonly name = "ResourceInitError";
  readonly reasons: string[];
  constructor(
    readonly id: string,
    readonly properties: Record<string, unknown>,
    override readonly cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.reasons = [this.message];
  }
}

/** A rule of the resource or of Plivo that forbids the requested change; says what to do instead. */
export class ForbiddenChangeError extends Error {
  override readonly name = "ForbiddenChangeError";
}

/** A resource that another step expected to exist was not found. */
export class ResourceNotFoundError extends Error {
  override readonly name = "ResourceNotFoundError";
}

/**
 * Raised by a handler's create when the object exists but a later step failed (a number bought, its alias not
 * set). The shared flow reads the object back so the state records what really exists; the next `up` finishes
 * the job with an update instead of creating again.
 */
export class PartialCreateError extends Error {
  override readonly name = "PartialCreateError";
  constructor(
    readonly id: string,
    override readonly cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}
