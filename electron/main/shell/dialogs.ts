// The two native dialogs the renderer may ask for through the shell: pick the register CSV,
// and choose where to save an export. The page never sees or chooses a path itself.
import { join } from 'node:path';
import type { BrowserWindow, Dialog } from 'electron';

export type DialogApi = Pick<Dialog, 'showOpenDialog' | 'showSaveDialog'>;

export interface ShellDialogs {
  /** the chosen register file's path, or null if cancelled */
  chooseRegisterFile(): Promise<string | null>;
  /** where to save `fileName`, or null if cancelled */
  chooseSaveTarget(fileName: string): Promise<string | null>;
}

export function createShellDialogs(dialog: DialogApi, getWindow: () => BrowserWindow | null, downloadsDir: string): ShellDialogs {
  return {
    async chooseRegisterFile() {
      const options = {
        title: 'Import register file',
        properties: ['openFile' as const],
        filters: [
          { name: 'Register file (CSV)', extensions: ['csv'] },
          { name: 'All files', extensions: ['*'] },
        ],
      };
      const win = getWindow();
      const result = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
    async chooseSaveTarget(fileName) {
      // Only the base name of what the core proposes: a default path never points elsewhere.
      const base = fileName.split(/[\\/]/).pop() || 'export';
      const options = { title: 'Save export', defaultPath: join(downloadsDir, base) };
      const win = getWindow();
      const result = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
      return result.canceled || !result.filePath ? null : result.filePath;
    },
  };
}
