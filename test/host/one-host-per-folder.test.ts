// One desk per data folder (issue 14, item 8): a second headless host on the same folder is
// refused in words and exits, and the first keeps recording; a host SIGKILLed leaves its lock
// behind, and the next host on the folder takes it over and starts.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeBarcode } from '../../shared/barcode/barcode';
import { call, spawnHost, stopHost, type HostProcess } from './host-process';

const running: HostProcess[] = [];
const dir = mkdtempSync(join(tmpdir(), 'ballot-one-host-'));
afterAll(async () => {
  for (const h of running) await stopHost(h, 'SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

function host(port = 0): HostProcess {
  const h = spawnHost(dir, port);
  running.push(h);
  return h;
}

const barcode = (ballot: number) => encodeBarcode(1022, ballot, 1);

describe('one headless host per data folder', () => {
  it('refuses a second host on the folder in words, the first keeps recording; after a SIGKILL a new host starts', { timeout: 180_000 }, async () => {
    const first = host();
    const url = await first.listening;
    expect((await call(url, 'createFirstSupervisor', { name: 'Sam', pin: '135790' })).ok).toBe(true);
    await call(url, 'configureOffline', { electionNumber: 1022, electionName: 'Test election', closesAt: new Date(Date.now() + 86_400_000).toISOString(), workstationName: 'Desk 1' });
    expect((await call(url, 'openBatch', { label: 'Tray 1' })).ok).toBe(true);
    expect((await call(url, 'recordScan', { barcode: barcode(1), source: 'scanner' })).value).toMatchObject({ verdict: 'recorded' });

    const second = host();
    // A second host that starts listening is the failure (found at once, not by a timeout).
    const outcome = await Promise.race([second.exited.then((code) => ({ code })), second.listening.then((address) => ({ address }))]);
    expect(outcome).not.toHaveProperty('address');
    const code = await second.exited;
    expect(code).not.toBe(0);
    expect(code).not.toBeNull();
    expect(second.stderr()).toContain(`Another Ballot Intake is already using ${dir} (pid ${first.child.pid}).`);
    expect(second.stdout()).not.toContain('listening');

    // The first is untouched: it still records, and nothing of the second's is in the folder.
    expect((await call(url, 'recordScan', { barcode: barcode(2), source: 'scanner' })).value).toMatchObject({ verdict: 'recorded', position: 2 });
    expect(JSON.parse(readFileSync(join(dir, 'desk.lock'), 'utf8')).pid).toBe(first.child.pid);

    // SIGKILLed: no clean-up ran, the lock names a dead process. The next host takes it over.
    const port = Number(new URL(url).port);
    await stopHost(first, 'SIGKILL');
    expect(existsSync(join(dir, 'desk.lock'))).toBe(true);
    const third = host(port);
    const again = await third.listening;
    expect(JSON.parse(readFileSync(join(dir, 'desk.lock'), 'utf8')).pid).toBe(third.child.pid);
    const state = await call(again, 'getState', {});
    expect(state.ok).toBe(true);

    // Stopped in the ordinary way (Ctrl-C, SIGTERM), it leaves the folder free.
    expect(await stopHost(third, 'SIGTERM')).toBe(0);
    expect(existsSync(join(dir, 'desk.lock'))).toBe(false);
  });
});
