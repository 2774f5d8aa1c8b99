import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

// Three build targets from three folders (architecture.md): the Electron main process,
// a CommonJS preload (required by `sandbox: true`), and the renderer.
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rolldownOptions: {
        // The app core's worker threads are entries of their own, emitted beside the main
        // bundle as out/main/NAME.worker.js (see electron/main/app/workers/launch.ts).
        input: {
          index: resolve('electron/main/index.ts'),
          'register-import.worker': resolve('electron/main/app/workers/register-import.worker.ts'),
          'audit-verify.worker': resolve('electron/main/app/workers/audit-verify.worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // A sandboxed preload cannot require node_modules: bundle everything it uses.
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve('electron/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'renderer',
    // Relative asset URLs: the same build loads from the app:// protocol in Electron and
    // from the headless host's per-run secret path (http://127.0.0.1:PORT/s/SECRET/).
    base: './',
    plugins: [react()],
    build: {
      outDir: resolve('out/renderer'),
      emptyOutDir: true,
      rolldownOptions: {
        input: { index: resolve('renderer/index.html') },
      },
    },
  },
});
