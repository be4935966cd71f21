/**
 * The dynamic form's detailed diff (hostDiff.ts) on the real protobuf module of the installed @pulumi/pulumi, built the
 * way its dynamic-provider host builds a DiffResponse: read `result.changes`, then `setChanges` in the same step.
 */
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { installHostDetailedDiff, withDetailedDiff } from "./hostDiff";

const hostMain = require.resolve("@pulumi/pulumi/cmd/dynamic-provider/index.js");
const pb = require(path.join(path.dirname(hostMain), "..", "..", "proto", "provider_pb.js"));
const Changes = pb.DiffResponse.DiffChanges;

/** What the host does with a diff result (cmd/dynamic-provider/index.js, ResourceProviderService.diff). */
function hostResponse(result: { changes?: boolean; replaces?: string[] }) {
  const resp = new pb.DiffResponse();
  if (result.changes === true) resp.setChanges(Changes.DIFF_SOME);
  else if (result.changes === false) resp.setChanges(Changes.DIFF_NONE);
  else resp.setChanges(Changes.DIFF_UNKNOWN);
  if (result.replaces && result.replaces.length !== 0) resp.setReplacesList(result.replaces);
  return resp;
}

const detail = (resp: any) => {
  const out: Record<string, number> = {};
  resp.getDetaileddiffMap().forEach((v: any, k: string) => (out[k] = v.getKind()));
  return out;
};

describe("the dynamic host's DiffResponse", () => {
  it("is left alone until installed; a result is then plain", () => {
    const plain = withDetailedDiff({ changes: true, replaces: ["appName"] }, { appName: "UPDATE_REPLACE" });
    expect(Object.getOwnPropertyDescriptor(plain, "changes")?.get).toBeUndefined();
    expect(hostResponse(plain).getHasdetaileddiff()).toBe(false);
  });

  it("carries the detailed diff of the result it was built from, also when diffs interleave", async () => {
    expect(installHostDetailedDiff(hostMain)).toBe(true);
    const a = withDetailedDiff({ changes: true, replaces: ["appName"] }, { appName: "UPDATE_REPLACE" });
    const b = withDetailedDiff({ changes: true, replaces: [] as string[] }, { alias: "UPDATE", cnam: "ADD" });
    // Two diffs resolved one after the other, their responses built in later turns.
    const [ra, rb] = await Promise.all([Promise.resolve(a).then(hostResponse), Promise.resolve(b).then(hostResponse)]);
    const Kind = pb.PropertyDiff.Kind;
    expect(ra.getHasdetaileddiff()).toBe(true);
    expect(detail(ra)).toEqual({ appName: Kind.UPDATE_REPLACE });
    expect(ra.getDiffsList()).toEqual(["appName"]);
    expect(ra.getReplacesList()).toEqual(["appName"]);
    expect(detail(rb)).toEqual({ alias: Kind.UPDATE, cnam: Kind.ADD });
    // A response built without our result (another provider's, or no changes) gets nothing.
    expect(hostResponse({ changes: true }).getHasdetaileddiff()).toBe(false);
    expect(hostResponse(withDetailedDiff({ changes: false }, {})).getHasdetaileddiff()).toBe(false);
    // Reading `changes` and building the response later (another turn) attaches nothing: no detail can go astray.
    void a.changes;
    await Promise.resolve();
    expect(hostResponse({ changes: true }).getHasdetaileddiff()).toBe(false);
  });

  it("a host whose protobuf module cannot be found is left alone", () => {
    expect(installHostDetailedDiff("/nowhere/cmd/dynamic-provider/index.js")).toBe(true); // already installed: no-op
  });
});
