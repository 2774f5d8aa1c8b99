// The main window and the rules every page of the app lives under: Electron's security
// checklist applied to BrowserWindow options and to each webContents' navigation, popups and
// <webview> (docs/security.md). The options and guards are pure functions over typed pieces
// of Electron, so test/electron checks them without Electron running.
import {
  BrowserWindow,
  type BrowserWindowConstructorOptions,
  type Event,
  type WebContents,
  type WebContentsWillFrameNavigateEventParams,
  type WebContentsWillNavigateEventParams,
  type WebContentsWillRedirectEventParams,
} from 'electron';
import type { AppLog } from './app/app.types';
import { APP_ENTRY_URL, isAppUrl } from './shell/app-protocol';
import type { WindowBounds } from './shell/window-state';

export interface MainWindowSettings {
  /** out/preload/index.cjs */
  preloadPath: string;
  iconPath?: string;
  bounds: WindowBounds;
  /** development builds only: a packaged app has no developer tools */
  devTools: boolean;
}

export const MIN_WINDOW_SIZE = { width: 900, height: 600 } as const;

export function createWindowOptions(settings: MainWindowSettings): BrowserWindowConstructorOptions {
  const { bounds } = settings;
  return {
    title: 'Ballot Intake',
    ...(bounds.x !== undefined && bounds.y !== undefined ? { x: bounds.x, y: bounds.y } : { center: true }),
    width: bounds.width,
    height: bounds.height,
    minWidth: MIN_WINDOW_SIZE.width,
    minHeight: MIN_WINDOW_SIZE.height,
    // Shown on ready-to-show, so the operator never sees a white flash before the first paint.
    show: false,
    backgroundColor: '#ffffff',
    ...(settings.iconPath ? { icon: settings.iconPath } : {}),
    webPreferences: {
      preload: settings.preloadPath,
      // The page and the preload live in separate JavaScript worlds; the page sees only what
      // contextBridge copies across (window.ballotIntake).
      contextIsolation: true,
      // The renderer process runs in Chromium's OS sandbox; the preload is CommonJS for it.
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      devTools: settings.devTools,
    },
  };
}

/**
 * The part of a WebContents the guards touch (the typed stand-in implements exactly this): the
 * events with the arguments the guards read. index.ts passes real webContents here, so the
 * compiler proves Electron's own signatures still fit.
 */
export interface GuardedContents extends Pick<WebContents, 'setWindowOpenHandler'> {
  on(event: 'will-navigate', listener: (event: Event<WebContentsWillNavigateEventParams>) => void): unknown;
  on(event: 'will-frame-navigate', listener: (event: Event<WebContentsWillFrameNavigateEventParams>) => void): unknown;
  on(event: 'will-redirect', listener: (event: Event<WebContentsWillRedirectEventParams>) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: Event) => void): unknown;
}

/**
 * Every webContents the app creates (app.on('web-contents-created')) gets these: it may only
 * ever show app:// pages, may not open windows, and may not attach a <webview>. Nothing is
 * handed to shell.openExternal: a link to elsewhere is simply refused.
 */
export function installNavigationGuards(contents: GuardedContents, log: AppLog): void {
  contents.on('will-navigate', (event) => {
    if (!isAppUrl(event.url)) {
      event.preventDefault();
      log.warn('navigation blocked', { url: shortUrl(event.url) });
    }
  });
  // Sub-frames too (the page has none, but an injected one must not go anywhere either).
  contents.on('will-frame-navigate', (event) => {
    if (!isAppUrl(event.url)) {
      event.preventDefault();
      log.warn('frame navigation blocked', { url: shortUrl(event.url) });
    }
  });
  contents.on('will-redirect', (event) => {
    if (!isAppUrl(event.url)) {
      event.preventDefault();
      log.warn('redirect blocked', { url: shortUrl(event.url) });
    }
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log.warn('webview refused');
  });
  contents.setWindowOpenHandler((details) => {
    log.warn('window.open denied', { url: shortUrl(details.url) });
    return { action: 'deny' };
  });
}

/** The part of a WebContents the crash recovery touches. */
export interface RecoverableContents {
  on(event: 'render-process-gone', listener: (event: Event, details: { reason: string; exitCode: number }) => void): unknown;
}

/**
 * A renderer that crashes or is killed is logged and loaded again, so an operator mid-tray gets
 * the scan screen back instead of a blank window. Every acknowledged scan is already in the
 * database, so nothing is lost; a crash loop (three within a minute) is left for a person.
 */
export function installCrashRecovery(contents: RecoverableContents, reload: () => void, log: AppLog, now = () => Date.now()): void {
  const recent: number[] = [];
  contents.on('render-process-gone', (_event, details) => {
    log.error('the page process ended', { reason: details.reason, exitCode: details.exitCode });
    if (details.reason === 'clean-exit') return;
    const t = now();
    while (recent.length > 0 && t - recent[0]! > 60_000) recent.shift();
    recent.push(t);
    if (recent.length > 3) {
      log.error('the page keeps crashing: not reloading it again');
      return;
    }
    reload();
  });
}

/** A URL for the log without its query string, which could carry anything. */
function shortUrl(url: string): string {
  return url.split(/[?#]/, 1)[0]!.slice(0, 200);
}

/** Creates the window (hidden until its first paint); the caller loads it after wiring IPC. */
export function createMainWindow(settings: MainWindowSettings): BrowserWindow {
  const win = new BrowserWindow(createWindowOptions(settings));
  win.once('ready-to-show', () => {
    if (settings.bounds.maximized) win.maximize();
    win.show();
  });
  return win;
}

export function loadApp(win: BrowserWindow): Promise<void> {
  return win.loadURL(APP_ENTRY_URL);
}
