import { describe, expect, it } from 'vitest';
import { installPermissionHandlers, type PermissionName } from '../../electron/main/shell/permissions';
import { memoryLog } from './fake-app';
import { FakeSession } from './fake-electron';

const APP_PAGE = 'app://bundle/index.html';

const others: PermissionName[] = [
  'geolocation',
  'notifications',
  'clipboard-read',
  'clipboard-sanitized-write',
  'display-capture',
  'fullscreen',
  'openExternal',
  'pointerLock',
  'midi',
  'midiSysex',
  'hid',
  'serial',
  'usb',
  'fileSystem',
  'idle-detection',
  'window-management',
  'storage-access',
  'unknown',
];


function hardened() {
  const session = new FakeSession();
  const log = memoryLog();
  installPermissionHandlers(session, log);
  return { session, log };
}

describe('permission requests', () => {
  it('the stand-in behaves like Electron without handlers: everything is granted', async () => {
    const session = new FakeSession();
    expect(await session.request('geolocation', { isMainFrame: true, requestingUrl: 'https://example.org/' })).toBe(true);
  });

  it("grants the camera to the app's own page", async () => {
    const { session } = hardened();
    expect(await session.request('media', { isMainFrame: true, requestingUrl: APP_PAGE, mediaTypes: ['video'] })).toBe(true);
  });

  it('refuses the microphone, camera with microphone, and an empty media request', async () => {
    const { session } = hardened();
    expect(await session.request('media', { isMainFrame: true, requestingUrl: APP_PAGE, mediaTypes: ['audio'] })).toBe(false);
    expect(await session.request('media', { isMainFrame: true, requestingUrl: APP_PAGE, mediaTypes: ['video', 'audio'] })).toBe(false);
    expect(await session.request('media', { isMainFrame: true, requestingUrl: APP_PAGE, mediaTypes: [] })).toBe(false);
    expect(await session.request('media', { isMainFrame: true, requestingUrl: APP_PAGE })).toBe(false);
  });

  it('refuses the camera to any other origin and to sub-frames', async () => {
    const { session, log } = hardened();
    for (const requestingUrl of ['https://example.org/', 'app://evil/index.html', 'file:///tmp/x.html', 'http://127.0.0.1:5173/']) {
      expect(await session.request('media', { isMainFrame: true, requestingUrl, mediaTypes: ['video'] })).toBe(false);
    }
    expect(await session.request('media', { isMainFrame: false, requestingUrl: APP_PAGE, mediaTypes: ['video'] })).toBe(false);
    expect(log.lines.every((l) => l.message === 'permission request denied')).toBe(true);
    expect(log.lines).toHaveLength(5);
  });

  it.each(others)('refuses %s even to the app itself', async (permission) => {
    const { session } = hardened();
    expect(await session.request(permission, { isMainFrame: true, requestingUrl: APP_PAGE })).toBe(false);
  });
});

describe('permission checks', () => {
  it('say yes only for the camera, asked by the app origin', () => {
    const { session } = hardened();
    expect(session.check('media', 'app://bundle', { isMainFrame: true, mediaType: 'video' })).toBe(true);
    expect(session.check('media', 'app://bundle', { isMainFrame: true, mediaType: 'audio' })).toBe(false);
    expect(session.check('media', 'app://bundle', { isMainFrame: true, mediaType: 'unknown' })).toBe(false);
    expect(session.check('media', 'https://example.org', { isMainFrame: true, mediaType: 'video' })).toBe(false);
    expect(session.check('media', 'app://bundle', { isMainFrame: false, mediaType: 'video', embeddingOrigin: 'https://example.org' })).toBe(false);
    for (const permission of others) expect(session.check(permission, 'app://bundle', { isMainFrame: true })).toBe(false);
  });

  it('deny every USB, HID and serial device, and every download', () => {
    const { session } = hardened();
    expect(session.deviceHandler?.({ deviceType: 'usb', origin: 'app://bundle', device: {} as never })).toBe(false);
    expect(session.download('app://bundle/index.html')).toBe(false);
  });
});
