/**
 * One emulator per test file, reset before each test, with the provider configured against it (and polling
 * sped up for the asynchronous registrations).
 */
import { afterAll, beforeAll, beforeEach } from "vitest";
import { startTestEmulator, type TestEmulator } from "./emulator";
import { configureFor } from "./engine";

export function useEmulator(): () => TestEmulator {
  let t: TestEmulator | undefined;
  beforeAll(async () => {
    process.env.PLIVO_POLL_INITIAL_MS = "20";
    process.env.PLIVO_POLL_MAX_MS = "100";
    t = await startTestEmulator();
    await configureFor(t);
  });
  afterAll(() => t?.close());
  beforeEach(() => t!.reset());
  return () => t!;
}
