import { describe, expect, it, vi } from 'vitest';
import { FakeWebContents, fakeEvent } from './fake-electron';
import { memoryLog } from './fake-app';

// window.ts creates BrowserWindows at run time; the functions under test never do, and loading
// the real 'electron' package under Node would try to download the Electron binary.
vi.mock('electron', () => ({ BrowserWindow: class {} }));
const { createWindowOptions, installCrashRecovery, installNavigationGuards, MIN_WINDOW_SIZE } = await import('../../electron/main/window');

const settings = { preloadPath: '/app/out/preload/index.cjs', bounds: { width: 1280, height: 800 }, devTools: false };

describe('createWindowOptions', () => {
  it('isolates and sandboxes the page, with no Node anywhere', () => {
    const web = createWindowOptions(settings).webPreferences!;
    expect(web.contextIsolation).toBe(true);
    expect(web.sandbox).toBe(true);
    expect(web.nodeIntegration).toBe(false);
    expect(web.nodeIntegrationInWorker).toBe(false);
    expect(web.nodeIntegrationInSubFrames).toBe(false);
    expect(web.webSecurity).toBe(true);
    expect(web.allowRunningInsecureContent).toBe(false);
    expect(web.webviewTag).toBe(false);
    expect(web.experimentalFeatures).toBe(false);
    expect(web.navigateOnDragDrop).toBe(false);
  });

  it('loads the CommonJS preload, and developer tools only when asked (never in a packaged app)', () => {
    expect(createWindowOptions(settings).webPreferences?.preload).toBe('/app/out/preload/index.cjs');
    expect(createWindowOptions(settings).webPreferences?.devTools).toBe(false);
    expect(createWindowOptions({ ...settings, devTools: true }).webPreferences?.devTools).toBe(true);
  });

  it('starts hidden (shown at first paint), at the remembered size and place, or centred', () => {
    const centred = createWindowOptions(settings);
    expect(centred).toMatchObject({ show: false, width: 1280, height: 800, center: true });
    expect(centred.x).toBeUndefined();
    const placed = createWindowOptions({ ...settings, bounds: { x: 40, y: 50, width: 1000, height: 700 } });
    expect(placed).toMatchObject({ x: 40, y: 50, width: 1000, height: 700 });
    expect(placed.center).toBeUndefined();
    expect(placed.minWidth).toBe(MIN_WINDOW_SIZE.width);
  });
});

describe('installNavigationGuards', () => {
  const guarded = () => {
    const contents = new FakeWebContents();
    const log = memoryLog();
    installNavigationGuards(contents, log);
    return { contents, log };
  };

  it('the stand-in behaves like Electron without guards: everything is allowed', () => {
    const contents = new FakeWebContents();
    expect(contents.navigate('https://example.org/')).toBe(true);
    expect(contents.openWindow('https://example.org/')).toEqual({ action: 'allow' });
  });

  it.each(['https://example.org/', 'http://127.0.0.1:8080/', 'file:///etc/passwd', 'app://evil/index.html', 'javascript:alert(1)', 'data:text/html,hi'])(
    'blocks navigation, frame navigation and redirects to %s',
    (url) => {
      const { contents, log } = guarded();
      expect(contents.navigate(url, 'will-navigate')).toBe(false);
      expect(contents.navigate(url, 'will-frame-navigate')).toBe(false);
      expect(contents.navigate(url, 'will-redirect')).toBe(false);
      expect(log.lines.filter((l) => l.level === 'warn')).toHaveLength(3);
    },
  );

  it('lets the app move between its own app:// pages', () => {
    const { contents } = guarded();
    expect(contents.navigate('app://bundle/index.html#/review')).toBe(true);
    expect(contents.navigate('app://bundle/index.html', 'will-frame-navigate')).toBe(true);
  });

  it('denies window.open for every URL, its own included, without opening anything externally', () => {
    const { contents, log } = guarded();
    for (const url of ['https://example.org/', 'app://bundle/index.html', 'mailto:x@example.org']) {
      expect(contents.openWindow(url)).toEqual({ action: 'deny' });
    }
    expect(log.lines.map((l) => l.message)).toEqual(['window.open denied', 'window.open denied', 'window.open denied']);
  });

  it('refuses to attach a <webview>', () => {
    const { contents } = guarded();
    const event = fakeEvent({});
    contents.emit('will-attach-webview', event, {}, {});
    expect(event.defaultPrevented).toBe(true);
  });

  it('keeps query strings (which could carry anything) out of the log', () => {
    const { contents, log } = guarded();
    contents.navigate('https://example.org/path?token=secret#frag');
    expect(JSON.stringify(log.lines)).not.toContain('secret');
    expect(log.lines[0]?.fields).toEqual({ url: 'https://example.org/path' });
  });
});

describe('installCrashRecovery', () => {
  it('reloads the page after a crash, not after a clean exit, and gives up on a crash loop', () => {
    const contents = new FakeWebContents();
    const log = memoryLog();
    let t = 0;
    let reloads = 0;
    installCrashRecovery(contents, () => reloads++, log, () => t);
    contents.emit('render-process-gone', fakeEvent({}), { reason: 'clean-exit', exitCode: 0 });
    expect(reloads).toBe(0);
    for (let i = 0; i < 5; i++) {
      t += 1000;
      contents.emit('render-process-gone', fakeEvent({}), { reason: 'crashed', exitCode: 139 });
    }
    expect(reloads).toBe(3);
    expect(log.lines.at(-1)?.message).toBe('the page keeps crashing: not reloading it again');
    t += 120_000;
    contents.emit('render-process-gone', fakeEvent({}), { reason: 'oom', exitCode: 0 });
    expect(reloads).toBe(4);
  });
});
