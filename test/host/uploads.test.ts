// Issue 15, item 8: the headless host's register uploads. Bytes are counted as they arrive (a
// chunked upload declares no length) and refused in words past the limit; a register file holds
// every member's online code, so an uploaded one is deleted once its import ends, done or failed,
// and nothing of a refused or broken upload is kept.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openApp, type App } from '../../electron/main/app/index';
import { fileSecretStore } from '../../electron/main/host/file-secret-store';
import { MAX_UPLOAD_BYTES, startHost, type RunningHost } from '../../electron/main/host/http-host';

const quiet = { info() {}, warn() {}, error() {} };
const TEST_PIN_COST = { N: 2 ** 12, r: 8, p: 1 };
const HEADER = 'ballot_number,issue,status,member_ref,online_code\n';

interface Running {
  app: App;
  host: RunningHost;
  dir: string;
  uploads: string;
}
const running: Running[] = [];
afterEach(async () => {
  for (const r of running.splice(0)) {
    await r.host.close();
    await r.app.close();
  }
});

async function start(options: { maxUploadBytes?: number; dir?: string } = {}): Promise<Running> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'host-uploads-'));
  const rendererDir = join(dir, 'renderer');
  mkdirSync(rendererDir, { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Ballot Intake</title>');
  const data = join(dir, 'data');
  const opened = await openApp({ dataDir: data, secretStore: fileSecretStore(data), log: quiet, pinCost: TEST_PIN_COST });
  if (!opened.ok) throw new Error(opened.error.message);
  const uploads = join(dir, 'uploads');
  const host = await startHost({
    app: opened.value,
    rendererDir,
    uploadDir: uploads,
    port: 0,
    log: quiet,
    ...(options.maxUploadBytes ? { maxUploadBytes: options.maxUploadBytes } : {}),
  });
  const r = { app: opened.value, host, dir, uploads };
  running.push(r);
  return r;
}

/** Sends a body in chunks (chunked transfer: no Content-Length), or with a declared length. */
function upload(
  r: Running,
  body: { chunks: Buffer[] } | { declared: number; send?: Buffer } | { chunks: Buffer[]; breakOffAfter: number },
): Promise<{ status: number; body: string } | { brokenOff: true }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { 'Content-Type': 'text/csv' };
    if ('declared' in body) headers['Content-Length'] = body.declared;
    const req = request({ host: '127.0.0.1', port: r.host.port, path: `/s/${r.host.secret}/upload/register`, method: 'POST', headers }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode!, body: text }));
    });
    req.on('error', (e) => ('breakOffAfter' in body ? resolve({ brokenOff: true }) : reject(e)));
    if ('declared' in body) {
      if (body.send) req.write(body.send);
      // the rest never comes: the answer must not wait for it
      return;
    }
    let i = 0;
    const next = () => {
      if ('breakOffAfter' in body && i === body.breakOffAfter) {
        // wait until the host has written what was sent, then cut the connection
        const until = Date.now() + 20_000;
        const poll = () => {
          const parts = readdirSync(r.uploads);
          if (parts.length > 0 || Date.now() > until) return void req.destroy();
          setTimeout(poll, 10);
        };
        return poll();
      }
      if (i === body.chunks.length) return void req.end();
      const ok = req.write(body.chunks[i++]);
      if (ok) setImmediate(next);
      else req.once('drain', next);
    };
    next();
  });
}

async function api(r: Running, name: string, input: unknown): Promise<any> {
  const res = await r.app.dispatch(name, input);
  if (!res.ok) throw new Error(`${name}: ${res.error.message}`);
  return res.value;
}

async function untilImportEnds(r: Running): Promise<{ state: string; message: string | null }> {
  const end = Date.now() + 120_000;
  for (;;) {
    const p = await api(r, 'registerProgress', {});
    if (p.state !== 'running') return p;
    if (Date.now() > end) throw new Error('the import did not end');
    await new Promise((ok) => setTimeout(ok, 20));
  }
}

const MB = 1024 * 1024;
const chunksOf = (total: number, size = 64 * 1024) => Array.from({ length: Math.ceil(total / size) }, () => Buffer.alloc(size, 'x'));

