// Starts one of the app core's worker threads. The same call works in three places: from
// the TypeScript sources under tsx or vitest (the worker file is .ts, so a tiny bootstrap
// registers tsx inside the worker before importing it), and from the electron-vite bundle,
// where each worker is its own output file next to the main bundle (out/main/NAME.worker.js).
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

export type WorkerName = 'register-import' | 'audit-verify';

export function startWorker(name: WorkerName, workerData: unknown): Worker {
  if (import.meta.url.endsWith('.ts')) {
    const url = new URL(`./${name}.worker.ts`, import.meta.url).href;
    // the ESM build of tsx's API (require.resolve finds its CommonJS twin, which cannot register hooks)
    const tsxApi = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
    const bootstrap = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(url)}); })`;
    return new Worker(bootstrap, { eval: true, workerData });
  }
  return new Worker(new URL(`./${name}.worker.js`, import.meta.url), { workerData });
}
