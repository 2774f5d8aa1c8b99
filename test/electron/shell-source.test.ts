// Guards over the shell's source text for what the security checklist says never to do: no API
// call can be tested for absence better than by not finding it. Comments are ignored (they may
// name what is avoided).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : /\.(ts|tsx|mjs|js)$/.test(name) ? [path] : [];
  });
}

const code = (path: string) =>
  readFileSync(path, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .split('\n')
    .filter((line) => !line.trim().startsWith('//'))
    .join('\n');

const shellFiles = ['electron/main/index.ts', 'electron/main/window.ts', 'electron/main/ipc.ts', ...sources('electron/main/shell'), ...sources('electron/preload')];
const allElectronSide = sources('electron');

describe('the shell source', () => {
  it.each([
    ['shell.openExternal', /\bopenExternal\s*\(/],
    ['shell.openPath', /\bopenPath\s*\(/],
    ['enableBlinkFeatures', /enableBlinkFeatures/],
    ['allowpopups', /allowpopups/i],
    ['nodeIntegration: true', /nodeIntegration\w*\s*:\s*true/],
    ['contextIsolation: false', /contextIsolation\s*:\s*false/],
    ['sandbox: false', /sandbox\s*:\s*false/],
    ['webSecurity: false', /webSecurity\s*:\s*false/],
    ['bypassCSP', /bypassCSP\s*:\s*true/],
    ['loadFile / file:// pages', /\.loadFile\s*\(|loadURL\(\s*['"`]file:/],
    ['exposing ipcRenderer itself', /exposeInMainWorld\([^)]*ipcRenderer/],
  ])('never uses %s', (_what, pattern) => {
    for (const file of allElectronSide) expect(code(file), file).not.toMatch(pattern);
  });

  it('registers IPC handlers only in ipc.ts, each behind the sender check', () => {
    const withHandlers = shellFiles.filter((f) => /ipcMain\.(handle|on)\s*\(/.test(code(f)));
    expect(withHandlers).toEqual(['electron/main/ipc.ts']);
    const ipc = code('electron/main/ipc.ts');
    expect(ipc.match(/ipcMain\.handle\(/g)).toHaveLength(1); // the one `handle` helper
    // three registrations: the operations' loop, the file chooser, the save dialog
    expect(ipc.match(/^[ \t]*handle\((channel|IPC\.)[^:]*async \(event/gm)).toHaveLength(3);
    expect(ipc.match(/if \(!isTrustedSender\(event\)\)/g)).toHaveLength(3);
  });
});
