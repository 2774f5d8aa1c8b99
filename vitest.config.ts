import { defineConfig } from 'vitest/config';

// Unit and integration tests run under plain Node (the app core, the server, shared code).
// Browser end-to-end tests are Playwright's (playwright.config.ts).
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // One embedded PostgreSQL for the whole run (the server tests' 'embedded' engine).
    globalSetup: ['test/embedded-postgres.setup.ts'],
    // Two cores: run files in parallel, but not so many that they starve each other.
    maxWorkers: 2,
    pool: 'forks',
  },
});
