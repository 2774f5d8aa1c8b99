// Central server processes for tests and benchmarks: `tsx server/cli.ts` as a child process,
// each on a port of its own, optionally sharing one PostgreSQL database.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface ServerProcess {
  url: string;
  pid: number;
  child: ChildProcess;
  /** everything the process wrote so far (stdout and stderr) */
  output(): string;
  stop(): Promise<void>;
}

/** `built`: the compiled server of `npm run server` (out/node/server.mjs, made by scripts/build-server.mjs) instead of the TypeScript. */
export async function spawnServer(args: string[], env: Record<string, string>, options: { built?: boolean } = {}): Promise<ServerProcess> {
  const entry = options.built ? [join(root, 'out', 'node', 'server.mjs')] : ['--import', 'tsx', join(root, 'server', 'cli.ts')];
  const child = spawn(process.execPath, [...entry, '--port', '0', '--log-level', 'warn', ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 30_000);
    const onData = (d: Buffer): void => {
      output += String(d);
      const m = /Central server listening on (https?:\/\/\S+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d: Buffer) => (output += String(d)));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });
  return {
    url,
    pid: child.pid!,
    child,
    output: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** A new, empty database on the server of `adminUrl`; returns its URL and a way to drop it. */
export async function createScratchDatabase(adminUrl: string, prefix = 't'): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`).catch(() => undefined);
      await c.end();
    },
  };
}
