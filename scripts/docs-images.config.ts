// The README's extra pictures (scripts/docs-images.spec.ts), apart from the test suite: run with
//   npx electron-vite build && TZ=Europe/Paris npx playwright test -c scripts/docs-images.config.ts
// (a zone other than UTC, so the statement's picture shows its times in local time with the zone).
// The other pictures in docs/images are the evidence the e2e specs save under
// test-results/screenshots/ (test/e2e/evidence.ts), copied by hand.
import { defineConfig } from '@playwright/test';
import base from '../playwright.config';

export default defineConfig({ ...base, testDir: '.', testMatch: 'docs-images.spec.ts', outputDir: '../test-results/docs-images' });
