// The `Flags` table: virtualised (only the rows in view are in the page) and paged from
// listFlags with offset/limit, so 100,000 flags scroll smoothly. A row opens the flag (click
// or Enter); a checkbox selects it for a grouped decision.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { FlagRow, FlagState } from '../../../shared/api/types';
import { FLAG_LABELS, type FlagKind } from '../../../shared/domain';
import { call } from '../api/client';
import { timeOf } from '../lib/format';
import { ErrorText } from './ErrorText';

export interface FlagFilter {
  kind?: FlagKind;
  state?: FlagState;
  batchId?: string;
}

const PAGE = 200;
const ROW_HEIGHT = 44;
const STATE_WORDS: Record<FlagState, string> = { open: 'Open', escalated: 'Escalated', decided: 'Decided' };

interface Props {
  filter: FlagFilter;
  reloadKey: number;
  selected: ReadonlyMap<string, FlagRow>;
  onToggle(row: FlagRow): void;
  onOpen(row: FlagRow): void;
  onTotal?(total: number): void;
}

export function FlagsTable({ filter, reloadKey, selected, onToggle, onOpen, onTotal }: Props) {
  const [total, setTotal] = useState<number | null>(null);
  const [pages, setPages] = useState<Map<number, FlagRow[]>>(new Map());
  const [error, setError] = useState<string | null>(null);
  const asked = useRef(new Set<number>());
  const generation = useRef(0);
  const scroller = useRef<HTMLDivElement>(null);

  const load = useCallback(
    async (page: number, gen: number) => {
      if (asked.current.has(page)) return;
      asked.current.add(page);
      const r = await call('listFlags', { ...filter, offset: page * PAGE, limit: PAGE });
      if (gen !== generation.current) return;
      if (!r.ok) return setError(r.error.message);
      setError(null);
      setTotal(r.value.total);
      onTotal?.(r.value.total);
      setPages((m) => new Map(m).set(page, r.value.rows));
    },
    [filter, onTotal],
  );

  useEffect(() => {
    const gen = ++generation.current;
    asked.current = new Set();
    setPages(new Map());
    void load(0, gen);
    scroller.current?.scrollTo({ top: 0 });
  }, [load, reloadKey]);

  const virtual = useVirtualizer({ count: total ?? 0, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 12 });
  const items = virtual.getVirtualItems();
  useEffect(() => {
    const needed = new Set(items.map((i) => Math.floor(i.index / PAGE)));
    for (const p of needed) void load(p, generation.current);
  }, [items, load]);

  const top = items[0]?.start ?? 0;
  const bottom = items.length > 0 ? virtual.getTotalSize() - items[items.length - 1]!.end : 0;
  return (
    <div className="flags-table">
      <ErrorText error={error} />
      <div className="table-scroll" ref={scroller} data-total={total ?? ''}>
        <table aria-label="Flags" aria-rowcount={(total ?? 0) + 1}>
          <thead>
            <tr aria-rowindex={1}>
              <th scope="col">
                <span className="visually-hidden">Select</span>
              </th>
              <th scope="col">Kind</th>
              <th scope="col">Ballot</th>
              <th scope="col">Member</th>
              <th scope="col">Time</th>
              <th scope="col">Workstation</th>
              <th scope="col">Operator</th>
              <th scope="col">Tray · position</th>
              <th scope="col">Desk verdict</th>
              <th scope="col">Server verdict</th>
              <th scope="col">State</th>
            </tr>
          </thead>
          <tbody>
            {top > 0 && <tr aria-hidden="true" style={{ height: top }} />}
            {items.map((item) => {
              const row = pages.get(Math.floor(item.index / PAGE))?.[item.index % PAGE];
              if (!row)
                return (
                  <tr key={item.key} aria-rowindex={item.index + 2} style={{ height: ROW_HEIGHT }}>
                    <td colSpan={11}>Loading…</td>
                  </tr>
                );
              return (
                <tr
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
                  <td onClick={(e) => e.stopPropagation()}>
                    <input type="checkbox" aria-label={`Select ${row.display}`} checked={selected.has(row.flagId)} onChange={() => onToggle(row)} />
                  </td>
                  <td>
                    <span className={`kind kind-${row.kind}`}>{FLAG_LABELS[row.kind]}</span>
                  </td>
                  <td className="mono">{row.display}</td>
                  <td>{row.memberRef ?? '—'}</td>
                  <td>{timeOf(row.scannedAt)}</td>
                  <td>{row.workstationName}</td>
                  <td>{row.operatorName}</td>
                  <td>
                    {row.batchLabel} · {row.position}
                  </td>
                  <td>{row.deskVerdict}</td>
                  <td>{row.serverVerdict ?? 'not yet'}</td>
                  <td>{row.decision ? `${STATE_WORDS[row.state]} (${row.decision.replace('_', ' ')})` : STATE_WORDS[row.state]}</td>
                </tr>
              );
            })}
            {bottom > 0 && <tr aria-hidden="true" style={{ height: bottom }} />}
          </tbody>
        </table>
        {total === 0 && <p className="empty">No flags match.</p>}
      </div>
    </div>
  );
}
