// The scanner queue: every read (Enter or Tab ends one) is queued and judged once, in the
// order it was read, one round trip at a time — never merged, never lost, even when reads
// arrive faster than verdicts. Also the session's totals, refreshed when the queue is empty.
//
// A read the core has not confirmed within 2 s of its call, or whose call fails, is
// `Not recorded — scan it again`, loudly, and stays listed until the same envelope is
// recorded (issue 14 item 1). The 2 s run from the call, not the end key: a burst of reads
// waiting their turn behind a core that answers is not a failure (the screen shows them as
// "waiting for a verdict"). Once a call is left unanswered 2 s the core is stuck: every read
// waiting, and every read made until it answers again, is Not recorded at once and never sent
// — the screen said it was not recorded, so it is not. The one read in flight may still be
// answered late; that answer is shown for what it is (the list entry goes, the panel never
// keeps a stale `Not recorded` over an envelope the core did record).
import { create } from 'zustand';
import type { ApiError, ScanTotals, ScanVerdict } from '../../../shared/api/types';
import { formatBarcode, normaliseBarcodeInput } from '../../../shared/barcode/barcode';
import type { ScanSource } from '../../../shared/domain';
import { call } from '../api/client';
import { deskSilent } from './desk-health';

/** How long a read may wait for the core's verdict before the screen says it was not recorded. */
export const CONFIRM_WITHIN_MS = 2_000;

/** The screen's own verdict for a read the core did not confirm. */
export interface NotRecorded {
  verdict: 'not_recorded';
  /** the envelope's number when the read looks like one, else null */
  display: string | null;
  /** no_answer: nothing came back within 2 s; failed: the call itself failed */
  why: 'no_answer' | 'failed';
}

export interface ShownVerdict {
  id: number;
  verdict: ScanVerdict | NotRecorded;
  at: string;
  source: ScanSource;
  /** the core's answer came after the screen had said `Not recorded` */
  late?: boolean;
}

/** A read the core did not record: listed on the scan screen until the envelope is recorded. */
export interface UnrecordedRead {
  /** the read's text as the scanner typed it */
  raw: string;
  /** the normalised barcode, to match the verdict of a later scan of the same envelope */
  key: string;
  display: string | null;
  at: string;
  source: ScanSource;
}

interface QueuedRead {
  readId: number;
  raw: string;
  source: ScanSource;
}

interface ScanStore {
  queue: QueuedRead[];
  latest: ShownVerdict | null;
  /** the panel was cleared (a tray opened or closed) since `latest` was shown */
  cleared: boolean;
  history: ShownVerdict[];
  unrecorded: UnrecordedRead[];
  error: ApiError | null;
  totals: { session: ScanTotals; today: ScanTotals } | null;

  // The queue's own bookkeeping. Kept in the store (not in module variables) so that signing
  // out, a test's fresh store or a look in the devtools sees the whole of it; nothing renders it.
  /** the id the next shown verdict gets (the panel's `data-scan-id`) */
  nextShownId: number;
  nextReadId: number;
  /** a loop is sending the queue, one call at a time */
  draining: boolean;
  /** the read whose call is out now */
  inFlight: QueuedRead | null;
  /** an unanswered call passed its 2 s: reads are Not recorded at once until the core answers */
  stuck: boolean;
  /** reads in flight when their deadline passed → the id of the `Not recorded` shown for each: their answer, if any, is late */
  gaveUp: ReadonlyMap<number, number>;
  totalsTimer: ReturnType<typeof setTimeout> | null;
  /** one listener for sound (set by the scan screen) */
  onVerdict: ((v: ShownVerdict) => void) | null;

  enqueue(raw: string, source: ScanSource): void;
  /** a verdict from another path (manual entry) shown the same way */
  show(verdict: ScanVerdict, source: ScanSource): void;
  /** back to the neutral panel: the verdict belonged to the tray that just opened or closed */
  clear(): void;
  loadTotals(): Promise<void>;
  setVerdictListener(listener: ((v: ShownVerdict) => void) | null): void;
  reset(): void;
}

/** What the queue needs from outside: the core, and the header's word that the core is silent. */
export interface ScanStoreDeps {
  call: typeof call;
  deskSilent(): void;
}

const keyOf = (raw: string) => normaliseBarcodeInput(raw);
const displayOf = (key: string) => (/^[0-9]{16}$/.test(key) ? formatBarcode(key) : null);
/** the verdicts that mean the core holds the envelope */
const holds = (v: ScanVerdict) => v.verdict === 'recorded' || v.verdict === 'flagged' || v.verdict === 'already_recorded';
/** The map without `k`: the same map when it has no `k` (the common case: no read was given up on). */
const without = <K, V>(m: ReadonlyMap<K, V>, k: K): ReadonlyMap<K, V> => {
  if (!m.has(k)) return m;
  const next = new Map(m);
  next.delete(k);
  return next;
};

