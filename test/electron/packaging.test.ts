// electron.builder.yml as electron-builder itself reads and validates it (its JSON schema
// rejects unknown or misspelled keys), plus the promises docs/security.md makes about it.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import { DebugLogger } from 'builder-util';
import { resolveConfig } from 'electron-vite';
import { minimatch } from 'minimatch';
import { build, mergeConfig } from 'vite';
import { beforeAll, describe, expect, it } from 'vitest';

type Config = Awaited<ReturnType<typeof getConfig>>;
let config: Config;

beforeAll(async () => {
  config = await getConfig(process.cwd(), 'electron.builder.yml', null);
});

const targetsOf = (platform: unknown) =>
  ((platform as { target?: Array<string | { target: string }> }).target ?? []).map((t) => (typeof t === 'string' ? t : t.target));

describe('electron.builder.yml', () => {
  it("passes electron-builder's own schema", async () => {
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('the schema check can fail (a misspelled key is refused)', async () => {
    await expect(validateConfiguration({ ...config, asarUnpak: ['x'] } as Config, new DebugLogger(false))).rejects.toThrow();
  });

  it('names the app and builds AppImage + deb, NSIS and dmg with the icon from resources/', () => {
    expect(config.appId).toBe('org.ballotintake.desk');
    expect(config.productName).toBe('Ballot Intake');
    expect(targetsOf(config.linux)).toEqual(['AppImage', 'deb']);
    expect(targetsOf(config.win)).toEqual(['nsis']);
    expect(targetsOf(config.mac)).toEqual(['dmg']);
    for (const platform of [config.linux, config.win, config.mac]) expect(platform?.icon).toBe('resources/icon.png');
  });

  it('flips the fuses of docs/security.md in release builds', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      grantFileProtocolExtraPrivileges: false,
      enableCookieEncryption: true,
    });
  });

  it('ships the Electron-ABI database driver unpacked, and never rebuilds node_modules in place', () => {
    expect(config.asar).toBe(true);
    expect(config.asarUnpack).toEqual(expect.arrayContaining(['native/electron/**', 'out/main/*.worker.js']));
    const files = ([config.files].flat() as Array<string | { filter?: string[] }>).flatMap((f) => (typeof f === 'string' ? [f] : (f.filter ?? [])));
    expect(files).toEqual(expect.arrayContaining(['out/**/*', 'native/electron/**/*', '!node_modules/better-sqlite3/build/**']));
    expect(config.npmRebuild).toBe(false);
  });

  it('leaves out no package the main bundle imports', async () => {
    // The main process as it ships, built from electron.vite.config.ts into a temporary folder.
    const outDir = mkdtempSync(join(tmpdir(), 'main-bundle-'));
    const resolved = await resolveConfig({ root: process.cwd() }, 'build', 'production');
    await build(mergeConfig(resolved.config!.main!, { logLevel: 'silent', build: { outDir, emptyOutDir: true } }));
    const code = readdirSync(outDir)
      .filter((f) => f.endsWith('.js'))
      .map((f) => readFileSync(join(outDir, f), 'utf8'))
      .join('\n');
    const specifiers = [...code.matchAll(/(?:^import[^;]*?from\s*|\bimport\(\s*|\brequire\(\s*)["']([^"'.][^"']*)["']/gm)].map((m) => m[1]!);
    const packages = [...new Set(specifiers.filter((s) => !s.startsWith('node:') && !builtinModules.includes(s) && s !== 'electron'))].map((s) =>
      s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0]!,
    );
    expect(packages).toContain('better-sqlite3');
    const files = ([config.files].flat() as Array<string | { filter?: string[] }>).flatMap((f) => (typeof f === 'string' ? [f] : (f.filter ?? [])));
    const exclusions = files.filter((f) => f.startsWith('!node_modules/')).map((f) => f.slice(1));
    const dependencies = Object.keys((JSON.parse(readFileSync('package.json', 'utf8')) as { dependencies: Record<string, string> }).dependencies);
    for (const pkg of packages) {
      expect(dependencies, `${pkg} must be a production dependency to be packaged`).toContain(pkg);
      expect(exclusions.filter((pattern) => minimatch(`node_modules/${pkg}/package.json`, pattern)), `${pkg} is excluded from the package`).toEqual([]);
    }
  }, 60_000);
});

describe('resources/icon.png', () => {
  it('is a 512×512 PNG (electron-builder derives .ico and .icns from it)', () => {
    const png = readFileSync('resources/icon.png');
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([512, 512]);
  });
});

describe('package.json scripts', () => {
  it('build the Electron-ABI driver before starting Electron and before packaging', () => {
    const { scripts } = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> };
    expect(scripts.start).toMatch(/electron-vite build && node scripts\/electron-native\.mjs && electron \./);
    expect(scripts.package).toMatch(/node scripts\/electron-native\.mjs && electron-builder --config electron\.builder\.yml/);
  });
});
