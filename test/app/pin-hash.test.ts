// Issue 15, item 12: PIN hashes at scrypt N = 2^17 (production's cost, used unless a test
// says otherwise), keyed with a secret from the secret store so that a copied database alone
// is not enough to guess 6-digit PINs; hashes of the first format, or of a lower cost, or
// without the key, keep working and are made again at the next good sign-in.
import Database from 'better-sqlite3';
import { randomBytes, scryptSync } from 'node:crypto';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../electron/main/app/index';
import { parsePinHash, PIN_KEY_SECRET, pinKeyId, PRODUCTION_PIN_COST } from '../../electron/main/app/auth/pin';
import type { SecretStore } from '../../electron/main/app/app.types';
import { dayAtTheCentre, memorySecrets, OPERATOR_PIN, quietLog, signInAs, startApp, SUPERVISOR_PIN, tempDir, TEST_PIN_COST, type TestApp } from './helpers';

function db(t: TestApp | string, readonly = true) {
  return new Database(join(typeof t === 'string' ? t : t.dir, DATABASE_FILE), { readonly });
}

function hashOf(t: TestApp, personId: string): string {
  const d = db(t);
  try {
    return (d.prepare('SELECT pin_hash FROM people WHERE id = ?').get(personId) as { pin_hash: string }).pin_hash;
  } finally {
    d.close();
  }
}

function setHash(t: TestApp, personId: string, hash: string): void {
  const d = db(t, false);
  d.prepare('UPDATE people SET pin_hash = ? WHERE id = ?').run(hash, personId);
  d.close();
}

