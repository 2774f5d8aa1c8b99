// The app:// protocol that serves the built renderer (out/renderer) to the window. A custom
// standard, secure scheme instead of file:// (Electron security checklist item 18): the page
// gets a real origin, no file-system privileges, and every response carries the CSP. Pure
// Node (global Request/Response), so the path-traversal rules are tested without Electron.
import { readFile as fsReadFile } from 'node:fs/promises';
import { extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { CustomScheme } from 'electron';
import { RENDERER_SECURITY_HEADERS } from '../../../shared/security/csp';

export const APP_SCHEME = 'app';
/** One fixed host, so the origin is fixed too: app://bundle */
export const APP_HOST = 'bundle';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * Registered before `ready`. `standard` gives the scheme URL parsing and an origin; `secure`
 * makes the page a secure context, which the camera (getUserMedia) requires; `supportFetchAPI`
 * lets the page fetch its own assets (the decoder's .wasm). No `bypassCSP`, no `corsEnabled`
 * beyond what same-origin needs.
 */
export const APP_SCHEME_PRIVILEGES: CustomScheme = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true, codeCache: true },
};

/**
 * Is `url` a page or asset of this app? Compares scheme and host rather than
 * `URL.origin`, which WHATWG leaves opaque ("null") for schemes it does not know.
 */
export function isAppUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST && parsed.username === '' && parsed.password === '';
}

const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.mp3': 'audio/mpeg',
  '.wav': 'audio/wav',
  '.ogg': 'audio/ogg',
  '.webm': 'audio/webm',
  '.txt': 'text/plain; charset=utf-8',
};

export type AppPathRefusal = 'not_this_app' | 'bad_path' | 'outside_bundle';

/**
 * Maps an app:// URL to a file under `rendererRoot`, or says why not. Refuses other hosts,
 * undecodable or NUL-bearing paths, backslashes (a second separator on Windows), and anything
 * that resolves outside the root, whatever mixture of `..` and encodings it took to get there.
 */
export function resolveAppPath(
  rendererRoot: string,
  url: string,
): { ok: true; filePath: string } | { ok: false; reason: AppPathRefusal } {
  if (!isAppUrl(url)) return { ok: false, reason: 'not_this_app' };
  const { pathname } = new URL(url);
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return { ok: false, reason: 'bad_path' };
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return { ok: false, reason: 'bad_path' };
  const root = resolve(rendererRoot);
  const wanted = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  const filePath = resolve(join(root, wanted));
  const rel = relative(root, filePath);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel) || rel.split(sep).includes('..')) {
    return { ok: false, reason: 'outside_bundle' };
  }
  return { ok: true, filePath };
}

export function mimeTypeOf(filePath: string): string {
  return MIME_TYPES[extname(filePath).toLowerCase()] ?? 'application/octet-stream';
}

type ReadFile = (path: string) => Promise<Uint8Array>;

/**
 * The handler for `protocol.handle('app', …)`: GET/HEAD only, files of the bundle only, each
 * response with the CSP and the other security headers. Missing files are a plain 404 (no
 * fallback to index.html: the renderer does not use path routing).
 */
export function createAppProtocolHandler(
  rendererRoot: string,
  readFile: ReadFile = fsReadFile,
): (request: Request) => Promise<Response> {
  return async (request) => {
    const headers = { ...RENDERER_SECURITY_HEADERS };
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return new Response('Method not allowed', { status: 405, headers });
    }
    const target = resolveAppPath(rendererRoot, request.url);
    if (!target.ok) {
      return new Response('Not found', { status: target.reason === 'not_this_app' ? 404 : 403, headers });
    }
    let body: Uint8Array;
    try {
      body = await readFile(target.filePath);
    } catch {
      return new Response('Not found', { status: 404, headers });
    }
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
      status: 200,
      headers: { ...headers, 'Content-Type': mimeTypeOf(target.filePath), 'Cache-Control': 'no-cache' },
    });
  };
}
