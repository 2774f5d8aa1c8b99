// Writes an export file as a stream, page by page, hashing what it writes: no export is ever
// held in memory as one string, and the event loop gets a turn between pages.
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

/** Lines of an export, a page at a time (each page is one short query). */
export type ExportPages = Iterable<string[]>;

export async function writeExportFile(path: string, pages: ExportPages): Promise<{ bytes: number; sha256: string; lines: number }> {
  const out = createWriteStream(path, { flags: 'wx' });
  const hash = createHash('sha256');
  let bytes = 0;
  let lines = 0;
  try {
    for (const page of pages) {
      const text = page.join('');
      const buf = Buffer.from(text, 'utf8');
      hash.update(buf);
      bytes += buf.length;
      lines += page.length;
      if (!out.write(buf)) await once(out, 'drain');
      else await new Promise((r) => setImmediate(r));
    }
    out.end();
    await once(out, 'finish');
  } catch (e) {
    out.destroy();
    throw e;
  }
  return { bytes, sha256: hash.digest('hex'), lines };
}
