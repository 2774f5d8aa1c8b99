// The scan's audit detail is written by one function (audit/scan-detail.ts) and checked, on the
// audit check's fast path, by a JSON builder working straight from the receipt's row. This holds
// the two equal for any receipt, so the fast path can never call an honest receipt changed (nor,
// built wrong, wave a changed one through: it only ever saves the full comparison's time).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../electron/main/app/audit/log';
import { scanDetail } from '../../electron/main/app/audit/scan-detail';
import { expectedScanDetail, type ReceiptTuple } from '../../electron/main/app/audit/verify/receipt-coverage';
import { encodeBarcode } from '../../shared/barcode/barcode';

const text = fc.string({ unit: 'binary', maxLength: 12 });
const receipt = fc.record({
  receiptId: fc.uuid(),
  seq: fc.integer({ min: 1, max: 2 ** 40 }),
  ballot: fc.integer({ min: 1, max: 999_999_999 }),
  issue: fc.integer({ min: 1, max: 9 }),
  memberRef: fc.option(text, { nil: null }),
  scannedAt: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  operatorId: fc.uuid(),
  batchId: fc.uuid(),
  position: fc.integer({ min: 1, max: 100_000 }),
  source: fc.constantFrom('scanner', 'camera', 'manual'),
  manualReason: fc.option(text.filter((s) => s.length > 0), { nil: null }),
  outcome: fc.constantFrom('accepted' as const, 'flagged' as const),
  confirmedBy: fc.option(fc.uuid(), { nil: null }),
});

describe('the scan.recorded detail', () => {
  it('the audit check builds exactly what the scan wrote, for any receipt', () => {
    fc.assert(
      fc.property(receipt, (r) => {
        const barcode = encodeBarcode(1022, r.ballot, r.issue);
        const tuple: ReceiptTuple = [r.receiptId, r.seq, barcode, 1022, r.ballot, r.issue, r.memberRef, r.scannedAt, r.operatorId, r.batchId, r.position, r.source, r.manualReason, r.outcome, r.confirmedBy];
        const written = canonicalJson(scanDetail({ ...r, barcode }));
        expect(expectedScanDetail(tuple)).toBe(written);
      }),
      { numRuns: 2_000, seed: 16_004 },
    );
  });
});
