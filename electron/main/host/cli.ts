// `npm run start:web -- --data-dir DIR --port PORT [--server URL]`: the app core without
// Electron, serving the built renderer on 127.0.0.1 (contracts.md §5). Production runs this file
// built (out/node/desk-host.mjs, plain node); tests and development may run it through tsx.
import { parseArgs } from 'node:util';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync, mkdirSync } from 'node:fs';
import { lockDeskFolder } from '../desk-folder-lock';
import { openApp } from '../app/index';
import { fileSecretStore } from './file-secret-store';
import { startHost } from './http-host';
import { jsonLog } from './json-log';

const { values } = parseArgs({
  options: {
    'data-dir': { type: 'string' },
    port: { type: 'string', default: '5180' },
    server: { type: 'string' },
  },
  strict: true,
});

const log = jsonLog();
const dataDir = resolve(values['data-dir'] ?? join(process.cwd(), '.data', 'web'));
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a number from 0 to 65535, not ${values.port}`);
  process.exit(2);
}
// The project folder: three levels above the source (electron/main/host/cli.ts, under tsx),
// two above the built file of `npm run start:web` (out/node/desk-host.mjs, scripts/build-host.mjs).
const here = fileURLToPath(import.meta.url);
const root = resolve(dirname(here), here.endsWith('.ts') ? '../../..' : '../..');
const rendererDir = join(root, 'out/renderer');
if (!existsSync(join(rendererDir, 'index.html'))) {
  console.error(`The renderer is not built (${rendererDir}). Run "npm run build" first.`);
  process.exit(2);
}

// A test-only clock offset (as the server's): end-to-end tests run a desk whose clock is wrong.
const clockOffsetMs = Number(process.env.BALLOT_TEST_CLOCK_OFFSET_MS ?? 0);
if (!Number.isFinite(clockOffsetMs)) {
  console.error(`BALLOT_TEST_CLOCK_OFFSET_MS: not a number of milliseconds: ${process.env.BALLOT_TEST_CLOCK_OFFSET_MS}`);
  process.exit(2);
}

// Before anything is opened: a second host on this folder must not touch its database.
mkdirSync(dataDir, { recursive: true });
const locked = lockDeskFolder(dataDir);
if (!locked.ok) {
  console.error(`${locked.error} Use that one (its address is printed where it was started), or stop it first (Ctrl-C there). A second desk needs its own --data-dir.`);
  process.exit(3);
}
const releaseFolder = locked.value;

const secretStore = fileSecretStore(dataDir);
const opened = await openApp({
  dataDir,
  secretStore,
  log,
  defaultServerUrl: values.server,
  ...(clockOffsetMs !== 0 ? { now: () => new Date(Date.now() + clockOffsetMs) } : {}),
});
if (!opened.ok) {
  console.error(opened.error.message);
  releaseFolder();
  process.exit(1);
}
log.warn('the device token and the PIN key are kept in a file, not in the operating system keychain', { store: secretStore.description });
const host = await startHost({ app: opened.value, rendererDir, uploadDir: join(dataDir, 'uploads'), port, log, iconFile: join(root, 'resources/icon.png') });
console.log(`Ballot Intake listening on ${host.url}`);

const stop = async () => {
  await host.close();
  await opened.value.close();
  releaseFolder();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
