// `--user-data-dir=DIR` picks another data folder: each end-to-end test gets its own, and a
// trainer can keep a practice profile apart from the real one. The single-instance lock is per
// folder, so two folders mean two independent apps.
import { join, resolve } from 'node:path';

/**
 * The data folder when none is given: named after the product, and apart for development runs
 * (npm start), so a developer's experiments never touch an installed app's receipts.
 */
export function defaultUserDataDir(appDataDir: string, isPackaged: boolean): string {
  return join(appDataDir, isPackaged ? 'Ballot Intake' : 'Ballot Intake (development)');
}

const SWITCH = '--user-data-dir';

export function userDataDirFromArgs(argv: readonly string[]): string | null {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg.startsWith(`${SWITCH}=`)) {
      const value = arg.slice(SWITCH.length + 1);
      return value ? resolve(value) : null;
    }
    if (arg === SWITCH) {
      const value = argv[i + 1];
      return value && !value.startsWith('--') ? resolve(value) : null;
    }
  }
  return null;
}
