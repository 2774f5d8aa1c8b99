// Starts the headless host (the real app core on a real SQLite file) for one test, on its
// own temp data folder and a free port, and stops it afterwards. It runs what production runs
// (`npm run start:web`): out/node/desk-host.mjs with plain node, built once per test process
// from the current sources (scripts/build-host.mjs, about half a second), which also saves
// tsx's start (about 1.4 s) at every host start (`npm run bench -- host_start`).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export interface RunningHost {
  url: string;
  dataDir: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

const ROOT = resolve(import.meta.dirname, '../..');
let built = false;

export async function startHost(options: { dataDir?: string; server?: string; port?: number } = {}): Promise<RunningHost> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'ballot-e2e-'));
  if (!built) {
    execFileSync(process.execPath, [join(ROOT, 'scripts/build-host.mjs')], { cwd: ROOT, stdio: 'inherit' });
    built = true;
  }
  const args = ['--enable-source-maps', join(ROOT, 'out/node/desk-host.mjs'), '--data-dir', dataDir, '--port', String(options.port ?? 0)];
  if (options.server) args.push('--server', options.server);
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const url = await new Promise<string>((ok, fail) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`host did not start in 30 s\n${stderr}`)), 30_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Ballot Intake listening on (http:\/\/127\.0\.0\.1:\d+\/\S*)/.exec(out);
      if (m) {
        clearTimeout(timer);
        ok(m[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`host exited with ${code}\n${stderr}`));
    });
  });
  return {
    url,
    dataDir,
    process: child,
    stop: () =>
      new Promise<void>((ok) => {
        if (child.exitCode !== null) return ok();
        child.once('exit', () => ok());
        child.kill('SIGTERM');
      }),
  };
}
