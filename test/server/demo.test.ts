// The demo's building blocks (npm run demo): register file, seeding through the API, and the
// printable envelope sheet with 200 readable barcode numbers.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo, type DemoSummary } from '../../server/demo/seed-demo';
import { encodeBarcode, formatBarcode, parseBarcode } from '../../shared/barcode/barcode';
import { createRegisterCsvParser } from '../../shared/register/register-csv';
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

describe('demo', () => {
  let server: TestServer;
  let dir: string;
  let demo: DemoSummary;

  beforeAll(async () => {
    server = await startServer(await ENGINES[0]!.open()); // the embedded engine
    dir = mkdtempSync(join(tmpdir(), 'ballot-demo-'));
    demo = await seedDemo({ server: server.url, adminToken: ADMIN_TOKEN, dir, members: 2000, onlineEvery: 50 });
  });
  afterAll(async () => {
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

  it('prints 200 envelope barcodes with their human-readable numbers', () => {
    const pdf = readFileSync(demo.sheetFile);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const content = pdfContent(pdf);
    const numbers = content.lines.filter((t) => /^\d{4}-\d{9}-\d-\d{2}$/.test(t));
    expect(numbers).toHaveLength(200);
    for (const n of numbers) expect(parseBarcode(n, 1022).ok).toBe(true);
    const first = demo.members[0]!;
    const pack = first.packs.at(-1)!;
    expect(numbers[0]).toBe(formatBarcode(encodeBarcode(1022, pack.ballotNumber, pack.issue)));
    // one Code 128 image drawn per envelope
    expect(content.imagesDrawn).toBe(200);
    if (existsSync('/usr/bin/pdftotext')) {
      const text = execFileSync('/usr/bin/pdftotext', [demo.sheetFile, '-'], { encoding: 'utf8' });
      expect(text.match(/^1022-\d{9}-\d-\d{2}$/gm)).toHaveLength(200);
    }
  });
});
