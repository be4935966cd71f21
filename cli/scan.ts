/**
 * `pulumi-plivo scan`: what exists in a Plivo account that no stack manages, whose it probably is, and the program
 * line (`adoptId`) that brings each object under management.
 *
 * Whose: a journal entry of this machine names the resource an interrupted create made it for; a number's purchase
 * marker (`pulumi:stack/project/name#hash`) names the resource it was bought for; anything else was made outside
 * the scanned stacks.
 */
import type { JournalEntry } from "../provider/core/journal";
import { parseMarker, parseUrn, urnHash } from "../provider/core/marker";
import { inputsFromOutputs } from "../provider/core/wire";
import { handlers } from "../provider/resources";
import type { AccountObject } from "./account";
import type { StackInfo } from "./stacks";

export type Advice =
  /** An interrupted create made it for a resource whose state holds nothing: adopt it there. */
  | "adopt"
  /** Made for a resource that now holds another object: an extra purchase — release it, or adopt it elsewhere. */
  | "extra"
  /** Made for a resource of a stack that was not scanned. */
  | "other-stack"
  /** Nothing says who made it. */
  | "unknown";

export interface Finding {
  object: AccountObject;
  advice: Advice;
  /** The resource it was made for, when known. */
  urn?: string;
  /** How that is known. */
  evidence?: "journal" | "marker";
  /** What to do, in a sentence. */
  note: string;
  /** A program line that adopts it. */
  program: string;
}

/** An object that more than one resource holds (in two stacks, or twice in one): destroying either deletes it for both. */
export interface SharedObject {
  object: AccountObject;
  /** The resources that hold it, with their stacks. */
  holders: { stack: string; urn: string }[];
  note: string;
}

export interface ScanReport {
  account: string;
  stacks: string[];
  /** Objects in the account (manageable ones). */
  objects: number;
  managed: number;
  unmanaged: Finding[];
  /** Managed objects claimed by more than one resource. */
  shared: SharedObject[];
}

const NAME_FIELDS = ["alias", "appName", "name", "profileAlias", "brandAlias", "campaignAlias"];

function resourceName(o: AccountObject, urn: string | undefined): string {
  const fromUrn = urn ? parseUrn(urn)?.name : undefined;
  if (fromUrn) return fromUrn;
  for (const f of NAME_FIELDS) {
    const v = o.outs[f];
    if (typeof v === "string" && v.trim() && !parseMarker(v)) {
      const slug = v
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, "-")
        .replace(/^-|-$/g, "");
      if (slug) return slug;
    }
  }
  return `${o.type.replace(/[A-Z]/g, (c, i) => (i ? "-" : "") + c.toLowerCase())}-${o.id.replace(/[^A-Za-z0-9]/g, "").slice(-8)}`;
}

/** `new plivo.Application("support", { adoptId: "123", appName: "support", … });` */
export function adoptLine(o: AccountObject, urn?: string): string {
  const schema = handlers[o.type].schema;
  const inputs = inputsFromOutputs(schema, o.outs);
  // The id field is what adoptId gives; search criteria only apply to a purchase.
  if (schema.idField) delete inputs[schema.idField];
  delete inputs.search;
  if (typeof inputs.alias === "string" && parseMarker(inputs.alias)) delete inputs.alias;
  const fields = Object.entries(inputs)
    .filter(([, v]) => v !== undefined && v !== null && v !== "")
    .map(([k, v]) => `${k}: ${JSON.stringify(v)}`);
  return `new plivo.${o.type}(${JSON.stringify(resourceName(o, urn))}, { ${[`adoptId: ${JSON.stringify(o.id)}`, ...fields].join(", ")} });`;
}

/** The resource an unmanaged object was made for, and how we know. */
function originOf(o: AccountObject, stacks: StackInfo[], journal: JournalEntry[]): { urn: string; evidence: "journal" | "marker"; stack?: string } | undefined {
  const entry = journal.find((e) => e.id === o.id && e.type === o.type);
  if (entry) return { urn: entry.urn, evidence: "journal" };
  const marker = o.type === "PhoneNumber" ? parseMarker(o.alias) : undefined;
  if (!marker) return undefined;
  // The marker holds a hash of the full URN: find that URN among what the stacks know (state or pending creates).
  for (const s of stacks) {
    for (const urn of [...s.resources.map((r) => r.urn), ...s.pendingCreates]) if (urnHash(urn) === marker.hash) return { urn, evidence: "marker" };
  }
  const guess = `urn:pulumi:${marker.stack}::${marker.project}::pulumi-nodejs:dynamic/plivo:PhoneNumber::${marker.name}`;
  return { urn: guess, evidence: "marker" };
}

/**
 * Where an object of a subaccount lives (the main account lists its subaccounts' objects too, docs/plivo-api.md §14.20):
 * adopt it under that subaccount's provider.
 */
function inSubaccount(o: AccountObject): string {
  const sub = o.outs.subaccount;
  return typeof sub === "string" && sub ? ` (it lives in subaccount ${sub}: adopt it with that subaccount's provider)` : "";
}

