/** Struct values of the provider protocol ↔ plain values: secrets, resource references, nulls and undefined. */
import { describe, expect, it } from "vitest";
import { fromStruct, toStruct, type Struct } from "../../provider/plugin/values";

const SIG = "4dabf18193072939515e22adb298388d";
const secret = (value: unknown) => ({ [SIG]: "1b47061264138c4ac30d75fd1eb44270", value });
const ref = (urn: string, id?: string) => ({ [SIG]: "5cf8f73096256a8f31e491e813e4eb8e", urn, ...(id !== undefined ? { id } : {}) });

describe("plugin values", () => {
  it("unwraps secrets at any depth, remembering the top-level property; references become their id", () => {
    const struct = toStruct({
      alias: secret("private"),
      search: { countryIso: "US", pattern: secret("415") },
      appId: ref("urn:pulumi:dev::p::plivo:index:Application::a", "123"),
      parentRef: ref("urn:pulumi:dev::p::my:index:Component::c"),
      list: [1, null, "x"],
    }) as Struct;
    const { values, secrets } = fromStruct(struct);
    expect(values).toEqual({
      alias: "private",
      search: { countryIso: "US", pattern: "415" },
      appId: "123",
      parentRef: "urn:pulumi:dev::p::my:index:Component::c",
      list: [1, null, "x"],
    });
    expect([...secrets].sort()).toEqual(["alias", "search"]);
  });

  it("marks the given properties secret again and leaves undefined values out", () => {
    const out = (
      toStruct({ alias: "private", number: "14155550100", gone: undefined, nested: { a: undefined, b: 1 } }, new Set(["alias"])) as Struct
    ).toJavaScript();
    expect(out).toEqual({ alias: secret("private"), number: "14155550100", nested: { b: 1 } });
  });

  it("an absent Struct is empty", () => {
    expect(fromStruct(undefined)).toEqual({ values: {}, secrets: new Set() });
  });
});
