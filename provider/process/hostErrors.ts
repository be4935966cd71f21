/**
 * Errors as the user sees them: one line (cause, field or object, what to do), shown once, on the resource.
 *
 * The engine shows an operation's error message on the resource's row. The dynamic-provider host of @pulumi/pulumi
 * 3.248 (cmd/dynamic-provider/index.js) also prints `${e}: ${e.stack}` to its stderr for errors of check, diff,
 * read and delete, which the CLI shows on the Stack row: the message a second time, with a stack trace. The host
 * offers no switch for it, so in that process `console.error` drops exactly those lines for the errors this package
 * raises (nothing else), unless PLIVO_DEBUG is set: then the stack is kept and printed.
 */

/** `PLIVO_DEBUG=1`: errors keep their stack traces and the host prints them. */
export const debugErrors = () => /^(1|true|yes)$/i.test(process.env.PLIVO_DEBUG?.trim() ?? "");

/** The host's line for an error, exactly as it builds it. */
const hostLine = (err: Error) => `${err}: ${err.stack}`;

/** Lines the host is about to print for errors we already reported. */
const expected = new Set<string>();
let installed = false;

/** In the dynamic-provider host only: let `console.error` drop the host's second report of our errors. */
export function installQuietHostErrors(): void {
  if (installed) return;
  installed = true;
  const original = console.error.bind(console);
  console.error = (...args: unknown[]) => {
    if (args.length === 1 && typeof args[0] === "string" && expected.delete(args[0])) return;
    original(...args);
  };
}

/** Collapses a message to one line. */
export const oneLine = (message: string) => message.replace(/\s*[\r\n]+\s*/g, " ").trim();

/**
 * Makes a thrown value fit for the engine: an Error with a one-line message (and, without PLIVO_DEBUG, no stack
 * beyond it), whose second report by the host is dropped. Properties the engine reads (a partially created
 * resource's `id`, `properties`, `reasons`) are kept.
 */
export function forEngine(err: unknown): Error {
  const e = err instanceof Error ? err : new Error(String(err));
  e.message = oneLine(e.message);
  const reasons = (e as { reasons?: unknown }).reasons;
  if (Array.isArray(reasons)) (e as { reasons?: unknown }).reasons = reasons.map((r) => oneLine(String(r)));
  if (!debugErrors()) {
    e.stack = `${e.name}: ${e.message}`;
    if (installed) expected.add(hostLine(e));
  }
  return e;
}
