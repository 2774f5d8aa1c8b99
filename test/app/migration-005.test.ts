// Migration 005 (issue 13) on a version-4 database: decisions the server already had keep their
// order, decisions still waiting come after them, and from then on the server's commit order
// (ResolutionOut.seq) decides a flag's current decision, whatever the desks' clocks said. A
// refusal lifted by an accepted resend no longer applies; none of it can be rewritten.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS, runMigrations } from '../../electron/main/app/db/migrations';
import { currentDecisionOf } from '../../electron/main/app/ledger/current-decision';
import { DATABASE_FILE } from '../../electron/main/app/index';
import { tempDir } from './helpers';

describe('migration 005', () => {
  it('upgrades a version-4 database in place; the server order decides the current decision', () => {
    const path = join(tempDir(), DATABASE_FILE);
    const v4 = new Database(path);
    v4.pragma('journal_mode = WAL');
    for (const m of MIGRATIONS.slice(0, 4)) m.up(v4);
    v4.pragma('user_version = 4');
    v4.pragma('foreign_keys = OFF');
    // f1: one decision the server has (sent), one made here and still waiting, both before the upgrade
    v4.exec(`
      INSERT INTO decisions (id, flag_id, decision, note, supervisor_id, supervisor_name, decided_at, made_here) VALUES
        ('sent', 'f1', 'set_aside', 'sent', NULL, 'Sam', '2026-11-25T09:00:00Z', 1),
        ('waits', 'f1', 'count', 'waits', NULL, 'Sam', '2026-11-25T08:00:00Z', 1),
        ('remote', 'f2', 'escalate', 'elsewhere', NULL, 'Ann', '2026-11-25T09:00:00Z', 0);
      INSERT INTO outbox (kind, ref_id, payload, created_at, sent_at) VALUES ('resolution', 'sent', '{}', 'x', '2026-11-25T09:00:05Z');
      INSERT INTO outbox (kind, ref_id, payload, created_at) VALUES ('resolution', 'waits', '{}', 'x');`);
    v4.close();

    const db = new Database(path);
    expect(runMigrations(db)).toEqual({ ok: true, value: MIGRATIONS.at(-1)!.version });
    expect(db.prepare('SELECT decision_id, server_seq FROM decision_server_order ORDER BY decision_id').all()).toEqual([
      { decision_id: 'remote', server_seq: null },
      { decision_id: 'sent', server_seq: null },
    ]);
    const current = (flag: string) => (db.prepare(`SELECT ${currentDecisionOf('f')} AS d FROM (SELECT ? AS id) f`).get(flag) as { d: string | null }).d;
    // the waiting one comes after what the server has, though its clock said earlier
    expect(current('f1')).toBe('count');

    // f3: desk A's clock is behind: its decision carries an earlier time but the server committed it last
    db.pragma('foreign_keys = OFF');
    db.exec(`
      INSERT INTO decisions (id, flag_id, decision, note, supervisor_id, supervisor_name, decided_at, made_here) VALUES
        ('b', 'f3', 'set_aside', 'desk B', NULL, 'Bo', '2026-11-25T10:05:00Z', 0),
        ('a', 'f3', 'void_receipt', 'desk A, clock slow', NULL, 'Al', '2026-11-25T10:00:00Z', 1);
      INSERT INTO decision_server_order (decision_id, server_seq) VALUES ('b', 7), ('a', 8);`);
    expect(current('f3')).toBe('void_receipt');

    // a refused decision stops counting; once a resend is accepted it counts again
    db.exec(`INSERT INTO decision_refusals (decision_id, reason, refused_at) VALUES ('a', 'a proxy said 403', '2026-11-25T10:06:00Z')`);
    expect(current('f3')).toBe('set_aside');
    db.pragma('foreign_keys = ON');
    db.exec(`INSERT INTO decision_refusal_lifts (decision_id, lifted_at) VALUES ('a', '2026-11-25T10:10:00Z')`);
    expect(current('f3')).toBe('void_receipt');

    expect(() => db.prepare("UPDATE decision_server_order SET server_seq = 1 WHERE decision_id = 'a'").run()).toThrow(/recorded once/);
    expect(() => db.prepare('DELETE FROM decision_refusal_lifts').run()).toThrow(/appended, never changed/);
    // refused rows are counted on their own index
    const plan = db.prepare("EXPLAIN QUERY PLAN SELECT count(*) FROM outbox o WHERE o.failed = 1 AND o.kind = 'receipt'").all() as Array<{ detail: string }>;
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/outbox_failed/);
    db.close();
  });
});
