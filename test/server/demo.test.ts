// The demo's building blocks (npm run demo): register file, seeding through the API, and the
// printable training pack of envelope labels, read back with poppler's pdftotext label by label
// and scanned at a real desk enrolled in the demo: each label must get the verdict it prints.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo, type DemoSummary } from '../../server/demo/seed-demo';
import { FLAG_WORDS, type FlagKind } from '../../shared/domain';
import { createRegisterCsvParser } from '../../shared/register/register-csv';
import { nodeDecoder } from '../fixtures/cameraDecoders';
import { cleanUp, enrol, openWorkstation, waitFor } from '../sync/helpers';
import { ADMIN_TOKEN, call, dropTestSchemas, ENGINES, startServer, type TestServer } from './harness';

/** The text a PDF shows, read from its (Flate-compressed) content streams: no external tools. */
function pdfContent(pdf: Buffer): { lines: string[]; imagesDrawn: number } {
  const lines: string[] = [];
  let imagesDrawn = 0;
  const raw = pdf.toString('latin1');
  const streams = /stream\r?\n/g;
  for (let m = streams.exec(raw); m; m = streams.exec(raw)) {
    const start = m.index + m[0].length;
    const end = raw.indexOf('endstream', start);
    let content: string;
    try {
      content = inflateSync(pdf.subarray(start, end)).toString('latin1');
    } catch {
      continue; // images and other binary streams
    }
    imagesDrawn += content.match(/\/\w+ Do\b/g)?.length ?? 0;
    // pdfkit writes standard-font text as hex strings in TJ arrays
    for (const tj of content.matchAll(/\[([^\]]*)\]\s*TJ/g)) {
      const text = [...tj[1]!.matchAll(/<([0-9a-fA-F]*)>/g)].map((h) => Buffer.from(h[1]!, 'hex').toString('latin1')).join('');
      lines.push(text);
    }
  }
  return { lines, imagesDrawn };
}

const MM = 72 / 25.4;

/**
 * pdftotext (poppler-utils) on the sheet: what a person reads. Asynchronous: the server under
 * test runs in this process, and blocking it for seconds would let its keep-alive sockets expire
 * under a client that then reuses them.
 */
let sheet = '';
const run = promisify(execFile);
async function pdfText(args: string[]): Promise<string> {
  return (await run('pdftotext', ['-r', '72', ...args, sheet, '-'], { encoding: 'utf8' })).stdout;
}

/**
 * The words on label `i` of a label page, cut out where the label stock has it: A4, 3 across
 * and 7 down, 70 × 42.3 mm, edge to edge (0.45 mm above the first row).
 */
async function readLabel(page: number, i: number): Promise<{ text: string; number: string; shouldSay: string } | null> {
  const x = (i % 3) * 70 * MM;
  const y = (297 - 7 * 42.3) / 2 * MM + Math.floor(i / 3) * 42.3 * MM;
  const text = await pdfText(['-f', String(page), '-l', String(page), '-x', String(Math.round(x)), '-y', String(Math.round(y)), '-W', String(Math.floor(70 * MM)), '-H', String(Math.floor(42.3 * MM))]);
  if (!text.trim()) return null;
  const number = /^\d{4}-\d{9}-\d-\d{2}$/m.exec(text)?.[0] ?? '';
  // "Should say: …" may wrap onto a second line, up to "Then: …"
  const shouldSay = (/Should say: [\s\S]*?(?=\nThen: )/.exec(text)?.[0] ?? '').replace(/\s+/g, ' ').trim();
  return { text, number, shouldSay };
}

/** A page drawn as a camera would see it: 8-bit grey pixels (pdftoppm's PGM), 150 dpi. */
async function pagePixels(page: number): Promise<{ data: Uint8Array; width: number; height: number; dpi: number }> {
  const dpi = 150;
  const { stdout: pgm } = await run('pdftoppm', ['-gray', '-r', String(dpi), '-f', String(page), '-l', String(page), sheet], { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 });
  const header = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(pgm.subarray(0, 40).toString('latin1'))!;
  const [width, height] = [Number(header[1]), Number(header[2])];
  return { data: pgm.subarray(header[0].length, header[0].length + width * height), width, height, dpi };
}

