// Where the Electron binary is, found without `require('electron')`: that call downloads the
// binary when it is missing, which on a machine without access to Electron's downloads hangs
// or fails instead of letting the test say plainly that it cannot run here.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export type ElectronBinary = { present: true; path: string } | { present: false; reason: string };

export function findElectronBinary(projectRoot: string): ElectronBinary {
  const pkg = join(projectRoot, 'node_modules', 'electron');
  const pathFile = join(pkg, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const path = join(override, relative ?? 'electron');
    return existsSync(path) ? { present: true, path } : { present: false, reason: `ELECTRON_OVERRIDE_DIST_PATH points at ${path}, which does not exist` };
  }
  if (!relative) {
    return { present: false, reason: `${pathFile} is missing: the Electron binary was never downloaded (it comes from github.com/electron/electron/releases, not from the npm registry)` };
  }
  const path = join(pkg, 'dist', relative);
  return existsSync(path) ? { present: true, path } : { present: false, reason: `${path} does not exist` };
}
