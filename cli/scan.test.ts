import { describe, expect, it } from "vitest";
import type { JournalEntry } from "../provider/core/journal";
import { purchaseMarker } from "../provider/core/marker";
import type { AccountObject } from "./account";
import { parseScanArgs, UsageError } from "./index";
import { adoptLine, compare, importFile, render } from "./scan";
import { plivoType, readDeployment, type StackInfo } from "./stacks";

const urn = (stack: string, name: string, type = "PhoneNumber") => `urn:pulumi:${stack}::shop::pulumi-nodejs:dynamic/plivo:${type}::${name}`;
const stack = (name: string, resources: [string, string, string][], pendingCreates: string[] = []): StackInfo => ({
  name,
  resources: resources.map(([type, resName, id]) => ({ type, id, urn: urn(name, resName, type), stack: name })),
  pendingCreates,
  config: { get: () => undefined },
});
const number = (id: string, alias?: string): AccountObject => ({
  type: "PhoneNumber",
  id,
  // What listAccount gives: a purchase marker is not an output, a user's alias is.
  outs: { number: id, ...(alias && !alias.startsWith("pulumi:") ? { alias } : {}), country: "US" },
  ...(alias ? { alias } : {}),
});
const entry = (u: string, id: string, type = "PhoneNumber"): JournalEntry => ({
  v: 1,
  urn: u,
  type,
  account: "MA1",
  key: `buy ${id}`,
  id,
  pid: 1,
  host: "h",
  at: "",
});

describe("compare", () => {
  const app: AccountObject = {
    type: "Application",
    id: "111",
    outs: { appId: "111", appName: "Legacy IVR", answerUrl: "https://e.com/a", answerMethod: "POST" },
  };

  it("leaves out what any scanned stack manages and classifies the rest", () => {
    const dev = stack(
      "dev",
      [
        ["PhoneNumber", "line-0", "14155550100"],
        ["Application", "app", "222"],
        ["PhoneNumber", "line-2", "14155550199"],
      ],
      [urn("dev", "line-1")],
    );
    const prod = stack("prod", [["PhoneNumber", "line-0", "14155550101"]]);
    const objects = [
      number("14155550100"),
      number("14155550101"),
      { type: "Application" as const, id: "222", outs: { appId: "222", appName: "support" } },
      number("14155550102", purchaseMarker(urn("dev", "line-1"))), // marker of a pending create: adopt
      number("14155550103"), // journal entry of line-2, which holds another number: extra
      number("14155550104", purchaseMarker(urn("staging", "line-0"))), // another stack
      app,
    ];
    const report = compare(
      "MA1",
      objects,
      [dev, prod],
      [entry(urn("dev", "line-2"), "14155550103"), { ...entry(urn("dev", "x"), "111", "Application"), account: "MAOTHER" }],
    );
    expect(report).toMatchObject({ account: "MA1", stacks: ["dev", "prod"], objects: 7, managed: 3 });
    const byId = Object.fromEntries(report.unmanaged.map((f) => [f.object.id, f]));
    expect(Object.keys(byId).sort()).toEqual(["111", "14155550102", "14155550103", "14155550104"]);
    expect(byId["14155550102"]).toMatchObject({ advice: "adopt", evidence: "marker", urn: urn("dev", "line-1") });
    expect(byId["14155550103"]).toMatchObject({ advice: "extra", evidence: "journal", urn: urn("dev", "line-2") });
    expect(byId["14155550103"]!.note).toContain("now holds 14155550199");
    expect(byId["14155550104"]).toMatchObject({ advice: "other-stack" });
    expect(byId["14155550104"]!.note).toContain("stack staging was not scanned");
    // The journal entry of another account says nothing about this one.
    expect(byId["111"]).toMatchObject({ advice: "unknown" });
    const text = render(report);
    expect(text).toContain("4 not managed by any of them");
    expect(text).toContain('new plivo.PhoneNumber("line-1", { adoptId: "14155550102" });');
  });

  it("flags an object that two stacks (or two resources of one) hold, even though it is managed", () => {
    const dev = stack("dev", [
      ["PhoneNumber", "line", "14155550100"],
      ["Application", "app", "222"],
    ]);
    const prod = stack("prod", [
      ["PhoneNumber", "adopted", "14155550100"],
      ["Application", "app", "333"],
    ]);
    const objects = [number("14155550100"), { type: "Application" as const, id: "222", outs: {} }, { type: "Application" as const, id: "333", outs: {} }];
    const report = compare("MA1", objects, [dev, prod], []);
    expect(report.unmanaged).toEqual([]);
    expect(report.shared.map((x) => [x.object.id, x.holders.map((h) => h.stack)])).toEqual([["14155550100", ["dev", "prod"]]]);
    const text = render(report);
    expect(text).toContain("1 claimed by more than one resource:");
    expect(text).toContain("PhoneNumber 14155550100: held by line in stack dev and adopted in stack prod: destroying either deletes it for both");
    expect(text).toContain("Nothing unmanaged.");
  });

  it("says so when nothing is unmanaged", () => {
    const report = compare("MA1", [number("14155550100")], [stack("dev", [["PhoneNumber", "a", "14155550100"]])], []);
    expect(report.unmanaged).toEqual([]);
    expect(render(report)).toMatch(/1 objects, 1 managed by stack dev\nNothing unmanaged\./);
  });
});

