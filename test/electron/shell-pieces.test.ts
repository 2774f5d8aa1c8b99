// The small shell pieces: menu, error page, native-binding path, --user-data-dir, dialogs.
import { describe, expect, it, vi } from 'vitest';
import { buildMenuTemplate } from '../../electron/main/shell/menu';
import { asarUnpackedPath, electronNativeBindingPath } from '../../electron/main/shell/native-binding';
import { defaultUserDataDir, userDataDirFromArgs } from '../../electron/main/shell/user-data-dir';
import { createShellDialogs } from '../../electron/main/shell/dialogs';
import { FakeDialog, NO_WINDOW } from './fake-electron';

vi.mock('electron', () => ({ BrowserWindow: class {} }));
const { describeBrokenAudit, describeStartupError, errorPageHtml } = await import('../../electron/main/shell/error-window');

const roles = (template: ReturnType<typeof buildMenuTemplate>): string[] =>
  template.flatMap((item) => [item.role ?? item.label ?? '', ...(Array.isArray(item.submenu) ? roles(item.submenu) : [])]).filter(Boolean) as string[];

describe('the application menu', () => {
  it('has the usual roles, and the developer ones only in development', () => {
    const release = roles(buildMenuTemplate('linux', { devTools: false }));
    expect(release).toEqual(expect.arrayContaining(['fileMenu', 'editMenu', 'windowMenu', 'reload', 'resetZoom', 'zoomIn', 'zoomOut', 'togglefullscreen', 'about']));
    expect(release).not.toContain('toggleDevTools');
    expect(release).not.toContain('appMenu');
    expect(roles(buildMenuTemplate('linux', { devTools: true }))).toContain('toggleDevTools');
    expect(roles(buildMenuTemplate('darwin', { devTools: false }))[0]).toBe('appMenu');
  });
});

describe('the start-up error window', () => {
  it('explains a database that cannot be opened, and one from a newer version', () => {
    expect(describeStartupError({ code: 'database', message: 'SQLITE_CANTOPEN' })).toMatchObject({ title: 'The database could not be opened', message: 'SQLITE_CANTOPEN' });
    expect(describeStartupError({ code: 'newer_database', message: 'schema 9 > 4' }).whatToDo).toMatch(/newer version/);
  });

  it('explains a broken audit chain with where it breaks', () => {
    const problem = describeBrokenAudit({ firstBrokenSeq: 42, problem: 'hash mismatch' });
    expect(problem.title).toBe('The audit log is broken');
    expect(problem.message).toContain('at entry 42: hash mismatch');
    expect(problem.whatToDo).toMatch(/Scanning is stopped/);
  });

  it('renders as a static page: escaped text, its own CSP, no script', () => {
    const html = errorPageHtml(
      { title: 'The database could not be opened', message: '<script>alert(1)</script>', whatToDo: 'Call support' },
      { dataDir: '/home/op/.config/Ballot Intake/data', logFile: '/home/op/.config/Ballot Intake/logs/ballot-intake.log' },
    );
    expect(html).not.toContain('<script');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain("default-src 'none'");
    expect(html).toContain('role="alert"');
    expect(html).toContain('logs/ballot-intake.log');
  });
});

describe('the Electron-ABI better-sqlite3 path', () => {
  it('is native/electron/better_sqlite3.node in the project during development', () => {
    expect(electronNativeBindingPath('/work/main')).toBe('/work/main/native/electron/better_sqlite3.node');
  });

  it('points into app.asar.unpacked in a packaged app (a .node file cannot load from app.asar)', () => {
    expect(electronNativeBindingPath('/opt/Ballot Intake/resources/app.asar')).toBe('/opt/Ballot Intake/resources/app.asar.unpacked/native/electron/better_sqlite3.node');
    expect(asarUnpackedPath('C:\\Program Files\\Ballot Intake\\resources\\app.asar\\native\\x.node')).toBe('C:\\Program Files\\Ballot Intake\\resources\\app.asar.unpacked\\native\\x.node');
    expect(asarUnpackedPath('/home/me/app.asarx/y')).toBe('/home/me/app.asarx/y');
  });
});

describe('--user-data-dir', () => {
  it('accepts both spellings and nothing else', () => {
    expect(userDataDirFromArgs(['electron', '.', '--user-data-dir=/tmp/a'])).toBe('/tmp/a');
    expect(userDataDirFromArgs(['electron', '.', '--user-data-dir', '/tmp/b'])).toBe('/tmp/b');
    expect(userDataDirFromArgs(['electron', '.', '--user-data-dir', '--inspect'])).toBeNull();
    expect(userDataDirFromArgs(['electron', '.'])).toBeNull();
  });

  it('defaults to a product-named folder, a separate one for development runs', () => {
    expect(defaultUserDataDir('/home/op/.config', true)).toBe('/home/op/.config/Ballot Intake');
    expect(defaultUserDataDir('/home/op/.config', false)).toBe('/home/op/.config/Ballot Intake (development)');
  });
});

describe('the shell dialogs', () => {
  it('offer CSV files to open, a single file', async () => {
    const dialog = new FakeDialog();
    dialog.openAnswer = { canceled: false, filePaths: ['/media/usb/register.csv'] };
    expect(await createShellDialogs(dialog, NO_WINDOW, '/home/sup/Downloads').chooseRegisterFile()).toBe('/media/usb/register.csv');
    const options = dialog.shown[0]?.options as { properties: string[]; filters: Array<{ extensions: string[] }> };
    expect(options.properties).toEqual(['openFile']);
    expect(options.filters[0]?.extensions).toEqual(['csv']);
  });

  it('propose the export name in Downloads, never a path the core did not mean', async () => {
    const dialog = new FakeDialog();
    dialog.saveAnswer = { canceled: false, filePath: '/home/sup/Desktop/r.csv' };
    const dialogs = createShellDialogs(dialog, NO_WINDOW, '/home/sup/Downloads');
    expect(await dialogs.chooseSaveTarget('../../.bashrc')).toBe('/home/sup/Desktop/r.csv');
    expect(dialog.shown[0]?.options).toMatchObject({ defaultPath: '/home/sup/Downloads/.bashrc' });
  });

  it('answer null when cancelled', async () => {
    const dialogs = createShellDialogs(new FakeDialog(), NO_WINDOW, '/tmp');
    expect(await dialogs.chooseRegisterFile()).toBeNull();
    expect(await dialogs.chooseSaveTarget('x.csv')).toBeNull();
  });
});
