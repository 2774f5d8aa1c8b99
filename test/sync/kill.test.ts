// Kill during sync: the workstation's process is SIGKILLed in the middle of pushing, ten
// times. Afterwards every receipt is on the server exactly once and as it was recorded (no
// receipt is lost, none is sent as a different receipt: the server saw no conflicts).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import type { SyncStatus } from '../../shared/api/types';
import {
  barcodeOf,
  cleanUp,
  enrol,
  enrolmentCode,
  localReceipts,
  openWorkstation,
  serverProcess,
  serverReceipts,
  setUpElection,
  waitUpToDate,
} from './helpers';

afterAll(cleanUp);

const RECEIPTS = 3_000;
const KILLS = 10;

function runWorkstation(dir: string, batchSize: number, until: (s: SyncStatus) => boolean): Promise<{ child: ReturnType<typeof spawn>; status: SyncStatus }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'workstation-process.ts'), dir, String(batchSize)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let buffered = '';
    child.stdout!.on('data', (d: Buffer) => {
      buffered += d.toString();
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const status = JSON.parse(buffered.slice(0, nl)) as SyncStatus;
        buffered = buffered.slice(nl + 1);
        if (until(status)) resolve({ child, status });
      }
    });
    child.on('exit', (code, signal) => reject(new Error(`the workstation exited early (${code ?? signal})`)));
  });
}

it(`the workstation is SIGKILLed mid-push ${KILLS} times: nothing is lost or sent as a different receipt`, { timeout: 180_000 }, async () => {
  const server = await serverProcess('embedded');
  await setUpElection(server.url, RECEIPTS, ['north']);
  const ws = await openWorkstation();
  await enrol(ws, server.url, await enrolmentCode(server.url, 'north'), 'North desk 1');
  await waitUpToDate(ws);
  await server.kill();
  for (let b = 1; b <= RECEIPTS; b++) ws.scan(barcodeOf(b));
  const dir = ws.dir;
  await ws.close();
  await server.start();

  const killedAt: number[] = [];

  for (let k = 0; k < KILLS; k++) {
    let seenWaiting: number | null = null;
    // Wait until a batch has gone through in this run (a push is then in flight), then kill.
    const { child, status } = await runWorkstation(dir, 100, (s) => {
      if (seenWaiting === null && s.waiting > 0) seenWaiting = s.waiting;
      return seenWaiting !== null && s.waiting < seenWaiting && s.waiting > 0;
    });
    await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 60)));
    child.removeAllListeners('exit');
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    killedAt.push(status.waiting);

  }
  expect(killedAt.every((w) => w > 0)).toBe(true);
  const { child } = await runWorkstation(dir, 500, (s) => s.text === 'Up to date' && s.waiting === 0);
  child.removeAllListeners('exit');
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;

  const again = await openWorkstation({ dir });
  const local = localReceipts(again);
  const outbox = again.core.db.prepare("SELECT count(*) AS n FROM outbox WHERE kind = 'receipt' AND (sent_at IS NULL OR failed = 1)").get() as { n: number };
  await again.close();
  await server.kill('SIGTERM');
  const db = await server.openDb();
  const onServer = await serverReceipts(db);
  await db.close();

  expect(local).toHaveLength(RECEIPTS);
  expect(outbox.n).toBe(0);
  expect(onServer).toHaveLength(RECEIPTS);
  expect(onServer.filter((r) => r.outcome !== 'accepted')).toEqual([]);
  const sent = new Map(onServer.map((r) => [r.receipt_id, r]));
  for (const r of local) {
    const s = sent.get(r.id);
    expect(s, r.id).toBeDefined();
    expect([s!.barcode, Number(s!.workstation_seq)]).toEqual([r.barcode, r.seq]);
    expect(r.sv_outcome).toBe('accepted');
  }
  console.log(JSON.stringify({ test: 'sync kill', kills: KILLS, waitingAtKill: killedAt }));
});
