import { defineConfig } from "vitest/config";

/**
 * Two projects: `unit` (everything that needs no Pulumi CLI: schema, provider, client, emulator suites, the
 * examples' type check) and `engine` (test/engine: the real CLI). `npm test` runs both, unit first (group 0),
 * then engine (group 1); `npm run test:unit` / `npm run test:engine` run one.
 *
 * Pool size is a root setting (vitest shares one fork pool across projects): two forks, so the engine files, which
 * each start their own emulator, temp project and stacks and spend most of their time waiting on the CLI, run two
 * at a time on a 2-core CI machine.
 */
export default defineConfig({
  test: {
    exclude: ["node_modules/**", "dist/**", "examples/**"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    reporters: ["default", "./test/summaryReporter.ts"],
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["{schema,provider,sdk,emulator,cli,test}/**/*.test.ts"],
          exclude: ["node_modules/**", "dist/**", "examples/**", "test/engine/**"],
          sequence: { groupOrder: 0 },
          // The create journal defaults to ~/.pulumi/plivo-journal: unit suites never write there; the ones that test
          // the journal give their own directory (engine tests get a PULUMI_HOME per project).
          env: { PLIVO_JOURNAL_DIR: "off" },
        },
      },
      {
        extends: true,
        test: {
          name: "engine",
          include: ["test/engine/**/*.test.ts"],
          // What a toolchain leg runs besides smoke.test.ts (scripts/test.js): the quickstart's smoke steps, which the
          // full engine run covers with the whole suites.
          exclude: process.env.PLIVO_SMOKE_LEG === "1" ? [] : ["test/engine/toolchain-smoke.test.ts"],
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
