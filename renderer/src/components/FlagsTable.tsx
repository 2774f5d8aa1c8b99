// The `Flags` table: virtualised (only the rows in view are in the page) and paged from
// listFlags with offset/limit, so 100,000 flags scroll smoothly. The pages come from the query
// cache (one query per page of the filter: api/queries/flags.ts), asked again when flags
// change. A row opens the flag (click or Enter); a checkbox selects it for a grouped decision.
import { useQueryClient } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState } from 'react';
import type { OperationOutput } from '../../../shared/api/contract';
import type { FlagRow, Verdict } from '../../../shared/api/types';
import { FLAG_LABELS, FLAG_WORDS, type FlagKind } from '../../../shared/domain';
import { flagStateWords } from '../lib/flag-state-words';
import { keyOf } from '../api/queries/core';
import { useFlagPagesQuery, type FlagFilter } from '../api/queries/flags';
import { compactTimeOf, dayOf, fullDateTimeOf } from '../lib/format';
import { ErrorText } from './ErrorText';

export type { FlagFilter };

const PAGE = 200;
/** Fixed: the virtualiser places rows by this height, so every cell keeps to one line. */
const ROW_HEIGHT = 44;
const COLUMNS = 11;

/**
 * A verdict as its first word (accepted, flagged, rejected; `waiting` while the server has
 * not answered): the kind is in the Kind column. The whole verdict is the title.
 */
function verdictWords(who: 'Desk' | 'Server', verdict: Verdict | null, rowKind: FlagKind): { word: string; title: string; otherKind: string | null } {
  if (verdict === null) return { word: 'waiting', title: `${who} verdict: not received yet (not synchronised)`, otherKind: null };
  const word = verdict.outcome;
  const detail = verdict.kind ? FLAG_WORDS[verdict.kind] : (verdict.error ?? '').replace(/_/g, ' ');
  // A verdict of another kind than the row's must be seen, not only hovered.
  const otherKind = verdict.kind && verdict.kind !== rowKind ? FLAG_WORDS[verdict.kind] : null;
  return { word, title: `${who} verdict: ${word}${detail ? ` — ${detail}` : ''}`, otherKind };
}

/** A verdict cell's words: the one word, and the other kind when it differs from the row's. */
function VerdictCell({ v }: { v: ReturnType<typeof verdictWords> }) {
  return (
    <td role="cell" className={`verdict v-${v.word}`} title={v.title}>
      {v.word}
      {v.otherKind && <span className="other-kind">: {v.otherKind}</span>}
    </td>
  );
}

interface Props {
  filter: FlagFilter;
  selected: ReadonlyMap<string, FlagRow>;
  onToggle(row: FlagRow): void;
  onOpen(row: FlagRow): void;
  onTotal?(total: number): void;
}

