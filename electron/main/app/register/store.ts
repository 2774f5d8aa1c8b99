// The register copy's writer on the main connection. Two ways fill it:
//  - a whole new copy (a register file at the desk, or the server's first GET /v1/register
//    pages): written into the idle table, then made active by one tiny transaction (`activate`),
//    so scans go on meanwhile and an abandoned fill leaves the active copy as it was;
//  - incremental changes from the server (reissues, cancellations, online votes), upserted
//    into the active table.
// Only one whole-copy fill runs at a time (`claim`), whoever asks.
import { err, ok, type Result } from '../../../../shared/result';
import type { AuditLog } from '../audit/log';
import type { Db } from '../db/open';
import type { RegisterTable } from './lookup';
import { activeTable, clearChunk, otherTable, tableLetter, tableWriter, type RegisterEntryIn } from './tables';
import { writeGate } from './write-gate';

export type RegisterFillError = { code: 'conflict'; message: string };
export type FillSource = 'file' | 'server';

const CLEAR_CHUNK = 20_000;

export class RegisterStore {
  private claimedBy: FillSource | null = null;
  private serverFill: { table: RegisterTable; rows: number } | null = null;

  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
  ) {}

  activeTable(): RegisterTable {
    return activeTable(this.db);
  }

  idleTable(): RegisterTable {
    return otherTable(this.activeTable());
  }

  /** Reserves the idle table for one whole-copy fill. */
  claim(by: FillSource): Result<RegisterTable, RegisterFillError> {
    if (this.claimedBy) {
      const what = this.claimedBy === 'file' ? 'A register file is being imported' : 'The register is being loaded from the server';
      return err({ code: 'conflict', message: `${what}: wait until it has finished or cancel it.` });
    }
    this.claimedBy = by;
    return ok(this.idleTable());
  }

  /** The main connection's write transactions in progress, for a worker writing to the same file. */
  writeGate(): SharedArrayBuffer {
    return writeGate(this.db);
  }

  release(by: FillSource): void {
    if (this.claimedBy === by) this.claimedBy = null;
  }

  /**
   * Makes `table` the active register in one small transaction, with its audit entry.
   * The previous copy stays in the other table until the next fill clears it.
   */
  activate(table: RegisterTable, rows: number, detail: Record<string, unknown>, actor: string | null, now: Date): void {
    this.db.transaction(() => {
      this.db
        .prepare('UPDATE register_state SET active = ?, rows = ?, source = ?, loaded_at = ? WHERE id = 1')
        .run(tableLetter(table), rows, String(detail.source ?? 'file'), now.toISOString());
      this.audit.append('register.imported', actor, { ...detail, rows, table }, now);
    }).immediate();
  }

  // ---- First fill from the server (called by the sync engine) ----

  /** Starts a whole new copy from the server: empties the idle table without long locks. */
  async beginRegisterFill(): Promise<Result<void, RegisterFillError>> {
    const claimed = this.claim('server');
    if (!claimed.ok) return claimed;
    const table = claimed.value;
    while (clearChunk(this.db, table, CLEAR_CHUNK) > 0) await new Promise((r) => setImmediate(r));
    this.serverFill = { table, rows: 0 };
    return ok(undefined);
  }

  /** One page of the server's register into the copy being filled; one short transaction. */
  appendEntries(entries: readonly RegisterEntryIn[]): number {
    const fill = this.serverFill;
    if (!fill) throw new Error('appendEntries without beginRegisterFill');
    const writer = tableWriter(this.db, fill.table);
    let added = 0;
    this.db.transaction(() => {
      for (const e of entries) if (writer.upsert(e)) added++;
    }).immediate();
    fill.rows += added;
    return fill.rows;
  }

  /** The server's register is complete: make it the active copy. */
  commitFill(options: { cursor: string | null; now: Date; actor?: string | null }): number {
    const fill = this.serverFill;
    if (!fill) throw new Error('commitFill without beginRegisterFill');
    this.activate(fill.table, fill.rows, { source: 'server' }, options.actor ?? null, options.now);
    this.db.prepare('UPDATE register_state SET server_cursor = ? WHERE id = 1').run(options.cursor);
    this.serverFill = null;
    this.release('server');
    return fill.rows;
  }

  /** Gives up a server fill: the active copy is unchanged. */
  abortFill(): void {
    this.serverFill = null;
    this.release('server');
  }

  // ---- Incremental changes (called by the sync engine) ----

  /** Upserts changed packs into the active copy, in one transaction. */
  applyRegisterChanges(entries: readonly RegisterEntryIn[], cursor?: string | null): { added: number; updated: number } {
    let added = 0;
    this.db.transaction(() => {
      const writer = tableWriter(this.db, this.activeTable());
      for (const e of entries) if (writer.upsert(e)) added++;
      this.db.prepare('UPDATE register_state SET rows = rows + ? WHERE id = 1').run(added);
      if (cursor !== undefined) this.db.prepare('UPDATE register_state SET server_cursor = ? WHERE id = 1').run(cursor);
    }).immediate();
    return { added, updated: entries.length - added };
  }

  serverCursor(): string | null {
    return (this.db.prepare('SELECT server_cursor FROM register_state WHERE id = 1').get() as { server_cursor: string | null }).server_cursor;
  }
}
