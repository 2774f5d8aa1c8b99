// The audit log as JSON lines, one entry per line with its hashes, so anyone can re-check
// the chain outside the app: hash = SHA-256(prevHash ‖ canonical JSON of {seq, at, actor, event, detail}).
import type { Db } from '../db/open';
import type { ExportPages } from './write';

const PAGE = 5_000;

interface Row { seq: number; at: string; actor: string | null; event: string; detail: string; prev_hash: string; hash: string }

export function* auditJsonl(db: Db): ExportPages {
  const page = db.prepare<[number, number], Row>('SELECT * FROM audit WHERE seq > ? ORDER BY seq LIMIT ?');
  for (let after = 0; ; ) {
    const rows = page.all(after, PAGE);
    if (rows.length === 0) return;
    // detail is stored as canonical JSON already: spliced in as it is.
    yield rows.map(
      (r) =>
        `{"seq":${r.seq},"at":${JSON.stringify(r.at)},"actor":${JSON.stringify(r.actor)},"event":${JSON.stringify(r.event)},"detail":${r.detail},"prevHash":"${r.prev_hash}","hash":"${r.hash}"}\n`,
    );
    after = rows[rows.length - 1]!.seq;
  }
}
