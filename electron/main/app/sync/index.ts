// The sync engine's place in the app core: one engine per core, made on first use, started
// by openApp and stopped when the core closes.
import type { Core } from '../core';
import { SyncEngine, type SyncOptions } from './engine';

export { SyncEngine, DEVICE_TOKEN_SECRET, type SyncOptions } from './engine';

const engines = new WeakMap<Core, SyncEngine>();

/** The core's sync engine (made here with `options` the first time). */
export function syncEngineOf(core: Core, options: SyncOptions = {}): SyncEngine {
  let engine = engines.get(core);
  if (!engine) {
    // The core's register store, so a file import and a server fill never share the idle table.
    engine = new SyncEngine(core, options, core.registerStore);
    engines.set(core, engine);
  }
  return engine;
}

/** Starts syncing in the background and stops with the core. */
export function startSync(core: Core, options: SyncOptions = {}): SyncEngine {
  const engine = syncEngineOf(core, options);
  engine.start();
  core.onClose(() => engine.stop());
  return engine;
}
