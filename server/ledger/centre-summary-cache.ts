// GET /v1/centre/summary is polled by every open dashboard (every 15 s per desk), and each read
// walks the centre's whole range of the receipts index. This process therefore reads one
// centre's figures at most once per window and answers every caller in the window from that
// read; callers that arrive while a read is running share it. `asOf` is the moment the figures
// were read, so a cached answer says how old it is.
//
// Reads go through a gate of their own: however many centres' dashboards poll at once, a
// process spends at most one database connection on summaries, and receipt batches (their own
// gate, routes/workstation.ts) never queue behind them.
//
// Process memory only ever holds a copy, never a decision: with several processes each keeps
// its own copy, at most one window old.
import type { CentreSummary } from '../../shared/protocol/central-api';
import type { Gate } from '../http/admission';
import type { CentreOf } from './centre-summary';

export interface CentreSummaryCache {
  get(centre: CentreOf): Promise<CentreSummary>;
}

interface Entry {
  /** when the figures were read (ms); null while the read is running */
  readAt: number | null;
  figures: Promise<CentreSummary>;
}

export function centreSummaryCache(
  read: (centre: CentreOf, asOf: Date) => Promise<CentreSummary>,
  now: () => Date,
  windowMs: number,
  gate: Gate,
): CentreSummaryCache {
  const entries = new Map<string, Entry>();
  const fresh = (e: Entry, at: number) => e.readAt === null || at - e.readAt < windowMs;

  return {
    get(centre) {
      const at = now().getTime();
      const known = entries.get(centre.centreId);
      if (known && fresh(known, at)) return known.figures;
      // Forget centres nobody asked about for a window (the map stays as small as the set of
      // centres with a dashboard open).
      for (const [id, e] of entries) if (!fresh(e, at)) entries.delete(id);
      const entry: Entry = {
        readAt: null,
        figures: gate.run(async () => {
          // Stamped when the read starts, not when it was asked for: the time the figures are from.
          const asOf = now();
          const figures = await read(centre, asOf);
          entry.readAt = asOf.getTime(); // after an await: `entry` is assigned by then
          return figures;
        }),
      };
      // A failed read is not remembered: the next caller tries again.
      entry.figures.catch(() => {
        if (entries.get(centre.centreId) === entry) entries.delete(centre.centreId);
      });
      entries.set(centre.centreId, entry);
      return entry.figures;
    },
  };
}
