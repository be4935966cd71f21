/**
 * Unit checks for the pure parts of the project's language host (scripts/language-host/host.js); the smoke
 * test covers it end to end through the CLI.
 */
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";

const host = createRequire(__filename)("../../scripts/language-host/host.js") as {
  parseArgs(argv: string[]): { tracing: string; verbose: number; logToStderr: boolean; engineAddress: string };
  splitArgs(s: string): string[];
  legacyConfigKey(key: string): string;
};

describe("language host helpers", () => {
  it("parses the flags the CLI passes to plugins, engine address last", () => {
    expect(host.parseArgs(["--logtostderr", "-v=9", "--tracing", "http://t", "127.0.0.1:1234"])).toMatchObject({
      logToStderr: true,
      verbose: 9,
      tracing: "http://t",
      engineAddress: "127.0.0.1:1234",
    });
    expect(host.parseArgs(["127.0.0.1:5"]).engineAddress).toBe("127.0.0.1:5");
  });

  it("splits nodeargs like a shell", () => {
    expect(host.splitArgs(`--max-old-space-size=4096  --require "./a b.js" 'x y' z\\ w`)).toEqual([
      "--max-old-space-size=4096",
      "--require",
      "./a b.js",
      "x y",
      "z w",
    ]);
    expect(host.splitArgs("")).toEqual([]);
    expect(() => host.splitArgs(`"open`)).toThrow(/unterminated/);
  });

  it("sends config keys in the <namespace>:config:<name> form the Node SDK reads", () => {
    expect(host.legacyConfigKey("plivo:authToken")).toBe("plivo:config:authToken");
    expect(host.legacyConfigKey("proj:config:x")).toBe("proj:config:x");
    expect(() => host.legacyConfigKey("a:b:c")).toThrow(/configuration key/);
  });
});