/** Objects of the account that several resources of the scanned stacks hold. */
function sharedObjects(objects: AccountObject[], stacks: StackInfo[]): SharedObject[] {
  const holders = new Map<string, { stack: string; urn: string }[]>();
  for (const s of stacks) {
    for (const r of s.resources) {
      const key = `${r.type}\0${r.id}`;
      holders.set(key, [...(holders.get(key) ?? []), { stack: s.name, urn: r.urn }]);
    }
  }
  const out: SharedObject[] = [];
  for (const o of objects) {
    const h = holders.get(`${o.type}\0${o.id}`) ?? [];
    if (h.length < 2) continue;
    const who = h.map((x) => `${parseUrn(x.urn)?.name ?? x.urn} in stack ${x.stack}`).join(" and ");
    out.push({
      object: o,
      holders: h,
      note: `held by ${who}: destroying either deletes it for both; keep it in one state (\`pulumi state delete <urn> --stack <stack>\` in the other)`,
    });
  }
  return out;
}

export function compare(account: string, objects: AccountObject[], stacks: StackInfo[], journal: JournalEntry[]): ScanReport {
  const managed = new Set(stacks.flatMap((s) => s.resources.map((r) => `${r.type}\0${r.id}`)));
  const ours = journal.filter((e) => e.account === account);
  const unmanaged: Finding[] = [];
  for (const o of objects) {
    if (managed.has(`${o.type}\0${o.id}`)) continue;
    const origin = originOf(o, stacks, ours);
    const program = adoptLine(o, origin?.urn);
    if (!origin) {
      unmanaged.push({
        object: o,
        advice: "unknown",
        note: `made outside the scanned stacks${inSubaccount(o)}; adopt it with this line, or delete it if nobody needs it`,
        program,
      });
      continue;
    }
    const p = parseUrn(origin.urn);
    const stack = stacks.find((s) => s.name === p?.stack);
    const how = origin.evidence === "journal" ? "an interrupted create on this machine" : "its purchase marker";
    if (!stack) {
      unmanaged.push({
        object: o,
        advice: "other-stack",
        urn: origin.urn,
        evidence: origin.evidence,
        note: `made for ${origin.urn} (${how}); stack ${p?.stack ?? "?"} was not scanned: scan it too`,
        program,
      });
      continue;
    }
    const holder = stack.resources.find((r) => r.urn === origin.urn);
    if (holder) {
      unmanaged.push({
        object: o,
        advice: "extra",
        urn: origin.urn,
        evidence: origin.evidence,
        note: `made for ${p!.name} in stack ${stack.name} (${how}), which now holds ${holder.id}: an extra one — release it, or adopt it under another resource`,
        program,
      });
    } else {
      unmanaged.push({
        object: o,
        advice: "adopt",
        urn: origin.urn,
        evidence: origin.evidence,
        note: `made for ${p?.name} in stack ${stack.name} (${how}), whose state holds nothing for it: add adoptId to that resource (\`pulumi up\` on the machine of the interrupted run takes it over by itself)`,
        program,
      });
    }
  }
  return {
    account,
    stacks: stacks.map((s) => s.name),
    objects: objects.length,
    managed: objects.length - unmanaged.length,
    unmanaged,
    shared: sharedObjects(objects, stacks),
  };
}

const ADVICE_TITLE: Record<Advice, string> = {
  adopt: "would adopt (made for a resource that has none)",
  extra: "extra (its resource holds another one)",
  "other-stack": "made for a stack that was not scanned",
  unknown: "made outside the scanned stacks",
};

export function render(report: ScanReport): string {
  const lines = [
    `Plivo account ${report.account}: ${report.objects} objects, ${report.managed} managed by stack${report.stacks.length === 1 ? "" : "s"} ${report.stacks.join(", ") || "(none)"}`,
  ];
  if (report.shared.length > 0) {
    lines.push(`${report.shared.length} claimed by more than one resource:`);
    for (const x of report.shared) lines.push(`    ${x.object.type} ${x.object.id}: ${x.note}`);
    lines.push("");
  }
  if (report.unmanaged.length === 0) {
    lines.push("Nothing unmanaged.");
    return lines.join("\n");
  }
  lines.push(`${report.unmanaged.length} not managed by any of them:`);
  for (const advice of Object.keys(ADVICE_TITLE) as Advice[]) {
    const group = report.unmanaged.filter((f) => f.advice === advice);
    if (group.length === 0) continue;
    lines.push("", `  ${ADVICE_TITLE[advice]} (${group.length}):`);
    for (const f of group) {
      lines.push(`    ${f.object.type} ${f.object.id}: ${f.note}`, `      ${f.program}`);
    }
  }
  return lines.join("\n");
}

/** Pulumi's import file (`pulumi import --file`): https://www.pulumi.com/docs/iac/adopting-pulumi/import/ */
export interface ImportFile {
  nameTable?: Record<string, string>;
  resources: { type: string; name: string; id: string; provider?: string }[];
}

/**
 * The import file for everything the reports list as unmanaged: the plugin's type tokens (`plivo:index:<Type>`),
 * a unique resource name for each (the resource it was made for when known, else its alias or name), its id, and
 * — with `providerUrn` — the explicit provider resource to import it with (the default provider otherwise).
 */
export function importFile(reports: ScanReport[], providerUrn?: string): ImportFile {
  const used = new Set<string>();
  const unique = (name: string) => {
    let n = name;
    for (let i = 2; used.has(n); i++) n = `${name}-${i}`;
    used.add(n);
    return n;
  };
  const resources = reports.flatMap((r) =>
    r.unmanaged.map((f) => ({
      type: `plivo:index:${f.object.type}`,
      name: unique(resourceName(f.object, f.urn)),
      id: f.object.id,
      ...(providerUrn ? { provider: "plivo" } : {}),
    })),
  );
  return providerUrn ? { nameTable: { plivo: providerUrn }, resources } : { resources };
}
