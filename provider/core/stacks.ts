/**
 * The Pulumi stacks of a project as the `pulumi` CLI shows them in the project's directory: their names (`pulumi stack
 * ls --json`) and the Plivo resources each state holds (`pulumi stack export`). Shared by the account scan
 * (cli/stacks.ts) and by the provider's claims (claims.ts): both forms of the provider run in the program's directory.
 */
import { spawn } from "node:child_process";

export interface ManagedResource {
  urn: string;
  /** Resource type name, e.g. "PhoneNumber". */
  type: string;
  id: string;
  stack: string;
}

export interface StackState {
  name: string;
  resources: ManagedResource[];
  /** URNs the state lists as interrupted creates (the CLI died while they ran). */
  pendingCreates: string[];
}

export class PulumiCliError extends Error {
  override readonly name = "PulumiCliError";
}

/** Runs `pulumi <args>` in `cwd` and returns its stdout (stderr goes into the error). */
export function pulumi(args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn("pulumi", args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (out += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (err += d));
    child.on("error", (e) => reject(new PulumiCliError(`could not run pulumi (${e.message}): is the Pulumi CLI on PATH?`)));
    child.on("close", (code) => {
      // `config --show-secrets` output never reaches an error message: only stderr does.
      if (code === 0) resolve(out);
      else reject(new PulumiCliError(`pulumi ${args.filter((a) => a !== "--show-secrets").join(" ")} failed (exit ${code}): ${err.trim()}`));
    });
  });
}

/** `pulumi-nodejs:dynamic/plivo:PhoneNumber` (dynamic form) or `plivo:index:PhoneNumber` (plugin form) → `PhoneNumber`. */
export function plivoType(token: string): string | undefined {
  const m = /^(?:pulumi-nodejs:dynamic\/plivo|plivo:index|plivo):(\w+)$/.exec(token);
  return m ? m[1] : undefined;
}

/** The Plivo resources and pending creates of an exported deployment (`pulumi stack export`). */
export function readDeployment(exported: any, stack: string): Pick<StackState, "resources" | "pendingCreates"> {
  const d = exported?.deployment ?? {};
  const resources: ManagedResource[] = [];
  for (const r of d.resources ?? []) {
    const type = plivoType(String(r.type));
    if (type && r.id) resources.push({ urn: String(r.urn), type, id: String(r.id), stack });
  }
  const pendingCreates = (d.pending_operations ?? [])
    .filter((op: any) => op.type === "creating" && plivoType(String(op.resource?.type)))
    .map((op: any) => String(op.resource.urn));
  return { resources, pendingCreates };
}

export async function stackNames(cwd: string): Promise<string[]> {
  const list = JSON.parse(await pulumi(["stack", "ls", "--json"], cwd)) as { name: string }[];
  return list.map((s) => s.name);
}

/** A stack's Plivo resources (its state, secrets left encrypted). */
export async function readStackState(name: string, cwd: string): Promise<StackState> {
  const exported = JSON.parse(await pulumi(["stack", "export", "--stack", name], cwd));
  return { name, ...readDeployment(exported, name) };
}
