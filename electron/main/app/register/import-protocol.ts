// What the main thread and the register import worker say to each other.
import type { RegisterTable } from './lookup';

export interface ImportWorkerData {
  dbPath: string;
  nativeBinding?: string;
  table: RegisterTable;
  filePath: string;
  /** one Int32: the main thread sets it to 1 to cancel */
  cancel: SharedArrayBuffer;
  /** at most this many rows per write transaction (each is also cut short by time, see the worker) */
  chunkRows: number;
  /** one Int32: the main connection's write transactions in progress (./write-gate.ts) */
  mainWrites: SharedArrayBuffer;
  maxErrors: number;
}

export type ImportWorkerMessage =
  | { type: 'progress'; rowsDone: number; bytesDone: number; totalBytes: number }
  | { type: 'done'; rows: number; bytesDone: number; sha256: string }
  | { type: 'failed'; errors: Array<{ line: number; message: string }>; rowsChecked: number; bytesDone: number }
  | { type: 'cancelled'; rowsDone: number; bytesDone: number };
