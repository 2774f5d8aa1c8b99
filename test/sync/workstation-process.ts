// A workstation's app core as its own process, for the kill-during-sync test: opens the
// data folder (durable, as in production), syncs, and prints each sync status as one JSON
// line on stdout. Usage: node --import tsx workstation-process.ts DATA_DIR BATCH_SIZE
import { join } from 'node:path';
import type { AppLog } from '../../electron/main/app/app.types';
import { createCore } from '../../electron/main/app/core';
import { openDatabase } from '../../electron/main/app/db/open';
import { fileSecretStore } from '../../electron/main/host/file-secret-store';

const [dir, batch] = process.argv.slice(2);
const opened = openDatabase(join(dir!, 'ballot-intake.sqlite'));
if (!opened.ok) {
  console.error(opened.error.message);
  process.exit(1);
}
const log: AppLog = { info() {}, warn() {}, error: (m, f) => console.error(m, JSON.stringify(f)) };
const core = createCore({
  db: opened.value,
  dataDir: dir!,
  log,
  secretStore: fileSecretStore(dir!),
  now: () => new Date(),
  sync: { batchSize: Number(batch ?? 500), backoff: { baseMs: 100, capMs: 1_000 }, debounceMs: 100, pollMs: 200, periodicMs: 5_000 },
});
core.onEvent((e) => {
  if (e.type === 'syncStatus') process.stdout.write(JSON.stringify(e.status) + '\n');
});
core.sync.start();
process.on('SIGTERM', () => void core.close().then(() => process.exit(0)));
// The engine's timers do not hold a process open (the host's server does): this one does.
setInterval(() => undefined, 1 << 30);
