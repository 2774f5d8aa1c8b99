// The headless host: the same app core and renderer as the desktop app, served over HTTP on
// 127.0.0.1 only. Every request must carry the per-run secret as the first path segment
// (/s/SECRET/...), so another local user or a web page in the browser cannot reach the API
// without it; the Host header is checked against DNS rebinding; API calls are POST with a
// JSON body, which a cross-site form cannot send without a CORS preflight we never answer.
import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { chmodSync, createReadStream, createWriteStream, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { basename, extname, join, normalize, resolve, sep } from 'node:path';
import { DESK_RESTARTED, DESK_STATE_HEADER } from '../../../shared/api/host-answers';
import { CONTENT_SECURITY_POLICY } from '../../../shared/security/csp';
import type { App, AppLog } from '../app/app.types';
import { ADDRESS_PAGE_CSS, ADDRESS_PAGE_CSS_PATH, addressPage, STALE_ADDRESS_WORDS } from './address-page';

const MAX_API_BODY = 1024 * 1024;
/** The largest register file the host takes: 10 million rows are about 450 MB. */
export const MAX_UPLOAD_BYTES = 4 * 1024 * 1024 * 1024;
/** After refusing an upload, how much more of it is read (and thrown away) so the answer can reach the browser. */
const DISCARD_AFTER_REFUSAL = 8 * 1024 * 1024;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
  '.mp3': 'audio/mpeg',
  '.wav': 'audio/wav',
};

const SECURITY_HEADERS = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

export interface HostOptions {
  app: App;
  rendererDir: string;
  uploadDir: string;
  port: number;
  log: AppLog;
  /** fixed secret for tests; random by default */
  secret?: string;
  /** the largest register upload, in bytes (MAX_UPLOAD_BYTES unless a test says otherwise) */
  maxUploadBytes?: number;
  /** a PNG served as /favicon.ico (no secret needed: it is the public app icon) */
  iconFile?: string;
}

export interface RunningHost {
  url: string;
  port: number;
  secret: string;
  server: Server;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': type, 'Cache-Control': 'no-store' });
  res.end(body);
}

async function readJson(req: IncomingMessage): Promise<{ ok: true; value: unknown } | { ok: false; message: string }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_API_BODY) return { ok: false, message: 'request body too large' };
    chunks.push(chunk);
  }
  if (size === 0) return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(Buffer.concat(chunks).toString('utf8')) };
  } catch {
    return { ok: false, message: 'request body is not JSON' };
  }
}

function sizeWords(bytes: number): string {
  const gb = bytes / 1024 ** 3;
  if (gb >= 1) return `${Number.isInteger(gb) ? gb : gb.toFixed(1)} GB`;
  const mb = bytes / 1024 ** 2;
  return mb >= 1 ? `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB` : `${bytes} bytes`;
}

/**
 * After refusing an upload: read a little more of it and throw it away, so a browser still
 * sending is listening when the answer comes, then cut the connection.
 */
function discardRest(req: IncomingMessage): void {
  let discarded = 0;
  req.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > DISCARD_AFTER_REFUSAL) req.destroy();
  });
  req.on('error', () => {});
  req.resume();
}

