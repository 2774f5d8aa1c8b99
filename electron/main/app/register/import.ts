// The desk's register file import, as the main thread sees it: starts the import worker on
// the idle register table, passes its progress on as push events (at most five a second),
// and, when the worker has checked every row and written them all, makes the new copy
// active with its audit entry. Any bad row, a failure or a cancel leaves the active copy as it was.
import { basename } from 'node:path';
import type { Worker } from 'node:worker_threads';
import type { PushEvent, RegisterProgress } from '../../../../shared/api/types';
import { err, ok, type Result } from '../../../../shared/result';
import type { AppLog } from '../app.types';
import type { AuditLog } from '../audit/log';
import { startWorker } from '../workers/launch';
import type { ImportWorkerData, ImportWorkerMessage } from './import-protocol';
import type { RegisterStore } from './store';

const EMIT_EVERY_MS = 200;
export const MAX_REPORTED_ERRORS = 100;

export interface RegisterImportDeps {
  dbPath: string;
  nativeBinding?: string;
  store: RegisterStore;
  audit: AuditLog;
  log: AppLog;
  now: () => Date;
  emit: (event: PushEvent) => void;
  chunkRows?: number;
}

const idle: RegisterProgress = { state: 'idle', source: 'file', rowsDone: 0, bytesDone: 0, totalBytes: null, errors: [], message: null };

export class RegisterImport {
  private current: RegisterProgress = idle;
  private worker: Worker | null = null;
  private cancelFlag: Int32Array | null = null;
  private lastEmit = 0;
  /** resolves when the last worker has exited (a new import waits for it) */
  private finished: Promise<void> = Promise.resolve();

  constructor(private readonly deps: RegisterImportDeps) {}

  progress(): RegisterProgress {
    return this.current;
  }

  /** Resolves when the running import (if any) has ended and its worker has exited. */
  whenFinished(): Promise<void> {
    return this.finished;
  }

  /** `chosenName`: the file's name as the person chose it (an upload is kept under an id). */
  async start(filePath: string, actor: string | null, chosenName?: string): Promise<Result<RegisterProgress, { code: 'conflict'; message: string }>> {
    const claimed = this.deps.store.claim('file');
    if (!claimed.ok) return claimed;
    // a cancelled import's worker may still be closing its connection
    await this.finished;
    const table = claimed.value;
    const cancel = new SharedArrayBuffer(4);
    this.cancelFlag = new Int32Array(cancel);
    const fileName = chosenName ? basename(chosenName.replace(/\\/g, '/')) : basename(filePath);
    const data: ImportWorkerData = {
      dbPath: this.deps.dbPath,
      ...(this.deps.nativeBinding ? { nativeBinding: this.deps.nativeBinding } : {}),
      table,
      filePath,
      cancel,
      chunkRows: this.deps.chunkRows ?? 5_000,
      mainWrites: this.deps.store.writeGate(),
      maxErrors: MAX_REPORTED_ERRORS,
    };
    this.current = { ...idle, state: 'running', message: `Importing ${fileName}` };
    this.emitNow();
    let worker: Worker;
    try {
      worker = startWorker('register-import', data);
    } catch (e) {
      this.deps.store.release('file');
      return err({ code: 'conflict', message: `The import could not start: ${(e as Error).message}` });
    }
    this.worker = worker;
    let settled = false;
    this.finished = new Promise<void>((resolve) => {
      const end = (progress: RegisterProgress) => {
        if (settled) return;
        settled = true;
        this.current = progress;
        this.deps.store.release('file');
        this.emitNow();
      };
      worker.on('message', (m: ImportWorkerMessage) => {
        if (settled) return;
        if (m.type === 'progress') {
          this.current = { ...this.current, rowsDone: m.rowsDone, bytesDone: m.bytesDone, totalBytes: m.totalBytes };
          this.emitThrottled();
        } else if (m.type === 'done') {
          end(this.activate(table, fileName, m, actor));
        } else if (m.type === 'cancelled') {
          this.auditFailure(actor, { fileName, reason: 'cancelled', rowsDone: m.rowsDone });
          end({ ...this.current, state: 'cancelled', rowsDone: m.rowsDone, bytesDone: m.bytesDone, message: 'Import cancelled: the register copy is as it was.' });
        } else {
          this.auditFailure(actor, { fileName, reason: 'bad rows', errors: m.errors.length, firstLines: m.errors.slice(0, 10).map((e) => e.line) });
          const first = m.errors[0];
          end({
            ...this.current,
            state: 'failed',
            errors: m.errors,
            message: `Nothing was imported: ${m.errors.length}${m.errors.length >= MAX_REPORTED_ERRORS ? ' or more' : ''} bad row${m.errors.length === 1 ? '' : 's'}${first ? `, the first on line ${first.line}` : ''}.`,
          });
        }
      });
      worker.on('error', (e) => {
        this.deps.log.error('register import worker failed', { error: e.stack ?? String(e) });
        this.auditFailure(actor, { fileName, reason: 'worker failed' });
        end({ ...this.current, state: 'failed', message: `The import stopped: ${e.message}. Nothing was changed.` });
      });
      worker.on('exit', () => {
        if (!settled) {
          this.auditFailure(actor, { fileName, reason: 'worker exited' });
          end({ ...this.current, state: 'failed', message: 'The import stopped. Nothing was changed.' });
        }
        this.worker = null;
        resolve();
      });
    });
    return ok(this.current);
  }

  cancel(): RegisterProgress {
    if (this.current.state === 'running' && this.cancelFlag) Atomics.store(this.cancelFlag, 0, 1);
    return this.current;
  }

  /** Stops a running import (app closing) and waits for its worker. */
  async stop(): Promise<void> {
    this.cancel();
    await this.finished;
  }

  private activate(table: ImportWorkerData['table'], fileName: string, m: Extract<ImportWorkerMessage, { type: 'done' }>, actor: string | null): RegisterProgress {
    // The worker's writes are committed; the flip and its audit entry are one transaction here,
    // on the one connection that writes the audit log.
    this.deps.store.activate(table, m.rows, { source: 'file', fileName, sha256: m.sha256, bytes: m.bytesDone }, actor, this.deps.now());
    return {
      ...this.current,
      state: 'done',
      rowsDone: m.rows,
      bytesDone: m.bytesDone,
      totalBytes: m.bytesDone,
      message: `Register loaded: ${groupThousands(m.rows)} pack${m.rows === 1 ? '' : 's'} from ${fileName}.`,
    };
  }

  private auditFailure(actor: string | null, detail: Record<string, unknown>): void {
    this.deps.audit.append('register.import_failed', actor, detail, this.deps.now());
  }

  private emitThrottled(): void {
    const t = Date.now();
    if (t - this.lastEmit >= EMIT_EVERY_MS) this.emitNow();
  }

  private emitNow(): void {
    this.lastEmit = Date.now();
    this.deps.emit({ type: 'registerProgress', progress: this.current });
  }
}

/** 10000000 → "10,000,000", as toLocaleString('en-GB') writes it, without the ~10 ms its first call costs (ICU). */
function groupThousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
