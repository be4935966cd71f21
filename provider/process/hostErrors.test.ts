/** One-line errors and the host's second report (hostErrors.ts), on the exact line the dynamic-provider host prints. */
import { afterEach, describe, expect, it, vi } from "vitest";
import { ResourceInitError } from "../core/errors";
import { forEngine, installQuietHostErrors, oneLine } from "./hostErrors";

describe("errors for the engine", () => {
  afterEach(() => {
    delete process.env.PLIVO_DEBUG;
    vi.restoreAllMocks();
  });

  it("collapse to one line and keep what the engine reads from a partially created resource", () => {
    const e = forEngine(new ResourceInitError("B123", { a: 1 }, new Error("brand B123 ended FAILED:\n  Tax id\n  does not match")));
    expect(e.message).toBe("brand B123 ended FAILED: Tax id does not match");
    expect(e).toMatchObject({ id: "B123", properties: { a: 1 }, reasons: ["brand B123 ended FAILED: Tax id does not match"] });
    expect(e.stack).toBe("ResourceInitError: brand B123 ended FAILED: Tax id does not match");
    expect(forEngine("plain").message).toBe("plain");
    expect(oneLine(" a\r\n  b \n")).toBe("a b");
  });

  it("the host's `${e}: ${e.stack}` line for our error is dropped; every other line is printed", () => {
    const printed: unknown[][] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void printed.push(args);
    try {
      installQuietHostErrors();
      const e = forEngine(new Error("Campaign C1: description cannot be changed while the campaign is ACTIVE"));
      // Exactly what @pulumi/pulumi/cmd/dynamic-provider does in check, diff, read and delete.
      console.error(`${e}: ${e.stack}`);
      console.error(`${e}: ${e.stack}`); // a second, unexpected print is not swallowed
      console.error("something else");
      expect(printed.map((a) => a[0])).toEqual([`${e}: ${e.stack}`, "something else"]);
    } finally {
      console.error = original;
    }
  });

  it("with PLIVO_DEBUG the stack stays and the host prints it", () => {
    process.env.PLIVO_DEBUG = "1";
    const err = new Error("boom\nsecond line");
    const e = forEngine(err);
    expect(e.message).toBe("boom second line");
    expect(e.stack).toContain("hostErrors.test.ts");
  });
});
