// The register file of contracts.md §2, read as a stream: RFC 4180 CSV (UTF-8, header row
// required, comma-separated, double-quote quoting) turned into validated register rows or
// `{ line, message }` errors, where `line` is the file's physical line (the header is line 1).
//
// Pure TypeScript (no Node, no DOM) so that the central server and the desk-side import read
// the file the same way. It holds one record at a time, never the file: feed it string chunks
// (decode bytes with `new TextDecoder('utf-8', { fatal: true })` and `{ stream: true }`).
//
// Only per-row checks happen here. Checks across rows (a ballot pack listed twice, one member
// with two online codes, one code for two members) need the whole file and are the
// consumer's job, where it can do them in its database instead of in memory.
//
// Over 300 lines because it is one streaming state machine (quotes across chunks, a record cut
// by a chunk's end, resynchronising after a broken line) measured faster than a library; a
// differential test holds it to csv-parse (test/unit/register-csv-differential.test.ts).
import { REGISTER_STATUSES, type RegisterStatus } from '../domain';
import { err, ok, type Result } from '../result';

export interface RegisterRow {
  /** physical line of the file where this record starts */
  readonly line: number;
  readonly ballotNumber: number;
  readonly issue: number;
  readonly status: RegisterStatus;
  readonly memberRef: string;
  /** null when the column is empty (allowed on superseded and cancelled rows only) */
  readonly onlineCode: string | null;
}

export interface RegisterRowError {
  readonly line: number;
  readonly message: string;
}

export type RegisterParseResult = Result<RegisterRow, RegisterRowError>;

export interface RegisterCsvParser {
  /** Feed the next piece of text; returns the rows and errors completed by it, in file order. */
  push(chunk: string): RegisterParseResult[];
  /** The file has ended: returns what the last piece completed (and an error for a cut-off record). */
  end(): RegisterParseResult[];
  /** physical lines seen so far (for progress reporting) */
  readonly linesRead: number;
}

export const REGISTER_COLUMNS = ['ballot_number', 'issue', 'status', 'member_ref', 'online_code'] as const;
type Column = (typeof REGISTER_COLUMNS)[number];

// No register field is longer than 64 characters, so a record longer than this is a stray quote
// swallowing the file; giving up early keeps a broken file from costing quadratic time.
const MAX_RECORD_CHARS = 4096;

const BALLOT_NUMBER = /^[0-9]{1,9}$/;
const ISSUE = /^[1-9]$/;
const ONLINE_CODE = /^[A-Z0-9]{8,32}$/;
// "printable characters": anything but control characters (Unicode category Cc).
const MEMBER_REF = /^[^\p{Cc}]+$/u;

/** Validate one record's fields (already split and unquoted) against §2. */
export function validateRegisterFields(
  fields: Readonly<Record<Column, string>>,
  line: number,
): RegisterParseResult {
  const problems: string[] = [];
  const { ballot_number, issue, status, member_ref, online_code } = fields;
  const ballotNumber = Number(ballot_number);
  if (!BALLOT_NUMBER.test(ballot_number) || ballotNumber < 1)
    problems.push(`ballot_number "${clip(ballot_number)}" is not a number from 1 to 999999999`);
  if (!ISSUE.test(issue)) problems.push(`issue "${clip(issue)}" is not a number from 1 to 9`);
  const knownStatus = (REGISTER_STATUSES as readonly string[]).includes(status);
  if (!knownStatus) problems.push(`status "${clip(status)}" is not one of ${REGISTER_STATUSES.join(', ')}`);
  const refLength = [...member_ref].length;
  if (refLength < 1 || refLength > 64) problems.push('member_ref must be 1 to 64 characters');
  else if (!MEMBER_REF.test(member_ref)) problems.push('member_ref contains control characters');
  if (online_code === '') {
    if (status === 'issued') problems.push('online_code is required on issued rows');
  } else if (!ONLINE_CODE.test(online_code)) {
    // Never echo a code back: error reports end up in logs and on screens.
    problems.push('online_code must be 8 to 32 characters A-Z or 0-9');
  }
  if (problems.length > 0) return err({ line, message: problems.join('; ') });
  return ok({
    line,
    ballotNumber,
    issue: Number(issue),
    status: status as RegisterStatus,
    memberRef: member_ref,
    onlineCode: online_code === '' ? null : online_code,
  });
}

