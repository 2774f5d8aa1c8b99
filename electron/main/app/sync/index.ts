// The sync engine's public face. The engine itself is built by createCore (core.ts) from the
// core's parts it names (deps.ts), with the options given to createCore, and is `core.sync`;
// openApp starts it, and the core stops it when it closes.
export { SyncEngine, DEVICE_TOKEN_SECRET, type SyncOptions } from './engine';
export type { SyncDeps } from './deps';
