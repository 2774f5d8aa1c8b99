// The entry point when the app must not start: with no Electron-ABI database driver where it
// belongs, it shows the error window (and no app window, and no IPC) instead of failing silently.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, expect, it, vi } from 'vitest';
import { createFakeElectronModule } from './fake-electron-module';

const base = mkdtempSync(join(tmpdir(), 'main-entry-refusal-'));
const fake = createFakeElectronModule({ appPath: join(base, 'app-without-native'), appData: join(base, 'app-data'), downloads: base });
vi.mock('electron', () => fake.module);

beforeAll(async () => {
  await import('../../electron/main/index');
  fake.emitReady();
  const end = Date.now() + 10_000;
  while (!fake.windows[0]?.loadedUrl && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
});

it('shows a static error page saying what is missing and what to do, and nothing else', () => {
  expect(fake.windows).toHaveLength(1);
  const win = fake.windows[0]!;
  expect(win.options.webPreferences).toMatchObject({ javascript: false, sandbox: true, nodeIntegration: false });
  expect(win.options.webPreferences?.preload).toBeUndefined();
  const html = decodeURIComponent(win.loadedUrl!.replace(/^data:text\/html;charset=utf-8,/, ''));
  expect(html).toContain('The database driver for Electron is missing');
  expect(html).toContain('npm start');
  // no --user-data-dir: the development data folder under appData
  expect(html).toContain(join(base, 'app-data', 'Ballot Intake (development)', 'logs', 'ballot-intake.log'));
  expect(fake.module.ipcMain.handlers.size).toBe(0);
});
