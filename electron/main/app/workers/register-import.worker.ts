// The register file import, off the main thread: reads the file as a stream, checks every row
// with the shared reader (shared/register), and writes good rows into the idle register table
// on its own connection in short transactions. It never touches the active table nor the audit
// log: the main thread makes the new copy active (and audits it) when this reports success.
import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { createRegisterCsvParser, type RegisterRow } from '../../../../shared/register/register-csv';
import type { ImportWorkerData, ImportWorkerMessage } from '../register/import-protocol';
import { clearChunk, tableWriter } from '../register/tables';
import { mainIsWriting, waitForMainWrites } from '../register/write-gate';

const data = workerData as ImportWorkerData;
const cancelFlag = new Int32Array(data.cancel);
const cancelled = () => Atomics.load(cancelFlag, 0) === 1;
const post = (m: ImportWorkerMessage) => parentPort!.postMessage(m);
const PROGRESS_EVERY_MS = 100;
// The main connection's write transactions in progress (scans, audit entries): before each
// transaction, and between slices of one, the worker steps aside for them, so the main thread
// never sleeps in SQLite's busy handler behind a long run of the worker's transactions.
const mainWrites = new Int32Array(data.mainWrites);
// A write transaction also ends after this long, so a main-connection write made outside
// a transaction (not announced) waits at most about this much.
const TRANSACTION_MS = 8;
// Rows written between two looks at the clock and at the main connection (~1 ms of work).
const SLICE_ROWS = 256;

async function run(): Promise<void> {
  // On Linux the nice value is per thread: yielding to the main thread when the machine is busy
  // keeps the app's event loop (scans, the screen) prompt while the import runs.
  try {
    setPriority(0, 5);
  } catch {
    /* not permitted here: run at normal priority */
  }
  const db = new Database(data.dbPath, data.nativeBinding ? { nativeBinding: data.nativeBinding } : {});
  // The idle table is invisible until the main thread activates it, and the flip itself is
  // written with synchronous=FULL there: a lost tail here after a power cut costs nothing.
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('cache_size = -65536');
  try {
    await importFile(db);
  } finally {
    db.close();
  }
}

async function clearIdleTable(db: Database.Database): Promise<boolean> {
  const rows = Math.min(data.chunkRows, 2_000);
  for (;;) {
    waitForMainWrites(mainWrites);
    if (clearChunk(db, data.table, rows) === 0) return true;
    if (cancelled()) return false;
    await new Promise((r) => setImmediate(r));
  }
}

async function importFile(db: Database.Database): Promise<void> {
  db.pragma('wal_autocheckpoint = 1000');
  const totalBytes = statSync(data.filePath).size;
  let bytesDone = 0;
  let rowsDone = 0;
  let lastProgress = 0;
  if (!(await clearIdleTable(db))) return post({ type: 'cancelled', rowsDone, bytesDone });

  const writer = tableWriter(db, data.table);
  const errors: Array<{ line: number; message: string }> = [];
  let pending: RegisterRow[] = [];
  const duplicate = (r: RegisterRow) => {
    if (errors.length < data.maxErrors) errors.push({ line: r.line, message: `ballot ${r.ballotNumber} issue ${r.issue} is listed twice` });
  };
  // One write transaction: rows[from…] in slices, until chunkRows rows, TRANSACTION_MS, or a
  // main-connection transaction waiting; returns where it stopped.
  const writeSome = db.transaction((rows: RegisterRow[], from: number): number => {
    const deadline = performance.now() + TRANSACTION_MS;
    const last = Math.min(rows.length, from + data.chunkRows);
    let i = from;
    do {
      const end = Math.min(i + SLICE_ROWS, last);
      writer.insertAllNew(rows.slice(i, end), duplicate);
      i = end;
    } while (i < last && performance.now() < deadline && !mainIsWriting(mainWrites));
    return i;
  });
  const flush = () => {
    // Rows are written even after a bad one (the copy will not be kept): the table is what
    // finds a pack listed twice, so later duplicates are reported with the other bad lines.
    for (let i = 0; i < pending.length; ) {
      waitForMainWrites(mainWrites);
      i = writeSome.immediate(pending, i);
    }
    rowsDone += pending.length;
    pending = [];
  };

  const parser = createRegisterCsvParser();
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const hash = createHash('sha256');
  const take = (results: ReturnType<typeof parser.push>) => {
    for (const r of results) {
      if (r.ok) {
        // online_code is checked by the reader but never kept: it goes no further than here.
        pending.push(r.value);
      } else if (errors.length < data.maxErrors) errors.push(r.error);
    }
  };

  const stream = createReadStream(data.filePath, { highWaterMark: 256 * 1024 });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (cancelled()) {
        stream.destroy();
        return post({ type: 'cancelled', rowsDone, bytesDone });
      }
      hash.update(chunk);
      bytesDone += chunk.length;
      let text: string;
      try {
        text = decoder.decode(chunk, { stream: true });
      } catch {
        errors.push({ line: parser.linesRead + 1, message: 'the file is not UTF-8 text' });
        break;
      }
      take(parser.push(text));
      if (pending.length >= data.chunkRows) flush();
      if (errors.length >= data.maxErrors) break;
      const now = Date.now();
      if (now - lastProgress >= PROGRESS_EVERY_MS) {
        lastProgress = now;
        post({ type: 'progress', rowsDone: rowsDone + pending.length, bytesDone, totalBytes });
      }
      // let the cancel flag and the event loop breathe between chunks
      if (pending.length === 0) await new Promise((r) => setImmediate(r));
    }
    if (errors.length < data.maxErrors) {
      try {
        take(parser.push(decoder.decode()));
      } catch {
        errors.push({ line: parser.linesRead + 1, message: 'the file is not UTF-8 text' });
      }
      take(parser.end());
    }
    flush();
  } finally {
    stream.destroy();
  }
  if (cancelled()) return post({ type: 'cancelled', rowsDone, bytesDone });
  if (errors.length > 0) {
    errors.sort((a, b) => a.line - b.line);
    post({ type: 'failed', errors: errors.slice(0, data.maxErrors), rowsChecked: rowsDone, bytesDone });
    return;
  }
  // Copy the written pages into the database file here: otherwise the main thread's next
  // commit would find a long WAL and do that work itself, stalling its event loop.
  db.pragma('wal_checkpoint(PASSIVE)');
  post({ type: 'done', rows: rowsDone, bytesDone, sha256: hash.digest('hex') });
}

run().catch((e: unknown) => {
  post({ type: 'failed', errors: [{ line: 0, message: `the import stopped: ${(e as Error).message}` }], rowsChecked: 0, bytesDone: 0 });
});
