// The device token's home in the desktop app: encrypted with Electron's safeStorage (Keychain on
// macOS, DPAPI on Windows, the desktop's secret service on Linux) and kept as a file in the
// user-data folder. Where safeStorage could only obfuscate (Linux with no keyring: the
// "basic_text" backend, a fixed key) it refuses to store, in words, rather than pretend.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SafeStorage } from 'electron';
import { err, ok, type Result } from '../../../shared/result';
import type { AppLog, SecretStore } from '../app/app.types';

/** The part of safeStorage this store uses (the typed stand-in implements exactly this). */
export type SafeStorageApi = Pick<SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString'> &
  Partial<Pick<SafeStorage, 'getSelectedStorageBackend'>>;

const SECRET_NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/i;

export function createSafeStorageSecretStore(
  safeStorage: SafeStorageApi,
  userDataDir: string,
  platform: NodeJS.Platform,
  log: AppLog,
): SecretStore {
  const dir = join(userDataDir, 'secrets');
  const fileOf = (name: string) => join(dir, `${name}.bin`);
  // Asked each time, after isEncryptionAvailable(): on Linux the backend is settled lazily.
  const linuxBackend = () => (platform === 'linux' ? (safeStorage.getSelectedStorageBackend?.() ?? 'unknown') : null);

  /** Why a secret cannot be kept safely here, or null when it can. */
  const refusal = (): string | null => {
    if (!safeStorage.isEncryptionAvailable()) {
      return 'This computer offers no way to encrypt the device token (safeStorage is unavailable), so it is not stored.';
    }
    const backend = linuxBackend();
    if (backend === 'basic_text' || backend === 'unknown') {
      return 'No keyring is running on this Linux desktop (for example GNOME Keyring or KWallet), so the device token cannot be stored encrypted. Start a keyring and try again.';
    }
    return null;
  };

  return {
    get description() {
      return `safeStorage (${linuxBackend() ?? (platform === 'darwin' ? 'Keychain' : platform === 'win32' ? 'DPAPI' : platform)})`;
    },

    async get(name) {
      if (!SECRET_NAME.test(name)) return null;
      let blob: Buffer;
      try {
        blob = readFileSync(fileOf(name));
      } catch {
        return null;
      }
      try {
        return safeStorage.decryptString(blob);
      } catch (e) {
        // A token encrypted under another user account or a reset keyring: enrol again.
        log.warn('a stored secret could not be decrypted', { name, error: e });
        return null;
      }
    },

    async set(name, value): Promise<Result<void, string>> {
      if (!SECRET_NAME.test(name)) return err(`"${name}" is not a valid secret name.`);
      const why = refusal();
      if (why) return err(why);
      try {
        mkdirSync(dir, { recursive: true, mode: 0o700 });
        const temp = `${fileOf(name)}.tmp`;
        writeFileSync(temp, safeStorage.encryptString(value), { mode: 0o600 });
        renameSync(temp, fileOf(name));
        return ok(undefined);
      } catch (e) {
        log.error('a secret could not be stored', { name, error: e });
        return err(`The device token could not be saved: ${e instanceof Error ? e.message : String(e)}`);
      }
    },
  };
}
