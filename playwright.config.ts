// End-to-end tests: a real browser (Debian Chromium) against the production build served by the
// project's own server, one fresh server and database per test (see e2e/kit/fixtures.ts); or, with
// E2E_BASE_URL, against that deployment (see e2e/README.md).
import { defineConfig, type ReporterDescription } from '@playwright/test';

// `npm test` asks for a JSON report through PLAYWRIGHT_JSON_OUTPUT_FILE to count the results.
const json: ReporterDescription[] = process.env.PLAYWRIGHT_JSON_OUTPUT_FILE ? [['json']] : [];
// A run against a deployment keeps its results and report beside those of the per-test-server run.
const deployment = process.env.E2E_BASE_URL ? '/deployment' : '';

export default defineConfig({
  testDir: './e2e',
  testMatch: '**/*.spec.ts',
  globalSetup: './e2e/global-setup.ts',
  outputDir: `test-results${deployment}`,
  // Two cores: one test at a time, each with its own server process.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  forbidOnly: !!process.env.CI,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['html', { open: 'never', outputFolder: `playwright-report${deployment}` }], ...json],
  use: {
    browserName: 'chromium',
    viewport: { width: 1280, height: 800 },
    actionTimeout: 10_000,
    navigationTimeout: 30_000,
    trace: 'retain-on-failure',
    // On a deployment, Playwright's own `page` and `request` fixtures go there too.
    baseURL: process.env.E2E_BASE_URL || undefined,
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
  },
});
