// The real entry point (electron/main/index.ts) and the real app core behind it, under Node with
// the Electron stand-in: what can be proved of `npm start` where Electron itself cannot run. The
// core opens its database through `nativeBinding`, here a copy of the Node-ABI driver in the
// place where the Electron-ABI one goes (native/electron/better_sqlite3.node).
import Database from 'better-sqlite3';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { IPC } from '../../shared/api/bridge';
import { encodeBarcode } from '../../shared/barcode/barcode';
import { pinKeyId } from '../../electron/main/app/auth/pin';
import { invokeEvent } from './fake-electron';
import { createFakeElectronModule } from './fake-electron-module';

const base = mkdtempSync(join(tmpdir(), 'main-entry-'));
const appPath = join(base, 'app');
const userData = join(base, 'user-data');
const fake = createFakeElectronModule({ appPath, appData: join(base, 'app-data'), downloads: join(base, 'Downloads') });
vi.mock('electron', () => fake.module);

const until = async (what: string, condition: () => boolean, ms = 20_000) => {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; calls: ${fake.calls.join(' | ')}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

beforeAll(async () => {
  const require = createRequire(import.meta.url);
  const nodeBuild = join(dirname(require.resolve('better-sqlite3/package.json')), 'build', 'Release', 'better_sqlite3.node');
  mkdirSync(join(appPath, 'native', 'electron'), { recursive: true });
  copyFileSync(nodeBuild, join(appPath, 'native', 'electron', 'better_sqlite3.node'));
  process.argv.push(`--user-data-dir=${userData}`);
  await import('../../electron/main/index');
  fake.emitReady();
  await until('the window to load', () => fake.windows[0]?.loadedUrl != null);
}, 60_000);

afterAll(async () => {
  process.argv.splice(process.argv.indexOf(`--user-data-dir=${userData}`), 1);
  // the quit path closes the core
  fake.module.app.emit('before-quit', { preventDefault: () => {} });
  await until('the quit after closing the core', () => fake.module.app.quitRequested);
});

describe('electron/main/index.ts under the stand-in', () => {
  it('sets up before ready: the app:// scheme, the sandbox for all renderers, the data folder, the lock', () => {
    const beforeReady = fake.calls.slice(0, fake.calls.indexOf('ready'));
    expect(beforeReady).toEqual(['protocol.registerSchemesAsPrivileged app', 'app.enableSandbox', 'app.setPath userData', 'app.requestSingleInstanceLock']);
  });

  it('opens the database, writes the log and keeps the window state in the user-data folder', () => {
    expect(existsSync(join(userData, 'data', 'ballot-intake.sqlite'))).toBe(true);
    expect(existsSync(join(userData, 'logs', 'ballot-intake.log'))).toBe(true);
  });

  it('serves the renderer over app:// and installs the menu and permission handlers', () => {
    expect(fake.calls).toContain('protocol.handle app');
    expect(fake.menu()?.length).toBeGreaterThan(3);
    expect(fake.module.session.defaultSession.requestHandler).not.toBeNull();
  });

  it('opens one hardened window on app://bundle/index.html with the CommonJS preload', () => {
    expect(fake.windows).toHaveLength(1);
    const win = fake.windows[0]!;
    expect(win.loadedUrl).toBe('app://bundle/index.html');
    expect(win.shown).toBe(true);
    expect(win.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false });
    expect(win.options.webPreferences?.preload).toMatch(/preload[\\/]index\.cjs$/);
  });

  it("guards the window's webContents: no navigation away, no window.open", () => {
    const contents = fake.windows[0]!.webContents;
    expect(contents.navigate('https://example.org/')).toBe(false);
    expect(contents.openWindow('https://example.org/')).toEqual({ action: 'deny' });
  });

  it('records a scan through IPC into the real core, and refuses the same call from a sub-frame', async () => {
    const contents = fake.windows[0]!.webContents;
    const ipc = fake.module.ipcMain;
    const trusted = invokeEvent(contents, contents.mainFrame);
    const call = async (name: Parameters<typeof IPC.operation>[0], input: unknown) => {
      const result = (await ipc.invoke(IPC.operation(name), trusted, input)) as { ok: boolean; value?: unknown; error?: unknown };
      if (!result.ok) throw new Error(`${name}: ${JSON.stringify(result.error)}`);
      return result.value;
    };
    await call('createFirstSupervisor', { name: 'Sam Supervisor', pin: '246810' });
    await call('configureOffline', { electionNumber: 1022, electionName: 'Leadership election', closesAt: new Date(Date.now() + 86_400_000).toISOString(), workstationName: 'Desk 1' });
    await call('openBatch', { label: 'T-001' });
    const barcode = encodeBarcode(1022, 123456, 1);
    const sub = invokeEvent(contents, contents.childFrame('app://bundle/index.html'));
    expect(await ipc.invoke(IPC.operation('recordScan'), sub, { barcode, source: 'scanner' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const verdict = (await call('recordScan', { barcode, source: 'scanner' })) as { verdict: string };
    expect(['recorded', 'flagged']).toContain(verdict.verdict);
    expect(await call('recentScans', { limit: 10 })).toHaveLength(1);
  });

  it("hashes PINs at production's cost (scrypt N = 2^17) with the key kept by safeStorage, not in the database", () => {
    const db = new Database(join(userData, 'data', 'ballot-intake.sqlite'), { readonly: true });
    const { pin_hash } = db.prepare("SELECT pin_hash FROM people WHERE name = 'Sam Supervisor'").get() as { pin_hash: string };
    db.close();
    const sealed = readFileSync(join(userData, 'secrets', 'pin-key.bin'));
    const key = Buffer.from(fake.module.safeStorage.decryptString(sealed), 'base64');
    expect(key).toHaveLength(32);
    expect(sealed.includes(key.toString('base64'))).toBe(false); // encrypted at rest, not a copy of the key
    expect(pin_hash).toMatch(new RegExp(`^scrypt2\\$131072\\$8\\$1\\$${pinKeyId(key)}\\$`));
  });
});
