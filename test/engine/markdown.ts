/** The shell blocks of the project's Markdown, for tests that run a page's commands as written. */
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "./harness-setup";

/** The `sh` blocks of a Markdown file of the repository, in order. */
export function shellBlocks(file: string): string[] {
  const text = fs.readFileSync(path.join(REPO_ROOT, file), "utf8");
  return [...text.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
}
