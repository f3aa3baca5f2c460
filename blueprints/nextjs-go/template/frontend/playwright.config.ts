import path from 'node:path';

import { defineConfig, devices } from '@playwright/test';

// End-to-end tests run against the real stack: the Go API binary (`make build` first) and
// `next start` on the production build (`npm run build` first). Both are started here unless
// already running locally; in CI they always start fresh.
// E2E_API_PORT / E2E_WEB_PORT move both servers off 8080/3000 when those are taken.
const apiAddr = `127.0.0.1:${process.env.E2E_API_PORT || '8080'}`;
const webPort = process.env.E2E_WEB_PORT || '3000';
const baseURL = `http://127.0.0.1:${webPort}`;
const apiToken = process.env.API_TOKEN ?? 'dev-token';
const reuseExistingServer = !process.env.CI;

export default defineConfig({
  testDir: './tests/e2e',
  forbidOnly: Boolean(process.env.CI),
  // The tests share one database and one server each; one worker keeps them predictable.
  workers: 1,
  reporter: 'list',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL,
    trace: 'retain-on-failure',
    launchOptions: {
      // A system Chromium (e.g. /usr/bin/chromium) instead of a downloaded browser build.
      executablePath: process.env.PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH || undefined,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'] } }],
  webServer: [
    {
      // Needs DATABASE_URL and REDIS_URL in the environment; applies its migrations at start-up.
      command: './bin/api',
      cwd: path.join(__dirname, '..', 'backend'),
      url: `http://${apiAddr}/healthz`,
      env: { HTTP_ADDR: apiAddr, API_TOKEN: apiToken },
      reuseExistingServer,
      timeout: 60_000,
    },
    {
      command: `npm run start -- --hostname 127.0.0.1 --port ${webPort}`,
      url: baseURL,
      env: { API_BASE_URL: `http://${apiAddr}`, API_TOKEN: apiToken, NEXT_TELEMETRY_DISABLED: '1' },
      reuseExistingServer,
      timeout: 120_000,
    },
  ],
});
