// The types the database modules share, in a file that imports none of them (so open.ts, the
// migrations and every migration file can all name them without an import cycle).
import type Database from 'better-sqlite3';

export type Db = Database.Database;

/** One numbered step of the schema (./migrations/NNN-*.ts); never edited once released. */
export interface Migration {
  version: number;
  description: string;
  up(db: Db): void;
}
