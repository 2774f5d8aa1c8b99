// The streaming register CSV reader (shared/register): rows, errors with physical line
// numbers, quoting, and independence from how the text is cut into chunks.
import { describe, expect, it } from 'vitest';
import { createRegisterCsvParser, type RegisterParseResult } from '../../shared/register/register-csv';

function parseAll(text: string, chunkSize = text.length || 1): RegisterParseResult[] {
  const p = createRegisterCsvParser();
  const out: RegisterParseResult[] = [];
  for (let i = 0; i < text.length; i += chunkSize) out.push(...p.push(text.slice(i, i + chunkSize)));
  out.push(...p.end());
  return out;
}

const HEADER = 'ballot_number,issue,status,member_ref,online_code\n';

describe('register CSV reader', () => {
  it('reads the example of contracts.md §2', () => {
    const r = parseAll(HEADER + '123456,1,superseded,M-0042,\n123456,2,issued,M-0042,K7Q2M9XD4R\n');
    expect(r).toEqual([
      { ok: true, value: { line: 2, ballotNumber: 123456, issue: 1, status: 'superseded', memberRef: 'M-0042', onlineCode: null } },
      { ok: true, value: { line: 3, ballotNumber: 123456, issue: 2, status: 'issued', memberRef: 'M-0042', onlineCode: 'K7Q2M9XD4R' } },
    ]);
  });

  it('gives the same answer whatever the chunk size, with CRLF, BOM and quotes', () => {
    const text =
      '\uFEFF' +
      HEADER.replace('\n', '\r\n') +
      '1,1,issued,"M ""quoted"", with comma",ABCDEFGH\r\n' +
      '2,1,issued,"multi\nline",ABCDEFGH2\r\n' +
      '3,1,cancelled,M-3,\r\n' +
      '4,1,issued,M-4,ABCDEFGH4';
    const whole = parseAll(text);
    for (const size of [1, 2, 3, 7, 64]) expect(parseAll(text, size)).toEqual(whole);
    expect(whole.map((r) => (r.ok ? [r.value.line, r.value.memberRef] : r.error))).toEqual([
      [2, 'M "quoted", with comma'],
      { line: 3, message: 'member_ref contains control characters' }, // a record of two physical lines
      [5, 'M-3'],
      [6, 'M-4'],
    ]);
  });

  it('reports bad rows with their physical lines and keeps going', () => {
    const text =
      HEADER +
      '0,1,issued,M-1,ABCDEFGH\n' + // 2: ballot 0
      '5,0,issued,M-5,ABCDEFGH\n' + // 3: issue 0
      '6,1,lost,M-6,ABCDEFGH\n' + // 4: status
      '7,1,issued,M-7,\n' + // 5: code required
      '8,1,issued,M-8,abc\n' + // 6: code format
      '9,1,issued\n' + // 7: field count
      '10,1,issued,"M-10"x,ABCDEFGH\n' + // 8: after closing quote
      '11,1,issued,M"11,ABCDEFGH\n' + // 9: quote in unquoted field
      '\n' + // 10: blank, skipped
      '12,1,issued,M-12,ABCDEFGH\n' + // 11: good
      '13,1,issued,' + 'x'.repeat(65) + ',ABCDEFGH\n'; // 12: member_ref too long
    for (const size of [1, 5, 1000]) {
      const r = parseAll(text, size);
      const errors = r.filter((x) => !x.ok).map((x) => (x.ok ? 0 : x.error.line));
      expect(errors).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 12]);
      expect(r.filter((x) => x.ok).map((x) => (x.ok ? x.value.line : 0))).toEqual([11]);
    }
    const messages = parseAll(text).flatMap((x) => (x.ok ? [] : [x.error.message]));
    expect(messages[3]).toBe('online_code is required on issued rows');
    expect(messages[5]).toBe('expected 5 fields, found 3');
    // an error message never repeats an online code
    expect(messages.join(' ')).not.toContain('abc');
  });

  it('reports an unterminated quote at its line and resynchronises on the next line', () => {
    const r = parseAll(HEADER + '1,1,issued,"M-1,ABCDEFGH\n2,1,issued,M-2,ABCDEFGH\n');
    expect(r[0]).toEqual({ ok: false, error: { line: 2, message: 'unterminated quoted field' } });
    expect(r[1]).toMatchObject({ ok: true, value: { line: 3, memberRef: 'M-2' } });
  });

  it('refuses a missing or wrong header and an empty file', () => {
    expect(parseAll('')).toEqual([{ ok: false, error: { line: 1, message: 'the file is empty: a header row is required' } }]);
    const r = parseAll('ballot,issue,status,member_ref\n1,1,issued,M,ABCDEFGH\n');
    expect(r).toHaveLength(1);
    expect(r[0]!.ok).toBe(false);
    if (!r[0]!.ok) expect(r[0]!.error.line).toBe(1);
    // columns in another order are fine
    const other = parseAll('member_ref,online_code,status,issue,ballot_number\nM-1,ABCDEFGH,issued,2,77\n');
    expect(other).toEqual([{ ok: true, value: { line: 2, ballotNumber: 77, issue: 2, status: 'issued', memberRef: 'M-1', onlineCode: 'ABCDEFGH' } }]);
  });

  it('streams a large file without keeping it', () => {
    const p = createRegisterCsvParser();
    let rows = 0;
    p.push(HEADER);
    for (let block = 0; block < 20; block++) {
      let chunk = '';
      for (let i = 1; i <= 10_000; i++) chunk += `${block * 10_000 + i},1,issued,M-${block * 10_000 + i},CODE${String(block * 10_000 + i).padStart(8, '0')}\n`;
      for (const r of p.push(chunk)) if (r.ok) rows++;
    }
    for (const r of p.end()) if (r.ok) rows++;
    expect(rows).toBe(200_000);
    expect(p.linesRead).toBe(200_001);
  });
});
