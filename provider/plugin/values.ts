/**
 * Property values on the wire of the provider protocol (google.protobuf.Struct) ↔ the plain objects the shared
 * machinery works on. The engine marks secrets and resource references with "signature" keys (unknowns travel as a
 * sentinel string, which core/unknowns.ts recognises); the handlers only ever see plain values, and the plugin marks
 * secret again every top-level property that came in secret (an output of a secret input stays secret in the state).
 */

/** The google.protobuf classes the generated protos of `@pulumi/pulumi` use (one copy: npm dedupes the dependency). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const structProto = require("google-protobuf/google/protobuf/struct_pb");

export interface Struct {
  toJavaScript(): Record<string, unknown>;
}

const SIG = "4dabf18193072939515e22adb298388d";
const SECRET = "1b47061264138c4ac30d75fd1eb44270";
const RESOURCE_REFERENCE = "5cf8f73096256a8f31e491e813e4eb8e";

export interface PlainProps {
  values: Record<string, unknown>;
  /** Top-level properties that held a secret anywhere inside. */
  secrets: Set<string>;
}

/** Struct → plain values (secrets unwrapped, resource references replaced by their id). */
export function fromStruct(struct: Struct | undefined): PlainProps {
  const secrets = new Set<string>();
  const values: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(struct?.toJavaScript() ?? {})) {
    let secret = false;
    values[k] = plain(v, () => (secret = true));
    if (secret) secrets.add(k);
  }
  return { values, secrets };
}

function plain(v: unknown, onSecret: () => void): unknown {
  if (Array.isArray(v)) return v.map((x) => plain(x, onSecret));
  if (v === null || typeof v !== "object") return v;
  const o = v as Record<string, unknown>;
  if (o[SIG] === SECRET) {
    onSecret();
    return plain(o.value, onSecret);
  }
  if (o[SIG] === RESOURCE_REFERENCE) return o.id !== undefined && o.id !== "" ? o.id : o.urn;
  return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, plain(x, onSecret)]));
}

/** Plain values → Struct, marking `secrets` as secret; undefined values are left out. */
export function toStruct(values: Record<string, unknown>, secrets: ReadonlySet<string> = new Set()): unknown {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values)) {
    const cleaned = withoutUndefined(v);
    if (cleaned === undefined) continue;
    out[k] = secrets.has(k) ? { [SIG]: SECRET, value: cleaned } : cleaned;
  }
  return structProto.Struct.fromJavaScript(out);
}

function withoutUndefined(v: unknown): unknown {
  if (Array.isArray(v)) return v.map((x) => withoutUndefined(x) ?? null);
  if (v === null || typeof v !== "object") return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    const c = withoutUndefined(x);
    if (c !== undefined) out[k] = c;
  }
  return out;
}
