/** Writes every generated file (see index.ts); prints the ones that changed. */
import * as fs from "node:fs";
import * as path from "node:path";
import { generatedFiles } from "./index";

const root = path.resolve(__dirname, "..", "..");
let changed = 0;
for (const [file, content] of generatedFiles()) {
  const full = path.join(root, file);
  if (fs.existsSync(full) && fs.readFileSync(full, "utf8") === content) continue;
  fs.mkdirSync(path.dirname(full), { recursive: true });
  fs.writeFileSync(full, content);
  console.log(`wrote ${file}`);
  changed++;
}
console.log(`${changed} generated file(s) changed`);
