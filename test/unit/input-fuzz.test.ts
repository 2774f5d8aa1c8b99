// The two readers of outside input, fuzzed (issue 15 item 14): the barcode normaliser and the
// register reader never let an exception escape, and every refusal says what is wrong in words.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseBarcode } from '../../shared/barcode/barcode';
import { createRegisterCsvParser } from '../../shared/register/register-csv';

const anyText = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: fc.constantFrom(...'0123456789]C0-, \r\n\t\u0000"') }));

describe('input readers under fuzz', () => {
  it('the barcode reader answers every input with an envelope or a reason in words', () => {
    fc.assert(
      fc.property(anyText, fc.option(fc.integer({ min: 1, max: 9999 }), { nil: undefined }), (raw, election) => {
        const r = parseBarcode(raw, election);
        if (r.ok) expect(r.value.barcode).toMatch(/^[0-9]{16}$/);
        else expect(r.error).toMatch(/^[a-z][a-z0-9 ]+[a-z0-9]$/);
      }),
      { numRuns: 20_000, seed: 4022 },
    );
  });

  it('the register reader, fed broken files in random pieces, names a line and a reason for every bad row', () => {
    const row = fc.oneof(
      fc.tuple(fc.integer({ min: -5, max: 1e9 + 5 }), fc.integer({ min: -1, max: 11 }), fc.constantFrom('issued', 'superseded', 'cancelled', 'ISSUED', ''), fc.string({ maxLength: 70 }), fc.string({ maxLength: 40 }))
        .map((f) => f.map((x) => (typeof x === 'string' && /[",\r\n]/.test(x) ? `"${x.replace(/"/g, '""')}"` : String(x))).join(',')),
      anyText,
    );
    fc.assert(
      fc.property(fc.array(row, { maxLength: 30 }), fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 10 }), (rows, cuts) => {
        const text = 'ballot_number,issue,status,member_ref,online_code\n' + rows.join('\n');
        const parser = createRegisterCsvParser();
        const results = [];
        let at = 0;
        for (let i = 0; at < text.length; i++) {
          const n = cuts[i % cuts.length]!;
          results.push(...parser.push(text.slice(at, at + n)));
          at += n;
        }
        results.push(...parser.end());
        for (const r of results) {
          if (r.ok) expect(r.value.ballotNumber).toBeGreaterThanOrEqual(1);
          else {
            expect(r.error.line).toBeGreaterThanOrEqual(1);
            expect(r.error.message).toMatch(/[a-z]{3}/);
          }
        }
      }),
      { numRuns: 3_000, seed: 4022 },
    );
  });
});
