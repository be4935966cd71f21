/**
 * The README and the docs stay true to the repository: the versions they say are tested are scripts/toolchain.json's,
 * every relative link (and its #anchor) leads somewhere, and the README stays a landing page.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "..");
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), "utf8");
const toolchain = JSON.parse(read("scripts/toolchain.json"));

/** The Markdown files a reader navigates: the README, docs/, the examples' and the emulator's READMEs. */
function markdownFiles(): string[] {
  const docs = fs.readdirSync(path.join(ROOT, "docs"), { recursive: true }) as string[];
  const examples = fs.readdirSync(path.join(ROOT, "examples"), { recursive: true }) as string[];
  return [
    "README.md",
    "emulator/README.md",
    "scripts/README.md",
    ...docs.filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`),
    ...examples.filter((f) => f.endsWith(".md") && !f.includes("node_modules")).map((f) => `examples/${f}`),
  ];
}

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces as hyphens. */
const slug = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[`*_]/g, "")
    .replace(/[^\p{L}\p{N} -]/gu, "")
    .replace(/ /g, "-");

function anchors(file: string): Set<string> {
  const text = read(file).replace(/^```[\s\S]*?^```$/gm, "");
  return new Set([...text.matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug(m[1]!)));
}

describe("documentation", () => {
  it("the README and docs/toolchain.md state the versions of scripts/toolchain.json", () => {
    for (const file of ["README.md", "docs/toolchain.md"]) {
      const text = read(file);
      expect(text, file).toContain(`| Pulumi CLI | ${toolchain.pulumiCli.current} | ${toolchain.pulumiCli.oldest} |`);
      expect(text, file).toContain(
        `| \`@pulumi/pulumi\`${file === "README.md" ? "" : " in programs"} | ${toolchain.pulumiSdk.current} | ${toolchain.pulumiSdk.oldest} |`,
      );
      expect(text, file).toContain(`| Node.js | ${toolchain.node.current} | ${toolchain.node.oldest} |`);
      expect(text, file).toContain(`| \`pulumi-language-yaml\` | ${toolchain.pulumiYaml} | ${toolchain.pulumiYaml} |`);
    }
    const pkg = JSON.parse(read("package.json"));
    expect(pkg.engines.node).toBe(`>=${toolchain.node.oldest.split(".")[0]}`);
    expect(pkg.dependencies["@pulumi/pulumi"]).toBe(`^${toolchain.pulumiSdk.oldest}`);
  });

  it("every relative link in the README and the docs leads to a file, and its #anchor to a heading", () => {
    const broken: string[] = [];
    for (const file of markdownFiles()) {
      const text = read(file).replace(/^```[\s\S]*?^```$/gm, "");
      for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = m[1]!;
        if (/^[a-z]+:/i.test(target)) continue;
        const [rel, anchor] = target.split("#") as [string, string | undefined];
        const resolved = rel ? path.normalize(path.join(path.dirname(file), rel)) : file;
        if (!fs.existsSync(path.join(ROOT, resolved))) {
          broken.push(`${file}: ${target} (no ${resolved})`);
          continue;
        }
        if (anchor && resolved.endsWith(".md") && !anchors(resolved).has(anchor)) broken.push(`${file}: ${target} (no heading #${anchor} in ${resolved})`);
      }
    }
    expect(broken).toEqual([]);
  });

  it("the README is a landing page (at most 15 KB); the reference lives under docs/", () => {
    expect(fs.statSync(path.join(ROOT, "README.md")).size).toBeLessThanOrEqual(15 * 1024);
  });
});