/** What the desk wrote before this issue: scrypt$16384$8$1$salt$hash, no key. */
function firstFormatHash(pin: string): string {
  const salt = randomBytes(16);
  const key = scryptSync(pin, salt, 32, { N: 16384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
  return `scrypt$16384$8$1$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** A store that cannot keep secrets (Linux without a keyring): it refuses, as safeStorage's does. */
const refusingStore = (): SecretStore & { sets: number } => {
  const s = {
    description: 'no keyring',
    sets: 0,
    get: async () => null,
    set: async () => (s.sets++, { ok: false as const, error: 'No keyring is running on this Linux desktop.' }),
  };
  return s;
};

describe('PIN hashes', () => {
  it("production's cost is scrypt N = 2^17, r = 8, p = 1, and it is what the core uses when not told otherwise (128 MB fits scrypt's maxmem)", async () => {
    expect(PRODUCTION_PIN_COST).toEqual({ N: 131072, r: 8, p: 1 });
    const store = memorySecrets();
    const t = await startApp({ pinCost: 'production', secretStore: store });
    const sam = await t.must('createFirstSupervisor', { name: 'Sam', pin: SUPERVISOR_PIN });
    const stored = hashOf(t, sam.personId);
    const key = Buffer.from((await store.get(PIN_KEY_SECRET))!, 'base64');
    expect(key).toHaveLength(32);
    expect(stored).toMatch(new RegExp(`^scrypt2\\$131072\\$8\\$1\\$${pinKeyId(key)}\\$[A-Za-z0-9+/=]{24}\\$[A-Za-z0-9+/=]{44}$`));
    // and a sign-in checks it at that cost (scrypt refuses 128 MB under its default maxmem of 32 MB)
    await t.must('signOut', {});
    expect(await t.call('signIn', { personId: sam.personId, pin: '000000' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await t.call('signIn', { personId: sam.personId, pin: SUPERVISOR_PIN })).toMatchObject({ ok: true });
    expect(hashOf(t, sam.personId)).toBe(stored); // current: not made again
  }, 180_000);

  it('neither host passes a cost of its own: both run at the default, production\'s', () => {
    for (const entry of ['electron/main/index.ts', 'electron/main/host/cli.ts', 'electron/main/host/http-host.ts'])
      expect(readFileSync(join(__dirname, '../..', entry), 'utf8'), entry).not.toMatch(/pinCost|PinCost|scrypt/);
  });

  it('a copied database alone is not enough: without the key its hash matches no PIN, and the desk it is copied to cannot check it', async () => {
    const t = await startApp();
    const people = await dayAtTheCentre(t);
    const stored = hashOf(t, people.olgaId);
    const parsed = parsePinHash(stored)!;
    expect(parsed.keyId).toMatch(/^[0-9a-f]{16}$/);
    // someone with the file tries the right PIN the way an unkeyed hash would be checked: no match
    const unkeyed = scryptSync(OPERATOR_PIN, parsed.salt, 32, { ...parsed.cost, maxmem: 64 * 1024 * 1024 });
    expect(unkeyed.equals(parsed.hash)).toBe(false);

    // the database copied to another desk (another secret store): the right PIN cannot be checked there
    await t.close();
    const elsewhere = tempDir();
    copyFileSync(join(t.dir, DATABASE_FILE), join(elsewhere, DATABASE_FILE));
    const copy = await startApp({ dir: elsewhere });
    expect(await copy.call('signIn', { personId: people.olgaId, pin: OPERATOR_PIN })).toMatchObject({
      ok: false,
      error: { code: 'forbidden', message: expect.stringContaining('the key that protects the PINs is missing') },
    });
    // nor does that count as a wrong PIN: no lock, however often
    for (let i = 0; i < 7; i++) await copy.call('signIn', { personId: people.olgaId, pin: OPERATOR_PIN });
    const d = db(elsewhere);
    expect(d.prepare('SELECT failed_attempts, locked_until FROM people WHERE id = ?').get(people.olgaId)).toEqual({ failed_attempts: 0, locked_until: null });
    d.close();
    // the original desk, with its key, still signs her in
    const again = await startApp({ dir: t.dir });
    expect(await again.call('signIn', { personId: people.olgaId, pin: OPERATOR_PIN })).toMatchObject({ ok: true });
  });

  it('a hash of the first format (scrypt N = 2^14, no key) still signs in, and is made again with the cost and key of now', async () => {
    const store = memorySecrets();
    const t = await startApp({ secretStore: store });
    const people = await dayAtTheCentre(t);
    setHash(t, people.olgaId, firstFormatHash(OPERATOR_PIN));
    await t.must('signOut', {});
    // a wrong PIN changes nothing
    const old = hashOf(t, people.olgaId);
    expect(await t.call('signIn', { personId: people.olgaId, pin: '999999' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(hashOf(t, people.olgaId)).toBe(old);
    // the right one signs in and upgrades
    expect(await t.call('signIn', { personId: people.olgaId, pin: OPERATOR_PIN })).toMatchObject({ ok: true, value: { name: 'Olga' } });
    const upgraded = parsePinHash(hashOf(t, people.olgaId))!;
    expect(upgraded).toMatchObject({ version: 2, cost: TEST_PIN_COST, keyId: pinKeyId(Buffer.from((await store.get(PIN_KEY_SECRET))!, 'base64')) });
    await t.must('signOut', {});
    expect(await t.call('signIn', { personId: people.olgaId, pin: OPERATOR_PIN })).toMatchObject({ ok: true });
  });

  it('a hash of a lower cost is made again at the cost of now on the next good sign-in', async () => {
    const t = await startApp();
    const people = await dayAtTheCentre(t);
    await t.close();
    const higher = { N: 2 ** 13, r: 8, p: 1 };
    const t2 = await startApp({ dir: t.dir, pinCost: higher });
    expect(parsePinHash(hashOf(t2, people.olgaId))!.cost).toEqual(TEST_PIN_COST);
    await t2.must('signIn', { personId: people.olgaId, pin: OPERATOR_PIN });
    expect(parsePinHash(hashOf(t2, people.olgaId))!.cost).toEqual(higher);
    // people who have not signed in since keep theirs, and it still works
    expect(parsePinHash(hashOf(t2, people.sueId))!.cost).toEqual(TEST_PIN_COST);
    expect(await signInAs(t2, people.sueId, SUPERVISOR_PIN)).toMatchObject({ name: 'Sue' });
  });

  it('where the secret store cannot keep a key, PINs are hashed without one (the log says so) and get the key once it can', async () => {
    const warnings: string[] = [];
    const log = { ...quietLog, warn: (m: string) => void warnings.push(m) };
    const dir = tempDir();
    const { openApp } = await import('../../electron/main/app/index');
    const none = refusingStore();
    const first = await openApp({ dataDir: dir, secretStore: none, log, pinCost: TEST_PIN_COST });
    if (!first.ok) throw new Error(first.error.message);
    const sam = (await first.value.dispatch('createFirstSupervisor', { name: 'Sam', pin: SUPERVISOR_PIN })) as { ok: true; value: { personId: string } };
    expect(warnings.some((w) => w.includes('without a key'))).toBe(true);
    const d = db(dir);
    const unkeyed = (d.prepare('SELECT pin_hash FROM people').get() as { pin_hash: string }).pin_hash;
    d.close();
    expect(parsePinHash(unkeyed)!.keyId).toBe('-');
    await first.value.close();

    // a keyring now: the next good sign-in keys the hash
    const store = memorySecrets();
    const t = await startApp({ dir, secretStore: store });
    await t.must('signIn', { personId: sam.value.personId, pin: SUPERVISOR_PIN });
    const keyed = parsePinHash(hashOf(t, sam.value.personId))!;
    expect(keyed.keyId).toBe(pinKeyId(Buffer.from((await store.get(PIN_KEY_SECRET))!, 'base64')));
  });

  it('a key the store cannot give today is never replaced while hashes name it (a locked keyring must not cost everyone their PIN)', async () => {
    const store = memorySecrets();
    const t = await startApp({ secretStore: store });
    const people = await dayAtTheCentre(t);
    const key = await store.get(PIN_KEY_SECRET);
    await t.close();

    const locked = refusingStore();
    const errors: string[] = [];
    const { openApp } = await import('../../electron/main/app/index');
    const opened = await openApp({ dataDir: t.dir, secretStore: locked, log: { ...quietLog, error: (m: string) => void errors.push(m) }, pinCost: TEST_PIN_COST });
    if (!opened.ok) throw new Error(opened.error.message);
    const r = await opened.value.dispatch('signIn', { personId: people.samId, pin: SUPERVISOR_PIN });
    expect(r).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringContaining('Another supervisor can set a new PIN') } });
    expect(locked.sets).toBe(0); // no new key written over the old
    expect(errors.some((e) => e.includes('the key that protects the PINs is missing'))).toBe(true);
    await opened.value.close();

    // the keyring back: everything as it was
    expect(await store.get(PIN_KEY_SECRET)).toBe(key);
    const back = await startApp({ dir: t.dir, secretStore: store });
    expect(await back.call('signIn', { personId: people.samId, pin: SUPERVISOR_PIN })).toMatchObject({ ok: true });
  });

  it('a forged hash with an absurd cost is refused as a wrong PIN, not run', async () => {
    const t = await startApp();
    const people = await dayAtTheCentre(t);
    const parsed = parsePinHash(hashOf(t, people.olgaId))!;
    setHash(t, people.olgaId, `scrypt2$${2 ** 24}$8$1$${parsed.keyId}$${parsed.salt.toString('base64')}$${parsed.hash.toString('base64')}`);
    expect(await signInAs(t, people.samId, SUPERVISOR_PIN)).toMatchObject({ name: 'Sam' });
    await t.must('signOut', {});
    expect(await t.call('signIn', { personId: people.olgaId, pin: OPERATOR_PIN })).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringContaining('Wrong PIN') } });
  });
});
