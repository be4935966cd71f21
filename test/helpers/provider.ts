/**
 * One emulator per test file, reset before each test, with the provider configured against it (and polling
 * sped up for the asynchronous registrations).
 */
import { beforeAll } from "vitest";
import { useTestEmulator, type TestEmulator } from "./emulator";
import { configureFor } from "./engine";

export function useEmulator(): () => TestEmulator {
  const emulator = useTestEmulator();
  beforeAll(async () => {
    process.env.PLIVO_POLL_INITIAL_MS = "20";
    process.env.PLIVO_POLL_MAX_MS = "100";
    await configureFor(emulator());
  });
  return emulator;
}
