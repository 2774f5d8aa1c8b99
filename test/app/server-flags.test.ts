// Flags and decisions that arrive from the server (recorded by the sync engine through
// core.serverFlags): idempotent, audited, and counted by the desk's decision rules.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeBarcode } from '../../shared/barcode/barcode';
import { createCore } from '../../electron/main/app/core';
import { openDatabase } from '../../electron/main/app/db/open';
import { memorySecrets, quietLog, tempDir } from './helpers';

describe('server flags and remote decisions', () => {
  it('are recorded once, with audit entries, and take part in the rules', async () => {
    const dir = tempDir();
    const opened = openDatabase(join(dir, 'ledger.sqlite'));
    if (!opened.ok) throw new Error(opened.error.message);
    const now = () => new Date('2026-11-25T09:00:00Z');
    const c = createCore({ db: opened.value, dataDir: dir, log: quietLog, secretStore: memorySecrets(), now });
    const olga = await c.people.add({ name: 'Olga', pin: '123456', role: 'operator' }, null, now());
    const sue = await c.people.add({ name: 'Sue', pin: '123456', role: 'supervisor' }, null, now());
    if (!olga.ok || !sue.ok) throw new Error('people');
    c.batches.open('T1', null, olga.value.id, now());
    const ctx = { operatorId: olga.value.id, now: now(), electionNumber: 1022, closesAt: null, repeatWindowMs: 10_000 };
    const first = c.receipts.record({ raw: encodeBarcode(1022, 1, 1), source: 'scanner' }, ctx);
    const second = c.receipts.record({ raw: encodeBarcode(1022, 1, 2), source: 'scanner' }, ctx); // no register here: both accepted
    if (first.verdict !== 'recorded' || second.verdict !== 'recorded') throw new Error('expected accepted receipts');

    const raised = c.serverFlags.raise({ receiptId: second.receiptId, kind: 'online_vote_cast', relatedReceiptIds: [], raisedAt: '2026-11-25T09:05:00Z' }, now());
    expect(raised.created).toBe(true);
    expect(c.serverFlags.raise({ receiptId: second.receiptId, kind: 'online_vote_cast', relatedReceiptIds: [], raisedAt: '2026-11-25T09:05:00Z' }, now())).toEqual({ flagId: raised.flagId, created: false });
    const list = c.flags.list({ offset: 0, limit: 10 });
    expect(list.rows).toMatchObject([{ flagId: raised.flagId, kind: 'online_vote_cast', deskVerdict: { outcome: 'accepted', kind: null, error: null }, state: 'open' }]);
    // count is refused for online_vote_cast, whoever asks
    expect(c.flags.decide(raised.flagId, 'count', 'n', { personId: sue.value.id, name: 'Sue' }, now())).toMatchObject({ ok: false, error: { code: 'conflict' } });

    const decision = { decisionId: 'res-1', flagId: raised.flagId, decision: 'escalate' as const, note: 'asked at the centre', supervisorName: 'Pat (North)', decidedAt: '2026-11-25T09:10:00Z' };
    expect(c.serverFlags.recordDecision(decision, now())).toBe(true);
    expect(c.serverFlags.recordDecision(decision, now())).toBe(false);
    expect(c.flags.list({ state: 'escalated', offset: 0, limit: 10 }).total).toBe(1);
    const detail = c.flags.get(raised.flagId, sue.value.id);
    expect(detail.ok && detail.value.decisions).toEqual([{ decision: 'escalate', note: 'asked at the centre', supervisorName: 'Pat (North)', decidedAt: '2026-11-25T09:10:00Z', refusedByServer: null }]);
    expect(await c.verifyAudit()).toMatchObject({ ok: true });
    await c.close();
  });
});
