// The headless host as a child process (`--data-dir DIR --port PORT`): started, called over
// HTTP, stopped or SIGKILLed. The TypeScript through tsx, or `built`: what `npm run start:web`
// runs (out/node/desk-host.mjs with plain node, made by scripts/build-host.mjs).
import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');

export interface HostProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** the printed address, once it listens; rejects if the process ends first */
  listening: Promise<string>;
  /** the exit code (null after a signal) */
  exited: Promise<number | null>;
}

export const BUILT_HOST = join(ROOT, 'out/node/desk-host.mjs');

export function spawnHost(dataDir: string, port = 0, options: { built?: boolean } = {}): HostProcess {
  const entry = options.built ? ['--enable-source-maps', BUILT_HOST] : ['--import', 'tsx', join(ROOT, 'electron/main/host/cli.ts')];
  const child = spawn(process.execPath, [...entry, '--data-dir', dataDir, '--port', String(port)], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((ok) => child.once('exit', (code) => ok(code)));
  const listening = new Promise<string>((ok, fail) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Ballot Intake listening on (http:\/\/127\.0\.0\.1:\d+\/\S*)/.exec(out);
      if (m) ok(m[1]!);
    });
    void exited.then((code) => fail(new Error(`the host exited (${code}) before listening:\n${err}`)));
  });
  listening.catch(() => {}); // a refused host is an expected outcome; callers await `exited` then
  return { child, stdout: () => out, stderr: () => err, listening, exited };
}

export async function stopHost(h: HostProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  if (h.child.exitCode === null && h.child.signalCode === null) h.child.kill(signal);
  return h.exited;
}

/** One API call (POST JSON), answered with the host's Result. */
export async function call(url: string, name: string, input: unknown = {}): Promise<any> {
  const res = await fetch(`${url}api/${name}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(input) });
  if (res.status !== 200) throw new Error(`${name}: HTTP ${res.status} ${await res.text()}`);
  return res.json();
}
