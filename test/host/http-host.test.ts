// The headless host's guard: 127.0.0.1 only, the per-run secret on every request, the Host
// header against DNS rebinding, JSON-only API calls, no path traversal out of the renderer.
import Database from 'better-sqlite3';
import { mkdtempSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_FILE, openApp, type App } from '../../electron/main/app/index';
import { PIN_KEY_SECRET, pinKeyId } from '../../electron/main/app/auth/pin';
import { fileSecretStore } from '../../electron/main/host/file-secret-store';
import { startHost, type RunningHost } from '../../electron/main/host/http-host';

const quiet = { info() {}, warn() {}, error() {} };
let app: App;
let host: RunningHost;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'host-test-'));
  const rendererDir = join(dir, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Ballot Intake</title>');
  writeFileSync(join(dir, 'outside.txt'), 'secret stuff');
  const opened = await openApp({ dataDir: join(dir, 'data'), secretStore: fileSecretStore(join(dir, 'data')), log: quiet });
  if (!opened.ok) throw new Error(opened.error.message);
  app = opened.value;
  host = await startHost({ app, rendererDir, uploadDir: join(dir, 'uploads'), port: 0, log: quiet, iconFile: join(import.meta.dirname, '../../resources/icon.png') });
});
afterAll(async () => {
  await host.close();
  await app.close();
});

function raw(path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return new Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }>((ok, fail) => {
    const req = request({ host: '127.0.0.1', port: host.port, path, method: options.method ?? 'GET', headers: options.headers }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => ok({ status: res.statusCode!, body, headers: res.headers }));
    });
    req.on('error', fail);
    if (options.body) req.write(options.body);
    req.end();
  });
}

describe('headless host', () => {
  it('listens on 127.0.0.1 only and prints a URL with the secret', () => {
    const address = host.server.address();
    expect(typeof address === 'object' && address?.address).toBe('127.0.0.1');
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/s/${host.secret}/`);
    expect(host.secret.length).toBeGreaterThanOrEqual(32);
  });

  it('serves the page with the secret, with the CSP and no-referrer', async () => {
    const r = await raw(`/s/${host.secret}/`);
    expect(r.status).toBe(200);
    expect(r.body).toContain('Ballot Intake');
    expect(r.headers['content-security-policy']).toContain("default-src 'self'");
    expect(r.headers['referrer-policy']).toBe('no-referrer');
  });

  it('refuses every request without the right secret', async () => {
    expect((await raw('/')).status).toBe(404);
    expect((await raw('/s/wrong/')).status).toBe(404);
    // one character off (a secret that already ends in x made "x" the right secret: 1 run in 64)
    const nearly = host.secret.slice(0, -1) + (host.secret.endsWith('x') ? 'y' : 'x');
    expect((await raw(`/s/${nearly}/api/getState`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })).status).toBe(404);
  });

  it("says in words, at an address without this run's secret, that the desk restarted and where its new address is printed, without giving it", async () => {
    const oldTab = await raw('/s/an-old-runs-secret/');
    expect(oldTab.status).toBe(404);
    expect(oldTab.headers['content-type']).toContain('text/html');
    expect(oldTab.body).toContain('This desk has restarted');
    expect(oldTab.body).toContain(`Ballot Intake listening on http://127.0.0.1:${host.port}/s/`);
    const bare = await raw('/');
    expect(bare.body).toContain('Open the desk at its private address');
    for (const page of [oldTab, bare]) expect(page.body).not.toContain(host.secret);
    // the old tab's screens calling the API get the words too (not a page of HTML)
    const api = await raw('/s/an-old-runs-secret/api/getState', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(api.status).toBe(404);
    expect(api.body).toMatch(/^The desk has restarted/);
  });

  it('serves its icon as /favicon.ico, which needs no secret', async () => {
    const icon = await raw('/favicon.ico');
    expect(icon.status).toBe(200);
    expect(icon.headers['content-type']).toBe('image/png');
    expect(icon.body.slice(1, 4)).toBe('PNG');
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    const r = await raw(`/s/${host.secret}/`, { headers: { Host: `evil.example:${host.port}` } });
    expect(r.status).toBe(421);
  });

  it('answers API calls with a Result, and only JSON POSTs', async () => {
    const ok = await raw(`/s/${host.secret}/api/getState`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toMatchObject({ ok: true, value: { firstRun: true } });
    // A cross-site form can only send text/plain or form encodings: refused.
    const form = await raw(`/s/${host.secret}/api/signOut`, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: '{}' });
    expect(form.status).toBe(415);
    const get = await raw(`/s/${host.secret}/api/getState`);
    expect(get.status).toBe(405);
  });

  it('validates API input and refuses unknown operations in words', async () => {
    const bad = await raw(`/s/${host.secret}/api/recordScan`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"barcode": 5}' });
    expect(JSON.parse(bad.body)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    const notJson = await raw(`/s/${host.secret}/api/getState`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{' });
    expect(JSON.parse(notJson.body)).toMatchObject({ ok: false, error: { code: 'invalid_input', message: 'request body is not JSON' } });
    const unknown = await raw(`/s/${host.secret}/api/dropTables`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(JSON.parse(unknown.body)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('does not serve files outside the renderer folder', async () => {
    for (const path of ['../outside.txt', '..%2Foutside.txt', '%2e%2e/outside.txt', '..%2f..%2fdata%2fsecrets.json']) {
      const r = await raw(`/s/${host.secret}/${path}`);
      expect(r.status, path).toBe(404);
      expect(r.body).not.toContain('secret stuff');
    }
  });

  // openApp is called here as cli.ts calls it: no cost given, the host's file secret store
  it("hashes PINs at production's cost (scrypt N = 2^17) with the key in the host's 0600 secrets file, not in the database", async () => {
    const made = await raw(`/s/${host.secret}/api/createFirstSupervisor`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'Sam', pin: '135790' }),
    });
    expect(JSON.parse(made.body)).toMatchObject({ ok: true });
    const secrets = join(dir, 'data', 'secrets.json');
    expect(statSync(secrets).mode & 0o777).toBe(0o600);
    const key = Buffer.from((JSON.parse(readFileSync(secrets, 'utf8')) as Record<string, string>)[PIN_KEY_SECRET]!, 'base64');
    expect(key).toHaveLength(32);
    const db = new Database(join(dir, 'data', DATABASE_FILE), { readonly: true });
    const { pin_hash } = db.prepare('SELECT pin_hash FROM people').get() as { pin_hash: string };
    db.close();
    expect(pin_hash).toMatch(new RegExp(`^scrypt2\\$131072\\$8\\$1\\$${pinKeyId(key)}\\$`));
  }, 120_000);
});
