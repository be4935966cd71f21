/**
 * `--transition TYPE=MODE[:N][:OUTCOME]` (and `EmulatorOptions.transitions`): e.g. `brand=reads:2`,
 * `campaign=manual`, `tfv=seconds:30:failure`, `link=immediate:failure`. N is the read count (reads) or the delay in
 * seconds (seconds). Kinds and outcomes are checked against the lifecycles the resource modules declare.
 */
import type { Ctx } from "../context";
import type { Raw } from "../http";
import { lifecycleCatalog } from "../resources";
import type { LifecycleSpec } from "./lifecycle";
import { parseKind, parsePolicy, type TransitionSetting } from "./policy";

/** Parse one flag value; throws an Error starting with `invalid --transition` on bad syntax or values. */
export function parseTransitionFlag(text: string, specs: ReadonlyMap<string, LifecycleSpec> = lifecycleCatalog()): TransitionSetting {
  const m = /^\s*([A-Za-z]+)\s*=\s*(.+?)\s*$/.exec(text);
  if (!m) throw new Error(`invalid --transition "${text}": expected TYPE=MODE[:N][:OUTCOME]`);
  const parts = m[2].split(":").map((s) => s.trim());
  const raw: Raw = { mode: parts[0] };
  let i = 1;
  if (i < parts.length && /^\d+(\.\d+)?$/.test(parts[i])) {
    const mode = parts[0].toLowerCase();
    if (mode === "reads") raw.count = parts[i];
    else if (mode === "seconds") raw.seconds = parts[i];
    else throw new Error(`invalid --transition "${text}": a number only follows reads or seconds`);
    i++;
  }
  if (i < parts.length) raw.outcome = parts[i++];
  if (i < parts.length) throw new Error(`invalid --transition "${text}": expected TYPE=MODE[:N][:OUTCOME]`);
  try {
    const spec = parseKind(m[1], specs);
    return { resource: spec.kind, ...parsePolicy(spec, raw) };
  } catch (err) {
    throw new Error(`invalid --transition "${text}": ${(err as Error).message}`);
  }
}

function settingFrom(v: string | TransitionSetting, specs: ReadonlyMap<string, LifecycleSpec>): TransitionSetting {
  if (typeof v === "string") return parseTransitionFlag(v, specs);
  try {
    const spec = parseKind(v.resource, specs);
    return { resource: spec.kind, ...(v.id !== undefined ? { id: String(v.id) } : {}), ...parsePolicy(spec, v as unknown as Raw) };
  } catch (err) {
    throw new Error(`invalid --transition ${JSON.stringify(v)}: ${(err as Error).message}`);
  }
}

/**
 * Apply `EmulatorOptions.transitions` (CLI `--transition`): they win over the policies of a loaded data file and
 * are re-applied after POST /__emulator/reset. Throws on an invalid entry.
 */
export function applyTransitionOptions(ctx: Ctx, list: Array<string | TransitionSetting> | undefined): void {
  if (!list || list.length === 0) return;
  ctx.engine.setStartupSettings(list.map((v) => settingFrom(v, ctx.engine.lifecycles)));
}
