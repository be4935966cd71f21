/**
 * Every generated file of the repository, by path relative to its root: the package schema, the typed SDK and the
 * reference docs, all derived from `schema/`. `node dist/codegen/write.js` (`npm run generate`) writes them; the
 * drift test (test/codegen/drift.test.ts) fails when a committed file differs from what this returns.
 */
import { packageSchema } from "../provider/plugin/packageSchema";
import { packageVersion } from "../provider/plugin/version";
import { docsFiles } from "./docs";
import { nodejsFiles } from "./nodejs";

export { GENERATED_NOTE } from "./note";

export function generatedFiles(): Map<string, string> {
  const files = new Map<string, string>();
  const schema = packageSchema(packageVersion());
  files.set("provider/plugin/schema.json", `${JSON.stringify(schema, null, 2)}\n`);
  for (const [file, content] of nodejsFiles()) files.set(file, content);
  for (const [file, content] of docsFiles()) files.set(file, content);
  return files;
}
