// The register reader (shared/register/register-csv.ts) is hand-written because it was measured
// faster than a library and streams one record at a time. This holds it to csv-parse as the
// reference: for random files — quoted and unquoted fields, commas and doubled quotes inside
// quotes, CRLF or LF, a UTF-8 BOM or none, empty trailing lines, fields spanning lines, fed in
// random pieces — both split every record into the same fields; and the line our reader names
// is the physical line where the record starts, as the file was written.
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REGISTER_STATUSES } from '../../shared/domain';
import { createRegisterCsvParser, REGISTER_COLUMNS, type RegisterParseResult } from '../../shared/register/register-csv';

interface Row {
  ballot: number;
  issue: number;
  status: (typeof REGISTER_STATUSES)[number];
  memberRef: string;
  code: string;
  quote: boolean[];
}

const refPiece = fc.constantFrom('a', 'B', 'é', ' ', ',', '"', 'x"y', '\n', '\r\n', 'M-', '7');
const row: fc.Arbitrary<Row> = fc.record({
  ballot: fc.integer({ min: 1, max: 999_999_999 }),
  issue: fc.integer({ min: 1, max: 9 }),
  status: fc.constantFrom(...REGISTER_STATUSES),
  memberRef: fc.array(refPiece, { minLength: 1, maxLength: 6 }).map((p) => p.join('')),
  code: fc.stringMatching(/^[A-Z0-9]{8,12}$/),
  quote: fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }),
});

const file = fc.record({
  rows: fc.array(row, { minLength: 1, maxLength: 12 }),
  eol: fc.constantFrom('\n', '\r\n'),
  bom: fc.boolean(),
  trailingEmptyLines: fc.integer({ min: 0, max: 3 }),
  cuts: fc.array(fc.integer({ min: 1, max: 400 }), { maxLength: 8 }),
});

function field(value: string, quote: boolean): string {
  const must = /[",\r\n]/.test(value);
  return must || quote ? `"${value.replace(/"/g, '""')}"` : value;
}

/** The file's text, and the physical line (1 + line feeds before it) where each row starts. */
function csvOf(f: { rows: Row[]; eol: string; bom: boolean; trailingEmptyLines: number }): { text: string; startLines: number[] } {
  let text = (f.bom ? '\uFEFF' : '') + REGISTER_COLUMNS.join(',') + f.eol;
  const startLines: number[] = [];
  for (const r of f.rows) {
    startLines.push(text.split('\n').length);
    const values = [String(r.ballot), String(r.issue), r.status, r.memberRef, r.code];
    text += values.map((v, i) => field(v, r.quote[i]!)).join(',') + f.eol;
  }
  return { text: text + f.eol.repeat(f.trailingEmptyLines), startLines };
}

/** Our reader, fed the text in the pieces `cuts` make. */
function ours(text: string, cuts: number[]): RegisterParseResult[] {
  const parser = createRegisterCsvParser();
  const out: RegisterParseResult[] = [];
  let at = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    if (cut <= at || cut >= text.length) continue;
    out.push(...parser.push(text.slice(at, cut)));
    at = cut;
  }
  out.push(...parser.push(text.slice(at)));
  out.push(...parser.end());
  return out;
}

/** The reference's records after the header. */
function reference(text: string): string[][] {
  return (parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true }) as string[][]).slice(1);
}

describe('the register reader against csv-parse', () => {
  it('splits every record into the same fields and names the line where it starts', () => {
    fc.assert(
      fc.property(file, (f) => {
        const { text, startLines } = csvOf(f);
        const expected = reference(text);
        const got = ours(text, f.cuts);
        expect(expected).toHaveLength(f.rows.length);
        expect(got).toHaveLength(expected.length);
        expected.forEach((fields, i) => {
          const result = got[i]!;
          const want = { line: startLines[i]! };
          const [ballot, issue, status, memberRef, code] = fields as [string, string, string, string, string];
          if (/[\r\n]/.test(memberRef)) {
            // a line break inside member_ref is a control character: refused, at the record's first line
            expect(result).toEqual({ ok: false, error: { line: want.line, message: 'member_ref contains control characters' } });
          } else {
            expect(result).toEqual({
              ok: true,
              value: { line: want.line, ballotNumber: Number(ballot), issue: Number(issue), status, memberRef, onlineCode: code },
            });
          }
        });
      }),
      { numRuns: 500, seed: 16_009 },
    );
  });
});
