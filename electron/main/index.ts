// The desktop app's entry point: one instance per user-data folder, the app core opened on the
// database in that folder, and one hardened window showing the renderer from app://. Everything
// that decides anything is in the core (./app); this file only wires Electron to it.
import { existsSync, mkdirSync } from 'node:fs';
import { copyFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, safeStorage, screen, session } from 'electron';
import type { AppState } from '../../shared/api/types';
import type { App, AppLog, OpenAppOptions } from './app/app.types';
import { openApp } from './app/index';
import { createSenderCheck, forwardPushEvents, registerIpc } from './ipc';
import { APP_SCHEME, APP_SCHEME_PRIVILEGES, createAppProtocolHandler } from './shell/app-protocol';
import { lockDeskFolder } from './desk-folder-lock';
import { createShellDialogs } from './shell/dialogs';
import { describeBrokenAudit, describeStartupError, showErrorWindow, type StartupProblem } from './shell/error-window';
import { createLogFile } from './shell/log-file';
import { buildMenuTemplate } from './shell/menu';
import { electronNativeBindingPath } from './shell/native-binding';
import { installPermissionHandlers } from './shell/permissions';
import { createSafeStorageSecretStore } from './shell/safe-storage-secret-store';
import { defaultUserDataDir, userDataDirFromArgs } from './shell/user-data-dir';
import { placeOnScreen, trackWindowState, windowStateFile } from './shell/window-state';
import { createMainWindow, installCrashRecovery, installNavigationGuards, loadApp } from './window';

const outDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const rendererRoot = join(outDir, 'renderer');
const preloadPath = join(outDir, 'preload', 'index.cjs');
// A packaged app has no developer tools and no force-reload.
const devTools = !app.isPackaged;

// Before `ready`: the app:// scheme's privileges, the sandbox for every renderer, and the
// data folder (tests and a second profile pass --user-data-dir=DIR).
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
app.enableSandbox();
app.setPath('userData', userDataDirFromArgs(process.argv) ?? defaultUserDataDir(app.getPath('appData'), app.isPackaged));

let core: App | null = null;
let mainWindow: BrowserWindow | null = null;
let closingCore = false;
let releaseDataFolder: (() => void) | null = null;

if (!app.requestSingleInstanceLock()) {
  // Another instance holds this data folder; it gets focused (second-instance below).
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('window-all-closed', () => app.quit());
  // The core closes its database cleanly (WAL checkpoint) before the process ends.
  app.on('before-quit', (event) => {
    if (!core || closingCore) return;
    event.preventDefault();
    closingCore = true;
    // Every receipt is already durable (synchronous=FULL): a close that hangs must not keep the
    // app from quitting.
    const closing = Promise.race([core.close(), new Promise((resolve) => setTimeout(resolve, 5000))]);
    void closing.finally(() => {
      core = null;
      releaseDataFolder?.();
      app.quit();
    });
  });
  app
    .whenReady()
    .then(start)
    .catch((e: unknown) => {
      // A bug on the way up: say so rather than leave a process with no window.
      console.error(e);
      dialog.showErrorBox('Ballot Intake could not start', e instanceof Error ? (e.stack ?? e.message) : String(e));
      app.exit(1);
    });
}

async function start(): Promise<void> {
  const userData = app.getPath('userData');
  const log = createLogFile({ dir: join(userData, 'logs'), echo: !app.isPackaged });
  log.info('starting', { version: app.getVersion(), electron: process.versions.electron, userData });

  app.on('web-contents-created', (_event, contents) => installNavigationGuards(contents, log));
  installPermissionHandlers(session.defaultSession, log);
  protocol.handle(APP_SCHEME, createAppProtocolHandler(rendererRoot));
  Menu.setApplicationMenu(Menu.buildFromTemplate(buildMenuTemplate(process.platform, { devTools })));

  const dataDir = join(userData, 'data');
  const paths = { dataDir, logFile: log.path };
  const refuse = (problem: StartupProblem, fields: Record<string, unknown>) => {
    log.error(problem.title, fields);
    showErrorWindow(problem, paths);
  };

  const nativeBinding = electronNativeBindingPath(app.getAppPath());
  if (!existsSync(nativeBinding)) {
    refuse(
      {
        title: 'The database driver for Electron is missing',
        message: `${nativeBinding} does not exist.`,
        whatToDo: 'Run "npm start" again on a computer with internet access (it builds the driver), or reinstall the app.',
      },
      { nativeBinding },
    );
    return;
  }

  // Electron's single-instance lock covers only this userData folder; a headless host
  // (npm run start:web -- --data-dir) pointed at the same data folder is another process.
  mkdirSync(dataDir, { recursive: true });
  const locked = lockDeskFolder(dataDir);
  if (!locked.ok) {
    refuse(
      {
        title: 'This data folder is in use',
        message: locked.error,
        whatToDo: 'Stop the other Ballot Intake (a headless host started with this --data-dir), then start this one again.',
      },
      { dataDir },
    );
    return;
  }
  releaseDataFolder = locked.value;

  // `nativeBinding` is the Electron-ABI better-sqlite3 (see shell/native-binding.ts).
  const options: OpenAppOptions = {
    dataDir,
    secretStore: createSafeStorageSecretStore(safeStorage, userData, process.platform, log),
    log,
    nativeBinding,
  };
  const opened = await openApp(options);
  if (!opened.ok) {
    refuse(describeStartupError(opened.error), { error: opened.error });
    return;
  }
  core = opened.value;

  const state = await core.dispatch('getState', {});
  const audit = state.ok ? (state.value as AppState).audit : null;
  if (audit && !audit.ok) {
    refuse(describeBrokenAudit(audit), { audit });
    return;
  }

  openMainWindow(core, userData, log);
}

function openMainWindow(opened: App, userData: string, log: AppLog): void {
  const stateFile = windowStateFile(join(userData, 'window-state.json'));
  const bounds = placeOnScreen(stateFile.load(), screen.getAllDisplays().map((d) => d.workArea));
  const iconPath = join(app.getAppPath(), 'resources', 'icon.png');
  const win = createMainWindow({ preloadPath, bounds, devTools, ...(existsSync(iconPath) ? { iconPath } : {}) });
  mainWindow = win;
  trackWindowState(win, stateFile);

  const unregister = registerIpc({
    ipcMain,
    app: opened,
    isTrustedSender: createSenderCheck(() => (win.isDestroyed() ? null : win.webContents)),
    dialogs: createShellDialogs(dialog, () => (win.isDestroyed() ? null : win), app.getPath('downloads')),
    copyFile,
    log,
  });
  const unsubscribe = forwardPushEvents(opened, () => (win.isDestroyed() ? null : win.webContents));
  installCrashRecovery(win.webContents, () => void loadApp(win).catch(() => undefined), log);
  win.on('closed', () => {
    unsubscribe();
    unregister();
    mainWindow = null;
  });

  loadApp(win).catch((e: unknown) => log.error('the renderer could not be loaded', { error: e }));
}
