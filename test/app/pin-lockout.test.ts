// Issue 15, items 1 and 7 (desk side): sign-ins that run side by side cannot get past the
// lockout; the first supervisor is made once however many calls race; a supervisor's PIN is
// reset by another supervisor, never by themselves, and the audit log names both.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../electron/main/app/index';
import { LOCKOUT_MS, MAX_FAILED_PINS } from '../../electron/main/app/auth/people';
import { dayAtTheCentre, OPERATOR_PIN, signInAs, startApp, SUPERVISOR_PIN, type TestApp } from './helpers';

/** scrypt slow enough (~20–60 ms a hash here) that 40 calls truly overlap while each awaits it. */
const OVERLAPPING_COST = { N: 2 ** 14, r: 8, p: 1 };

function auditOf(t: TestApp, personId: string): Array<{ event: string; detail: Record<string, unknown> }> {
  const db = new Database(join(t.dir, DATABASE_FILE), { readonly: true });
  try {
    return (db.prepare('SELECT event, detail FROM audit WHERE actor = ? ORDER BY seq').all(personId) as Array<{ event: string; detail: string }>).map((r) => ({
      event: r.event,
      detail: JSON.parse(r.detail) as Record<string, unknown>,
    }));
  } finally {
    db.close();
  }
}

describe('PIN lockout with sign-ins side by side', () => {
  it('40 wrong PINs at once: only 5 are checked, the account locks, and the right PIN is refused until the lock ends', async () => {
    const t = await startApp({ pinCost: OVERLAPPING_COST });
    const people = await dayAtTheCentre(t);
    await t.must('signOut', {});

    const results = await Promise.all(Array.from({ length: 40 }, () => t.call('signIn', { personId: people.olgaId, pin: '000000' })));
    expect(results.filter((r) => r.ok)).toHaveLength(0);
    const refusals = results.flatMap((r) => (r.ok ? [] : [r.error]));
    // every refusal is in words, never a code alone
    for (const e of refusals) expect(e.message).toMatch(/^(Wrong PIN\.|Too many wrong PINs\.)/);
    expect(refusals.filter((e) => e.code === 'locked').length).toBeGreaterThanOrEqual(40 - MAX_FAILED_PINS + 1);

    const audit = auditOf(t, people.olgaId);
    const checked = audit.filter((e) => e.event === 'signin.failed' && e.detail.reason === 'wrong PIN');
    expect(checked).toHaveLength(MAX_FAILED_PINS);
    expect(checked.map((e) => e.detail.attempt).sort()).toEqual([1, 2, 3, 4, 5]);
    expect(audit.filter((e) => e.event === 'signin.locked')).toHaveLength(1);
    expect(audit.filter((e) => e.event === 'signin.failed')).toHaveLength(40);

    // the right PIN now: refused, at once and until the very end of the lock
    expect(await t.call('signIn', { personId: people.olgaId, pin: OPERATOR_PIN })).toMatchObject({
      ok: false,
      error: { code: 'locked', message: expect.stringContaining('locked for 5 more minutes') },
    });
    t.clock.advance(LOCKOUT_MS - 1_000);
    expect(await t.call('signIn', { personId: people.olgaId, pin: OPERATOR_PIN })).toMatchObject({
      ok: false,
      error: { code: 'locked', message: expect.stringContaining('1 more minute') },
    });
    t.clock.advance(2_000);
    expect(await t.call('signIn', { personId: people.olgaId, pin: OPERATOR_PIN })).toMatchObject({ ok: true, value: { name: 'Olga' } });
    expect(auditOf(t, people.olgaId).filter((e) => e.event === 'signin.succeeded')).toHaveLength(1);
  }, 120_000);

  it('40 PINs at once with the right one among them: still no more than 5 checked', async () => {
    const t = await startApp({ pinCost: OVERLAPPING_COST });
    const people = await dayAtTheCentre(t);
    await t.must('signOut', {});
    const pins = Array.from({ length: 40 }, (_, i) => (i === 39 ? OPERATOR_PIN : String(100000 + i)));
    const results = await Promise.all(pins.map((pin) => t.call('signIn', { personId: people.olgaId, pin })));
    // the right PIN came 40th: the allowance was spent on wrong ones before it
    expect(results[39]).toMatchObject({ ok: false, error: { code: 'locked' } });
    expect(auditOf(t, people.olgaId).filter((e) => e.event === 'signin.failed' && e.detail.reason === 'wrong PIN')).toHaveLength(MAX_FAILED_PINS);
  }, 120_000);

  it('an attempt counted but never finished (the app was killed while checking) still counts: the sixth locks', async () => {
    const t = await startApp();
    const people = await dayAtTheCentre(t);
    await t.must('signOut', {});
    const db = new Database(join(t.dir, DATABASE_FILE));
    db.prepare('UPDATE people SET failed_attempts = ? WHERE id = ?').run(MAX_FAILED_PINS, people.olgaId);
    db.close();
    expect(await t.call('signIn', { personId: people.olgaId, pin: OPERATOR_PIN })).toMatchObject({ ok: false, error: { code: 'locked' } });
    t.clock.advance(LOCKOUT_MS + 1_000);
    expect(await t.call('signIn', { personId: people.olgaId, pin: OPERATOR_PIN })).toMatchObject({ ok: true });
  });
});

