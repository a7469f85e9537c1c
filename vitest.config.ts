import { defineConfig } from "vitest/config";

// Two projects: pure rules (unit) and services against a real database
// (integration; TEST_DB=pglite|postgres picks the driver, the same suite runs on both).
export default defineConfig({
  test: {
    // One database per integration file; files run one at a time to keep the 2-core machine calm.
    fileParallelism: false,
    projects: [
      {
        test: {
          name: "unit",
          include: ["tests/unit/**/*.test.ts"],
          environment: "node",
        },
      },
      {
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          environment: "node",
          testTimeout: 60_000,
          hookTimeout: 120_000,
          server: { deps: { inline: ["kysely"] } },
          // Every integration test runs with the transaction guard (decision 020).
          env: { DB_TRANSACTION_GUARD: "1" },
        },
      },
    ],
  },
});