export function FlagsTable({ filter, selected, onToggle, onOpen, onTotal }: Props) {
  const scroller = useRef<HTMLDivElement>(null);
  const queryClient = useQueryClient();
  // the pages the rows in view need (the first always: it tells the total)
  const [inView, setInView] = useState<number[]>([0]);
  const answers = useFlagPagesQuery(filter, inView, PAGE);
  const total = answers.find((a) => a.data)?.data?.total ?? null;
  const error = answers.find((a) => a.error)?.error?.message ?? null;
  /** a page's rows: asked for now, or still in the cache from before */
  const rowsOf = (page: number): FlagRow[] | undefined => {
    const i = inView.indexOf(page);
    if (i >= 0 && answers[i]?.data) return answers[i].data.rows;
    return queryClient.getQueryData<OperationOutput<'listFlags'>>(keyOf('listFlags', { ...filter, offset: page * PAGE, limit: PAGE }))?.rows;
  };

  // The pages stay while the table is shown (scrolling back is instant); a table shown again
  // asks afresh, as flags also change without a push (a scan flagged here, a server verdict).
  useEffect(() => () => queryClient.removeQueries({ queryKey: ['listFlags'], type: 'inactive' }), [queryClient]);
  // another filter: back to the top, and its first page
  useEffect(() => {
    setInView([0]);
    scroller.current?.scrollTo({ top: 0 });
  }, [filter]);
  useEffect(() => {
    if (total !== null) onTotal?.(total);
  }, [total, onTotal]);

  const virtual = useVirtualizer({ count: total ?? 0, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 12 });
  const items = virtual.getVirtualItems();
  const needed = [...new Set([0, ...items.map((i) => Math.floor(i.index / PAGE))])].sort((a, b) => a - b).join(',');
  useEffect(() => setInView(needed.split(',').map(Number)), [needed]);

  const top = items[0]?.start ?? 0;
  const bottom = items.length > 0 ? virtual.getTotalSize() - items[items.length - 1]!.end : 0;
  const today = dayOf(new Date());
  return (
    <div className="flags-table">
      <ErrorText error={error} />
      <div className="table-scroll" ref={scroller} data-total={total ?? ''}>
        {/* Explicit roles: the rows are laid out as CSS grids, and a table must stay a table to assistive tech. */}
        <table role="table" aria-label="Flags" aria-rowcount={(total ?? 0) + 1}>
          <thead role="rowgroup">
            <tr role="row" aria-rowindex={1}>
              <th role="columnheader" scope="col">
                <span className="visually-hidden">Select</span>
              </th>
              <th role="columnheader" scope="col">Kind</th>
              <th role="columnheader" scope="col">Ballot</th>
              <th role="columnheader" scope="col">Member</th>
              <th role="columnheader" scope="col">Time</th>
              {/* a soft hyphen: the narrow column's header may break as Work-/station */}
              <th role="columnheader" scope="col">Work&shy;station</th>
              <th role="columnheader" scope="col">Operator</th>
              <th role="columnheader" scope="col">Where it is</th>
              <th role="columnheader" scope="col">Desk verdict</th>
              <th role="columnheader" scope="col">Server verdict</th>
              <th role="columnheader" scope="col">State</th>
            </tr>
          </thead>
          <tbody role="rowgroup">
            {top > 0 && <tr aria-hidden="true" className="spacer" style={{ height: top }} />}
            {items.map((item) => {
              const row = rowsOf(Math.floor(item.index / PAGE))?.[item.index % PAGE];
              if (!row)
                return (
                  <tr role="row" key={item.key} aria-rowindex={item.index + 2} style={{ height: ROW_HEIGHT }}>
                    <td role="cell" colSpan={COLUMNS} className="loading">
                      Loading…
                    </td>
                  </tr>
                );
              const desk = verdictWords('Desk', row.deskVerdict, row.kind);
              const server = verdictWords('Server', row.serverVerdict, row.kind);
              const state = flagStateWords(row);
              // not today: the day above the time, small, so the row keeps its height
              const time = compactTimeOf(row.scannedAt, today);
              return (
                <tr
                  role="row"
                  key={row.flagId}
                  aria-rowindex={item.index + 2}
                  style={{ height: ROW_HEIGHT }}
                  tabIndex={0}
                  className={`flag-row state-${row.state}${selected.has(row.flagId) ? ' selected' : ''}`}
                  onClick={() => onOpen(row)}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter' && e.target === e.currentTarget) onOpen(row);
                  }}
                >
                  <td role="cell" onClick={(e) => e.stopPropagation()}>
                    <input type="checkbox" aria-label={`Select ${row.display}`} checked={selected.has(row.flagId)} onChange={() => onToggle(row)} />
                  </td>
                  <td role="cell" className="kind-cell" title={FLAG_LABELS[row.kind]}>
                    <span className={`kind kind-${row.kind}`}>{FLAG_LABELS[row.kind]}</span>
                  </td>
                  <td role="cell" className="mono ballot">{row.display}</td>
                  <td role="cell" title={row.memberRef ?? 'not in the register'}>{row.memberRef ?? '—'}</td>
                  <td role="cell" className="time" title={fullDateTimeOf(row.scannedAt)}>
                    <time dateTime={row.scannedAt}>
                      {time.day && <span className="day">{time.day}</span>} {time.clock}
                    </time>
                  </td>
                  <td role="cell" title={row.workstationName}>{row.workstationName}</td>
                  <td role="cell" title={row.operatorName}>{row.operatorName}</td>
                  {/* where the envelope is now (its tray's pocket and position there), not where it was scanned */}
                  <td role="cell" className="tray" title={row.location}>
                    <span className="tray-label">{row.location}</span>
                  </td>
                  <VerdictCell v={desk} />
                  <VerdictCell v={server} />
                  <td role="cell" className="state" title={state.title}>
                    {state.word}
                  </td>
                </tr>
              );
            })}
            {bottom > 0 && <tr aria-hidden="true" className="spacer" style={{ height: bottom }} />}
          </tbody>
        </table>
        {total === 0 && <p className="empty">No flags match.</p>}
      </div>
    </div>
  );
}