describe('the first supervisor', () => {
  it('of ten calls at once, exactly one creates the first supervisor; the others are told to sign in', async () => {
    const t = await startApp({ pinCost: OVERLAPPING_COST });
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => t.call('createFirstSupervisor', { name: `Boss ${i}`, pin: SUPERVISOR_PIN })));
    const won = results.filter((r) => r.ok);
    expect(won).toHaveLength(1);
    for (const e of results.flatMap((r) => (r.ok ? [] : [r.error]))) expect(e).toEqual({ code: 'conflict', message: 'The first supervisor already exists: sign in instead.' });
    expect((await t.must('listSignInNames', {})).map((p: { name: string }) => p.name)).toEqual([won[0]!.value.name]);
    expect((await t.must('getState', {})).session).toMatchObject({ name: won[0]!.value.name, role: 'supervisor' });
  }, 120_000);
});

describe('resetting a PIN', () => {
  it("a supervisor's PIN is reset by another supervisor, never by themselves; the audit names both", async () => {
    const t = await startApp();
    const people = await dayAtTheCentre(t); // Sam signed in; Sue is the other supervisor
    expect(await t.call('resetPin', { personId: people.samId, pin: '111111' })).toEqual({
      ok: false,
      error: { code: 'forbidden', message: 'You cannot reset your own PIN: another supervisor must do it.' },
    });
    // refused means unchanged: the old PIN still signs in
    expect(await signInAs(t, people.samId, SUPERVISOR_PIN)).toMatchObject({ name: 'Sam' });

    await signInAs(t, people.sueId, SUPERVISOR_PIN);
    await t.must('resetPin', { personId: people.samId, pin: '111111' });
    const reset = auditOf(t, people.sueId).filter((e) => e.event === 'person.pin_reset');
    expect(reset).toEqual([{ event: 'person.pin_reset', detail: { personId: people.samId, name: 'Sam', role: 'supervisor', resetById: people.sueId, resetBy: 'Sue' } }]);
    // the Audit screen shows the entry with both names
    const listed = await t.must('listAudit', { event: 'person.pin_reset', offset: 0, limit: 10 });
    expect(JSON.stringify(listed.rows[0])).toContain('Sam');
    expect(JSON.stringify(listed.rows[0])).toContain('Sue');

    expect(await signInAs(t, people.samId, '111111')).toMatchObject({ name: 'Sam' });
    // an operator's PIN too is reset by a supervisor (an operator cannot reach resetPin at all)
    await t.must('resetPin', { personId: people.olgaId, pin: '222222' });
    await signInAs(t, people.olgaId, '222222');
    expect(await t.call('resetPin', { personId: people.olgaId, pin: '333333' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});
