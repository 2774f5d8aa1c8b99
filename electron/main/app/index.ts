// The app core's entry: open (and migrate) the workstation database in the data folder,
// check the audit chain (in a worker thread), and offer the host interface that both transports use.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { err, ok, type Result } from '../../../shared/result';
import type { App, AppStartupError, OpenAppOptions } from './app.types';
import { createDispatcher } from './api/dispatch';
import { createHandlers } from './api/handlers';
import { createCore } from './core';
import { openDatabase } from './db/open';

export type { App, AppStartupError, OpenAppOptions } from './app.types';

export const DATABASE_FILE = 'ballot-intake.sqlite';

export async function openApp(
  options: OpenAppOptions & { nativeBinding?: string; registerChunkRows?: number },
): Promise<Result<App, AppStartupError>> {
  mkdirSync(options.dataDir, { recursive: true });
  const opened = openDatabase(join(options.dataDir, DATABASE_FILE), { nativeBinding: options.nativeBinding });
  if (!opened.ok) return err(opened.error);
  const now = options.now ?? (() => new Date());
  const core = createCore({
    db: opened.value,
    dataDir: options.dataDir,
    log: options.log,
    secretStore: options.secretStore,
    now,
    ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
    ...(options.registerChunkRows ? { registerChunkRows: options.registerChunkRows } : {}),
    ...(options.pinCost ? { pinCost: options.pinCost } : {}),
  });
  const status = await core.verifyAudit();
  if (!status.ok) options.log.error('audit chain broken', { firstBrokenSeq: status.firstBrokenSeq, problem: status.problem });
  // Recorded after the check, so a broken chain is reported before anything is appended to it.
  core.audit.append('app.started', null, { auditOk: status.ok, entries: status.entries }, now());

  const dispatch = createDispatcher(core, createHandlers(core));
  core.sync.start();
  return ok({
    dispatch,
    subscribe: (listener) => core.onEvent(listener),
    registerFile: (path, fileOptions) => core.registerFiles.add(path, fileOptions),
    exportFile: (exportId) => core.exports.file(exportId),
    close: () => core.close(),
  });
}
