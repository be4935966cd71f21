#!/usr/bin/env node
/**
 * `pulumi-plivo` — the package's command line.
 *
 *   npx pulumi-plivo scan [--stack NAME]... [--cwd DIR] [--journal-dir DIR|off] [--json] [--exit-code]
 *                         [--import-file FILE [--import-provider URN]]
 *   pulumi preview --json | npx pulumi-plivo cost [--stack NAME] [--cwd DIR] [--json] [--max-monthly USD] [--max-one-time USD]
 *
 * scan: lists what exists in the Plivo account(s) of the project's stacks that none of them manages, says whose it
 * probably is and prints the `adoptId` lines that bring each under management; flags what several resources (of
 * two stacks, or twice in one) hold. Runs `pulumi` in the project
 * directory (the stacks' states and decrypted config); the account is read with the provider's own client, with the
 * credentials each stack's config (or PLIVO_* environment) gives. Exit code 0; with --exit-code, 3 when something is
 * unmanaged or claimed by two resources; 1 on errors.
 *
 * cost: what the plan costs, as a Markdown table for a pull request (cli/costCommand.ts, docs/cost.md).
 */
import { resolveConfig, getClient, closeAllClients } from "../provider/config";
import { journalDir, openJournal } from "../provider/core/journal";
import { listAccount, listedTypes } from "./account";
import * as fs from "node:fs";
import { compare, importFile, render, type ScanReport } from "./scan";
import { readStack, stackNames, type StackInfo } from "./stacks";
import { COST_USAGE, costMain } from "./costCommand";

/** `text` wrapped at `width` columns, each line indented by `indent` spaces. */
function wrap(text: string, indent: number, width: number): string {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line && indent + line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.map((l) => `${" ".repeat(indent)}${l}`).join("\n");
}

const USAGE = `usage: pulumi-plivo scan [--stack NAME]... [--cwd DIR] [--journal-dir DIR|off] [--json] [--exit-code]
                          [--import-file FILE [--import-provider URN]]

  Lists what exists in the Plivo account that no stack of the project manages, whose it probably is, and the
  program lines (adoptId) that bring each under management; and what more than one resource of the stacks holds
  (destroying either would delete it for both). Types listed:
${wrap(listedTypes().join(", "), 2, 116)}

  --stack NAME       a stack to compare with (repeatable; default: every stack of the project)
  --cwd DIR          the Pulumi project directory (default: the current directory)
  --journal-dir DIR  the create journal to consult (default: as the provider: plivo:journalDir, PLIVO_JOURNAL_DIR,
                     $PULUMI_HOME/plivo-journal); "off" to ignore it
  --json             machine-readable output
  --exit-code        exit 3 when something is unmanaged or claimed by more than one resource
  --import-file FILE also write Pulumi's import file for everything unmanaged (plivo:index:* tokens, names, ids):
                     \`pulumi import --file FILE\` then brings it all under management and prints its program
  --import-provider URN
                     the explicit provider resource the import file names (default: the stack's default provider)`;

export class UsageError extends Error {
  override readonly name = "UsageError";
}

interface ScanArgs {
  stacks: string[];
  cwd: string;
  journalDir?: string;
  json: boolean;
  exitCode: boolean;
  importFile?: string;
  importProvider?: string;
}

export function parseScanArgs(argv: string[]): ScanArgs {
  const args: ScanArgs = { stacks: [], cwd: process.cwd(), json: false, exitCode: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith("--")) throw new UsageError(`${a} needs a value`);
      return v;
    };
    if (a === "--stack" || a === "-s") args.stacks.push(value());
    else if (a === "--cwd" || a === "-C") args.cwd = value();
    else if (a === "--journal-dir") args.journalDir = value();
    else if (a === "--json") args.json = true;
    else if (a === "--exit-code") args.exitCode = true;
    else if (a === "--import-file") args.importFile = value();
    else if (a === "--import-provider") args.importProvider = value();
    else throw new UsageError(`unknown option ${a}`);
  }
  if (args.importProvider !== undefined && args.importFile === undefined) throw new UsageError("--import-provider needs --import-file");
  if (args.importProvider !== undefined && !args.importProvider.startsWith("urn:pulumi:")) {
    throw new UsageError(`--import-provider must be a provider resource's URN (urn:pulumi:…), got ${JSON.stringify(args.importProvider)}`);
  }
  return args;
}

/** Runs the scan: one report per Plivo account the stacks use. */
export async function scan(args: ScanArgs): Promise<ScanReport[]> {
  const names = args.stacks.length ? args.stacks : await stackNames(args.cwd);
  if (names.length === 0) throw new UsageError(`no stacks in ${args.cwd}: give --stack or run in a Pulumi project directory`);
  const stacks: StackInfo[] = [];
  for (const n of names) stacks.push(await readStack(n, args.cwd));
  // Stacks may use different accounts (dev and prod): each account is listed once, against every stack using it.
  const byAccount = new Map<string, { config: ReturnType<typeof resolveConfig>; stacks: StackInfo[] }>();
  for (const s of stacks) {
    const config = resolveConfig(s.config);
    const key = `${config.baseUrl}\n${config.authId}`;
    const group = byAccount.get(key) ?? { config, stacks: [] };
    group.stacks.push(s);
    byAccount.set(key, group);
  }
  const reports: ScanReport[] = [];
  try {
    for (const { config, stacks: group } of byAccount.values()) {
      const dir = journalDir(args.journalDir ?? group[0]!.config.get("plivo:journalDir"));
      const journal = openJournal(dir)?.all() ?? [];
      const objects = await listAccount(getClient(config));
      reports.push(compare(config.authId, objects, group, journal));
    }
  } finally {
    await closeAllClients();
  }
  return reports;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === "help" || command === "--help" || command === "-h") {
    process.stdout.write(`${USAGE}\n\n${COST_USAGE}\n`);
    return command === undefined ? 1 : 0;
  }
  if (command === "cost") return costMain(rest);
  if (command !== "scan") {
    process.stderr.write(`pulumi-plivo: unknown command "${command}"\n${USAGE}\n`);
    return 1;
  }
  try {
    const args = parseScanArgs(rest);
    const reports = await scan(args);
    if (args.importFile) {
      const file = importFile(reports, args.importProvider);
      fs.writeFileSync(args.importFile, `${JSON.stringify(file, null, 2)}\n`);
      process.stderr.write(
        `pulumi-plivo scan: wrote ${file.resources.length} resource(s) to ${args.importFile}; bring them under management with \`pulumi import --file ${args.importFile}\`\n`,
      );
    }
    process.stdout.write(args.json ? `${JSON.stringify(reports, null, 2)}\n` : `${reports.map(render).join("\n\n")}\n`);
    return args.exitCode && reports.some((r) => r.unmanaged.length > 0 || r.shared.length > 0) ? 3 : 0;
  } catch (err) {
    process.stderr.write(`pulumi-plivo scan: ${err instanceof Error ? err.message : String(err)}\n`);
    if (err instanceof UsageError) process.stderr.write(`${USAGE}\n`);
    return 1;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
