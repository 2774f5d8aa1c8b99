// The operator's desk: the verdict (upper part of the screen), the `Ballot barcode` field
// that has focus whenever nothing else asked for it, the reads not recorded, the tray and
// its running count, the session's totals, the last 20 scans, and manual entry, camera and
// tray buttons, each main action also on a function key (README, operator guide).
import { useEffect, useRef, useState } from 'react';
import { CameraView } from '../camera/CameraView';
import { CloseBatchDialog, OpenBatchDialog } from '../components/BatchDialogs';
import { ClockWarning } from '../components/ClockWarning';
import { ErrorText } from '../components/ErrorText';
import { LastScans } from '../components/LastScans';
import { ManualEntryDialog } from '../components/ManualEntryDialog';
import { NotRecordedList } from '../components/NotRecordedList';
import { ScanField } from '../components/ScanField';
import { ScanResult } from '../components/ScanResult';
import { Shortcut } from '../components/Shortcut';
import type { BatchSummary, ScanTotals } from '../../../shared/api/types';
import { count } from '../lib/format';
import { playVerdict } from '../lib/sound';
import { useAppStore } from '../state/app-store';
import { useScanStore } from '../state/scan-store';

type Panel = 'open' | 'close' | 'manual' | 'camera' | null;

export function ScanScreen() {
  const state = useAppStore((s) => s.state)!;
  // One selector each: typing (the queue growing) re-renders only what shows the queue.
  const latest = useScanStore((s) => s.latest);
  const cleared = useScanStore((s) => s.cleared);
  const unrecorded = useScanStore((s) => s.unrecorded);
  const history = useScanStore((s) => s.history);
  const error = useScanStore((s) => s.error);
  const totals = useScanStore((s) => s.totals);
  const waiting = useScanStore((s) => s.queue.length);
  const enqueue = useScanStore((s) => s.enqueue);
  const loadTotals = useScanStore((s) => s.loadTotals);
  const [panel, setPanel] = useState<Panel>(null);
  const [closed, setClosed] = useState<BatchSummary | null>(null);
  const batch = state.openBatch;
  const muted = state.settings.muted;

  useEffect(() => {
    void loadTotals();
  }, [loadTotals]);
  const setVerdictListener = useScanStore((s) => s.setVerdictListener);
  useEffect(() => {
    setVerdictListener((v) => !muted && playVerdict(v.verdict.verdict));
    return () => setVerdictListener(null);
  }, [muted, setVerdictListener]);
  // A verdict belongs to its tray: opening or closing one clears the panel.
  const trayId = batch?.id ?? null;
  const shownTray = useRef(trayId);
  useEffect(() => {
    if (shownTray.current !== trayId) useScanStore.getState().clear();
    shownTray.current = trayId;
  }, [trayId]);
  // The main actions on function keys, while no dialog is open.
  useEffect(() => {
    if (panel !== null && panel !== 'camera') return;
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.altKey || e.metaKey || e.shiftKey || document.querySelector('dialog[open]')) return;
      const next = ({ F2: batch ? null : 'open', F3: batch ? 'close' : null, F4: 'manual' } as const)[e.key as 'F2' | 'F3' | 'F4'];
      if (next === undefined) return;
      e.preventDefault();
      if (next === 'open') setClosed(null);
      if (next) setPanel(next);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [panel, batch]);

  // The tray's running count: the position of the latest envelope put in the tray itself (a
  // flagged one goes to a pocket: its position is there), without asking the core after every scan.
  const lastPosition = history.find((h) => h.verdict.verdict === 'recorded' && h.verdict.batchLabel === batch?.label);
  const inTray = Math.max(batch?.places.find((p) => p.place === 'tray')?.expected ?? 0, lastPosition && 'position' in lastPosition.verdict ? lastPosition.verdict.position : 0);

  return (
    <section className="scan-screen">
      <ScanResult shown={latest} cleared={cleared} trayLabel={batch?.label ?? null} />
      <div className="scan-line">
        <ScanField keepFocus={panel === null} />
        <div className="scan-actions">
          <button type="button" aria-keyshortcuts="F4" onClick={() => setPanel('manual')}>
            Manual entry <Shortcut keys="F4" />
          </button>
          <button type="button" aria-pressed={panel === 'camera'} onClick={() => setPanel(panel === 'camera' ? null : 'camera')}>
            Camera
          </button>
          <button type="button" aria-keyshortcuts="F2" onClick={() => (setClosed(null), setPanel('open'))} disabled={!!batch}>
            Open batch <Shortcut keys="F2" />
          </button>
          <button type="button" aria-keyshortcuts="F3" onClick={() => setPanel('close')} disabled={!batch}>
            Close batch <Shortcut keys="F3" />
          </button>
        </div>
      </div>
      <NotRecordedList reads={unrecorded} />
      <div className="scan-messages">
        <ClockWarning />
        {!batch && <p className="warning big">No tray is open: press Open batch before scanning. Scans are refused until a tray is open.</p>}
        {closed && (
          <p className={closed.discrepancy ? 'warning' : 'ok'} role="status">
            Tray {closed.label} closed: {closed.envelopeCount} scanned, {closed.physicalCount} counted
            {closed.discrepancyWords
              ? `${closed.discrepancy ? ` — discrepancy of ${closed.discrepancy > 0 ? '+' : ''}${closed.discrepancy} recorded.` : ' — a discrepancy was recorded:'} ${closed.discrepancyWords}`
              : ', no discrepancy.'}
          </p>
        )}
        <ErrorText error={error} />
      </div>
      {panel === 'camera' && (
        <CameraView decoder={state.settings.decoder} onCode={(code) => enqueue(code, 'camera')} onClose={() => setPanel(null)} />
      )}
      <div className="scan-lower">
        <section aria-label="Counts" className="counts">
          <div className="count-big">
            <span className="count-label">Tray {batch ? batch.label : '—'}</span>
            <span className="count-value">{batch ? count(inTray) : '—'}</span>
            <span className="count-label">{batch?.expectedCount ? `of ${count(batch.expectedCount)} expected` : inTray === 1 ? 'envelope in this tray' : 'envelopes in this tray'}</span>
          </div>
          <Totals title="This session" totals={totals?.session} />
          <Totals title="Today at this desk" totals={totals?.today} />
          <p className="queue">{waiting > 0 ? `${waiting} reads waiting for a verdict` : ' '}</p>
        </section>
        <LastScans history={history} />
      </div>
      <OpenBatchDialog open={panel === 'open'} onClose={() => setPanel(null)} />
      <CloseBatchDialog
        open={panel === 'close'}
        batch={batch}
        scanned={inTray}
        onClose={(c) => {
          if (c) setClosed(c);
          setPanel(null);
        }}
      />
      <ManualEntryDialog open={panel === 'manual'} onClose={() => setPanel(null)} />
    </section>
  );
}

function Totals({ title, totals }: { title: string; totals: ScanTotals | undefined }) {
  return (
    <dl className="totals" aria-label={title}>
      <dt className="totals-title">{title}</dt>
      <dd>
        <span className="t-recorded">{totals ? count(totals.recorded) : '—'} recorded</span>
        <span className="t-flagged">{totals ? count(totals.flagged) : '—'} flagged</span>
        <span className="t-repeat">{totals ? count(totals.alreadyRecorded) : '—'} repeats</span>
        <span className="t-rejected">{totals ? count(totals.rejected) : '—'} rejected</span>
      </dd>
    </dl>
  );
}