describe("adoptLine", () => {
  it("declares the inputs the object has, with adoptId, and a name from the resource or the object", () => {
    const app: AccountObject = { type: "Application", id: "111", outs: { appId: "111", appName: "Legacy IVR", answerUrl: "https://e.com/a", sipUri: "sip:x" } };
    expect(adoptLine(app)).toBe('new plivo.Application("legacy-ivr", { adoptId: "111", appName: "Legacy IVR", answerUrl: "https://e.com/a" });');
    expect(adoptLine(number("14155550100", purchaseMarker(urn("dev", "line-7"))), urn("dev", "line-7"))).toBe(
      'new plivo.PhoneNumber("line-7", { adoptId: "14155550100" });',
    );
    expect(adoptLine(number("14155550100"))).toBe('new plivo.PhoneNumber("phone-number-55550100", { adoptId: "14155550100" });');
  });
});

describe("stacks", () => {
  it("recognises the dynamic and the plugin type tokens", () => {
    expect(plivoType("pulumi-nodejs:dynamic/plivo:PhoneNumber")).toBe("PhoneNumber");
    expect(plivoType("plivo:index:Campaign")).toBe("Campaign");
    expect(plivoType("pulumi:providers:pulumi-nodejs")).toBeUndefined();
  });

  it("reads the Plivo resources and the interrupted creates of an export", () => {
    const exported = {
      deployment: {
        resources: [
          { urn: "urn:pulumi:dev::p::pulumi:pulumi:Stack::p-dev", type: "pulumi:pulumi:Stack" },
          { urn: urn("dev", "a"), type: "pulumi-nodejs:dynamic/plivo:PhoneNumber", id: "14155550100" },
        ],
        pending_operations: [
          { type: "creating", resource: { urn: urn("dev", "b"), type: "pulumi-nodejs:dynamic/plivo:PhoneNumber" } },
          { type: "updating", resource: { urn: urn("dev", "a"), type: "pulumi-nodejs:dynamic/plivo:PhoneNumber" } },
        ],
      },
    };
    expect(readDeployment(exported, "dev")).toEqual({
      resources: [{ urn: urn("dev", "a"), type: "PhoneNumber", id: "14155550100", stack: "dev" }],
      pendingCreates: [urn("dev", "b")],
    });
  });
});

describe("arguments", () => {
  it("parses stacks, directory, journal and output options; refuses unknown ones", () => {
    expect(parseScanArgs(["--stack", "dev", "-s", "prod", "--cwd", "/p", "--journal-dir", "off", "--json", "--exit-code"])).toEqual({
      stacks: ["dev", "prod"],
      cwd: "/p",
      journalDir: "off",
      json: true,
      exitCode: true,
    });
    expect(() => parseScanArgs(["--stack"])).toThrow(UsageError);
    expect(() => parseScanArgs(["--colour"])).toThrow("unknown option --colour");
  });
});

describe("importFile", () => {
  const app: AccountObject = { type: "Application", id: "111", outs: { appId: "111", appName: "Legacy IVR" } };
  const twin: AccountObject = { type: "Application", id: "112", outs: { appId: "112", appName: "legacy-ivr" } };
  const report = compare(
    "MA1",
    [app, twin, number("14155550102", purchaseMarker(urn("dev", "line-1"))), number("14155550103")],
    [stack("dev", [], [urn("dev", "line-1")])],
    [],
  );

  it("lists everything unmanaged with the plugin's tokens, unique names and ids, for the default provider", () => {
    expect(importFile([report])).toEqual({
      resources: [
        { type: "plivo:index:Application", name: "legacy-ivr", id: "111" },
        { type: "plivo:index:Application", name: "legacy-ivr-2", id: "112" },
        { type: "plivo:index:PhoneNumber", name: "line-1", id: "14155550102" },
        { type: "plivo:index:PhoneNumber", name: "phone-number-55550103", id: "14155550103" },
      ],
    });
  });

  it("names an explicit provider through the name table", () => {
    const provider = "urn:pulumi:dev::shop::pulumi:providers:plivo::stage::0f1e";
    const file = importFile([report], provider);
    expect(file.nameTable).toEqual({ plivo: provider });
    expect(file.resources.every((r) => r.provider === "plivo")).toBe(true);
  });

  it("--import-provider needs --import-file and a URN", () => {
    expect(parseScanArgs(["--import-file", "x.json"]).importFile).toBe("x.json");
    expect(() => parseScanArgs(["--import-provider", "urn:pulumi:a::b::c::d"])).toThrow(UsageError);
    expect(() => parseScanArgs(["--import-file", "x.json", "--import-provider", "plivo"])).toThrow(/must be a provider resource's URN/);
  });
});
