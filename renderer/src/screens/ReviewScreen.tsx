// Flags review (issue 7): filters by kind, state and tray; the virtualised `Flags` table;
// a flag opened shows everything known and the decisions; several flags of one kind can be
// decided together with one note.
import { useCallback, useMemo, useState, type ChangeEvent } from 'react';
import type { FlagRow, FlagState } from '../../../shared/api/types';
import { FLAG_KINDS, FLAG_LABELS, FLAG_WORDS, type FlagKind } from '../../../shared/domain';
import { useBatchesQuery } from '../api/queries/batches';
import { useFlagQuery, useFlagsQuery } from '../api/queries/flags';
import { combineAllowed, DecisionForm } from '../components/DecisionForm';
import { Dialog } from '../components/Dialog';
import { ErrorText } from '../components/ErrorText';
import { Field } from '../components/Field';
import { FlagDetailView } from '../components/FlagDetailView';
import { FlagsTable, type FlagFilter } from '../components/FlagsTable';
import { count } from '../lib/format';

const KIND_OPTIONS = [{ value: '', label: 'All kinds' }, ...FLAG_KINDS.map((k) => ({ value: k, label: FLAG_LABELS[k] }))];
const STATE_OPTIONS = [
  { value: 'open', label: 'Open' },
  { value: 'escalated', label: 'Escalated' },
  { value: 'decided', label: 'Decided' },
  { value: '', label: 'All states' },
];

export function ReviewScreen() {
  const [kind, setKind] = useState('');
  const [state, setState] = useState('open');
  const [batchId, setBatchId] = useState('');
  const batches = useBatchesQuery().data ?? [];
  const [selected, setSelected] = useState<Map<string, FlagRow>>(new Map());
  const [opened, setOpened] = useState<FlagRow | null>(null);
  // The group being decided, fixed when its dialog opens.
  const [grouped, setGrouped] = useState<FlagRow[] | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [total, setTotal] = useState<number | null>(null);

  // The table follows the flags by itself: a flag raised or decided (the core's push, or the
  // decision made here) invalidates its pages (api/queries/push.ts, DecisionForm's mutation).
  const filter = useMemo<FlagFilter>(
    () => ({ ...(kind ? { kind: kind as FlagKind } : {}), ...(state ? { state: state as FlagState } : {}), ...(batchId ? { batchId } : {}) }),
    [kind, state, batchId],
  );
  const toggle = useCallback(
    (row: FlagRow) =>
      setSelected((m) => {
        const next = new Map(m);
        if (next.has(row.flagId)) next.delete(row.flagId);
        else next.set(row.flagId, row);
        return next;
      }),
    [],
  );
  const selectedKinds = new Set([...selected.values()].map((r) => r.kind));
  const groupProblem = selected.size < 2 ? 'Select two or more flags to decide them together.' : selectedKinds.size > 1 ? 'Only flags of one kind can be decided together.' : null;

  const decided = (summary: string) => {
    setDone(summary);
    setOpened(null);
    setGrouped(null);
    setSelected(new Map());
  };

  return (
    <section className="review">
      <h1>Review flags</h1>
      <div className="filters">
        <Field label="Kind" options={KIND_OPTIONS} value={kind} onChange={(e) => (setKind(e.target.value), setSelected(new Map()))} />
        <Field label="State" options={STATE_OPTIONS} value={state} onChange={(e) => setState(e.target.value)} />
        <Field
          label="Tray"
          options={[{ value: '', label: 'All trays' }, ...batches.map((b) => ({ value: b.id, label: b.label }))]}
          value={batchId}
          onChange={(e: ChangeEvent<HTMLSelectElement>) => setBatchId(e.target.value)}
        />
        <p className="filter-count" aria-live="polite">
          {total === null ? '' : `${count(total)} flag${total === 1 ? '' : 's'}`}
        </p>
        <div className="group-action">
          <button type="button" disabled={groupProblem !== null} aria-describedby="group-problem" onClick={() => setGrouped([...selected.values()])}>
            Decide selected ({selected.size})
          </button>
          <small id="group-problem">{groupProblem ?? `${selected.size} flags selected: ${FLAG_WORDS[[...selectedKinds][0]!]}.`}</small>
        </div>
      </div>
      {done && (
        <p role="status" className="ok">
          {done}
        </p>
      )}
      <FlagsTable filter={filter} selected={selected} onToggle={toggle} onOpen={(r) => (setDone(null), setOpened(r))} onTotal={setTotal} />
      <Dialog title={opened ? `Flag ${opened.display}` : 'Flag'} open={opened !== null} onClose={() => setOpened(null)}>
        {opened && <OneFlag row={opened} onDecided={decided} onClose={() => setOpened(null)} />}
      </Dialog>
      <Dialog title={`Decide ${grouped?.length ?? 0} flags together`} open={grouped !== null} onClose={() => setGrouped(null)}>
        {grouped && grouped.length > 0 && <GroupOfFlags rows={grouped} onDecided={decided} onClose={() => setGrouped(null)} />}
      </Dialog>
    </section>
  );
}

function OneFlag({ row, onDecided, onClose }: { row: FlagRow; onDecided(s: string): void; onClose(): void }) {
  const flag = useFlagQuery(row.flagId);
  const detail = flag.data ?? null;
  const error = flag.error?.message ?? null;
  // Two columns: what is known scrolls on the left; the decision (note, buttons, why one is
  // not allowed, what is missing) stays in view on the right, down to a 1280×800 window.
  return (
    <div className="dialog-body flag-dialog">
      {/* a scrolling region is reached by the keyboard too */}
      <div className="flag-dialog-facts" tabIndex={0} role="region" aria-label="What is known about this flag">
        <ErrorText error={error} />
        {detail ? <FlagDetailView detail={detail} /> : !error && <p>Loading…</p>}
      </div>
      <div className="flag-dialog-decide">
        <DecisionForm flagIds={[row.flagId]} allowed={detail?.allowed ?? null} onDecided={onDecided} />
        <button type="button" className="secondary" onClick={onClose}>
          Close
        </button>
      </div>
    </div>
  );
}

function GroupOfFlags({ rows, onDecided, onClose }: { rows: FlagRow[]; onDecided(s: string): void; onClose(): void }) {
  const flags = useFlagsQuery(rows.map((r) => r.flagId));
  // the group's rules once every flag has answered; a flag that could not be read is said
  const details = flags.some((f) => f.isPending) ? null : flags.flatMap((f) => (f.data ? [f.data] : []));
  const error = flags.find((f) => f.error)?.error?.message ?? null;
  return (
    <div className="dialog-body flag-dialog">
      <div className="flag-dialog-facts" tabIndex={0} role="region" aria-label="The flags decided together">
        <p>
          {rows.length} flags, each <strong>{FLAG_WORDS[rows[0]!.kind]}</strong>: {rows.map((r) => r.display).join(', ')}
        </p>
        <ErrorText error={error} />
      </div>
      <div className="flag-dialog-decide">
        <DecisionForm flagIds={rows.map((r) => r.flagId)} allowed={details ? combineAllowed(details) : null} onDecided={onDecided} />
        <button type="button" className="secondary" onClick={onClose}>
          Close
        </button>
      </div>
    </div>
  );
}
