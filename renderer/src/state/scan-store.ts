// The scanner queue: every read (Enter or Tab ends one) is queued and judged once, in the
// order it was read, one round trip at a time — never merged, never lost, even when reads
// arrive faster than verdicts. Also the session's totals, refreshed when the queue is empty.
import { create } from 'zustand';
import type { ApiError, ScanTotals, ScanVerdict } from '../../../shared/api/types';
import type { ScanSource } from '../../../shared/domain';
import { call } from '../api/client';

export interface ShownVerdict {
  id: number;
  verdict: ScanVerdict;
  at: string;
  source: ScanSource;
}

interface ScanStore {
  queue: Array<{ raw: string; source: ScanSource }>;
  latest: ShownVerdict | null;
  history: ShownVerdict[];
  error: ApiError | null;
  totals: { session: ScanTotals; today: ScanTotals } | null;
  enqueue(raw: string, source: ScanSource): void;
  /** a verdict from another path (manual entry) shown the same way */
  show(verdict: ScanVerdict, source: ScanSource): void;
  loadTotals(): Promise<void>;
  reset(): void;
}

let nextId = 1;
let draining = false;
let totalsTimer: ReturnType<typeof setTimeout> | null = null;

export const useScanStore = create<ScanStore>((set, get) => {
  const show = (verdict: ScanVerdict, source: ScanSource) => {
    const shown: ShownVerdict = { id: nextId++, verdict, at: new Date().toISOString(), source };
    set((s) => ({ latest: shown, history: [shown, ...s.history].slice(0, 20), error: null }));
    onVerdict?.(shown);
  };
  const scheduleTotals = () => {
    if (totalsTimer) clearTimeout(totalsTimer);
    totalsTimer = setTimeout(() => void get().loadTotals(), 400);
  };
  const drain = async () => {
    if (draining) return;
    draining = true;
    try {
      while (get().queue.length > 0) {
        const [next, ...rest] = get().queue;
        set({ queue: rest });
        const r = await call('recordScan', { barcode: next!.raw, source: next!.source });
        if (r.ok) show(r.value, next!.source);
        else set({ error: r.error });
      }
    } finally {
      draining = false;
      scheduleTotals();
    }
  };
  return {
    queue: [],
    latest: null,
    history: [],
    error: null,
    totals: null,
    enqueue(raw, source) {
      if (raw.trim() === '') return;
      set((s) => ({ queue: [...s.queue, { raw, source }] }));
      void drain();
    },
    show(verdict, source) {
      show(verdict, source);
      scheduleTotals();
    },
    async loadTotals() {
      const r = await call('scanTotals', {});
      if (r.ok) set({ totals: r.value });
    },
    reset: () => {
      nextId = 1;
      set({ queue: [], latest: null, history: [], error: null, totals: null });
    },
  };
});

/** One listener for sound (set by the scan screen). */
let onVerdict: ((v: ShownVerdict) => void) | null = null;
export function setVerdictListener(listener: ((v: ShownVerdict) => void) | null): void {
  onVerdict = listener;
}
