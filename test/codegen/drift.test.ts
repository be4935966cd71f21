/** Every generated file is committed as `npm run generate` writes it (schema changes show up in review). */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { generatedFiles } from "../../codegen/index";

const root = path.resolve(__dirname, "..", "..");

describe("generated files", () => {
  for (const [file, content] of generatedFiles()) {
    it(`${file} is up to date (run \`npm run generate\` after changing schema/)`, () => {
      const full = path.join(root, file);
      expect(fs.existsSync(full), `${file} is missing`).toBe(true);
      expect(fs.readFileSync(full, "utf8")).toBe(content);
    });
  }
});
