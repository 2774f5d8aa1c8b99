import { defineConfig } from '@playwright/test';

// The desktop app under Playwright's _electron: run with
//   npx playwright test -c test/e2e-electron/playwright.config.ts
// after `npm run build`. On Linux without a display, under `xvfb-run -a`. Where the Electron
// binary is absent the one test here is skipped and says so.
export default defineConfig({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  timeout: 180_000,
  workers: 1,
  reporter: [['list']],
  outputDir: '../../test-results/e2e-electron',
});
