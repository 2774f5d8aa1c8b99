// Issue 14 in the core: input refused in sentences (never zod's internals), the repeat-read
// window of at least 2 s, the audit searched by part of a name in any case with each entry's
// name, an upload named by the file chosen, and an enrolled desk's election left to the server.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Settings } from '../../electron/main/app/settings';
import { dayAtTheCentre, ELECTION, HEADER, registerRow, SUPERVISOR_PIN, startApp, waitForImport, writeRegisterFile } from './helpers';

describe('words for people, in the core', () => {
  it('says what is wrong with an input in sentences', async () => {
    const t = await startApp();
    await dayAtTheCentre(t);
    expect(await t.call('addPerson', { name: 'y'.repeat(81), pin: '12', role: 'operator' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', message: 'The name can be at most 80 characters. A PIN is 6 to 12 digits.' },
    });
    expect(await t.call('addPerson', { name: '   ', pin: '123456', role: 'operator' })).toMatchObject({ ok: false, error: { message: 'The name is missing.' } });
    expect(await t.call('openBatch', { label: 'T'.repeat(41) })).toMatchObject({ ok: false, error: { message: 'The batch label can be at most 40 characters.' } });
    expect(await t.call('decideFlags', { flagIds: ['x'], decision: 'count', note: ' ' })).toMatchObject({ ok: false, error: { message: 'A note is required.' } });
    expect(await t.call('enrol', { serverUrl: 'ftp://x', enrolmentCode: 'A', workstationName: 'D' })).toMatchObject({
      ok: false,
      error: { message: 'The server address is not a web address (it starts with http:// or https://).' },
    });
    await t.close();
  });

  it('keeps the repeat-read window at 2 s or more, in the API and in the core', async () => {
    const t = await startApp();
    await dayAtTheCentre(t);
    for (const s of [0, 1]) {
      expect(await t.call('updateSettings', { repeatWindowSeconds: s })).toMatchObject({ ok: false, error: { message: 'The repeat-read window must be at least 2 seconds.' } });
    }
    expect(Settings.refusal({ repeatWindowSeconds: 1 })).toMatch(/^The repeat-read window is 2 to 3600 seconds/);
    expect(Settings.refusal({ repeatWindowSeconds: 2 })).toBeNull();
    expect((await t.must('updateSettings', { repeatWindowSeconds: 2 })).repeatWindowSeconds).toBe(2);
    await t.close();
    // a window stored below the minimum by an older version reads as the minimum
    const db = new Database(join(t.dir, 'ballot-intake.sqlite'));
    db.prepare("UPDATE settings SET value = '0' WHERE key = 'repeatWindowSeconds'").run();
    db.close();
    const again = await startApp({ dir: t.dir });
    expect((await again.must('getState', {})).settings.repeatWindowSeconds).toBe(2);
    await again.close();
  });

  it('finds people in the audit by any part of their name, in any case, and names them', async () => {
    const t = await startApp();
    const people = await dayAtTheCentre(t);
    await t.must('addPerson', { name: 'Élodie Ørsted', pin: '123456', role: 'operator' });
    // Sam added Olga; entries by Sam are found by "sA", and each carries the name
    const sam = await t.must('listAudit', { actor: 'sA', offset: 0, limit: 100 });
    expect(sam.total).toBeGreaterThan(0);
    expect(sam.rows.every((r: any) => r.actor === people.samId && r.actorName === 'Sam')).toBe(true);
    // case folding beyond ASCII: Élodie has no entries of her own yet, so sign her in
    await t.call('signOut', {});
    const elodie = (await t.must('listSignInNames', {})).find((p: any) => p.name === 'Élodie Ørsted');
    await t.must('signIn', { personId: elodie.id, pin: '123456' });
    await t.call('signOut', {});
    await t.must('signIn', { personId: people.samId, pin: SUPERVISOR_PIN });
    const found = await t.must('listAudit', { actor: 'éLODIE ø', offset: 0, limit: 100 });
    expect(found.total).toBeGreaterThan(0);
    expect(found.rows.every((r: any) => r.actorName === 'Élodie Ørsted')).toBe(true);
    // an id still finds its person
    expect((await t.must('listAudit', { actor: people.samId, offset: 0, limit: 1 })).total).toBe((await t.must('listAudit', { actor: 'sam', offset: 0, limit: 1 })).total);
    await t.close();
  });

  it('names an imported file by the name chosen, not the id it was stored under', async () => {
    const t = await startApp();
    await dayAtTheCentre(t);
    const path = writeRegisterFile(t.dir, HEADER + registerRow(1, 1, 'issued', 'M-1'), '0f8e6c1a-0000-4000-8000-000000000000.csv');
    await t.must('importRegisterFile', { fileToken: t.app.registerFile(path), fileName: 'north-hall.csv' });
    expect((await waitForImport(t)).message).toBe('Register loaded: 1 pack from north-hall.csv.');
    // an upload whose name was not given is not named by its id either
    const upload = writeRegisterFile(t.dir, HEADER + registerRow(2, 1, 'issued', 'M-2'), '1a2b3c4d-0000-4000-8000-000000000000.csv');
    await t.must('importRegisterFile', { fileToken: t.app.registerFile(upload, { deleteAfterImport: true }) });
    expect((await waitForImport(t)).message).toBe('Register loaded: 1 pack from the uploaded file.');
    await t.close();
  });

  it('an enrolled desk leaves its election to the server; leaving enrolment is asked for', async () => {
    const t = await startApp();
    const people = await dayAtTheCentre(t);
    await t.close();
    const db = new Database(join(t.dir, 'ballot-intake.sqlite'));
    db.prepare("UPDATE workstation SET device_id = 'dev-1', server_url = 'http://127.0.0.1:9', centre_id = 'C-1', centre_name = 'North' WHERE id = 1").run();
    db.close();
    const again = await startApp({ dir: t.dir });
    await again.must('signIn', { personId: people.samId, pin: SUPERVISOR_PIN });
    const closesAt = '2030-01-01T17:00:00.000Z';
    const election = { electionNumber: ELECTION, electionName: 'Typed here', closesAt, workstationName: 'Desk 1' };
    expect(await again.call('configureOffline', election)).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: expect.stringMatching(/^This desk is enrolled: the central server sets its election and closing time/) },
    });
    const before = (await again.must('getState', {})).workstation;
    expect(before).toMatchObject({ enrolled: true, electionName: 'Test election', closesAt: '2026-11-25T18:00:00.000Z' });
    const left = await again.must('configureOffline', { ...election, leaveEnrolment: true });
    expect(left).toMatchObject({ enrolled: false, electionName: 'Typed here', closesAt, centreId: null });
    const audit = await again.must('listAudit', { event: 'workstation.configured', offset: 0, limit: 1 });
    expect(audit.rows[0].detail).toMatchObject({ mode: 'offline', leftEnrolment: 'http://127.0.0.1:9' });
    await again.close();
  });
});
