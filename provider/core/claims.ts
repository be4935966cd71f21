/**
 * Whose an object is, so that stacks never share one by accident (docs/stages.md). Two witnesses:
 * - the states of the project's stacks, read through the `pulumi` CLI in the program's directory (stacks.ts), as the
 *   account scan reads them — only once a conflict is found (an existing object with the declared number or natural
 *   key, an adoptId) and once per process: every later question is answered from that read;
 * - a number's purchase marker (marker.ts), which names the stack, project and resource it was bought for.
 *
 * Both forms of the provider ask here: a preview refuses to adopt implicitly what another resource holds and says so
 * loudly for an explicit adoption (preview.ts), a name unique in the account is judged with them (uniqueName below),
 * and the recovery of interrupted creates never takes a claimed object over (resume.ts).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { fail, type CheckFailure } from "../../schema/resource";
import type { ResourceContext } from "./context";
import { diffInputs } from "./diff";
import type { Props, ResourceHandler } from "./handler";
import { parseMarker, parseUrn, urnHash } from "./marker";
import { outputs } from "./read";
import { readStackState, stackNames, type StackState } from "./stacks";

export interface Claim {
  /** The stack whose state holds the object, or that a number's purchase marker names. */
  stack: string;
  /** The resource's name in that stack. */
  name: string;
  /** The resource's URN, when a state says it. */
  urn?: string;
  /** Whether the claimant is the stack asking (another of its resources). */
  sameStack: boolean;
  how: "state" | "purchase marker";
}

export interface Claims {
  /** Resources other than the one asking that hold the object. */
  by: Claim[];
  /** Why the stacks' states could not be read (only a marker could speak then). */
  unreadable?: string;
}

/** A long-lived process (the plugin serving several commands) reads the states again after this long. */
const MAX_AGE_MS = 10 * 60_000;

interface Read {
  at: number;
  states: Promise<{ states: StackState[] } | { unreadable: string }>;
}

const reads = new Map<string, Read>();

/** Forgets the states read (tests). */
export function forgetClaims(): void {
  reads.clear();
}