function clip(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}

/** One record as split from the text, or why it could not be split. */
type RawRecord = { fields: string[]; line: number } | { error: string; line: number };
type Split = { record: RawRecord; end: number; lines: number; skipRest: boolean };

export function createRegisterCsvParser(): RegisterCsvParser {
  let buf = '';
  let linesRead = 0; // physical lines fully consumed
  let started = false; // BOM handled
  let header: Record<Column, number> | null = null;
  let headerFailed = false;
  let skipping = false; // the rest of a broken line is still to come
  let cachedQuote = -1; // index in buf of the next '"' at or after the last position we checked

  function nextQuoteFrom(pos: number): number {
    if (cachedQuote !== -2 && cachedQuote >= pos) return cachedQuote;
    if (cachedQuote === -2) return -1; // no quote in the rest of buf
    const q = buf.indexOf('"', pos);
    cachedQuote = q === -1 ? -2 : q;
    return q;
  }

  /**
   * Split a record that contains quotes, starting at `pos`. Returns null when the buffer ends
   * before the record does (and more text may come).
   */
  function splitQuoted(pos: number, final: boolean): Split | null {
    const line = linesRead + 1;
    const fields: string[] = [];
    let i = pos;
    let lines = 1;
    const fail = (error: string): Split => {
      // Resynchronise after the end of the record's first physical line (which may not have
      // arrived yet: then the rest of it is skipped as it comes).
      const nl = buf.indexOf('\n', pos);
      if (nl !== -1) return { record: { error, line }, end: nl + 1, lines: 1, skipRest: false };
      return { record: { error, line }, end: buf.length, lines: final ? 1 : 0, skipRest: !final };
    };
    for (;;) {
      if (i - pos > MAX_RECORD_CHARS) return fail('unterminated quoted field');
      if (i < buf.length && buf.charCodeAt(i) === 34 /* " */) {
        let value = '';
        let j = i + 1;
        for (;;) {
          const q = buf.indexOf('"', j);
          if (q === -1 || q - pos > MAX_RECORD_CHARS) {
            if (!final && buf.length - pos <= MAX_RECORD_CHARS) return null;
            return fail('unterminated quoted field');
          }
          value += buf.slice(j, q);
          if (q + 1 >= buf.length && !final) return null; // is it "" or the closing quote?
          if (buf.charCodeAt(q + 1) === 34) {
            value += '"';
            j = q + 2;
            continue;
          }
          i = q + 1;
          break;
        }
        for (let k = 0; k < value.length; k++) if (value.charCodeAt(k) === 10) lines++;
        fields.push(value);
        if (i >= buf.length) {
          if (!final) return null;
          return { record: { fields, line }, end: i, lines, skipRest: false };
        }
        const c = buf.charCodeAt(i);
        if (c === 44 /* , */) {
          i++;
          continue;
        }
        if (c === 10) return { record: { fields, line }, end: i + 1, lines, skipRest: false };
        if (c === 13 && buf.charCodeAt(i + 1) === 10) return { record: { fields, line }, end: i + 2, lines, skipRest: false };
        if (c === 13 && i + 1 >= buf.length && !final) return null;
        return fail('unexpected character after a closing quote');
      }
      // Unquoted field: up to the next comma or line end.
      let j = i;
      while (j < buf.length) {
        const c = buf.charCodeAt(j);
        if (c === 44 || c === 10) break;
        j++;
      }
      if (j >= buf.length && !final) return buf.length - pos > MAX_RECORD_CHARS ? fail('line too long') : null;
      let value = buf.slice(i, j);
      if (j >= buf.length || buf.charCodeAt(j) === 10) {
        if (value.endsWith('\r')) value = value.slice(0, -1);
      }
      if (value.includes('"')) return fail('a quote inside an unquoted field (quote the whole field)');
      fields.push(value);
      if (j >= buf.length) return { record: { fields, line }, end: j, lines, skipRest: false };
      if (buf.charCodeAt(j) === 10) return { record: { fields, line }, end: j + 1, lines, skipRest: false };
      i = j + 1;
    }
  }

  function handle(record: RawRecord, out: RegisterParseResult[]): void {
    if ('error' in record) {
      if (record.line === 1) headerFailed = true;
      out.push(err({ line: record.line, message: record.error }));
      return;
    }
    const { fields, line } = record;
    if (header === null) {
      if (headerFailed) return;
      readHeader(fields, out);
      return;
    }
    // A blank line is not a row (RFC 4180 would call it one empty field): skip it.
    if (fields.length === 1 && fields[0] === '') return;
    if (fields.length !== REGISTER_COLUMNS.length) {
      out.push(err({ line, message: `expected ${REGISTER_COLUMNS.length} fields, found ${fields.length}` }));
      return;
    }
    out.push(
      validateRegisterFields(
        {
          ballot_number: fields[header.ballot_number]!,
          issue: fields[header.issue]!,
          status: fields[header.status]!,
          member_ref: fields[header.member_ref]!,
          online_code: fields[header.online_code]!,
        },
        line,
      ),
    );
  }

  function readHeader(fields: string[], out: RegisterParseResult[]): void {
    const names = fields.map((f) => f.trim().toLowerCase());
    const problems: string[] = [];
    const index: Partial<Record<Column, number>> = {};
    names.forEach((name, i) => {
      if (!(REGISTER_COLUMNS as readonly string[]).includes(name)) problems.push(`unknown column "${clip(name)}"`);
      else if (index[name as Column] !== undefined) problems.push(`column ${name} appears twice`);
      else index[name as Column] = i;
    });
    for (const c of REGISTER_COLUMNS) if (index[c] === undefined) problems.push(`missing column ${c}`);
    if (problems.length > 0) {
      headerFailed = true;
      out.push(err({ line: 1, message: `header: ${problems.join('; ')} (expected ${REGISTER_COLUMNS.join(',')})` }));
      return;
    }
    header = index as Record<Column, number>;
  }

  function drain(final: boolean): RegisterParseResult[] {
    const out: RegisterParseResult[] = [];
    if (!started) {
      if (buf.length === 0 && !final) return out;
      if (buf.charCodeAt(0) === 0xfeff) buf = buf.slice(1);
      started = true;
    }
    let pos = 0;
    cachedQuote = -1;
    while (pos < buf.length) {
      if (skipping) {
        // Inside a line already reported as broken: drop it through its end.
        const nl = buf.indexOf('\n', pos);
        if (nl === -1) {
          pos = buf.length;
          if (final) linesRead++;
          break;
        }
        pos = nl + 1;
        linesRead++;
        skipping = false;
        continue;
      }
      if (headerFailed) {
        // Rows cannot be read without their columns; count the lines for progress and stop.
        for (let k = buf.indexOf('\n', pos); k !== -1; k = buf.indexOf('\n', k + 1)) linesRead++;
        pos = buf.length;
        break;
      }
      const nl = buf.indexOf('\n', pos);
      const q = nextQuoteFrom(pos);
      if (q === -1 || (nl !== -1 && q > nl)) {
        // The common case: a record on one line without quotes.
        let text: string;
        if (nl === -1) {
          if (!final) {
            if (buf.length - pos > MAX_RECORD_CHARS) {
              // A line this long cannot be a register row; report it and skip to its end.
              out.push(err({ line: linesRead + 1, message: 'line too long' }));
              skipping = true;
              pos = buf.length;
            }
            break;
          }
          text = buf.slice(pos);
          pos = buf.length;
        } else {
          text = buf.slice(pos, nl);
          pos = nl + 1;
        }
        if (text.endsWith('\r')) text = text.slice(0, -1);
        linesRead++;
        handle({ fields: text.split(','), line: linesRead }, out);
        continue;
      }
      const split = splitQuoted(pos, final);
      if (split === null) break;
      handle(split.record, out);
      linesRead += split.lines;
      pos = split.end;
      skipping = split.skipRest;
    }
    buf = buf.slice(pos);
    if (final) {
      if (header === null && !headerFailed) out.push(err({ line: 1, message: 'the file is empty: a header row is required' }));
      buf = '';
    }
    return out;
  }

  return {
    push(chunk: string) {
      buf += chunk;
      return drain(false);
    },
    end() {
      return drain(true);
    },
    get linesRead() {
      return linesRead;
    },
  };
}

/** Convenience for callers with an async source of text chunks. */
export async function* parseRegisterCsv(chunks: AsyncIterable<string>): AsyncGenerator<RegisterParseResult> {
  const parser = createRegisterCsvParser();
  for await (const chunk of chunks) yield* parser.push(chunk);
  yield* parser.end();
}
