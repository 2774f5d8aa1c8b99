// The layer rules are enforced by lint: these prove the rules catch what they must (and do
// not fire where importing is allowed), by linting small sources under real file paths.
import { ESLint } from 'eslint';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: resolve(import.meta.dirname, '../..') });

async function restrictedImportMessages(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layer rules', () => {
  it("refuses import 'electron' in renderer/", async () => {
    const messages = await restrictedImportMessages('renderer/src/sneaky.ts', "import 'electron';\nexport const x = 1;\n");
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/Only the Electron shell/);
  });

  it('refuses electron in the app core, which must stay plain Node', async () => {
    const messages = await restrictedImportMessages('electron/main/app/ledger/sneaky.ts', "import { app } from 'electron';\nexport const x = app;\n");
    expect(messages).toHaveLength(1);
  });

  it('allows electron in the shell files', async () => {
    expect(await restrictedImportMessages('electron/main/window.ts', "import { BrowserWindow } from 'electron';\nexport const x = BrowserWindow;\n")).toEqual([]);
    expect(await restrictedImportMessages('electron/preload/index.ts', "import { contextBridge } from 'electron';\nexport const x = contextBridge;\n")).toEqual([]);
  });

  it('refuses Node built-ins in renderer/ and shared/, with or without the node: prefix', async () => {
    expect(await restrictedImportMessages('renderer/src/x.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n")).toHaveLength(1);
    expect(await restrictedImportMessages('shared/x.ts', "import { createHash } from 'crypto';\nexport const x = createHash;\n")).toHaveLength(1);
  });

  it('refuses shared/ reaching up into the app core or the renderer', async () => {
    expect(await restrictedImportMessages('shared/x.ts', "import { openApp } from '../electron/main/app/index';\nexport const x = openApp;\n")).toHaveLength(1);
  });

  it('allows Node built-ins in the app core', async () => {
    expect(await restrictedImportMessages('electron/main/app/x.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n")).toEqual([]);
  });

  it('refuses an import cycle (issue 16): a planted pair of modules importing each other', async () => {
    const { mkdtempSync, rmSync, writeFileSync } = await import('node:fs');
    const dir = mkdtempSync(resolve(import.meta.dirname, '../../shared/cycle-probe-'));
    try {
      writeFileSync(`${dir}/a.ts`, "import { b } from './b';\nexport const a = (): unknown => b;\n");
      writeFileSync(`${dir}/b.ts`, "import { a } from './a';\nexport const b = (): unknown => a;\n");
      const [result] = await eslint.lintFiles([`${dir}/a.ts`]);
      expect(result!.messages.filter((m) => m.ruleId === 'import-x/no-cycle')).toHaveLength(1);
      writeFileSync(`${dir}/b.ts`, 'export const b = (): unknown => 1;\n');
      const [clean] = await eslint.lintFiles([`${dir}/a.ts`]);
      expect(clean!.messages.filter((m) => m.ruleId === 'import-x/no-cycle')).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
