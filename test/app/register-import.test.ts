// The register copy at the desk: all-or-nothing file import in a worker, bad rows by line,
// cancel, progress events; and the fill functions the sync engine uses.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeBarcode } from '../../shared/barcode/barcode';
import { dayAtTheCentre, ELECTION, HEADER, importRegister, registerRow, startApp, waitForImport } from './helpers';

async function writeBigRegister(path: string, rows: number, badLine?: number): Promise<void> {
  const out = createWriteStream(path);
  out.write(HEADER);
  let buf = '';
  for (let i = 1; i <= rows; i++) {
    const line = i + 1; // the header is line 1
    buf += line === badLine ? `${i},1,issued,M-${i},lower-case-code\n` : `${i},1,issued,M-${i},CODE${i.toString().padStart(8, '0')}\n`;
    if (buf.length > 1 << 16) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  out.end(buf);
  await once(out, 'finish');
}

describe('register import', () => {
  it('loads a file, ignores online codes, and the desk judges with it', async () => {
    const t = await startApp();
    await dayAtTheCentre(t);
    const done = await importRegister(
      t,
      HEADER + registerRow(123456, 1, 'superseded', 'M-0042') + registerRow(123456, 2, 'issued', 'M-0042') + registerRow(7, 1, 'issued', 'M-7'),
    );
    expect(done).toMatchObject({ state: 'done', rowsDone: 3, errors: [] });
    const state = await t.must('getState', {});
    expect(state.registerRows).toBe(3);
    // no online code reaches the database
    const db = (await import('better-sqlite3')).default(join(t.dir, 'ballot-intake.sqlite'), { readonly: true });
    const dump = JSON.stringify(db.prepare('SELECT * FROM register_a UNION ALL SELECT * FROM register_b').all());
    // nor does a file say who voted online, or when: only the server's feed knows that
    const onlineVotes = db
      .prepare('SELECT count(*) AS packs, count(online_voted_at) AS timed, sum(online_voted) AS voted FROM (SELECT * FROM register_a UNION ALL SELECT * FROM register_b)')
      .get();
    db.close();
    expect(dump).not.toContain('CODE');
    expect(onlineVotes).toEqual({ packs: 3, timed: 0, voted: 0 });
    await t.must('openBatch', { label: 'T1' });
    const v = await t.must('recordScan', { barcode: encodeBarcode(ELECTION, 123456, 1), source: 'scanner' });
    expect(v).toMatchObject({ verdict: 'flagged', kind: 'superseded_ballot' });
    // progress events were pushed, the last one final
    const progress = t.events.filter((e) => e.type === 'registerProgress');
    expect(progress.at(-1)).toMatchObject({ progress: { state: 'done' } });
  });

  it('a 100k-row file with a bad row at line 70,001 changes nothing and names the line', async () => {
    const t = await startApp();
    await dayAtTheCentre(t);
    const first = await importRegister(t, HEADER + registerRow(5, 1, 'issued', 'M-5'));
    expect(first.state).toBe('done');
    const path = join(t.dir, 'big.csv');
    await writeBigRegister(path, 100_000, 70_001);
    const failed = await importRegister(t, { path });
    expect(failed.state).toBe('failed');
    expect(failed.errors).toEqual([{ line: 70_001, message: expect.stringContaining('online_code') }]);
    expect(failed.message).toContain('line 70001');
    expect((await t.must('getState', {})).registerRows).toBe(1);
    await t.must('openBatch', { label: 'T1' });
    // the old register still judges: ballot 5 is known, ballot 6 (in the refused file) is not
    expect(await t.must('recordScan', { barcode: encodeBarcode(ELECTION, 5, 1), source: 'scanner' })).toMatchObject({ verdict: 'recorded' });
    expect(await t.must('recordScan', { barcode: encodeBarcode(ELECTION, 6, 1), source: 'scanner' })).toMatchObject({ kind: 'unknown_ballot' });
    // and the same file without the bad row loads
    await writeBigRegister(join(t.dir, 'good.csv'), 100_000);
    expect(await importRegister(t, { path: join(t.dir, 'good.csv') })).toMatchObject({ state: 'done', rowsDone: 100_000 });
    expect((await t.must('getState', {})).registerRows).toBe(100_000);
  });

  it('reports duplicate packs, bad headers and several bad lines', async () => {
    const t = await startApp();
    await dayAtTheCentre(t);
    const dup = await importRegister(t, HEADER + registerRow(1, 1, 'issued', 'M-1') + 'x,1,issued,M-2,ABCDEFGH\n' + registerRow(1, 1, 'issued', 'M-1'));
    expect(dup.state).toBe('failed');
    expect(dup.errors.map((e: { line: number }) => e.line)).toEqual([3, 4]);
    expect(dup.errors[1].message).toContain('listed twice');
    const header = await importRegister(t, 'ballot,issue\n1,1\n');
    expect(header).toMatchObject({ state: 'failed', errors: [{ line: 1 }] });
    expect((await t.must('getState', {})).registerRows).toBe(0);
  });

  it('a cancelled import leaves the previous register intact', async () => {
    const t = await startApp({ registerChunkRows: 500 });
    await dayAtTheCentre(t);
    await importRegister(t, HEADER + registerRow(5, 1, 'issued', 'M-5') + registerRow(5, 2, 'issued', 'M-5b'));
    const path = join(t.dir, 'big.csv');
    await writeBigRegister(path, 300_000);
    const token = t.app.registerFile(path);
    const started = await t.must('importRegisterFile', { fileToken: token });
    expect(started.state).toBe('running');
    // a second import while one runs is refused
    const again = await t.call('importRegisterFile', { fileToken: t.app.registerFile(path) });
    expect(again).toMatchObject({ ok: false, error: { code: 'conflict' } });
    // wait until rows are being written, then cancel
    for (let i = 0; i < 500; i++) {
      const p = await t.must('registerProgress', {});
      if (p.rowsDone > 1000) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    await t.must('cancelRegisterImport', {});
    const end = await waitForImport(t);
    expect(end.state).toBe('cancelled');
    expect(end.rowsDone).toBeLessThan(300_000);
    expect((await t.must('getState', {})).registerRows).toBe(2);
    await t.must('openBatch', { label: 'T1' });
    expect(await t.must('recordScan', { barcode: encodeBarcode(ELECTION, 5, 2), source: 'scanner' })).toMatchObject({ verdict: 'recorded' });
    expect(await t.must('recordScan', { barcode: encodeBarcode(ELECTION, 9, 1), source: 'scanner' })).toMatchObject({ kind: 'unknown_ballot' });
    const audit = await t.must('listAudit', { event: 'register', offset: 0, limit: 10 });
    expect(audit.rows[0]).toMatchObject({ event: 'register.import_failed', detail: { reason: 'cancelled' } });
  });

  it('an unknown file token is refused', async () => {
    const t = await startApp();
    await dayAtTheCentre(t);
    expect(await t.call('importRegisterFile', { fileToken: 'nope' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });
});