/** A scan queue of its own: the app has one (`useScanStore`); a test makes one with a fake core. */
export function createScanStore(deps: ScanStoreDeps) {
  return create<ScanStore>((set, get) => {
    const show = (verdict: ShownVerdict['verdict'], source: ScanSource, late = false) => {
      const shown: ShownVerdict = { id: get().nextShownId, verdict, at: new Date().toISOString(), source, ...(late ? { late } : {}) };
      set((s) => ({
        nextShownId: s.nextShownId + 1,
        latest: shown,
        cleared: false,
        history: [shown, ...s.history].slice(0, 20),
        error: verdict.verdict === 'not_recorded' ? s.error : null,
        unrecorded: verdict.verdict !== 'not_recorded' && holds(verdict) ? s.unrecorded.filter((u) => u.key !== verdict.barcode) : s.unrecorded,
      }));
      get().onVerdict?.(shown);
      return shown;
    };
    const notRecorded = (read: QueuedRead, why: NotRecorded['why']) => {
      const key = keyOf(read.raw);
      const display = displayOf(key);
      const shown = show({ verdict: 'not_recorded', display, why }, read.source);
      const entry: UnrecordedRead = { raw: read.raw.trim(), key, display, at: shown.at, source: read.source };
      // one line per envelope: a second failed read of it moves it to the top
      set((s) => ({ unrecorded: [entry, ...s.unrecorded.filter((u) => u.key !== key)] }));
      return shown;
    };
    /** the 2 s deadline of the call out now: its answer becomes late, and nothing waiting is sent */
    const deadline = (read: QueuedRead) => {
      if (get().inFlight !== read) return;
      set({ stuck: true });
      deps.deskSilent();
      const shownId = notRecorded(read, 'no_answer').id;
      set((s) => ({ gaveUp: new Map(s.gaveUp).set(read.readId, shownId) }));
      const waiting = get().queue;
      set({ queue: [] });
      for (const q of waiting) notRecorded(q, 'no_answer');
    };
    /** the core answered a read the screen had already called `Not recorded` */
    const lateAnswer = (read: QueuedRead, shownId: number, verdict: ScanVerdict) => {
      if (!holds(verdict)) {
        // still not recorded (e.g. rejected): say why in the history line, keep it listed
        set((s) => ({ history: s.history.map((h) => (h.id === shownId ? { ...h, verdict, late: true } : h)) }));
        return;
      }
      if (get().latest?.id === shownId) {
        // the panel says `Not recorded` about this very envelope: it must not stay so
        show(verdict, read.source, true);
        set((s) => ({ history: s.history.filter((h) => h.id !== shownId) }));
      } else {
        set((s) => ({
          history: s.history.map((h) => (h.id === shownId ? { ...h, verdict, late: true } : h)),
          unrecorded: s.unrecorded.filter((u) => u.key !== verdict.barcode),
        }));
      }
    };
    const scheduleTotals = () => {
      const { totalsTimer } = get();
      if (totalsTimer) clearTimeout(totalsTimer);
      set({ totalsTimer: setTimeout(() => void get().loadTotals(), 400) });
    };
    const drain = async () => {
      if (get().draining) return;
      set({ draining: true });
      try {
        while (get().queue.length > 0) {
          const [next, ...rest] = get().queue as [QueuedRead, ...QueuedRead[]];
          set({ queue: rest, inFlight: next });
          const timer = setTimeout(() => deadline(next), CONFIRM_WITHIN_MS);
          const r = await deps.call('recordScan', { barcode: next.raw, source: next.source });
          clearTimeout(timer);
          const late = get().gaveUp.get(next.readId);
          set((s) => ({ inFlight: null, stuck: false, gaveUp: without(s.gaveUp, next.readId) }));
          if (late !== undefined) {
            if (r.ok) lateAnswer(next, late, r.value);
          } else if (r.ok) show(r.value, next.source);
          else {
            notRecorded(next, 'failed');
            // the core's own refusals (signed out, locked) in words; a dead core is said by the panel
            if (r.error.code !== 'unavailable') set({ error: r.error });
          }
        }
      } finally {
        set({ draining: false });
        scheduleTotals();
      }
    };
    return {
      queue: [],
      latest: null,
      cleared: false,
      history: [],
      unrecorded: [],
      error: null,
      totals: null,
      nextShownId: 1,
      nextReadId: 1,
      draining: false,
      inFlight: null,
      stuck: false,
      gaveUp: new Map(),
      totalsTimer: null,
      onVerdict: null,
      enqueue(raw, source) {
        if (raw.trim() === '') return;
        const read: QueuedRead = { readId: get().nextReadId, raw, source };
        if (get().stuck) {
          set((s) => ({ nextReadId: s.nextReadId + 1 }));
          notRecorded(read, 'no_answer');
          return;
        }
        set((s) => ({ nextReadId: s.nextReadId + 1, queue: [...s.queue, read] }));
        void drain();
      },
      show(verdict, source) {
        show(verdict, source);
        scheduleTotals();
      },
      clear() {
        if (get().latest && !get().cleared) set({ cleared: true });
      },
      async loadTotals() {
        const r = await deps.call('scanTotals', {});
        if (r.ok) set({ totals: r.value });
      },
      setVerdictListener(onVerdict) {
        set({ onVerdict });
      },
      // Signing out forgets what this person saw, but not the envelopes still to be scanned
      // again: they are on the desk whoever signs in next. A late answer after this is shown as
      // it comes (the `Not recorded` it would replace is gone).
      reset: () => set({ queue: [], latest: null, cleared: false, history: [], error: null, totals: null, gaveUp: new Map(), nextShownId: 1 }),
    };
  });
}

export const useScanStore = createScanStore({ call, deskSilent });
