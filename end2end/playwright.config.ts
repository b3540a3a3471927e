import { defineConfig } from "@playwright/test";
import * as path from "node:path";
import * as os from "node:os";
import * as fs from "node:fs";

// The test command (scripts/test.sh) builds Layan first and says which binary and which
// database to use; run on its own, this starts the debug build on a throwaway SQLite file.
const root = path.resolve(__dirname, "..");
const port = Number(process.env.LAYAN_E2E_PORT ?? 3210);
const targetDir = process.env.CARGO_TARGET_DIR ?? path.join(root, "target");
const binary = process.env.LAYAN_BIN ?? path.join(targetDir, "debug", "layan");
// The server's scratch folder (SQLite file, uploads, outbox); the test command passes one
// it removes afterwards.
const scratch = process.env.LAYAN_E2E_SCRATCH ?? fs.mkdtempSync(path.join(os.tmpdir(), "layan-e2e-"));
const databaseUrl = process.env.LAYAN_E2E_DATABASE_URL ?? `sqlite://${scratch}/layan.db`;

export default defineConfig({
  testDir: "./tests",
  outputDir: path.join(root, "target", "e2e-results"),
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  workers: 2,
  forbidOnly: true,
  retries: 0,
  reporter: [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    browserName: "chromium",
    // A cheap Android phone.
    viewport: { width: 360, height: 640 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: "id-ID",
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
  webServer: {
    command: binary,
    cwd: root,
    url: `http://127.0.0.1:${port}/healthz`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: "ignore",
    stderr: "pipe",
    env: {
      LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
      LEPTOS_SITE_ROOT: path.join(root, "target", "site"),
      DATABASE_URL: databaseUrl,
      LAYAN_DEMO: "1",
      LAYAN_UPLOAD_DIR: path.join(scratch, "uploads"),
      LAYAN_OUTBOX_DIR: path.join(scratch, "outbox"),
      LAYAN_LOG: "warn",
    },
  },
});
