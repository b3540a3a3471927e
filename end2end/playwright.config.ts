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
// The workers read this config again: they must find the same folder.
process.env.LAYAN_E2E_SCRATCH = scratch;
const databaseUrl = process.env.LAYAN_E2E_DATABASE_URL ?? `sqlite://${scratch}/layan.db`;
// Text messages go through a real Kannel when the test command installed it (fakesmsc's
// output is what the phones received: support.ts textTo), else into the outbox folder.
const bearerbox = process.env.LAYAN_TEST_KANNEL;
const kannel = bearerbox && fs.existsSync(bearerbox) ? { dir: path.join(scratch, "kannel"), port: port + 10, secret: "e2e-kannel-calls-layan" } : null;
process.env.LAYAN_E2E_SMS_LOG = kannel ? path.join(kannel.dir, "fakesmsc.out") : "";
process.env.LAYAN_E2E_SMS_DIR = path.join(scratch, "outbox", "sms");
const smsEnv: Record<string, string> = kannel
  ? {
      SMS_URL: `kannel://layan:rahasia@127.0.0.1:${kannel.port}?from=DINSOS`,
      LAYAN_SMS_SECRET: kannel.secret,
      LAYAN_SMS_CALLBACK_URL: `http://127.0.0.1:${port}`,
    }
  : {};
const kannelServer = kannel
  ? [
      {
        command: `bash scripts/kannel.sh ${kannel.dir} ${kannel.port} http://127.0.0.1:${port} ${kannel.secret}`,
        cwd: root,
        port: kannel.port,
        timeout: 60_000,
        reuseExistingServer: false,
        stdout: "ignore" as const,
        stderr: "pipe" as const,
      },
    ]
  : [];

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
  webServer: [
    ...kannelServer,
    {
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
      ...smsEnv,
    },
    },
  ],
});
