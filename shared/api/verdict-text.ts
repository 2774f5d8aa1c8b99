// The words of the `Scan result` region (contracts.md §6): the verdict, then for a valid
// barcode the envelope's human-readable number, then what to do with a flagged envelope.
import type { ScanVerdict } from './types';

export function verdictHeadline(v: ScanVerdict): string {
  switch (v.verdict) {
    case 'recorded':
      return 'Recorded';
    case 'already_recorded':
      return 'Already recorded';
    case 'flagged':
      return `Flagged: ${v.kind}`;
    case 'rejected':
      return `Rejected: ${v.reason}`;
  }
}

export function verdictText(v: ScanVerdict): string {
  const head = verdictHeadline(v);
  const number = v.display ? ` ${v.display}` : '';
  const todo = v.verdict === 'flagged' ? ` — ${v.instruction}` : '';
  return `${head}${number}${todo}`;
}
