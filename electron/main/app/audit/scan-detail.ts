// The detail of a scan.recorded entry: enough of the receipt that the audit check can tell if
// the row was changed afterwards. Written by ledger/receipts.ts when it records a scan; the
// check's fast path (audit/verify/receipt-coverage.ts) builds the same detail's canonical JSON
// straight from the row, which test/unit/scan-detail.test.ts holds equal to this for any receipt.
import { formatBarcode } from '../../../../shared/barcode/barcode';

export interface ScanDetailFields {
  receiptId: string;
  seq: number;
  barcode: string;
  batchId: string;
  position: number;
  source: string;
  memberRef: string | null;
  outcome: 'accepted' | 'flagged';
  manualReason: string | null;
  confirmedBy: string | null;
}

export function scanDetail(f: ScanDetailFields): Record<string, unknown> {
  return {
    receiptId: f.receiptId,
    seq: f.seq,
    display: formatBarcode(f.barcode),
    batchId: f.batchId,
    position: f.position,
    source: f.source,
    memberRef: f.memberRef,
    outcome: f.outcome,
    ...(f.manualReason ? { manualReason: f.manualReason } : {}),
    ...(f.confirmedBy ? { confirmedBy: f.confirmedBy } : {}),
  };
}
