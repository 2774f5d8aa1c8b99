// Exports for the returning officer and for checking: each written into <dataDir>/exports/ as
// a stream, then recorded in the audit log with the file's SHA-256 (so a file handed over can
// be matched against the log). Keeps the map from exportId to file for the transports.
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ExportResult } from '../../../../shared/api/types';
import { err, ok, type Result } from '../../../../shared/result';
import type { AuditLog } from '../audit/log';
import type { Db } from '../db/open';
import { auditJsonl } from './audit-jsonl';
import { flagsCsv } from './flags-csv';
import { receiptsCsv } from './receipts-csv';
import { writeExportFile, type ExportPages } from './write';

export type ExportKind = 'receipts_csv' | 'flags_csv' | 'audit_jsonl' | 'statement_pdf' | 'statement_csv';

const WRITERS: Partial<Record<ExportKind, { name: string; ext: string; pages: (db: Db) => ExportPages }>> = {
  receipts_csv: { name: 'receipts', ext: 'csv', pages: receiptsCsv },
  flags_csv: { name: 'flags-and-decisions', ext: 'csv', pages: flagsCsv },
  audit_jsonl: { name: 'audit-log', ext: 'jsonl', pages: auditJsonl },
};

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

  async write(what: ExportKind, actor: string, now: Date): Promise<Result<ExportResult, { code: 'unavailable'; message: string }>> {
    const writer = WRITERS[what];
    if (!writer) return err({ code: 'unavailable', message: `The ${what.replace('_', ' ')} export is not available in this version yet.` });
    const dir = join(this.dataDir, 'exports');
    mkdirSync(dir, { recursive: true });
    const exportId = randomUUID();
    const stamp = now.toISOString().replace(/[:.]/g, '-');
    const fileName = `${writer.name}-${stamp}-${exportId.slice(0, 8)}.${writer.ext}`;
    const path = join(dir, fileName);
    // Pages are short reads with the event loop free between them; keyset paging (seq > last)
    // means rows recorded meanwhile can only extend the export, never tear it.
    const written = await writeExportFile(path, writer.pages(this.db));
    this.audit.append('export.written', actor, { exportId, what, fileName, sha256: written.sha256, bytes: written.bytes, lines: written.lines }, now);
    this.files.set(exportId, { path, fileName });
    return ok({ fileName, sha256: written.sha256, bytes: written.bytes, exportId });
  }
}

