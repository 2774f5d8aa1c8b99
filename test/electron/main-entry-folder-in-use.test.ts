// The desktop app on a data folder a headless host already uses (npm run start:web --
// --data-dir USERDATA/data): Electron's single-instance lock does not see that process, the
// desk's folder lock does. The app shows the error window in words, opens no database, no IPC.
import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { spawnHost, stopHost, type HostProcess } from '../host/host-process';
import { createFakeElectronModule } from './fake-electron-module';

const base = mkdtempSync(join(tmpdir(), 'main-entry-in-use-'));
const appPath = join(base, 'app');
const userData = join(base, 'user-data');
const fake = createFakeElectronModule({ appPath, appData: join(base, 'app-data'), downloads: base });
vi.mock('electron', () => fake.module);
let host: HostProcess;

beforeAll(async () => {
  const require = createRequire(import.meta.url);
  const nodeBuild = join(dirname(require.resolve('better-sqlite3/package.json')), 'build', 'Release', 'better_sqlite3.node');
  mkdirSync(join(appPath, 'native', 'electron'), { recursive: true });
  copyFileSync(nodeBuild, join(appPath, 'native', 'electron', 'better_sqlite3.node'));
  host = spawnHost(join(userData, 'data'));
  await host.listening;
  process.argv.push(`--user-data-dir=${userData}`);
  await import('../../electron/main/index');
  fake.emitReady();
  const end = Date.now() + 20_000;
  while (!fake.windows[0]?.loadedUrl && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
}, 60_000);

afterAll(async () => {
  process.argv.splice(process.argv.indexOf(`--user-data-dir=${userData}`), 1);
  await stopHost(host);
});

it('refuses in words naming the folder and the process that holds it, and opens nothing', () => {
  expect(fake.windows).toHaveLength(1);
  const win = fake.windows[0]!;
  expect(win.options.webPreferences?.preload).toBeUndefined();
  const html = decodeURIComponent(win.loadedUrl!.replace(/^data:text\/html;charset=utf-8,/, ''));
  expect(html).toContain('This data folder is in use');
  expect(html).toContain(`Another Ballot Intake is already using ${join(userData, 'data')} (pid ${host.child.pid}).`);
  expect(fake.module.ipcMain.handlers.size).toBe(0);
});
