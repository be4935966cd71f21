import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["{schema,provider,sdk,emulator,test}/**/*.test.ts"],
    exclude: ["node_modules/**", "dist/**", "examples/**"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    reporters: ["default", "./test/summaryReporter.ts"],
  },
});