/** Label `i`'s pixels, cut from the page where the label stock has it. */
function labelPixels(p: Awaited<ReturnType<typeof pagePixels>>, i: number): { data: Uint8Array; width: number; height: number } {
  const px = (mm: number) => Math.round((mm / 25.4) * p.dpi);
  const x0 = px((i % 3) * 70);
  const y0 = px((297 - 7 * 42.3) / 2 + Math.floor(i / 3) * 42.3);
  const width = px(70);
  const height = px(42.3);
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) data.set(p.data.subarray((y0 + y) * p.width + x0, (y0 + y) * p.width + x0 + width), y * width);
  return { data, width, height };
}

describe('demo', () => {
  let server: TestServer;
  let dir: string;
  let demo: DemoSummary;

  beforeAll(async () => {
    server = await startServer(await ENGINES[0]!.open()); // the embedded engine
    dir = mkdtempSync(join(tmpdir(), 'ballot-demo-'));
    demo = await seedDemo({ server: server.url, adminToken: ADMIN_TOKEN, dir, members: 2000, onlineEvery: 50 });
    sheet = demo.sheetFile;
  });
  afterAll(async () => {
    await cleanUp();
    await server?.close();
    await server?.db.close();
    await dropTestSchemas();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes a valid register with reissued and cancelled packs, and imports it', async () => {
    const parser = createRegisterCsvParser();
    const results = [...parser.push(readFileSync(demo.registerFile, 'utf8')), ...parser.end()];
    expect(results.every((r) => r.ok)).toBe(true);
    const rows = results.flatMap((r) => (r.ok ? [r.value] : []));
    expect(new Set(rows.map((r) => r.memberRef)).size).toBe(2000);
    expect(rows.some((r) => r.status === 'superseded')).toBe(true);
    expect(rows.some((r) => r.status === 'cancelled')).toBe(true);
    expect(rows.some((r) => r.issue === 2 && r.status === 'issued')).toBe(true);
    const { rows: counted } = await server.db.query<{ n: number; online: number }>(
      `select count(*)::int as n, count(*) filter (where code_state = 'redeemed')::int as online from members`,
    );
    expect(counted[0]).toEqual({ n: 2000, online: demo.onlineVoters });
    expect(demo.onlineVoters).toBeGreaterThan(30);
  });

  it('hands out an enrolment code that enrols a workstation', async () => {
    const r = await call(server.url, 'POST', '/v1/enrol', { json: { enrolmentCode: demo.enrolmentCode, workstationName: 'training desk' } });
    expect(r.status).toBe(201);
    expect(r.body.centreId).toBe('demo-centre');
  });

  it('prints a training pack: a plain first page saying how to print, then A4 pages of 3 × 7 labels of 70 × 42.3 mm with no title', async () => {
    const info = (await run('pdfinfo', [demo.sheetFile], { encoding: 'utf8' })).stdout;
    const labels = demo.training.cases.flatMap((c) => c.envelopes).length + demo.training.everyday.length;
    expect(labels).toBe(21 + 84);
    expect(info).toMatch(/Pages:\s+6\n/);
    expect(info).toMatch(/Page size:\s+595\.2\d x 841\.8\d pts \(A4\)/);
    // one Code 128 symbol drawn on each label
    expect(pdfContent(readFileSync(demo.sheetFile)).imagesDrawn).toBe(labels);
    const first = (await pdfText(['-f', '1', '-l', '1'])).replace(/\s+/g, ' ');
    expect(first).toContain('training envelopes');
    expect(first).toContain('A4 label sheets of 21 labels (3 across, 7 down, 70 × 42.3 mm)');
    // On label pages, every word is inside a label: nothing at all outside the 21 cells.
    for (let page = 2; page <= 6; page++) {
      const whole = (await pdfText(['-f', String(page), '-l', String(page)])).replace(/\s+/g, ' ').trim();
      const cells: string[] = [];
      for (let i = 0; i < 21; i++) cells.push((await readLabel(page, i))?.text ?? '');
      const inLabels = cells.join(' ').replace(/\s+/g, ' ').trim();
      expect(whole.length, `page ${page}`).toBe(inLabels.length);
      expect(whole).not.toContain('training envelopes');
    }
  });

  it('prints one row of labels for each verdict, each saying what the desk should say (contracts.md §4 words) and what to do', async () => {
    const rows = [
      ['Current pack', 'Should say: Recorded', 'Then: keep it in the tray'],
      ['Replaced pack (issue 1 of 2)', 'Should say: Flagged: replaced or cancelled pack', 'Then: put in the SET-ASIDE tray'],
      ['Cancelled pack', 'Should say: Flagged: replaced or cancelled pack', 'Then: put in the SET-ASIDE tray'],
      ['Member voted online', 'Should say: Flagged: member voted online', 'Then: put in the SET-ASIDE tray'],
      ['Ballot number not on the register', 'Should say: Flagged: not on the register', 'Then: put in the SET-ASIDE tray'],
      ["Election 1023's envelope", 'Should say: Rejected: election 1023 is not this election', "Then: nothing is recorded: another election's envelope"],
      ['Misprinted check digits', 'Should say: Rejected: check digits do not match', 'Then: nothing is recorded: scan it again'],
    ];
    for (const [row, [what, says, todo]] of rows.entries()) {
      for (let column = 0; column < 3; column++) {
        const label = (await readLabel(2, row * 3 + column))!;
        expect(label.text, `row ${row + 1}`).toContain(what);
        expect(label.shouldSay, `row ${row + 1}`).toBe(says);
        expect(label.text.replace(/\s+/g, ' ')).toContain(todo);
      }
    }
  });

  it('cannot lie: every label, scanned at a desk enrolled in the demo, gets the verdict printed on it', { timeout: 240_000 }, async () => {
    const code = await call(server.url, 'POST', '/v1/admin/centres/demo-centre/enrolment-codes', { token: ADMIN_TOKEN });
    const ws = await openWorkstation();
    await enrol(ws, server.url, code.body.enrolmentCode, 'training desk');
    const printed = [];
    const decoder = await nodeDecoder('zxing-wasm');
    for (let page = 2; page <= 6; page++) {
      const pixels = await pagePixels(page);
      for (let i = 0; i < 21; i++) {
        const label = (await readLabel(page, i))!;
        expect(label.number && label.shouldSay, `page ${page} label ${i + 1}`).toBeTruthy();
        // the symbol (what the scanner reads) carries the number printed under it
        expect(await decoder.decode(labelPixels(pixels, i)), `page ${page} label ${i + 1}`).toBe(label.number.replace(/-/g, ''));
        printed.push(label);
      }
    }
    // the desk's register copy, with the members who voted online, pulled from the server
    const rows = readFileSync(demo.registerFile, 'utf8').trim().split('\n').length - 1;
    await waitFor('the register copy', () => ws.core.register.rows() === rows, 120_000, 200);
    const onlineAtDesk = () => {
      const table = (ws.core.db.prepare('SELECT active FROM register_state WHERE id = 1').get() as { active: string }).active === 'a' ? 'register_a' : 'register_b';
      return (ws.core.db.prepare(`SELECT count(DISTINCT member_ref) AS n FROM ${table} WHERE online_voted = 1`).get() as { n: number }).n;
    };
    await waitFor('the online votes at the desk', () => onlineAtDesk() === demo.onlineVoters, 60_000, 200).catch((e: Error) => {
      throw new Error(`${e.message}: ${onlineAtDesk()} of ${demo.onlineVoters}`);
    });

    const seen = new Set<string>();
    for (const label of printed) {
      const v = await ws.must('recordScan', { barcode: label.number, source: 'scanner' });
      const said = v.verdict === 'recorded' ? 'Recorded' : v.verdict === 'flagged' ? `Flagged: ${FLAG_WORDS[v.kind as FlagKind]}` : v.verdict === 'rejected' ? `Rejected: ${v.reason}` : v.verdict;
      // A refused read's panel may go on to say what was read and what to do next (rejectionWords):
      // "Rejected: check digits do not match (read …): …". The label prints the words it starts with.
      const shown = `Should say: ${said}`;
      const matches = shown === label.shouldSay || (v.verdict === 'rejected' && shown.startsWith(`${label.shouldSay} (`));
      expect(matches, `${label.number}: the desk said "${said}", the label "${label.shouldSay}"`).toBe(true);
      seen.add(said.replace(/ \(read .*$/, ''));
    }
    // every verdict of the training rows was met at the desk, not just printed
    expect([...seen].sort()).toEqual(
      ['Recorded', 'Flagged: replaced or cancelled pack', 'Flagged: member voted online', 'Flagged: not on the register', 'Rejected: election 1023 is not this election', 'Rejected: check digits do not match'].sort(),
    );
  });
});
