// A register CSV (contracts.md §2) for the end-to-end tests, with every situation that can
// raise a flag at the desk: plain issued packs, a member with a replaced pack, a cancelled
// pack, and (set directly in the desk's register copy, as the server's feed would) members
// who voted online.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { encodeBarcode } from '../../shared/barcode/barcode';

export const ELECTION = 1022;

/** Issued packs 1..count, one member each. */
export const issued = (i: number) => encodeBarcode(ELECTION, i, 1);
/** Members 50_001.. have issue 1 superseded and issue 2 issued. */
export const replacedOld = (i: number) => encodeBarcode(ELECTION, 50_000 + i, 1);
export const replacedNew = (i: number) => encodeBarcode(ELECTION, 50_000 + i, 2);
/** Packs 60_001.. were cancelled. */
export const cancelled = (i: number) => encodeBarcode(ELECTION, 60_000 + i, 1);
/** Packs 70_001.. are issued to members who then voted online. */
export const votedOnline = (i: number) => encodeBarcode(ELECTION, 70_000 + i, 1);
/** Never in the register. */
export const unknownBallot = (i: number) => encodeBarcode(ELECTION, 900_000 + i, 1);

function code(prefix: string, i: number): string {
  return `${prefix}${String(i).padStart(8, '0')}`;
}

export function registerCsv(count = 2_000, replaced = 50, cancelledCount = 20, online = 20): string {
  const lines = ['ballot_number,issue,status,member_ref,online_code'];
  for (let i = 1; i <= count; i++) lines.push(`${i},1,issued,M-${i},${code('A', i)}`);
  for (let i = 1; i <= replaced; i++) {
    lines.push(`${50_000 + i},1,superseded,R-${i},`);
    lines.push(`${50_000 + i},2,issued,R-${i},${code('B', i)}`);
  }
  for (let i = 1; i <= cancelledCount; i++) lines.push(`${60_000 + i},1,cancelled,C-${i},`);
  for (let i = 1; i <= online; i++) lines.push(`${70_000 + i},1,issued,V-${i},${code('C', i)}`);
  return `${lines.join('\n')}\n`;
}

/**
 * Marks the online voters in the desk's register copy, as the server's changes feed does
 * (an offline desk has no other way to learn it). A second connection to the live WAL database.
 */
export function markOnlineVoters(dataDir: string, online = 20): void {
  const db = new Database(join(dataDir, 'ballot-intake.sqlite'));
  db.pragma('busy_timeout = 5000');
  const active = (db.prepare('SELECT active FROM register_state WHERE id = 1').get() as { active: 'a' | 'b' }).active;
  db.prepare(`UPDATE register_${active} SET online_voted = 1 WHERE ballot_number > 70000 AND ballot_number <= ?`).run(70_000 + online);
  db.close();
}
