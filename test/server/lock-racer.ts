// A process that races for a data directory's lock when told to (test/server/data-dir-lock.test.ts).
// Reads lines from stdin: "try DIR AT" — waits until the clock reads AT (ms), so that all racers
// try at the same moment, then takes the lock of DIR and prints "won" or "lost: why";
// "release" — releases what it holds. Prints "ready" once it can take orders.
import { createInterface } from 'node:readline';
import { lockDataDir } from '../../server/db/data-dir-lock';

let release: (() => void) | null = null;
const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  const [command, dir, at] = line.split(' ');
  if (command === 'try') {
    const until = Number(at);
    while (Date.now() < until - 3) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
    while (Date.now() < until); // the last few ms spinning, for a close start
    try {
      release = lockDataDir(dir!);
      process.stdout.write('won\n');
    } catch (e) {
      process.stdout.write(`lost: ${(e as Error).message}\n`);
    }
  } else if (command === 'release') {
    release?.();
    release = null;
    process.stdout.write('released\n');
  }
});
lines.on('close', () => process.exit(0));
process.stdout.write('ready\n');
