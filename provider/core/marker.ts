/**
 * The purchase marker: the alias the provider writes on a number bought by search when the program declares none,
 * in the first request after the buy. It names the stack, project and resource the number was bought for, so the
 * account scan (`pulumi-plivo scan`) can say whose a number is that no state holds. Plivo's buy call takes no alias:
 * between the buy and this update a number carries no marker (see README, Reliability).
 *
 *   pulumi:dev/quickstart/support-line#1a2b3c4d      (stack/project/name#first 8 hex of sha256(URN))
 */
import { createHash } from "node:crypto";

export const MARKER_PREFIX = "pulumi:";
/** Plivo's alias limit as the emulator enforces it; the marker never needs more. */
const MAX_LENGTH = 100;

export interface ParsedUrn {
  stack: string;
  project: string;
  type: string;
  name: string;
}

/** `urn:pulumi:dev::proj::pulumi-nodejs:dynamic/plivo:PhoneNumber::name` → its parts. */
export function parseUrn(urn: string): ParsedUrn | undefined {
  const m = /^urn:pulumi:([^:]+)::([^:]+)::(.+)::([\s\S]*)$/.exec(urn);
  if (!m) return undefined;
  const type = m[3]!.split("$").pop()!;
  return { stack: m[1]!, project: m[2]!, type, name: m[4]! };
}

export const urnHash = (urn: string) => createHash("sha256").update(urn).digest("hex").slice(0, 8);

/** The marker for a resource's URN (at most 100 characters: a long name is shortened, the hash keeps it unique). */
export function purchaseMarker(urn: string): string {
  const p = parseUrn(urn);
  const suffix = `#${urnHash(urn)}`;
  const readable = p ? `${p.stack}/${p.project}/${p.name}` : "resource";
  const room = MAX_LENGTH - MARKER_PREFIX.length - suffix.length;
  return `${MARKER_PREFIX}${readable.length > room ? readable.slice(0, room) : readable}${suffix}`;
}

export interface ParsedMarker {
  stack: string;
  project: string;
  /** Possibly shortened. */
  name: string;
  hash: string;
}

export function parseMarker(alias: unknown): ParsedMarker | undefined {
  if (typeof alias !== "string" || !alias.startsWith(MARKER_PREFIX)) return undefined;
  const m = /^pulumi:([^/]+)\/([^/]+)\/(.*)#([0-9a-f]{8})$/.exec(alias);
  return m ? { stack: m[1]!, project: m[2]!, name: m[3]!, hash: m[4]! } : undefined;
}

export const isMarker = (alias: unknown): boolean => parseMarker(alias) !== undefined;