function secretMatches(candidate: string, secret: string): boolean {
  const a = Buffer.from(candidate);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function startHost(options: HostOptions): Promise<RunningHost> {
  const { app, log } = options;
  const secret = options.secret ?? randomBytes(24).toString('base64url');
  const rendererRoot = resolve(options.rendererDir);
  const maxUpload = options.maxUploadBytes ?? MAX_UPLOAD_BYTES;
  mkdirSync(options.uploadDir, { recursive: true, mode: 0o700 });
  chmodSync(options.uploadDir, 0o700);
  // Uploads left by a host that was killed mid-import: register files with online codes in them.
  for (const name of readdirSync(options.uploadDir)) if (/^[0-9a-f-]{36}\.csv(\.part)?$/.test(name)) rmSync(join(options.uploadDir, name), { force: true });
  const eventStreams = new Set<ServerResponse>();
  const unsubscribe = app.subscribe((event) => {
    const line = `data: ${JSON.stringify(event)}\n\n`;
    for (const res of eventStreams) res.write(line);
  });
  let port = options.port;
  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);

  const serveStatic = (res: ServerResponse, relative: string) => {
    const wanted = normalize(relative === '' ? 'index.html' : decodeURIComponent(relative));
    const file = resolve(rendererRoot, wanted);
    // Path traversal: the resolved file must stay inside the renderer folder.
    if (!file.startsWith(rendererRoot + sep) || !existsSync(file) || !statSync(file).isFile()) return send(res, 404, 'Not found');
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      'Cache-Control': wanted === 'index.html' ? 'no-store' : 'max-age=3600',
    });
    createReadStream(file).pipe(res);
  };

  const tooLarge = (res: ServerResponse) => {
    res.setHeader('Connection', 'close');
    send(res, 413, `The file is too large: a register file can be at most ${sizeWords(maxUpload)}. Nothing was kept.`);
  };

  /**
   * A register file, streamed to disk with its bytes counted as they arrive (a chunked upload
   * declares no length), refused in words past the limit. What was written of a refused or
   * broken upload is deleted; a whole one is the app's to delete once its import ends.
   */
  const receiveUpload = async (req: IncomingMessage, res: ServerResponse) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > maxUpload) {
      discardRest(req);
      return tooLarge(res);
    }
    const file = join(options.uploadDir, `${randomUUID()}.csv`);
    const out = createWriteStream(file, { mode: 0o600 });
    let bytes = 0;
    const outcome = await new Promise<'whole' | 'too_large' | 'broken'>((resolve) => {
      let settled = false;
      const settle = (how: 'whole' | 'too_large' | 'broken') => {
        if (settled) return;
        settled = true;
        if (how !== 'whole') out.destroy();
        if (how === 'too_large') discardRest(req);
        resolve(how);
      };
      req.on('data', (chunk: Buffer) => {
        if (settled) return;
        bytes += chunk.length;
        if (bytes > maxUpload) return settle('too_large');
        if (!out.write(chunk)) {
          req.pause();
          out.once('drain', () => req.resume());
        }
      });
      req.on('end', () => {
        if (settled) return;
        out.end();
        out.once('close', () => settle('whole'));
      });
      req.on('close', () => {
        if (!req.complete) settle('broken');
      });
      req.on('error', () => settle('broken'));
      out.on('error', () => settle('broken'));
    });
    if (outcome !== 'whole') {
      await new Promise<void>((done) => (out.closed ? done() : out.once('close', () => done())));
      rmSync(file, { force: true });
      if (outcome === 'too_large') {
        log.warn('a register upload was refused: over the limit', { bytes, limit: maxUpload });
        return tooLarge(res);
      }
      log.warn('a register upload broke off; nothing was kept', { bytes });
      if (!res.headersSent && !res.destroyed) send(res, 400, 'The file did not arrive whole. Nothing was kept: choose it again.');
      return;
    }
    return send(res, 200, JSON.stringify({ fileToken: app.registerFile(file, { deleteAfterImport: true }) }), 'application/json');
  };

  /** Every answer without the current secret: the icon, or words about the address, and nothing of the app. */
  const withoutSecret = (req: IncomingMessage, res: ServerResponse, pathname: string, stale: boolean) => {
    if (req.method === 'GET' && pathname === '/favicon.ico' && options.iconFile && existsSync(options.iconFile)) {
      res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'image/png', 'Cache-Control': 'max-age=86400' });
      return void createReadStream(options.iconFile).pipe(res);
    }
    if (req.method === 'GET' && pathname === ADDRESS_PAGE_CSS_PATH) return send(res, 200, ADDRESS_PAGE_CSS, 'text/css; charset=utf-8');
    if (req.method === 'GET' && pathname.split('/')[3] !== 'api') return send(res, 404, addressPage({ stale, port }), 'text/html; charset=utf-8');
    if (!stale) return send(res, 404, 'Not found');
    // an old tab's call: its screen says the desk restarted (the header), in these words
    res.setHeader(DESK_STATE_HEADER, DESK_RESTARTED);
    return send(res, 404, STALE_ADDRESS_WORDS);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (!allowedHosts().has(req.headers.host ?? '')) return send(res, 421, 'Misdirected request');
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const [, first, given, ...rest] = url.pathname.split('/');
    if (first !== 's' || !given || !secretMatches(given, secret)) return withoutSecret(req, res, url.pathname, first === 's' && !!given);
    if (rest.length === 0) {
      // /s/SECRET without the trailing slash: relative asset URLs need it.
      res.writeHead(308, { Location: `/s/${secret}/` });
      return res.end();
    }
    const path = rest.join('/');

    if (path.startsWith('api/')) {
      const name = path.slice(4);
      if (name === 'events' && req.method === 'GET') {
        res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
        res.write(': connected\n\n');
        eventStreams.add(res);
        req.on('close', () => eventStreams.delete(res));
        return;
      }
      if (req.method !== 'POST') return send(res, 405, 'Method not allowed');
      if (!(req.headers['content-type'] ?? '').startsWith('application/json'))
        return send(res, 415, 'API calls are JSON');
      const body = await readJson(req);
      const result = body.ok
        ? await app.dispatch(name, body.value)
        : { ok: false, error: { code: 'invalid_input', message: body.message } };
      return send(res, 200, JSON.stringify(result), 'application/json');
    }

    if (path === 'upload/register' && req.method === 'POST') return receiveUpload(req, res);

    if (path.startsWith('exports/') && req.method === 'GET') {
      const found = app.exportFile(path.slice('exports/'.length));
      if (!found) return send(res, 404, 'No such export');
      res.writeHead(200, {
        ...SECURITY_HEADERS,
        'Content-Type': 'application/octet-stream',
        'Content-Disposition': `attachment; filename="${basename(found.fileName).replace(/[^A-Za-z0-9._-]/g, '_')}"`,
        'Cache-Control': 'no-store',
      });
      return createReadStream(found.path).pipe(res);
    }

    if (req.method !== 'GET') return send(res, 405, 'Method not allowed');
    return serveStatic(res, path);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      log.error('request failed', { error: (e as Error).message });
      if (!res.headersSent) send(res, 500, 'Something went wrong.');
      else res.destroy();
    });
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(options.port, '127.0.0.1', () => ok());
  });
  const address = server.address();
  port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `http://127.0.0.1:${port}/s/${secret}/`,
    port,
    secret,
    server,
    async close() {
      unsubscribe();
      for (const res of eventStreams) res.end();
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
}