describe('register uploads to the headless host', () => {
  it('counts the bytes of a chunked upload as they arrive and refuses past the limit, in words, keeping nothing', async () => {
    const r = await start({ maxUploadBytes: 1 * MB });
    const answer = await upload(r, { chunks: chunksOf(3 * MB) });
    expect(answer).toEqual({ status: 413, body: 'The file is too large: a register file can be at most 1 MB. Nothing was kept.' });
    expect(readdirSync(r.uploads)).toEqual([]);
    // just under the limit is taken, readable by this user only
    const under = await upload(r, { chunks: chunksOf(1 * MB - 1, 1 * MB - 1) });
    expect(under).toMatchObject({ status: 200 });
    const files = readdirSync(r.uploads);
    expect(files).toHaveLength(1);
    expect(statSync(join(r.uploads, files[0]!)).mode & 0o777).toBe(0o600);
    expect(statSync(r.uploads).mode & 0o777).toBe(0o700);
  }, 60_000);

  it('refuses a declared length over the limit before reading the body; the default limit is 4 GB', async () => {
    expect(MAX_UPLOAD_BYTES).toBe(4 * 1024 ** 3);
    const r = await start();
    const answer = await upload(r, { declared: MAX_UPLOAD_BYTES + 1, send: Buffer.alloc(1024, 'x') });
    expect(answer).toEqual({ status: 413, body: 'The file is too large: a register file can be at most 4 GB. Nothing was kept.' });
    expect(readdirSync(r.uploads)).toEqual([]);
  }, 60_000);

  it('keeps nothing of an upload that breaks off', async () => {
    const r = await start();
    expect(await upload(r, { chunks: chunksOf(2 * MB), breakOffAfter: 8 })).toEqual({ brokenOff: true });
    const end = Date.now() + 20_000;
    while (readdirSync(r.uploads).length > 0 && Date.now() < end) await new Promise((ok) => setTimeout(ok, 20));
    expect(readdirSync(r.uploads)).toEqual([]);
  }, 60_000);

  it('deletes the uploaded file when its import ends: done, and failed', async () => {
    const r = await start();
    await api(r, 'createFirstSupervisor', { name: 'Sam', pin: '135790' });
    await api(r, 'configureOffline', { electionNumber: 1022, electionName: 'E', closesAt: '2099-01-01T00:00:00.000Z', workstationName: 'Desk 1' });

    const good = await upload(r, { chunks: [Buffer.from(HEADER + '1,1,issued,M-1,CODE00000011\n2,1,issued,M-2,CODE00000021\n')] });
    expect(good).toMatchObject({ status: 200 });
    const token = JSON.parse((good as { body: string }).body).fileToken as string;
    expect(readdirSync(r.uploads)).toHaveLength(1);
    await api(r, 'importRegisterFile', { fileToken: token });
    expect(await untilImportEnds(r)).toMatchObject({ state: 'done' });
    await untilEmpty(r.uploads);
    // the token is spent with its file
    expect(await r.app.dispatch('importRegisterFile', { fileToken: token })).toMatchObject({ ok: false, error: { code: 'not_found', message: 'Choose the register file again.' } });

    const bad = await upload(r, { chunks: [Buffer.from(HEADER + '1,1,issued,M-1,lower-case\n')] });
    await api(r, 'importRegisterFile', { fileToken: JSON.parse((bad as { body: string }).body).fileToken });
    expect(await untilImportEnds(r)).toMatchObject({ state: 'failed' });
    await untilEmpty(r.uploads);
  }, 120_000);

  it('deletes an upload never imported when the app closes, and leftovers of a killed host when it starts', async () => {
    const r = await start();
    expect(await upload(r, { chunks: [Buffer.from(HEADER)] })).toMatchObject({ status: 200 });
    expect(readdirSync(r.uploads)).toHaveLength(1);
    running.splice(running.indexOf(r), 1);
    await r.host.close();
    await r.app.close();
    expect(readdirSync(r.uploads)).toEqual([]);

    const left = join(r.uploads, '0a5e6f7e-1c7a-4a51-9b0e-3f1d2c3b4a59.csv');
    writeFileSync(left, HEADER);
    const again = await start({ dir: r.dir });
    expect(existsSync(left)).toBe(false);
    expect(readdirSync(again.uploads)).toEqual([]);
  }, 60_000);

  it('never deletes a file the user chose (the desktop app hands the core their own file)', async () => {
    const r = await start();
    await api(r, 'createFirstSupervisor', { name: 'Sam', pin: '135790' });
    await api(r, 'configureOffline', { electionNumber: 1022, electionName: 'E', closesAt: '2099-01-01T00:00:00.000Z', workstationName: 'Desk 1' });
    const mine = join(r.dir, 'register.csv');
    writeFileSync(mine, HEADER + '1,1,issued,M-1,CODE00000011\n');
    await api(r, 'importRegisterFile', { fileToken: r.app.registerFile(mine) });
    expect(await untilImportEnds(r)).toMatchObject({ state: 'done' });
    await new Promise((ok) => setTimeout(ok, 200));
    expect(existsSync(mine)).toBe(true);
  }, 120_000);
});

async function untilEmpty(dir: string): Promise<void> {
  // the file goes when the import's worker has exited, just after the progress says it ended
  const end = Date.now() + 30_000;
  while (readdirSync(dir).length > 0 && Date.now() < end) await new Promise((ok) => setTimeout(ok, 20));
  expect(readdirSync(dir)).toEqual([]);
}
