// Exports for the returning officer and for checking: each written into <dataDir>/exports/ as
// a stream, then recorded in the audit log with the file's SHA-256 (so a file handed over can
// be matched against the log). Keeps the map from exportId to file for the transports.
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ExportResult } from '../../../../shared/api/types';
import { ok, type Result } from '../../../../shared/result';
import type { AuditLog } from '../audit/log';
import type { Db } from '../db/open';
import { auditJsonl } from './audit-jsonl';
import { flagsCsv } from './flags-csv';
import { receiptsCsv } from './receipts-csv';
import { statementCsvPages, writeStatementPdf } from '../reports/statement';
import type { CentreFigures } from '../reports/statement-centre';
import { writeExportFile, type ExportPages } from './write';

export type ExportKind = 'receipts_csv' | 'flags_csv' | 'audit_jsonl' | 'statement_pdf' | 'statement_csv';

type Written = { bytes: number; sha256: string; lines: number };

/** Text exports are pages of lines; the statement PDF is written by its own streaming writer. */
const textExport =
  (pages: (db: Db, now: Date) => ExportPages) =>
  (db: Db, path: string, now: Date): Promise<Written> =>
    writeExportFile(path, pages(db, now));

/**
 * The statement (PDF and CSV alike) also carries the whole centre's figures, which only the
 * central server has: its writers are given them, asked for once just before writing.
 */
type Writer =
  | { name: string; ext: string; centre?: false; write: (db: Db, path: string, now: Date) => Promise<Written> }
  | { name: string; ext: string; centre: true; write: (db: Db, path: string, now: Date, centre: CentreFigures) => Promise<Written> };

const WRITERS: Record<ExportKind, Writer> = {
  receipts_csv: { name: 'receipts', ext: 'csv', write: textExport(receiptsCsv) },
  flags_csv: { name: 'flags-and-decisions', ext: 'csv', write: textExport(flagsCsv) },
  audit_jsonl: { name: 'audit-log', ext: 'jsonl', write: textExport(auditJsonl) },
  statement_csv: { name: 'statement', ext: 'csv', centre: true, write: (db, path, now, centre) => writeExportFile(path, statementCsvPages(db, now, centre)) },
  statement_pdf: { name: 'statement', ext: 'pdf', centre: true, write: writeStatementPdf },
};

/** Asks the central server for the centre's figures (or says why not); called only for the statement. */
export type CentreFiguresSource = () => Promise<CentreFigures>;

export class Exports {
  private readonly files = new Map<string, { path: string; fileName: string }>();

  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
    private readonly dataDir: string,
  ) {}

  file(exportId: string): { path: string; fileName: string } | null {
    return this.files.get(exportId) ?? null;
  }

  async write(what: ExportKind, actor: string, now: Date, centreFigures: CentreFiguresSource): Promise<Result<ExportResult, never>> {
    const writer = WRITERS[what];
    const dir = join(this.dataDir, 'exports');
    mkdirSync(dir, { recursive: true });
    const exportId = randomUUID();
    const stamp = now.toISOString().replace(/[:.]/g, '-');
    const fileName = `${writer.name}-${stamp}-${exportId.slice(0, 8)}.${writer.ext}`;
    const path = join(dir, fileName);
    // Pages are short reads with the event loop free between them; keyset paging (seq > last)
    // means rows recorded meanwhile can only extend the export, never tear it.
    let centre: CentreFigures['status'] | undefined;
    let written: Written;
    if (writer.centre) {
      const figures = await centreFigures();
      centre = figures.status;
      written = await writer.write(this.db, path, now, figures);
    } else written = await writer.write(this.db, path, now);
    this.audit.append(
      'export.written',
      actor,
      { exportId, what, fileName, sha256: written.sha256, bytes: written.bytes, lines: written.lines, ...(centre ? { centre } : {}) },
      now,
    );
    this.files.set(exportId, { path, fileName });
    return ok({ fileName, sha256: written.sha256, bytes: written.bytes, exportId });
  }
}

