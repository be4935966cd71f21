/**
 * The dynamic form's detailed diff. The dynamic-provider host of @pulumi/pulumi (cmd/dynamic-provider/index.js,
 * 3.248 to 3.276 at least) copies only `changes`, `replaces` and `deleteBeforeReplace` of a diff into its
 * DiffResponse (not even the `stables` its own DiffResult type declares), so the CLI compares the old outputs with the
 * new inputs: in a replacement every output (appId, sipUri, …) shows as removed, and an update lists every input.
 * The plugin sends a detailed diff (plugin/server.ts); this gives the dynamic form the same one.
 *
 * How: the host builds the response right after our diff resolves, reading `result.changes` and calling
 * `resp.setChanges(…)` in the same synchronous step. The result's `changes` is a getter that leaves the detailed diff
 * for that call, and the host's DiffResponse class (the host's own protobuf module, required from where the host
 * loaded it) adds it to the response in `setChanges`. Nothing can run between the two, so concurrent diffs cannot
 * mix; a host that builds its response differently simply gets no detailed diff (the CLI then shows what it showed
 * before), and a host whose protobuf module cannot be found is left alone.
 */
import * as path from "node:path";
import type { PropertyDiffKind } from "../core/diff";

type Detailed = Record<string, PropertyDiffKind>;

let pending: Detailed | undefined;
let installed = false;

/** In the dynamic-provider host (its entry point is `main`): teaches its DiffResponse to carry our detailed diff. */
export function installHostDetailedDiff(main: string): boolean {
  if (installed) return true;
  let pb: any;
  try {
    pb = require(path.join(path.dirname(main), "..", "..", "proto", "provider_pb.js"));
  } catch {
    return false;
  }
  const Response = pb?.DiffResponse;
  const Kind = pb?.PropertyDiff?.Kind;
  const setChanges = Response?.prototype?.setChanges;
  if (typeof setChanges !== "function" || !Kind || typeof pb.PropertyDiff !== "function") return false;
  Response.prototype.setChanges = function (this: any, value: unknown) {
    const detail = pending;
    pending = undefined;
    const result = setChanges.call(this, value);
    if (detail) {
      this.setDiffsList(Object.keys(detail));
      this.setHasdetaileddiff(true);
      const map = this.getDetaileddiffMap();
      for (const [key, kind] of Object.entries(detail)) {
        const pd = new pb.PropertyDiff();
        pd.setKind(Kind[kind]);
        map.set(key, pd);
      }
    }
    return result;
  };
  installed = true;
  return true;
}

/**
 * A diff result for the host whose `changes`, when read, hands `detail` to the DiffResponse being built (see above).
 * Without the host installed it is a plain result.
 */
export function withDetailedDiff<T extends { changes: boolean }>(result: T, detail: Detailed): T {
  if (!installed || !result.changes) return result;
  const { changes, ...rest } = result;
  const out = { ...rest } as T;
  Object.defineProperty(out, "changes", {
    enumerable: true,
    get() {
      pending = detail;
      // Only the synchronous step that reads it may use it.
      queueMicrotask(() => {
        if (pending === detail) pending = undefined;
      });
      return changes;
    },
  });
  return out;
}
