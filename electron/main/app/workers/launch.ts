// Starts one of the app core's worker threads. The same call works in three places: from
// the TypeScript sources under tsx or vitest (the worker file is .ts, so a tiny bootstrap
// registers tsx inside the worker before importing it), and from the two bundles, where each
// worker is an entry of its own emitted beside the bundle with the bundle's extension:
// electron-vite's out/main/NAME.worker.js (electron.vite.config.ts) and the headless host's
// out/node/NAME.worker.mjs (scripts/build-host.mjs).
import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

export type WorkerName = 'register-import' | 'audit-verify';

export function startWorker(name: WorkerName, workerData: unknown): Worker {
  // Paths are joined by hand rather than with `new URL(…, import.meta.url)`, which bundlers
  // rewrite as an asset reference.
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.ts')) {
    const url = pathToFileURL(join(dirname(here), `${name}.worker.ts`)).href;
    // the ESM build of tsx's API (require.resolve finds its CommonJS twin, which cannot register hooks)
    const tsxApi = pathToFileURL(createRequire(here).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
    const bootstrap = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(url)}); })`;
    return new Worker(bootstrap, { eval: true, workerData });
  }
  return new Worker(join(dirname(here), `${name}.worker${extname(here)}`), { workerData });
}
