// The 'electron' module as electron/main/index.ts sees it, assembled from the typed stand-ins,
// for running the real entry point (and the real app core behind it) under Node. It keeps the
// order of things Electron enforces: `ready` comes after the entry has run its synchronous
// setup, and every new webContents is announced with 'web-contents-created'.
import { EventEmitter } from 'node:events';
import type { BrowserWindowConstructorOptions, MenuItemConstructorOptions, Rectangle } from 'electron';
import { FakeDialog, FakeIpcMain, FakeSafeStorage, FakeSession, FakeWebContents } from './fake-electron';

export interface FakeElectronOptions {
  appPath: string;
  appData: string;
  downloads: string;
  /** false: another instance holds the lock */
  gotLock?: boolean;
}

export function createFakeElectronModule(options: FakeElectronOptions) {
  const calls: string[] = [];
  // Electron's default userData is appData + the package name; the entry sets its own.
  const paths: Record<string, string> = { appData: options.appData, userData: `${options.appData}/ballot-intake`, downloads: options.downloads };
  let ready!: () => void;
  const readyPromise = new Promise<void>((resolve) => (ready = resolve));
  const windows: FakeBrowserWindow[] = [];
  const protocolHandlers = new Map<string, (request: Request) => Promise<Response>>();
  let menu: MenuItemConstructorOptions[] | null = null;

  const app = Object.assign(new EventEmitter(), {
    isPackaged: false,
    quitRequested: false,
    enableSandbox: () => calls.push('app.enableSandbox'),
    setPath: (name: string, value: string) => {
      calls.push(`app.setPath ${name}`);
      paths[name] = value;
    },
    getPath: (name: string) => {
      const p = paths[name];
      if (!p) throw new Error(`Failed to get '${name}' path`);
      return p;
    },
    getAppPath: () => options.appPath,
    getVersion: () => '0.1.0',
    requestSingleInstanceLock: () => {
      calls.push('app.requestSingleInstanceLock');
      return options.gotLock ?? true;
    },
    quit: () => {
      calls.push('app.quit');
      app.quitRequested = true;
    },
    exit: (code: number) => calls.push(`app.exit ${code}`),
    whenReady: () => readyPromise,
  });

  class FakeBrowserWindow extends EventEmitter {
    readonly webContents: FakeWebContents & { loadedUrl?: string };
    loadedUrl: string | null = null;
    shown = false;
    destroyed = false;
    constructor(readonly options: BrowserWindowConstructorOptions) {
      super();
      if (!ready) throw new Error('BrowserWindow before ready');
      this.webContents = new FakeWebContents('about:blank');
      windows.push(this);
      app.emit('web-contents-created', {}, this.webContents);
    }
    async loadURL(url: string): Promise<void> {
      this.loadedUrl = url;
      this.webContents.mainFrame.url = url;
      this.emit('ready-to-show');
    }
    show() {
      this.shown = true;
    }
    maximize() {}
    isDestroyed() {
      return this.destroyed;
    }
    isMinimized() {
      return false;
    }
    isMaximized() {
      return false;
    }
    restore() {}
    focus() {}
    getNormalBounds(): Rectangle {
      return { x: 0, y: 0, width: 1280, height: 800 };
    }
    static getAllWindows() {
      return windows;
    }
  }

  const session = { defaultSession: new FakeSession() };
  const module = {
    app,
    BrowserWindow: FakeBrowserWindow,
    ipcMain: new FakeIpcMain(),
    session,
    safeStorage: new FakeSafeStorage(),
    dialog: new FakeDialog(),
    screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1040 } }] },
    Menu: {
      buildFromTemplate: (template: MenuItemConstructorOptions[]) => template,
      setApplicationMenu: (m: MenuItemConstructorOptions[]) => {
        menu = m;
      },
    },
    protocol: {
      registerSchemesAsPrivileged: (schemes: Array<{ scheme: string }>) => calls.push(`protocol.registerSchemesAsPrivileged ${schemes.map((s) => s.scheme).join(',')}`),
      handle: (scheme: string, handler: (request: Request) => Promise<Response>) => {
        calls.push(`protocol.handle ${scheme}`);
        protocolHandlers.set(scheme, handler);
      },
    },
  };

  return {
    module,
    calls,
    windows,
    protocolHandlers,
    menu: () => menu,
    /** Electron's `ready`: after the entry module has run its top level */
    emitReady: () => {
      calls.push('ready');
      ready();
    },
  };
}
