// The words of a verdict the scan screen shows: the core's verdicts (shared/api/verdict-text.ts)
// and the screen's own `Not recorded` for a read the core did not confirm (contracts.md §6).
import { verdictHeadline } from '../../../shared/api/verdict-text';
import type { ShownVerdict } from '../state/scan-store';

export const NOT_RECORDED = 'Not recorded — scan it again';

export function shownHeadline(v: ShownVerdict['verdict']): string {
  return v.verdict === 'not_recorded' ? NOT_RECORDED : verdictHeadline(v);
}

/** headline and, for a valid barcode, the envelope's number: one line of `Last scans` */
export function shownLine(v: ShownVerdict['verdict']): string {
  return `${shownHeadline(v)} ${v.display ?? ''}`.trim();
}
