/**
 * @pulumi/pulumi records, on every promise it creates for a resource (four per registered property, more while it
 * serializes inputs), the formatted stack trace of where it was created. Only `PULUMI_DEBUG_PROMISE_LEAKS` ever
 * prints those traces, yet formatting them (through ts-node's source maps) is the program's largest CPU and memory
 * cost: tens of thousands of traces for a few hundred resources. Unless that variable is set, the traces are left
 * empty; everything else the SDK does with those promises (ids, leak detection) is unchanged, and so are the
 * resources' source positions and the stacks of errors.
 */
import * as debuggable from "@pulumi/pulumi/runtime/debuggable";

type Debuggable = { debugPromiseLeaks?: boolean; debuggablePromise?: <T>(p: Promise<T>, ctx: unknown) => Promise<T> };
const PATCHED = Symbol.for("pulumi-plivo.quietPromiseTraces");

const mod = debuggable as unknown as Debuggable & { [PATCHED]?: true };
const original = mod.debuggablePromise;
if (!mod.debugPromiseLeaks && typeof original === "function" && !mod[PATCHED]) {
  try {
    mod.debuggablePromise = function quietDebuggablePromise<T>(p: Promise<T>, ctx: unknown): Promise<T> {
      const limit = Error.stackTraceLimit;
      Error.stackTraceLimit = 0;
      try {
        return original(p, ctx);
      } finally {
        Error.stackTraceLimit = limit;
      }
    };
    mod[PATCHED] = true;
  } catch {
    // A future SDK that freezes its exports keeps its own behaviour.
  }
}
