import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSafeStorageSecretStore } from '../../electron/main/shell/safe-storage-secret-store';
import { memoryLog } from './fake-app';
import { FakeSafeStorage } from './fake-electron';

const dir = () => mkdtempSync(join(tmpdir(), 'secret-store-'));

describe('the safeStorage secret store', () => {
  it('keeps a secret encrypted in the user-data folder and gives it back', async () => {
    const userData = dir();
    const store = createSafeStorageSecretStore(new FakeSafeStorage(), userData, 'linux', memoryLog());
    expect(await store.set('device-token', 'dt_secret_value')).toEqual({ ok: true, value: undefined });
    const file = join(userData, 'secrets', 'device-token.bin');
    expect(readFileSync(file).toString('latin1')).not.toContain('dt_secret_value');
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o077).toBe(0);
    expect(await store.get('device-token')).toBe('dt_secret_value');
    // a second store over the same folder (the next start) reads it too
    expect(await createSafeStorageSecretStore(new FakeSafeStorage(), userData, 'linux', memoryLog()).get('device-token')).toBe('dt_secret_value');
  });

  it('answers null for a secret never stored', async () => {
    const store = createSafeStorageSecretStore(new FakeSafeStorage(), dir(), 'darwin', memoryLog());
    expect(await store.get('device-token')).toBeNull();
    expect(store.description).toBe('safeStorage (Keychain)');
  });

  it.each(['basic_text', 'unknown'] as const)('refuses, in words, to store on Linux with the %s backend', async (backend) => {
    const userData = dir();
    const store = createSafeStorageSecretStore(new FakeSafeStorage(true, backend), userData, 'linux', memoryLog());
    const result = await store.set('device-token', 'dt_secret_value');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(/keyring/);
    expect(existsSync(join(userData, 'secrets', 'device-token.bin'))).toBe(false);
    expect(store.description).toBe(`safeStorage (${backend})`);
  });

  it('refuses when encryption is unavailable at all', async () => {
    const store = createSafeStorageSecretStore(new FakeSafeStorage(false), dir(), 'win32', memoryLog());
    const result = await store.set('device-token', 'x');
    expect(!result.ok && result.error).toMatch(/no way to encrypt/);
  });

  it('refuses names that could escape the secrets folder', async () => {
    const store = createSafeStorageSecretStore(new FakeSafeStorage(), dir(), 'linux', memoryLog());
    expect((await store.set('../../evil', 'x')).ok).toBe(false);
    expect(await store.get('../../etc/passwd')).toBeNull();
  });

  it('treats an undecryptable file as no secret, and logs it', async () => {
    const userData = dir();
    const log = memoryLog();
    const store = createSafeStorageSecretStore(new FakeSafeStorage(), userData, 'linux', log);
    await store.set('device-token', 'x');
    writeFileSync(join(userData, 'secrets', 'device-token.bin'), 'garbage');
    expect(await store.get('device-token')).toBeNull();
    expect(log.lines[0]).toMatchObject({ level: 'warn', message: 'a stored secret could not be decrypted' });
  });
});
