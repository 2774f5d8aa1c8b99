// The entry point over a data folder whose audit chain was tampered with: the app core opens,
// finds the chain broken, and the shell shows the error window instead of the app.
import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, expect, it, vi } from 'vitest';
import { openApp } from '../../electron/main/app/index';
import { memoryLog } from './fake-app';
import { createFakeElectronModule } from './fake-electron-module';

const base = mkdtempSync(join(tmpdir(), 'main-entry-audit-'));
const appPath = join(base, 'app');
const userData = join(base, 'user-data');
const fake = createFakeElectronModule({ appPath, appData: join(base, 'app-data'), downloads: base });
vi.mock('electron', () => fake.module);

beforeAll(async () => {
  const nodeBuild = join(dirname(createRequire(import.meta.url).resolve('better-sqlite3/package.json')), 'build', 'Release', 'better_sqlite3.node');
  mkdirSync(join(appPath, 'native', 'electron'), { recursive: true });
  copyFileSync(nodeBuild, join(appPath, 'native', 'electron', 'better_sqlite3.node'));

  // A first run writes audit entries; then someone edits one behind the triggers' back.
  const dataDir = join(userData, 'data');
  const first = await openApp({ dataDir, log: memoryLog(), secretStore: { description: 'none', get: async () => null, set: async () => ({ ok: true, value: undefined }) } });
  if (!first.ok) throw new Error(first.error.message);
  await first.value.dispatch('createFirstSupervisor', { name: 'Sam Supervisor', pin: '246810' });
  await first.value.close();
  const db = new Database(join(dataDir, 'ballot-intake.sqlite'));
  db.exec(`DROP TRIGGER audit_no_update; UPDATE audit SET actor = 'Mallory' WHERE seq = (SELECT MAX(seq) FROM audit);`);
  db.close();

  process.argv.push(`--user-data-dir=${userData}`);
  await import('../../electron/main/index');
  process.argv.splice(process.argv.indexOf(`--user-data-dir=${userData}`), 1);
  fake.emitReady();
  const end = Date.now() + 20_000;
  while (!fake.windows[0]?.loadedUrl && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
}, 60_000);

it('shows that the audit log is broken, where, and that scanning is stopped; opens no app window', () => {
  expect(fake.windows).toHaveLength(1);
  const html = decodeURIComponent(fake.windows[0]!.loadedUrl!.replace(/^data:text\/html;charset=utf-8,/, ''));
  expect(html).toContain('The audit log is broken');
  expect(html).toMatch(/at entry \d+/);
  expect(html).toContain('Scanning is stopped');
  expect(fake.module.ipcMain.handlers.size).toBe(0);
});
