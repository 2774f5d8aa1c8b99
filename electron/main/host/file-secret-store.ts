// The headless host's secret store: a JSON file readable by its owner only (0600). Weaker
// than Electron's safeStorage (the OS keychain), so the host says so in its log at start.
import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ok } from '../../../shared/result';
import type { SecretStore } from '../app/app.types';

export function fileSecretStore(dataDir: string): SecretStore {
  const path = join(dataDir, 'secrets.json');
  const read = (): Record<string, string> => {
    if (!existsSync(path)) return {};
    try {
      return JSON.parse(readFileSync(path, 'utf8')) as Record<string, string>;
    } catch {
      return {};
    }
  };
  return {
    description: `a file readable only by this user (${path})`,
    get: async (name) => read()[name] ?? null,
    set: async (name, value) => {
      const next = { ...read(), [name]: value };
      const tmp = `${path}.tmp`;
      writeFileSync(tmp, JSON.stringify(next), { mode: 0o600 });
      chmodSync(tmp, 0o600);
      renameSync(tmp, path);
      return ok(undefined);
    },
  };
}