/** The name of the Pulumi project in `dir` (Pulumi.yaml), if any. */
function projectIn(dir: string): string | undefined {
  for (const file of ["Pulumi.yaml", "Pulumi.yml"]) {
    const full = path.join(dir, file);
    if (!fs.existsSync(full)) continue;
    try {
      const name = (parseYaml(fs.readFileSync(full, "utf8")) as { name?: unknown } | null)?.name;
      return typeof name === "string" ? name : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** The states of every stack of `project`, read once per process (the program's directory is the working directory). */
function states(project: string): Read["states"] {
  const dir = process.cwd();
  const key = `${dir}\n${project}`;
  const known = reads.get(key);
  if (known && Date.now() - known.at < MAX_AGE_MS) return known.states;
  const read: Read = {
    at: Date.now(),
    states: (async () => {
      if (projectIn(dir) !== project) return { unreadable: `the provider does not run in the directory of project ${project}` };
      try {
        const all: StackState[] = [];
        for (const name of await stackNames(dir)) all.push(await readStackState(name, dir));
        return { states: all };
      } catch (err) {
        return { unreadable: err instanceof Error ? err.message : String(err) };
      }
    })(),
  };
  reads.set(key, read);
  return read.states;
}

/** `org/project/dev` (some backends) → `dev`, as URNs name stacks. */
const bareStack = (name: string) => name.split("/").pop()!;

/**
 * Which resources other than `ctx`'s hold the object `type`/`id` (`id` canonical): the stacks' states, and — given the
 * object as Plivo returns it — its purchase marker.
 */
export async function claimsOn(ctx: Pick<ResourceContext, "type" | "urn">, id: string, wire?: Record<string, unknown>): Promise<Claims> {
  const me = ctx.urn ? parseUrn(ctx.urn) : undefined;
  const by: Claim[] = [];
  let unreadable: string | undefined;
  if (!me) unreadable = "the resource's URN is not known";
  else {
    const read = await states(me.project);
    if ("unreadable" in read) unreadable = read.unreadable;
    else {
      for (const s of read.states) {
        for (const r of s.resources) {
          if (r.type !== ctx.type || r.id !== id || r.urn === ctx.urn) continue;
          const stack = bareStack(s.name);
          by.push({ stack, name: parseUrn(r.urn)?.name ?? r.urn, urn: r.urn, sameStack: stack === me.stack, how: "state" });
        }
      }
    }
  }
  // A purchase marker of another stack (or project) says whose a number is even where no state holds it.
  const marker = parseMarker(wire?.alias);
  if (marker && (!ctx.urn || marker.hash !== urnHash(ctx.urn)) && (marker.stack !== me?.stack || marker.project !== me?.project)) {
    if (!by.some((c) => c.stack === marker.stack)) by.push({ stack: marker.stack, name: marker.name, sameStack: false, how: "purchase marker" });
  }
  return unreadable === undefined ? { by } : { by, unreadable };
}

/** `stack dev (PhoneNumber "line")`, `this stack (PhoneNumber "old-line")`, joined. */
export function describeClaims(type: string, claims: Claim[]): string {
  return claims
    .map((c) => `${c.sameStack ? "this stack" : `stack ${c.stack}`} (${type} "${c.name}"${c.how === "purchase marker" ? ", by its purchase marker" : ""})`)
    .join(" and ");
}

/** What to do about an object another stack holds, for messages. */
export function claimAdvice(claims: Claim[]): string {
  const other = claims.find((c) => !c.sameStack);
  if (!other) return "it is deleted when that resource is (rename resources with `aliases` instead)";
  return `to move it here, forget it there first (\`pulumi state delete ${other.urn ?? "<urn>"} --stack ${other.stack}\`)`;
}

/**
 * The rule of a name unique in the account (a Powerpack's), judged at preview when an object with the name exists:
 * another stack's (or another resource's) object fails the preview naming it; an object nobody holds fails unless it
 * has the declared values (then the create takes it over as an interrupted run's, as recovery would).
 */
export async function uniqueName(
  h: ResourceHandler,
  ctx: ResourceContext,
  inputs: Props,
  field: string,
  existing: Record<string, unknown>,
  id: string,
): Promise<CheckFailure[]> {
  const type = h.schema.type;
  const value = JSON.stringify(inputs[field]);
  const claims = await claimsOn(ctx, id, existing);
  const rule = `must be unique in the Plivo account: ${type} ${id} is named ${value}`;
  if (claims.by.length > 0) {
    const elsewhere = claims.by.some((c) => !c.sameStack);
    return [
      fail(
        field,
        `${rule} and belongs to ${describeClaims(type, claims.by)}; ${elsewhere ? "give this stack's another name (e.g. with the stack's name in it)" : "rename the resource with `aliases` instead of declaring a second one"}`,
      ),
    ];
  }
  const d = diffInputs(h.schema, outputs(h, existing, inputs), inputs);
  if (d.updates.length === 0 && d.replaces.length === 0) return [];
  const nobody = claims.unreadable ? `the stacks' states could not be read: ${claims.unreadable}` : "no stack of this project holds it";
  return [fail(field, `${rule} (${nobody}) and differs in ${[...d.replaces, ...d.updates].join(", ")}; adopt it with adoptId "${id}", or choose another name`)];
}

/** An implicit adoption (a PhoneNumber whose `number` is in the account) of what another resource holds: refused. */
export function implicitAdoptionRefused(h: ResourceHandler, id: string, claims: Claim[], declared: unknown): CheckFailure {
  const idField = h.schema.idField;
  const field = idField !== undefined && idField in h.schema.inputs ? idField : "adoptId";
  return fail(
    field,
    `${h.schema.type} ${id} is already in the account and belongs to ${describeClaims(h.schema.type, claims)}: it would be taken over, ` +
      `and destroying either would delete it for both; declare another, or ${claimAdvice(claims)} and adopt it with adoptId`,
    declared,
  );
}

/** What an explicit adoption of what another resource holds means, after the adoption's own note. */
export function sharedAdoption(h: ResourceHandler, claims: Claim[]): string {
  return (
    `Warning: it belongs to ${describeClaims(h.schema.type, claims)} too; both will manage it, and destroying either deletes it ` +
    `for both: ${claimAdvice(claims)}`
  );
}
