// Issue 16 item 8: the headless host's production path runs built JavaScript. `npm run
// start:web` builds out/node/desk-host.mjs and its worker threads (scripts/build-host.mjs) and
// runs it with plain node: no TypeScript loader in the process. The built host serves the
// renderer (found from out/node, not from the source folder), its icon, and the API; a register
// import runs in the built worker beside it, and so does the audit check's worker.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeBarcode } from '../../shared/barcode/barcode';
import { BUILT_HOST, call, spawnHost, stopHost, type HostProcess } from './host-process';

const root = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'ballot-built-host-'));
const ELECTION = 1022;
const barcode = (ballot: number) => encodeBarcode(ELECTION, ballot, 1);
const ROWS = 300;
let host: HostProcess | undefined;

beforeAll(() => {
  execFileSync(process.execPath, [join(root, 'scripts', 'build-host.mjs')], { stdio: 'inherit' });
}, 60_000);
afterAll(async () => {
  if (host) await stopHost(host, 'SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

async function waitForImport(url: string): Promise<{ state: string; rowsDone: number; message: string | null }> {
  for (let i = 0; i < 300; i++) {
    const progress = (await call(url, 'registerProgress')).value;
    if (progress.state !== 'running') return progress;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the register import did not end in 30 s');
}

describe('the built headless host', () => {
  it('builds a worker file for every worker the core starts', () => {
    const sources = readdirSync(join(root, 'electron/main/app/workers')).filter((f) => f.endsWith('.worker.ts'));
    expect(sources.length).toBeGreaterThan(0);
    for (const f of sources) expect(existsSync(join(root, 'out/node', f.replace(/\.ts$/, '.mjs'))), f).toBe(true);
  });

  it('runs as plain JavaScript: serves the page and its icon, answers the API, imports a register in its worker', { timeout: 120_000 }, async () => {
    host = spawnHost(join(dir, 'data'), 0, { built: true });
    const url = await host.listening;
    const cmdline = readFileSync(`/proc/${host.child.pid}/cmdline`, 'utf8').split('\0');
    expect(cmdline).toContain(BUILT_HOST);
    expect(cmdline.join(' ')).not.toMatch(/tsx/);

    // The page, and the script it loads: the renderer folder was found from out/node.
    const page = await fetch(url);
    expect(page.status).toBe(200);
    const html = await page.text();
    const script = /<script[^>]+src="\.\/([^"]+)"/.exec(html)?.[1];
    expect(script, html).toBeTruthy();
    const asset = await fetch(`${url}${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    // resources/icon.png, found from the project folder
    const icon = await fetch(new URL('/favicon.ico', url));
    expect(icon.status).toBe(200);
    expect(Buffer.from(await icon.arrayBuffer()).subarray(1, 4).toString()).toBe('PNG');

    expect((await call(url, 'createFirstSupervisor', { name: 'Sam', pin: '135790' })).ok).toBe(true);
    const configured = await call(url, 'configureOffline', { electionNumber: ELECTION, electionName: 'Test election', closesAt: new Date(Date.now() + 86_400_000).toISOString(), workstationName: 'Desk 1' });
    expect(configured.ok, JSON.stringify(configured)).toBe(true);

    // The register file goes up as the browser sends it, and is imported in the built worker.
    const lines = ['ballot_number,issue,status,member_ref,online_code'];
    for (let i = 1; i <= ROWS; i++) lines.push(`${i},1,issued,M-${i},A${String(i).padStart(8, '0')}`);
    const uploaded = await fetch(`${url}upload/register`, { method: 'POST', headers: { 'Content-Type': 'text/csv' }, body: `${lines.join('\n')}\n` });
    expect(uploaded.status).toBe(200);
    const { fileToken } = (await uploaded.json()) as { fileToken: string };
    const started = await call(url, 'importRegisterFile', { fileToken, fileName: 'register.csv' });
    expect(started.ok, JSON.stringify(started)).toBe(true);
    expect(await waitForImport(url)).toMatchObject({ state: 'done', rowsDone: ROWS });

    // The register is the one the worker wrote: a pack in it is recorded, one outside it flagged.
    expect((await call(url, 'openBatch', { label: 'Tray 1' })).ok).toBe(true);
    expect((await call(url, 'recordScan', { barcode: barcode(7), source: 'scanner' })).value).toMatchObject({ verdict: 'recorded' });
    expect((await call(url, 'recordScan', { barcode: barcode(ROWS + 1), source: 'scanner' })).value).toMatchObject({ verdict: 'flagged', kind: 'unknown_ballot' });
    expect((await call(url, 'verifyAudit')).value).toMatchObject({ ok: true });
    expect(await stopHost(host)).toBe(0);

    // The audit check's worker (started only for long logs): the built file checks this desk's log.
    const worker = new Worker(join(root, 'out/node/audit-verify.worker.mjs'), {
      workerData: { dbPath: join(dir, 'data', 'ballot-intake.sqlite'), range: { from: 1, to: null, records: true } },
    });
    const answer = await new Promise<{ type: string; result?: { entries: number } }>((ok, fail) => {
      worker.once('message', ok);
      worker.once('error', fail);
    });
    await worker.terminate();
    expect(answer).toMatchObject({ type: 'range', result: { chain: null, coverage: null } });
    expect(answer.result!.entries).toBeGreaterThan(3);
  });
});
