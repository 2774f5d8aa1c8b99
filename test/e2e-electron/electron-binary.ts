// Where the Electron binary is, found without `require('electron')`: that call downloads the
// binary when it is missing, which on a machine without access to Electron's downloads hangs
// or fails instead of letting the test say plainly that it cannot run here.
import { spawnSync } from 'node:child_process';
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

/**
 * The binary, downloaded first if it is missing and the machine can reach Electron's releases
 * (electron 45 downloads it on first use, not at npm install). Where the download fails (quickly,
 * on a machine without that access) the answer says why, with the downloader's last words.
 */
export function ensureElectronBinary(projectRoot: string): ElectronBinary {
  const found = findElectronBinary(projectRoot);
  if (found.present || process.env.ELECTRON_OVERRIDE_DIST_PATH) return found;
  const install = spawnSync(process.execPath, [join(projectRoot, 'node_modules', 'electron', 'install.js')], {
    cwd: projectRoot,
    encoding: 'utf8',
    timeout: 5 * 60_000,
  });
  const again = findElectronBinary(projectRoot);
  if (again.present) return again;
  const said = `${install.stderr ?? ''}${install.stdout ?? ''}`.split('\n').map((l) => l.trim()).filter(Boolean);
  const why = said.find((l) => /error/i.test(l)) ?? said.at(-1) ?? `exit ${install.status}`;
  return { present: false, reason: `${found.reason}; downloading it failed: ${why.slice(0, 300)}` };
}
