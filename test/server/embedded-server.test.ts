// The default engine end to end: `npm run server -- --data-dir D` runs its own PostgreSQL in
// D/postgres — durable settings, loopback only, D and the folders above it left as they were —
// SIGTERM stops both; a SIGKILLed server's PostgreSQL is found and stopped by the next start on
// D, which keeps the data; and a crash of PostgreSQL under the server is reported in plain
// words and ends the server with a non-zero exit.
import { mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { runningEmbeddedUrl } from '../../server/db/embedded-postgres';
import { spawnServer, type ServerProcess } from './processes';

const parent = mkdtempSync(join(tmpdir(), 'ballot-embedded-'));
const D = join(parent, 'server');
const ADMIN = 'embedded-test-admin-token-0123456789';
// the secret and the admin token as a first start makes them: in files, not from the environment
const env = { BALLOT_ADMIN_TOKEN: ADMIN, BALLOT_SERVER_SECRET: '' };
const started: ServerProcess[] = [];
afterAll(async () => {
  for (const s of started) await s.stop();
  rmSync(parent, { recursive: true, force: true });
});

async function start(): Promise<ServerProcess> {
  const s = await spawnServer(['--data-dir', D], env);
  started.push(s);
  return s;
}

const postmasterPid = (): number => Number(readFileSync(join(D, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

async function exited(s: ServerProcess): Promise<number | null> {
  if (s.child.exitCode === null && s.child.signalCode === null) await new Promise((r) => s.child.once('exit', r));
  return s.child.exitCode;
}

async function waitGone(pid: number, ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  while (running(pid) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
}

async function sql<T>(query: string): Promise<T[]> {
  const url = runningEmbeddedUrl(D);
  expect(url, 'the embedded PostgreSQL is running').not.toBeNull();
  const c = new pg.Client({ connectionString: url! });
  await c.connect();
  try {
    return (await c.query(query)).rows as T[];
  } finally {
    await c.end();
  }
}

async function admin(s: ServerProcess, path: string, json: unknown): Promise<number> {
  const r = await fetch(s.url + path, { method: 'POST', headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' }, body: JSON.stringify(json) });
  return r.status;
}

describe('the embedded PostgreSQL of `npm run server -- --data-dir D`', () => {
  it('runs in D/postgres, durable and on 127.0.0.1 only; D and its parent stay as they were; SIGTERM stops both', { timeout: 120_000 }, async () => {
    const parentMode = statSync(parent).mode & 0o7777;
    const s = await start();
    expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
    const pid = postmasterPid();
    expect(running(pid)).toBe(true);
    expect(readlinkSync(`/proc/${pid}/cwd`)).toBe(join(D, 'postgres'));
    if (process.getuid?.() === 0) expect(statSync(`/proc/${pid}`).uid).not.toBe(0); // not as root
    const [settings] = await sql<Record<string, string>>(
      `select current_setting('fsync') as fsync, current_setting('synchronous_commit') as synchronous_commit,
              current_setting('full_page_writes') as full_page_writes, current_setting('listen_addresses') as listen_addresses,
              current_setting('unix_socket_directories') as sockets, current_setting('max_connections') as max_connections`,
    );
    expect(settings).toEqual({ fsync: 'on', synchronous_commit: 'on', full_page_writes: 'on', listen_addresses: '127.0.0.1', sockets: '', max_connections: '100' });
    // nothing was opened up to reach the cluster: D is the server's alone, its secrets 0600
    expect(statSync(parent).mode & 0o7777).toBe(parentMode);
    expect(statSync(D).mode & 0o7777).toBe(0o700);
    expect(statSync(join(D, 'postgres')).mode & 0o7777).toBe(0o700);
    for (const f of ['postgres-password', 'server-secret', 'postgres.log']) expect(statSync(join(D, f)).mode & 0o777, f).toBe(0o600);
    expect(readFileSync(join(D, 'postgres-password'), 'utf8')).not.toContain(readFileSync(join(D, 'server-secret'), 'utf8').trim());

    await s.stop();
    expect(await exited(s)).toBe(0);
    expect(running(pid)).toBe(false);
    expect(existsSync(join(D, 'postgres', 'postmaster.pid'))).toBe(false);
    expect(existsSync(join(D, 'server.lock'))).toBe(false);
  });

  it('after a SIGKILL of the server, its PostgreSQL lives on; the next start stops it first and keeps the data', { timeout: 120_000 }, async () => {
    const s = await start();
    expect(await admin(s, '/v1/admin/elections', { electionNumber: 1022, name: 'Kept across a kill', closesAt: '2030-01-01T00:00:00Z' })).toBe(201);
    const orphan = postmasterPid();
    s.child.kill('SIGKILL');
    await exited(s);
    await new Promise((r) => setTimeout(r, 300));
    expect(running(orphan), 'the killed server leaves its postmaster running').toBe(true);

    const again = await start();
    expect(running(orphan)).toBe(false);
    expect(postmasterPid()).not.toBe(orphan);
    expect(await sql<{ name: string }>('select name from elections')).toEqual([{ name: 'Kept across a kill' }]);
    await again.stop();
    expect(await exited(again)).toBe(0);
  });

  it('a crash of its PostgreSQL is reported in plain words and ends the server (exit 1); the next start recovers', { timeout: 120_000 }, async () => {
    const s = await start();
    const pid = postmasterPid();
    process.kill(pid, 'SIGKILL');
    expect(await exited(s)).toBe(1);
    expect(s.output()).toMatch(/Central server stopping: its embedded PostgreSQL stopped unexpectedly\. PostgreSQL \(pid \d+\) was killed by SIGKILL/);
    expect(s.output()).toContain('Start the server again');
    expect(existsSync(join(D, 'server.lock'))).toBe(false);
    await waitGone(pid);

    const again = await start();
    expect(await sql<{ name: string }>('select name from elections')).toEqual([{ name: 'Kept across a kill' }]);
    expect((await fetch(`${again.url}/healthz`)).status).toBe(200);
    await again.stop();
    expect(await exited(again)).toBe(0);
  });
});
