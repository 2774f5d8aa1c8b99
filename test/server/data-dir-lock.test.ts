// The data-directory lock (one server process per embedded data directory) with real processes
// racing for it at the same moment: 8 processes, 20 rounds — a fresh directory, then the lock
// left behind by the previous winner, SIGKILLed — and in every round exactly one wins. Plus the
// owner checks: a live owner keeps it, a dead one or a reused pid loses it, release frees it.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lockDataDir, processStartTime } from '../../server/db/data-dir-lock';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'ballot-lock-'));
  dirs.push(d);
  return d;
}
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

interface Racer {
  child: ChildProcess;
  next(): Promise<string>;
  send(line: string): void;
}

async function racer(): Promise<Racer> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'lock-racer.ts')], { stdio: ['pipe', 'pipe', 'inherit'] });
  const queue: string[] = [];
  const waiting: Array<(l: string) => void> = [];
  let buffered = '';
  child.stdout!.on('data', (d: Buffer) => {
    buffered += d.toString();
    for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      const w = waiting.shift();
      if (w) w(line);
      else queue.push(line);
    }
  });
  const r: Racer = {
    child,
    next: () => (queue.length > 0 ? Promise.resolve(queue.shift()!) : new Promise((resolve) => waiting.push(resolve))),
    send: (line) => child.stdin!.write(line + '\n'),
  };
  expect(await r.next()).toBe('ready');
  return r;
}

async function sigkill(c: ChildProcess): Promise<void> {
  const exited = new Promise((r) => c.once('exit', r));
  c.kill('SIGKILL');
  await exited;
}

const RACERS = 8;
const ROUNDS = 20;

describe('data-directory lock', () => {
  it(`${RACERS} processes racing at the same moment, ${ROUNDS} rounds: exactly one wins each round, stale locks included`, { timeout: 240_000 }, async () => {
    const racers = await Promise.all(Array.from({ length: RACERS }, racer));
    try {
      let dir = '';
      let lastWinner = -1;
      const winners: number[] = [];
      for (let round = 1; round <= ROUNDS; round++) {
        const stale = round % 2 === 0;
        if (stale) {
          // the last winner dies holding the lock: the lock is stale, and a fresh racer takes its place
          const dead = racers[lastWinner]!;
          const deadPid = dead.child.pid!;
          await sigkill(dead.child);
          expect(JSON.parse(readFileSync(join(dir, 'server.lock'), 'utf8')).pid).toBe(deadPid);
          racers[lastWinner] = await racer();
        } else {
          if (lastWinner >= 0) {
            racers[lastWinner]!.send('release');
            expect(await racers[lastWinner]!.next()).toBe('released');
          }
          dir = tempDir();
        }
        const at = Date.now() + 150;
        racers.forEach((r) => r.send(`try ${dir} ${at}`));
        const answers = await Promise.all(racers.map((r) => r.next()));
        const won = answers.flatMap((a, i) => (a === 'won' ? [i] : []));
        expect(won, `round ${round} (${stale ? 'stale lock' : 'fresh directory'}): ${JSON.stringify(answers)}`).toHaveLength(1);
        for (const a of answers.filter((x) => x !== 'won')) expect(a).toMatch(/^lost: the data directory .* is in use by server process \d+/);
        lastWinner = won[0]!;
        winners.push(lastWinner);
        // the lock names the winner
        expect(JSON.parse(readFileSync(join(dir, 'server.lock'), 'utf8')).pid).toBe(racers[lastWinner]!.child.pid);
      }
      console.log(JSON.stringify({ test: 'data-dir lock race', racers: RACERS, rounds: ROUNDS, winners }));
    } finally {
      for (const r of racers) r.child.kill('SIGKILL');
    }
  });

  it('a live owner keeps the directory; released, it can be taken again', () => {
    const dir = tempDir();
    const release = lockDataDir(dir);
    expect(() => lockDataDir(dir)).toThrow(/in use by server process \d+/);
    release();
    const again = lockDataDir(dir);
    again();
  });

  it('a lock whose pid now belongs to another process (another start time) is taken over', () => {
    const dir = tempDir();
    // this very process, as if it were an older one with the same pid
    writeFileSync(join(dir, 'server.lock'), JSON.stringify({ pid: process.pid, start: '1', boot: null, nonce: 'x' }) + '\n');
    expect(processStartTime(process.pid)).not.toBe('1');
    const release = lockDataDir(dir);
    expect(JSON.parse(readFileSync(join(dir, 'server.lock'), 'utf8')).start).toBe(processStartTime(process.pid));
    release();
  });

  it("a lock of an older server version (just its pid) whose process is gone is taken over; a live one's is not", () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'server.lock'), '2147483646\n');
    lockDataDir(dir)();
    writeFileSync(join(dir, 'server.lock'), `${process.ppid}\n`);
    expect(() => lockDataDir(dir)).toThrow(new RegExp(`in use by server process ${process.ppid}`));
  });
});
