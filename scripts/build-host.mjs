// Builds the headless host (`npm run start:web`) into plain JavaScript: out/node/desk-host.mjs,
// and beside it each of the app core's worker threads as an entry of its own
// (out/node/NAME.worker.mjs), where electron/main/app/workers/launch.ts looks for them: next to
// the file that starts them, with that file's extension. Every *.worker.ts is built, so a new
// worker cannot be left out. The renderer it serves is electron-vite's (out/renderer).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildNode, root } from './build-node.mjs';

const WORKERS = 'electron/main/app/workers';
const workers = Object.fromEntries(
  readdirSync(join(root, WORKERS))
    .filter((f) => f.endsWith('.worker.ts'))
    .map((f) => [f.slice(0, -'.ts'.length), `${WORKERS}/${f}`]),
);

await buildNode({ 'desk-host': 'electron/main/host/cli.ts', ...workers });
