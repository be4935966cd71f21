/**
 * What the scan knows about stacks, read through the `pulumi` CLI in the project directory (provider/core/stacks.ts):
 * the stacks of the project, each one's resources and its Plivo settings (`pulumi config --json --show-secrets`,
 * decrypted by the CLI; never printed).
 */
import type { ConfigSource } from "../provider/config";
import { pulumi, readStackState, type StackState } from "../provider/core/stacks";

export { plivoType, readDeployment, stackNames, PulumiCliError, type ManagedResource } from "../provider/core/stacks";

export interface StackInfo extends StackState {
  config: ConfigSource;
}

export async function readStack(name: string, cwd: string): Promise<StackInfo> {
  const state = await readStackState(name, cwd);
  const raw = JSON.parse(await pulumi(["config", "--json", "--show-secrets", "--stack", name], cwd)) as Record<string, { value?: string }>;
  const values = new Map(Object.entries(raw).map(([k, v]) => [k, v?.value]));
  return { ...state, config: { get: (key) => values.get(key) ?? undefined } };
}

/** A stack's settings as the provider reads them (decrypted by the CLI, never printed); the selected stack by default. */
export async function readStackConfig(cwd: string, name?: string): Promise<ConfigSource> {
  const raw = JSON.parse(await pulumi(["config", "--json", "--show-secrets", ...(name ? ["--stack", name] : [])], cwd)) as Record<string, { value?: string }>;
  const values = new Map(Object.entries(raw).map(([k, v]) => [k, v?.value]));
  return { get: (key) => values.get(key) ?? undefined };
}
