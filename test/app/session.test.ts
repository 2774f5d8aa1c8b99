// People and sessions: the first supervisor, PIN lockout (5 wrong PINs lock for 5 minutes,
// with the clock injected), the idle lock, and supervisors managing operators.
import { describe, expect, it } from 'vitest';
import { dayAtTheCentre, OPERATOR_PIN, startApp, SUPERVISOR_PIN } from './helpers';

describe('people and sessions', () => {
  it('5 wrong PINs lock the account for 5 minutes', async () => {
    const t = await startApp();
    const people = await dayAtTheCentre(t);
    await t.must('signOut', {});
    for (let i = 1; i <= 4; i++) {
      const r = await t.call('signIn', { personId: people.olgaId, pin: '000000' });
      expect(r).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringContaining(`${5 - i} tr`) } });
    }
    expect(await t.call('signIn', { personId: people.olgaId, pin: '000000' })).toMatchObject({ ok: false, error: { code: 'locked' } });
    // even the right PIN is refused while locked
    t.clock.advance(4 * 60_000 + 59_000);
    expect(await t.call('signIn', { personId: people.olgaId, pin: OPERATOR_PIN })).toMatchObject({ ok: false, error: { code: 'locked', message: expect.stringContaining('1 more minute') } });
    t.clock.advance(2_000);
    expect(await t.call('signIn', { personId: people.olgaId, pin: OPERATOR_PIN })).toMatchObject({ ok: true, value: { name: 'Olga', role: 'operator' } });
    const audit = await t.must('listAudit', { event: 'signin', offset: 0, limit: 100 }).catch(() => null);
    expect(audit).toBeNull(); // an operator may not read the audit log
    await t.must('signOut', {});
    await t.must('signIn', { personId: people.sueId, pin: SUPERVISOR_PIN });
    const events = (await t.must('listAudit', { actor: 'Olga', offset: 0, limit: 100 })).rows.map((r: any) => r.event);
    expect(events.filter((e: string) => e === 'signin.locked')).toHaveLength(1);
    expect(events.filter((e: string) => e === 'signin.failed')).toHaveLength(6);
  });

  it('a supervisor resets a locked PIN; disabled people cannot sign in', async () => {
    const t = await startApp();
    const people = await dayAtTheCentre(t);
    await t.must('signOut', {});
    for (let i = 0; i < 5; i++) await t.call('signIn', { personId: people.olgaId, pin: '000000' });
    await t.must('signIn', { personId: people.samId, pin: SUPERVISOR_PIN });
    expect((await t.must('listPeople', {})).find((p: any) => p.id === people.olgaId).lockedUntil).not.toBeNull();
    await t.must('resetPin', { personId: people.olgaId, pin: '999999' });
    await t.must('setPersonDisabled', { personId: people.sueId, disabled: true });
    expect(await t.call('setPersonDisabled', { personId: people.samId, disabled: true })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    await t.must('signOut', {});
    expect(await t.call('signIn', { personId: people.olgaId, pin: '999999' })).toMatchObject({ ok: true });
    await t.must('signOut', {});
    expect(await t.call('signIn', { personId: people.sueId, pin: SUPERVISOR_PIN })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect((await t.must('listSignInNames', {})).map((p: any) => p.name)).toEqual(['Olga', 'Sam']);
    expect(await t.call('addPerson', { name: 'X', pin: '12345', role: 'operator' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('the session locks after the idle time, and the first supervisor exists only once', async () => {
    const t = await startApp();
    const people = await dayAtTheCentre(t);
    await t.must('updateSettings', { idleLockMinutes: 5 });
    t.clock.advance(4 * 60_000);
    expect(await t.call('listBatches', {})).toMatchObject({ ok: true }); // activity keeps it alive
    t.clock.advance(5 * 60_000 + 1);
    expect(await t.call('listBatches', {})).toMatchObject({ ok: false, error: { code: 'locked' } });
    expect(t.events.at(-1)).toEqual({ type: 'sessionEnded', reason: 'idle' });
    expect((await t.must('getState', {})).session).toBeNull();
    expect(await t.call('listBatches', {})).toMatchObject({ ok: false, error: { code: 'not_signed_in' } });
    expect(await t.call('createFirstSupervisor', { name: 'Eve', pin: '123456' })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    await t.must('signIn', { personId: people.samId, pin: SUPERVISOR_PIN });
    expect((await t.must('getState', {})).session).toMatchObject({ name: 'Sam', role: 'supervisor' });
  });
});
