// The desktop app as `npm start` runs it: main, preload and renderer built from
// electron.vite.config.ts (into out/.electron-test/, so the bundle resolves node_modules as the
// real one does), then the built out/main/index.js started under the Electron stand-in. Proves
// the bundle finds its preload and renderer, serves the page over app:// with the CSP, and
// opens the database, where Electron itself cannot run.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { resolveConfig } from 'electron-vite';
import { build, mergeConfig } from 'vite';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../shared/security/csp';
import { createFakeElectronModule } from './fake-electron-module';

const root = resolve(import.meta.dirname, '../..');
const buildRoot = join(root, 'out', '.electron-test', String(process.pid));
const out = join(buildRoot, 'out');
const base = mkdtempSync(join(tmpdir(), 'built-bundle-'));
const userData = join(base, 'user-data');
const fake = createFakeElectronModule({ appPath: buildRoot, appData: join(base, 'app-data'), downloads: base });
vi.mock('electron', () => fake.module);

beforeAll(async () => {
  const resolved = await resolveConfig({ root }, 'build', 'production');
  const config = resolved.config!;
  for (const target of ['main', 'preload', 'renderer'] as const) {
    await build(mergeConfig(config[target]!, { logLevel: 'silent', build: { outDir: join(out, target), emptyOutDir: true } }));
  }
  const nodeBuild = join(dirname(createRequire(import.meta.url).resolve('better-sqlite3/package.json')), 'build', 'Release', 'better_sqlite3.node');
  mkdirSync(join(buildRoot, 'native', 'electron'), { recursive: true });
  copyFileSync(nodeBuild, join(buildRoot, 'native', 'electron', 'better_sqlite3.node'));

  process.argv.push(`--user-data-dir=${userData}`);
  await import(pathToFileURL(join(out, 'main', 'index.js')).href);
  process.argv.splice(process.argv.indexOf(`--user-data-dir=${userData}`), 1);
  fake.emitReady();
  const end = Date.now() + 20_000;
  while (!fake.windows[0]?.loadedUrl && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
}, 120_000);

afterAll(async () => {
  fake.module.app.emit('before-quit', { preventDefault: () => {} });
  const end = Date.now() + 10_000;
  while (!fake.module.app.quitRequested && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  rmSync(buildRoot, { recursive: true, force: true });
});

describe('the built desktop app under the stand-in', () => {
  it('opens its window on app://bundle/index.html with the built CommonJS preload', () => {
    const win = fake.windows[0]!;
    const page = win.loadedUrl ?? '';
    expect(page, page.startsWith('data:') ? decodeURIComponent(page).replace(/<[^>]+>/g, ' ') : page).toBe('app://bundle/index.html');
    expect(win.options.webPreferences?.preload).toBe(join(out, 'preload', 'index.cjs'));
    expect(existsSync(win.options.webPreferences!.preload!)).toBe(true);
  });

  it('serves the built renderer over app:// with the CSP, and its scripts', async () => {
    const handler = fake.protocolHandlers.get('app')!;
    const page = await handler(new Request('app://bundle/index.html'));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    const html = await page.text();
    const script = html.match(/<script[^>]+src="\.\/([^"]+)"/)?.[1];
    expect(script).toBeTruthy();
    // every script is a file: nothing inline for the CSP to refuse
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    const js = await handler(new Request(`app://bundle/${script}`));
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });

  it('opened the database in the data folder', () => {
    expect(existsSync(join(userData, 'data', 'ballot-intake.sqlite'))).toBe(true);
  });
});
