// Exactly once under faults: three workstations (three app cores, each with its own data
// folder; two centres) record 20,000 scans between them, 1,000 envelopes of which are scanned
// at two different workstations, while the fault proxy drops, delays, answers 502/503,
// resets mid-response and delivers requests twice, and the server process is SIGKILLed and
// restarted twice. When the faults stop, every receipt is on the server exactly once, every
// workstation says Up to date, every cross-workstation duplicate is flagged exactly once, and
// the local and server verdicts agree.
import { afterAll, describe, expect, it } from 'vitest';
import { CALM, STORMY, startFaultProxy } from './fault-proxy';
import {
  barcodeOf,
  cleanUp,
  enrol,
  enrolmentCode,
  ENGINES,
  localReceipts,
  openWorkstation,
  serverProcess,
  serverReceipts,
  setUpElection,
  waitUpToDate,
  type Workstation,
} from './helpers';

afterAll(cleanUp);

const SCANS = 20_000;
const DUPLICATED = 1_000;
const ENVELOPES = SCANS - DUPLICATED;

/** a small seeded generator, so a failure can be replayed */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

describe.each(ENGINES)('exactly once under faults (%s)', (engine) => {
  it(`${SCANS} scans at three workstations, a misbehaving network and two server crashes`, { timeout: 240_000 }, async () => {
    const server = await serverProcess(engine);
    await setUpElection(server.url, ENVELOPES, ['north', 'south']);
    const random = lcg(20261125);
    const proxy = await startFaultProxy(server.url, CALM, random);
    const names = ['North desk 1', 'North desk 2', 'South desk 1'];
    const centres = ['north', 'north', 'south'];
    const desks: Workstation[] = [];
    for (let i = 0; i < 3; i++) {
      const ws = await openWorkstation();
      await enrol(ws, proxy.url, await enrolmentCode(server.url, centres[i]!), names[i]!);
      desks.push(ws);
    }
    for (const ws of desks) await waitUpToDate(ws);
    expect(desks.map((d) => d.core.register.rows())).toEqual([ENVELOPES, ENVELOPES, ENVELOPES]);

    // The scan plan: envelopes 1..DUPLICATED are scanned at two different desks.
    const plan: Array<{ desk: number; ballot: number }> = [];
    for (let b = 1; b <= ENVELOPES; b++) {
      plan.push({ desk: b % 3, ballot: b });
      if (b <= DUPLICATED) plan.push({ desk: (b + 1) % 3, ballot: b });
    }
    for (let i = plan.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [plan[i], plan[j]] = [plan[j]!, plan[i]!];
    }

    proxy.setFaults(STORMY);
    const crashes = [Math.floor(SCANS / 3), Math.floor((2 * SCANS) / 3)];
    for (let i = 0; i < plan.length; i++) {
      const { desk, ballot } = plan[i]!;
      desks[desk]!.scan(barcodeOf(ballot));
      if (i % 100 === 99) await new Promise((r) => setTimeout(r, 5)); // the desks push meanwhile
      if (crashes.includes(i)) {
        await server.kill('SIGKILL');
        await new Promise((r) => setTimeout(r, 300));
        await server.start();
      }
    }
    // a while longer in the storm, then calm
    await new Promise((r) => setTimeout(r, 3_000));
    proxy.setFaults(CALM);
    for (const ws of desks) await waitUpToDate(ws, 180_000);
    // every desk pulls once more so each learns the others' flags
    for (const ws of desks) await ws.must('syncNow', {});
    // (a periodic cycle may have started meanwhile: the status is read once none runs)
    for (const ws of desks) {
      await ws.engine.whenIdle();
      expect(ws.status()).toMatchObject({ text: 'Up to date', waiting: 0, lastError: null });
    }
    const faults = { ...proxy.counts };
    expect(faults.drop + faults.reset + faults.bad502 + faults.bad503 + faults.twice).toBeGreaterThan(20);

    const local = desks.map((d) => localReceipts(d));
    for (const ws of desks) await ws.close();
    await proxy.close();
    await server.kill('SIGTERM');
    const db = await server.openDb();
    const onServer = await serverReceipts(db);
    await db.close();

    // every receipt on the server exactly once
    const allLocal = local.flat();
    expect(allLocal).toHaveLength(SCANS);
    expect(onServer).toHaveLength(SCANS);
    expect(new Set(onServer.map((r) => r.receipt_id)).size).toBe(SCANS);
    expect(new Set(onServer.map((r) => r.receipt_id))).toEqual(new Set(allLocal.map((r) => r.id)));
    expect(onServer.filter((r) => r.outcome === 'rejected')).toEqual([]);

    // every cross-workstation duplicate flagged exactly once, on the server and at the desks
    const byBarcode = new Map<string, typeof onServer>();
    for (const r of onServer) byBarcode.set(r.barcode, [...(byBarcode.get(r.barcode) ?? []), r]);
    for (const [barcode, rows] of byBarcode) {
      const dup = Number(barcode.slice(4, 13)) <= DUPLICATED;
      expect(rows.length, barcode).toBe(dup ? 2 : 1);
      expect(rows.filter((r) => r.outcome === 'flagged' && r.kind === 'duplicate_scan').length, barcode).toBe(dup ? 1 : 0);
      expect(rows.filter((r) => r.outcome === 'accepted').length, barcode).toBe(1);
    }
    const localFlags = allLocal.filter((r) => r.flag_kind !== null);
    expect(localFlags).toHaveLength(DUPLICATED);
    expect(localFlags.every((r) => r.flag_kind === 'duplicate_scan')).toBe(true);

    // local and server verdicts agree
    const serverById = new Map(onServer.map((r) => [r.receipt_id, r]));
    const disagreements = allLocal.filter((r) => {
      const s = serverById.get(r.id)!;
      return r.sv_outcome !== s.outcome || (r.flag_kind ?? null) !== (s.kind ?? null);
    });
    expect(disagreements).toEqual([]);
    console.log(JSON.stringify({ test: 'sync faults', engine, scans: SCANS, faults }));
  });
});
