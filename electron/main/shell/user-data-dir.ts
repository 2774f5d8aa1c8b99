// `--user-data-dir=DIR` picks another data folder: each end-to-end test gets its own, and a
// trainer can keep a practice profile apart from the real one. The single-instance lock is per
// folder, so two folders mean two independent apps.
import { resolve } from 'node:path';

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
