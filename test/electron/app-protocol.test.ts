import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  APP_ENTRY_URL,
  APP_ORIGIN,
  APP_SCHEME_PRIVILEGES,
  createAppProtocolHandler,
  isAppUrl,
  resolveAppPath,
} from '../../electron/main/shell/app-protocol';
import { CONTENT_SECURITY_POLICY } from '../../shared/security/csp';

let base: string;
let root: string;

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'app-protocol-'));
  root = join(base, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Ballot Intake</title>');
  writeFileSync(join(root, 'assets', 'index-abc.js'), 'console.log(1)');
  writeFileSync(join(root, 'assets', 'reader.wasm'), Buffer.from([0, 97, 115, 109]));
  // What a traversal would be after: a file beside the bundle, and one with the root as prefix.
  writeFileSync(join(base, 'secret.txt'), 'device token');
  mkdirSync(join(base, 'renderer-evil'));
  writeFileSync(join(base, 'renderer-evil', 'x.js'), 'evil');
});

afterAll(() => {
  // the temp folder is left to the OS: nothing in it matters
});

describe('app:// URLs', () => {
  it('recognises only app://bundle', () => {
    expect(APP_ORIGIN).toBe('app://bundle');
    expect(isAppUrl(APP_ENTRY_URL)).toBe(true);
    expect(isAppUrl('app://bundle/assets/x.js?v=1#top')).toBe(true);
    expect(isAppUrl('app://other/index.html')).toBe(false);
    expect(isAppUrl('app://user:pw@bundle/index.html')).toBe(false);
    expect(isAppUrl('https://bundle/index.html')).toBe(false);
    expect(isAppUrl('file:///index.html')).toBe(false);
    expect(isAppUrl('about:blank')).toBe(false);
    expect(isAppUrl('not a url')).toBe(false);
  });

  it('is registered standard and secure (an origin, and a secure context for the camera) and never bypasses CSP', () => {
    expect(APP_SCHEME_PRIVILEGES.scheme).toBe('app');
    expect(APP_SCHEME_PRIVILEGES.privileges).toMatchObject({ standard: true, secure: true });
    expect(APP_SCHEME_PRIVILEGES.privileges?.bypassCSP).not.toBe(true);
  });
});

describe('resolveAppPath: the path-traversal check', () => {
  it('maps the bundle files, and / to index.html', () => {
    expect(resolveAppPath(root, 'app://bundle/')).toEqual({ ok: true, filePath: join(root, 'index.html') });
    expect(resolveAppPath(root, 'app://bundle/assets/index-abc.js')).toEqual({ ok: true, filePath: join(root, 'assets', 'index-abc.js') });
  });

  it.each(['app://bundle/../secret.txt', 'app://bundle/%2e%2e/secret.txt', 'app://bundle/a/../../%2E%2E/secret.txt'])(
    'keeps %s inside the bundle (the URL parser already removed the dot segments)',
    (url) => {
      expect(resolveAppPath(root, url)).toEqual({ ok: true, filePath: join(root, 'secret.txt') });
    },
  );

  it.each([
    'app://bundle/%2E%2E%2Fsecret.txt',
    'app://bundle/assets/..%2f..%2fsecret.txt',
    'app://bundle/..%2frenderer-evil/x.js',
    'app://bundle/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  ])('refuses %s as outside the bundle', (url) => {
    expect(resolveAppPath(root, url)).toEqual({ ok: false, reason: 'outside_bundle' });
  });

  it.each(['app://bundle/..%5csecret.txt', 'app://bundle/index.html%00.js', 'app://bundle/%E0%A4%A'])('refuses %s as a bad path', (url) => {
    expect(resolveAppPath(root, url)).toEqual({ ok: false, reason: 'bad_path' });
  });

  it('refuses other hosts and schemes', () => {
    expect(resolveAppPath(root, 'app://evil/index.html')).toEqual({ ok: false, reason: 'not_this_app' });
    expect(resolveAppPath(root, 'file:///etc/passwd')).toEqual({ ok: false, reason: 'not_this_app' });
  });
});

describe('the app:// handler', () => {
  const get = (url: string, method = 'GET') => createAppProtocolHandler(root)(new Request(url, { method }));

  it('serves index.html with the CSP header and its type', async () => {
    const res = await get(APP_ENTRY_URL);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toContain('<title>Ballot Intake</title>');
  });

  it('serves scripts and WebAssembly with types the browser will run', async () => {
    expect((await get('app://bundle/assets/index-abc.js')).headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await get('app://bundle/assets/reader.wasm')).headers.get('content-type')).toBe('application/wasm');
  });

  it('never serves a file outside the bundle, and still sends the CSP with the refusal', async () => {
    for (const url of ['app://bundle/../secret.txt', 'app://bundle/%2e%2e/secret.txt']) {
      const res = await get(url);
      expect(res.status).toBe(404);
      expect(await res.text()).not.toContain('device token');
    }
    const res = await get('app://bundle/..%2fsecret.txt');
    expect(res.status).toBe(403);
    expect(await res.text()).not.toContain('device token');
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
  });

  it('answers 404 for missing files and folders, 405 for anything but GET and HEAD', async () => {
    expect((await get('app://bundle/nope.js')).status).toBe(404);
    expect((await get('app://bundle/assets')).status).toBe(404);
    expect((await get(APP_ENTRY_URL, 'POST')).status).toBe(405);
    const head = await get(APP_ENTRY_URL, 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });
});
