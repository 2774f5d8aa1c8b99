// The `Flags` table's pages from the query cache: the rows in view come from listFlags by
// offset, a far scroll asks for the page there (and only it), a push that flags changed asks
// again, and the verdicts read in words. happy-dom lays nothing out, so the scroller is given
// a size (the virtualiser places rows by it).
import { act, cleanup, screen, waitFor, within } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import type { OperationInput } from '../../shared/api/contract';
import type { FlagRow } from '../../shared/api/types';
import { FlagsTable } from '../../renderer/src/components/FlagsTable';
import { fakeApi, ok, renderWithApi } from './fake-api';

// the virtualiser reads the scroller's client size
const realSize = ['clientHeight', 'clientWidth'].map((k) => [k, Object.getOwnPropertyDescriptor(HTMLElement.prototype, k)] as const);
beforeAll(() => {
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => 440 });
  Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => 1200 });
});
afterAll(() => {
  for (const [k, d] of realSize) if (d) Object.defineProperty(HTMLElement.prototype, k, d);
});
afterEach(cleanup);

const row = (n: number, over: Partial<FlagRow> = {}): FlagRow => ({
  flagId: `f${n}`,
  kind: 'duplicate_scan',
  receiptId: `r${n}`,
  display: `0042-${String(n).padStart(9, '0')}-1-00`,
  ballotNumber: n,
  issue: 1,
  memberRef: null,
  scannedAt: '2026-12-07T10:00:00.000Z',
  workstationName: 'Desk 1',
  operatorName: 'Olive',
  batchLabel: 'T-1',
  position: n,
  location: `T-1 SET-ASIDE ${n}`,
  deskVerdict: { outcome: 'flagged', kind: 'duplicate_scan', error: null },
  serverVerdict: null,
  state: 'open',
  decision: null,
  ...over,
});

/** a core holding `total` flags, answering pages of them */
function flags(total: number, shape: (n: number) => Partial<FlagRow> = () => ({})) {
  return (i: OperationInput<'listFlags'>) =>
    ok<'listFlags'>({ total, rows: Array.from({ length: Math.max(0, Math.min(i.limit, total - i.offset)) }, (_, k) => row(i.offset + k, shape(i.offset + k))) });
}
const rows = () => within(screen.getByRole('table', { name: 'Flags' })).queryAllByRole('row').filter((r) => r.classList.contains('flag-row'));
const noop = () => {};

it('shows the rows in view from the first page, with the verdicts and state in words', async () => {
  const api = fakeApi({ listFlags: flags(5, (n) => (n === 1 ? { serverVerdict: { outcome: 'flagged', kind: 'online_vote_cast', error: null } } : n === 2 ? { state: 'decided', decision: 'void_receipt' } : {})) });
  const onTotal: number[] = [];
  renderWithApi(<FlagsTable filter={{ state: 'open' }} selected={new Map()} onToggle={noop} onOpen={noop} onTotal={(t) => onTotal.push(t)} />, api);
  await waitFor(() => expect(rows()).toHaveLength(5));
  expect(api.callsOf('listFlags')).toEqual([{ state: 'open', offset: 0, limit: 200 }]);
  expect(onTotal.at(-1)).toBe(5);
  const cells = (r: HTMLElement) => within(r).getAllByRole('cell').map((c) => c.textContent);
  // Desk verdict, Server verdict, State: the last three columns
  expect(cells(rows()[0]!).slice(-3)).toEqual(['flagged', 'waiting', 'Open']);
  expect(cells(rows()[1]!).slice(-3)).toEqual(['flagged', 'flagged: member voted online', 'Open']);
  expect(cells(rows()[2]!).slice(-1)).toEqual(['Voided']);
});

it('asks only for the page a far scroll shows, and again when the core says flags changed', async () => {
  const api = fakeApi({ listFlags: flags(1000) });
  renderWithApi(<FlagsTable filter={{}} selected={new Map()} onToggle={noop} onOpen={noop} />, api);
  await waitFor(() => expect(rows().length).toBeGreaterThan(0));
  const scroller = document.querySelector('.table-scroll') as HTMLElement;
  act(() => {
    scroller.scrollTop = 700 * 44;
    scroller.dispatchEvent(new Event('scroll'));
  });
  await waitFor(() => expect(rows().some((r) => r.getAttribute('aria-rowindex') === String(700 + 2))).toBe(true));
  const offsets = api.callsOf('listFlags').map((c) => c.offset);
  expect(offsets).toContain(600);
  expect(offsets).not.toContain(200);
  expect(offsets).not.toContain(400);

  const before = api.callsOf('listFlags').length;
  act(() => api.push({ type: 'flagsChanged' }));
  await waitFor(() => expect(api.callsOf('listFlags').length).toBeGreaterThan(before));
  expect(api.callsOf('listFlags').slice(before).map((c) => c.offset).sort()).toEqual([0, 600]);
});
