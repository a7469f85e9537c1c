import path from "node:path";
import { defineConfig } from "vitest/config";

// The app's "~/…" imports (vite.config.ts) resolve the same way when a test renders a component.
const resolve = { alias: { "~": path.resolve(import.meta.dirname, "app") } };

// Two projects: pure rules (unit) and services against a real database
// (integration; TEST_DB=pglite|postgres picks the driver, the same suite runs on both).
export default defineConfig({
  test: {
    // One database per integration file; files run one at a time to keep the 2-core machine calm.
    fileParallelism: false,
    projects: [
      {
        resolve,
        test: {
          name: "unit",
          include: ["tests/unit/**/*.test.ts"],
          environment: "node",
        },
      },
      {
        resolve,
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
