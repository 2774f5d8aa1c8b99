#!/usr/bin/env node
// Builds better-sqlite3 for Electron's ABI into native/electron/better_sqlite3.node, leaving
// node_modules' Node-ABI build alone (npm test keeps using it). The desktop app opens the
// database with better-sqlite3's `nativeBinding` option pointing here (see
// electron/main/shell/native-binding.ts). Run by `npm start` and `npm run package`; it does
// nothing when the binary already matches the installed Electron and better-sqlite3.
//
// How: a copy of node_modules/better-sqlite3 in a temporary folder, then better-sqlite3's own
// recipe with Electron as the runtime: prebuild-install (downloads a prebuilt binary from the
// project's GitHub releases) or, failing that, node-gyp against Electron's headers
// (downloaded from electronjs.org; needs a C++ toolchain). Both need internet once.
//
//   node scripts/electron-native.mjs            build if missing or outdated
//   node scripts/electron-native.mjs --check    exit 0 if up to date, 1 if not (builds nothing)
//   node scripts/electron-native.mjs --force    build even if up to date
//   options: --runtime electron|node  --target VERSION  --arch ARCH  --out DIR
//   (--runtime node builds the same way for the running Node: a self-test of this script)
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const BINARY = 'better_sqlite3.node';
const INFO = 'build-info.json';

function parseArgs(argv) {
  const args = { check: false, force: false, runtime: 'electron', target: null, arch: process.arch, out: join(root, 'native', 'electron') };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (!v) fail(`${a} needs a value`);
      return v;
    };
    if (a === '--check') args.check = true;
    else if (a === '--force') args.force = true;
    else if (a === '--runtime') args.runtime = value();
    else if (a === '--target') args.target = value();
    else if (a === '--arch') args.arch = value();
    else if (a === '--out') args.out = resolve(value());
    else fail(`unknown option ${a}`);
  }
  if (args.runtime !== 'electron' && args.runtime !== 'node') fail('--runtime is electron or node');
  return args;
}

function fail(message) {
  console.error(`electron-native: ${message}`);
  process.exit(1);
}

const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));

function wanted(args) {
  const betterSqlite3 = readJson(require.resolve('better-sqlite3/package.json')).version;
  const target =
    args.target ?? (args.runtime === 'electron' ? readJson(require.resolve('electron/package.json')).version : process.versions.node);
  return { runtime: args.runtime, target, arch: args.arch, platform: process.platform, betterSqlite3 };
}

function upToDate(out, want) {
  if (!existsSync(join(out, BINARY)) || !existsSync(join(out, INFO))) return false;
  try {
    const have = readJson(join(out, INFO));
    return Object.entries(want).every(([k, v]) => have[k] === v);
  } catch {
    return false;
  }
}

function run(label, command, args, cwd) {
  console.log(`electron-native: ${label}`);
  const result = spawnSync(command, args, { cwd, stdio: 'inherit', env: process.env, timeout: 15 * 60_000 });
  return result.status === 0;
}

function build(want, out) {
  const work = mkdtempSync(join(tmpdir(), 'better-sqlite3-electron-'));
  try {
    const source = dirname(require.resolve('better-sqlite3/package.json'));
    const pkg = join(work, 'better-sqlite3');
    // Everything but the Node-ABI build: the copy is built from scratch for the new runtime.
    cpSync(source, pkg, { recursive: true, filter: (p) => !relative(source, p).startsWith('build') });

    const prebuild = require.resolve('prebuild-install/bin.js');
    const gyp = require.resolve('node-gyp/bin/node-gyp.js');
    const runtimeArgs = [`--runtime=${want.runtime}`, `--target=${want.target}`, `--arch=${want.arch}`];
    const built =
      run(`downloading a prebuilt better-sqlite3 ${want.betterSqlite3} for ${want.runtime} ${want.target} (${want.platform}-${want.arch})`, process.execPath, [prebuild, ...runtimeArgs, `--platform=${want.platform}`, '--verbose'], pkg) ||
      run(
        `no prebuilt binary: building from source against ${want.runtime} ${want.target} headers (about a minute)`,
        process.execPath,
        [gyp, 'rebuild', '--release', ...runtimeArgs, ...(want.runtime === 'electron' ? ['--dist-url=https://electronjs.org/headers'] : [])],
        pkg,
      );
    const binary = join(pkg, 'build', 'Release', BINARY);
    if (!built || !existsSync(binary)) {
      fail(
        [
          `could not get better-sqlite3 for ${want.runtime} ${want.target} (${want.platform}-${want.arch}).`,
          'Both ways need internet access once: the prebuilt binary comes from github.com/WiseLibs/better-sqlite3/releases,',
          "Electron's headers for a source build from electronjs.org (plus Python and a C++ compiler).",
          'npm test does not need this; npm start and npm run package do.',
        ].join('\n  '),
      );
    }
    mkdirSync(out, { recursive: true });
    // Copy, then rename into place: a half-copied binary is never left where the app looks.
    cpSync(binary, join(out, `${BINARY}.tmp`));
    renameSync(join(out, `${BINARY}.tmp`), join(out, BINARY));
    writeFileSync(join(out, INFO), `${JSON.stringify({ ...want, builtAt: new Date().toISOString() }, null, 2)}\n`);
    console.log(`electron-native: ${join(out, BINARY)} is ready`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const args = parseArgs(process.argv.slice(2));
const want = wanted(args);
const current = upToDate(args.out, want);
if (args.check) {
  console.log(`electron-native: ${current ? 'up to date' : 'missing or outdated'} (${want.runtime} ${want.target}, better-sqlite3 ${want.betterSqlite3}, ${want.platform}-${want.arch})`);
  process.exit(current ? 0 : 1);
}
if (current && !args.force) {
  console.log(`electron-native: up to date (${want.runtime} ${want.target}, better-sqlite3 ${want.betterSqlite3})`);
} else {
  build(want, args.out);
}
