import { defineConfig, devices } from "@playwright/test";

// User journeys in Debian's Chromium (never a downloaded browser: stack.md), against
// the production build on a fresh embedded database seeded with the demo data.
const PORT = Number(process.env.E2E_PORT ?? 3210);
const DATA_DIR = process.env.E2E_DATA_DIR ?? `/tmp/boi-duong-e2e-${PORT}`;

export default defineConfig({
  testDir: "tests/e2e",
  outputDir: "test-results/e2e",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  // The HTML report keeps the tour's screenshots (tests/e2e/tour.spec.ts) for a person to review.
  reporter: [["list"], ["html", { open: "never", outputFolder: "test-results/report" }]],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    locale: "vi-VN",
    timezoneId: "Asia/Ho_Chi_Minh",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"], channel: undefined } }],
  webServer: {
    // As production runs it (decision 030): the bundled server under plain Node. The bundle
    // is remade first (under a second), so it always matches the source being tested.
    command: `rm -rf ${DATA_DIR} && node scripts/build-server.mjs && node build/server/main.js`,
    url: `http://127.0.0.1:${PORT}/healthz`,
    // A fresh database: migrations, lessons, seed banks and demo data before listening.
    timeout: 240_000,
    reuseExistingServer: false,
    env: {
      NODE_ENV: "production",
      DEMO_SEED: "1",
      PORT: String(PORT),
      HOST: "127.0.0.1",
      DATA_DIR,
      LOG_LEVEL: "warn",
      DB_TRANSACTION_GUARD: "1",
      BUILD_DIR: process.env.BUILD_DIR ?? "build",
    },
    stdout: "ignore",
    stderr: "pipe",
  },
});
