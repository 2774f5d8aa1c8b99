// Where the Electron-ABI build of better-sqlite3 lives. node_modules keeps the Node-ABI build
// (for npm test); scripts/electron-native.mjs builds the Electron one into native/electron/,
// and the shell hands its path to the core, which opens better-sqlite3 with `nativeBinding`.
// Packaged, the file is unpacked beside app.asar (a .node file cannot be loaded from inside it).
import { join } from 'node:path';

export const ELECTRON_NATIVE_DIR = join('native', 'electron');
export const BETTER_SQLITE3_BINARY = 'better_sqlite3.node';

/** A path inside app.asar, turned into the same path in app.asar.unpacked. */
export function asarUnpackedPath(path: string): string {
  return path.replace(/([\\/])app\.asar(?=[\\/]|$)/, '$1app.asar.unpacked');
}

/** `appPath` is app.getAppPath(): the project folder in development, …/resources/app.asar packaged. */
export function electronNativeBindingPath(appPath: string): string {
  return asarUnpackedPath(join(appPath, ELECTRON_NATIVE_DIR, BETTER_SQLITE3_BINARY));
}
