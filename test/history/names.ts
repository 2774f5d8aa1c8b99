// What the plan's members, packs, receipts and decisions are called on the wire. A namespace
// (trial 0 is the run itself; a shrinking replay is trial 1, 2, …) shifts ballot numbers and
// suffixes member refs and online codes, so a replay runs beside the first run, in the same
// election, with the same desks, and touches none of its rows.
import { encodeBarcode } from '../../shared/barcode/barcode';
import type { Envelope, Plan, RegisterRow } from './plan';
import { stableUuid } from './prng';

export interface Names {
  trial: number;
  electionNumber: number;
  seed: number;
}

const BALLOTS_PER_TRIAL = 5_000_000;

export function names(plan: Plan, trial = 0): Names {
  return { trial, electionNumber: plan.electionNumber, seed: plan.seed };
}

export const ballotNumber = (ns: Names, ballot: number): number => ballot + ns.trial * BALLOTS_PER_TRIAL;
export const memberRef = (ns: Names, member: number): string => `M-${member}${ns.trial ? `-t${ns.trial}` : ''}`;
export const onlineCode = (ns: Names, member: number): string => `HC${String(member).padStart(7, '0')}${ns.trial ? `T${ns.trial}` : ''}`;
export const receiptId = (ns: Names, key: number): string => stableUuid('receipt', ns.seed, ns.trial, key);
export const resolutionId = (ns: Names, key: number): string => stableUuid('resolution', ns.seed, ns.trial, key);

/** The barcode payload a desk sends for an envelope (a bad one on purpose for `bad`). */
export function barcodeOf(ns: Names, e: Envelope): string {
  const ballot = ballotNumber(ns, e.ballot);
  if (e.type === 'pack') return encodeBarcode(ns.electionNumber, ballot, e.issue);
  if (e.defect === 'other_election') return encodeBarcode(ns.electionNumber === 9999 ? 1 : ns.electionNumber + 1, ballot, 1);
  const good = encodeBarcode(ns.electionNumber, ballot, 1);
  const last = Number(good[15]);
  return good.slice(0, 15) + String((last + 1) % 10);
}

/** The member and pack a barcode of this namespace names, if it is one of the plan's. */
export function parseBarcodeOf(ns: Names, barcode: string): { ballot: number; issue: number } | null {
  if (!/^\d{16}$/.test(barcode) || Number(barcode.slice(0, 4)) !== ns.electionNumber) return null;
  const ballot = Number(barcode.slice(4, 13)) - ns.trial * BALLOTS_PER_TRIAL;
  if (ballot < 0 || ballot >= BALLOTS_PER_TRIAL) return null;
  return { ballot, issue: Number(barcode.slice(13, 14)) };
}

export function registerCsv(ns: Names, rows: RegisterRow[]): string {
  let csv = 'ballot_number,issue,status,member_ref,online_code\n';
  for (const r of rows) csv += `${ballotNumber(ns, r.ballot)},${r.issue},${r.status},${memberRef(ns, r.member)},${r.withCode ? onlineCode(ns, r.member) : ''}\n`;
  return csv;
}
