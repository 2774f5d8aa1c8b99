// The register store's API for the sync engine: a first fill from the server (into the idle
// table, made active at commit), abandoning a fill, and incremental changes to the active copy.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/main/app/core';
import { openDatabase } from '../../electron/main/app/db/open';
import { tableWriter } from '../../electron/main/app/register/tables';
import { memorySecrets, quietLog, tempDir } from './helpers';

function core(): Core {
  const dir = tempDir();
  const db = openDatabase(join(dir, 'ledger.sqlite'));
  if (!db.ok) throw new Error(db.error.message);
  const c = createCore({ db: db.value, dataDir: dir, log: quietLog, secretStore: memorySecrets(), now: () => new Date('2026-11-25T09:00:00Z') });
  return c;
}

const entries = (from: number, to: number, status: 'issued' | 'superseded' = 'issued') =>
  Array.from({ length: to - from + 1 }, (_, i) => ({ ballotNumber: from + i, issue: 1, status, memberRef: `M-${from + i}` }));

describe('register store (sync engine API)', () => {
  it('a first fill is invisible until committed, then replaces the copy whole', async () => {
    const c = core();
    c.registerStore.applyRegisterChanges(entries(1, 3));
    expect(c.register.rows()).toBe(3);
    expect((await c.registerStore.beginRegisterFill()).ok).toBe(true);
    c.registerStore.appendEntries(entries(10, 14));
    // a page may repeat a pack (a later change of it): it is replaced, not counted twice
    expect(c.registerStore.appendEntries([{ ballotNumber: 14, issue: 1, status: 'cancelled', memberRef: 'M-14' }])).toBe(5);
    expect(c.register.pack(10, 1)).toBeNull();
    expect(c.register.pack(1, 1)).not.toBeNull();
    // a file import meanwhile is refused
    expect(await c.registerImport.start('/nonexistent.csv', null)).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(c.registerStore.commitFill({ cursor: 'c-1', now: c.now() })).toBe(5);
    expect(c.register.rows()).toBe(5);
    expect(c.register.pack(1, 1)).toBeNull();
    expect(c.register.pack(14, 1)).toMatchObject({ status: 'cancelled', memberRef: 'M-14' });
    expect(c.registerStore.serverCursor()).toBe('c-1');
    const entry = c.db.prepare("SELECT detail FROM audit WHERE event = 'register.imported'").get() as { detail: string };
    expect(JSON.parse(entry.detail)).toMatchObject({ source: 'server', rows: 5 });
    await c.close();
  });

  it('an abandoned fill leaves the copy as it was, and the next fill starts clean', async () => {
    const c = core();
    c.registerStore.applyRegisterChanges(entries(1, 2));
    await c.registerStore.beginRegisterFill();
    c.registerStore.appendEntries(entries(100, 50_099));
    c.registerStore.abortFill();
    expect(c.register.rows()).toBe(2);
    expect(c.register.pack(100, 1)).toBeNull();
    await c.registerStore.beginRegisterFill();
    c.registerStore.appendEntries(entries(7, 7));
    c.registerStore.commitFill({ cursor: null, now: c.now() });
    expect(c.register.rows()).toBe(1);
    expect(c.register.pack(100, 1)).toBeNull(); // the abandoned rows did not come back
    await c.close();
  });

  it('incremental changes upsert into the active copy: reissues and online votes', async () => {
    const c = core();
    c.registerStore.applyRegisterChanges(entries(1, 2));
    const r = c.registerStore.applyRegisterChanges(
      [
        { ballotNumber: 1, issue: 1, status: 'superseded', memberRef: 'M-1' },
        { ballotNumber: 1, issue: 2, status: 'issued', memberRef: 'M-1' },
        { ballotNumber: 2, issue: 1, status: 'issued', memberRef: 'M-2', onlineVoted: true, onlineVotedAt: '2026-11-25T08:12:34.567Z' },
      ],
      'c-9',
    );
    expect(r).toEqual({ added: 1, updated: 2 });
    expect(c.register.rows()).toBe(3);
    expect(c.register.memberPacks('M-1').map((p) => [p.issue, p.status])).toEqual([[1, 'superseded'], [2, 'issued']]);
    expect(c.register.pack(2, 1)).toMatchObject({ onlineVoted: true, onlineVotedAt: '2026-11-25T08:12:34.567Z' });
    expect(c.register.pack(1, 2)).toMatchObject({ onlineVoted: false, onlineVotedAt: null });
    expect(c.registerStore.serverCursor()).toBe('c-9');
    await c.close();
  });

  it('writes packs in groups and still names every duplicate, within a group or across groups', () => {
    const c = core();
    const rows = entries(1, 1000).map((e, i) => ({ ...e, line: i + 2 }));
    rows[500] = { ...rows[10]!, line: 502 }; // a repeat inside the file
    const writer = tableWriter(c.db, 'register_b');
    const dups: number[] = [];
    c.db.transaction(() => writer.insertAllNew(rows, (r) => dups.push(r.line)))();
    expect(dups).toEqual([502]);
    c.db.transaction(() => writer.insertAllNew(entries(990, 1100).map((e, i) => ({ ...e, line: 2000 + i })), (r) => dups.push(r.line)))();
    expect(dups).toEqual([502, ...Array.from({ length: 11 }, (_, i) => 2000 + i)]);
    expect((c.db.prepare('SELECT count(*) AS n FROM register_b').get() as { n: number }).n).toBe(1100 - 1);
  });
});

describe('write gate (main-connection writes announced to the import worker)', () => {
  it('counts a transaction in progress, every variant, nested or thrown, and back to zero after', () => {
    const c = core();
    const count = new Int32Array(c.registerStore.writeGate());
    expect(c.registerStore.writeGate()).toBe(c.registerStore.writeGate());
    const seen: number[] = [];
    const tx = c.db.transaction((n: number) => {
      seen.push(Atomics.load(count, 0));
      if (n > 0) c.db.transaction(() => seen.push(Atomics.load(count, 0)))();
      return n * 2;
    });
    expect(tx(0)).toBe(0);
    expect(tx.immediate(1)).toBe(2);
    expect(tx.exclusive(0)).toBe(0);
    expect(seen).toEqual([1, 1, 2, 1]);
    expect(() =>
      c.db.transaction(() => {
        c.db.prepare('UPDATE register_state SET rows = 7 WHERE id = 1').run();
        throw new Error('no');
      }).immediate(),
    ).toThrow('no');
    expect(Atomics.load(count, 0)).toBe(0);
    // the thrown transaction was rolled back as before
    expect(c.register.rows()).toBe(0);
  });
});
