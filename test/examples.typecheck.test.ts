/** Every example (and the demo) type-checks against the package's typed API, so a schema change that breaks a
 * program fails here, before the engine tests run them. */
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { expect, it } from "vitest";

it("examples type-check against the SDK", () => {
  const root = join(__dirname, "..");
  let output = "";
  try {
    execFileSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", join(root, "examples/tsconfig.typecheck.json")], { encoding: "utf8" });
  } catch (err) {
    output = String((err as { stdout?: string }).stdout ?? err);
  }
  expect(output).toBe("");
}, 120_000);
