// The renderer fetches one way (api/queries/): a read refused shows the core's words, a push
// that changes flags makes the screens showing them ask again, and the figures polled for a
// person are not asked for behind the back of someone who is away (the idle lock counts calls).
import { QueryClientProvider } from '@tanstack/react-query';
import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppState, BatchSummary, Dashboard, FlagRow } from '../../shared/api/types';
import { ApiProvider } from '../../renderer/src/api/context';
import { createQueryClient } from '../../renderer/src/api/queries/query-client';
import { useDashboardQuery } from '../../renderer/src/api/queries/dashboard';
import { useAppStore } from '../../renderer/src/state/app-store';
import { DashboardScreen } from '../../renderer/src/screens/DashboardScreen';
import { SignIn } from '../../renderer/src/screens/SignIn';
import { TraysScreen } from '../../renderer/src/screens/TraysScreen';
import { fakeApi, ok, refused, renderWithApi } from './fake-api';

afterEach(() => {
  cleanup();
  useAppStore.setState({ state: null });
});

const tray = (label: string, flaggedCount = 0): BatchSummary => ({
  id: `b-${label}`,
  label,
  expectedCount: null,
  scannedCount: 3,
  flaggedCount,
  physicalCount: null,
  discrepancy: null,
  envelopeCount: 3,
  places: [],
  discrepancyWords: null,
  openedAt: '2026-12-07T09:00:00.000Z',
  closedAt: null,
  openedBy: 'p1',
});

const figures = (openFlags: number, refused = 0): Dashboard => ({
  receiptsPer15Min: [],
  flagsByKind: { unknown_ballot: 0, duplicate_scan: openFlags, superseded_ballot: 0, member_already_returned: 0, online_vote_cast: 0, late_return: 0 },
  perOperator: [],
  waiting: 0,
  lastSyncAt: null,
  oldestWaitingAt: null,
  refused,
  openFlags,
});

describe('reads through the query cache', () => {
  it("shows a refused read in the core's own words", async () => {
    renderWithApi(<TraysScreen />, fakeApi({ listBatches: () => refused('Only a supervisor may see the trays.', 'forbidden') }));
    expect((await screen.findByRole('alert')).textContent).toBe('Only a supervisor may see the trays.');
  });

  it('asks again when the core pushes that flags changed', async () => {
    let trays = [tray('T-1')];
    const api = fakeApi({ listBatches: () => ok<'listBatches'>(trays) });
    renderWithApi(<TraysScreen />, api);
    expect(await screen.findByText('1 trays, 1 open; no discrepancies.')).toBeTruthy();
    trays = [tray('T-1'), tray('T-2', 1)];
    act(() => api.push({ type: 'flagsChanged' }));
    expect(await screen.findByText('2 trays, 2 open; no discrepancies.')).toBeTruthy();
    expect(api.callsOf('listBatches')).toHaveLength(2);
  });
});

describe('the positions of a tray', () => {
  it("name each flag's state in words, as Review does, never the codes", async () => {
    const flag = (n: number, state: FlagRow['state'], decision: FlagRow['decision']): FlagRow => ({
      flagId: `f${n}`, kind: 'duplicate_scan', receiptId: `r${n}`, display: `0042-00000000${n}-1-00`, ballotNumber: n, issue: 1, memberRef: null,
      scannedAt: '2026-12-07T10:00:00.000Z', workstationName: 'Desk 1', operatorName: 'Olive', batchLabel: 'T-1', position: n,
      location: `T-1 SET-ASIDE ${n}`, deskVerdict: { outcome: 'flagged', kind: 'duplicate_scan', error: null }, serverVerdict: null, state, decision,
    });
    const api = fakeApi({
      listBatches: () => ok<'listBatches'>([tray('T-1', 3)]),
      listFlags: () => ok<'listFlags'>({ total: 3, rows: [flag(1, 'decided', 'set_aside'), flag(2, 'escalated', 'escalate'), flag(3, 'open', null)] }),
    });
    renderWithApi(<TraysScreen />, api);
    await userEvent.click(await screen.findByRole('button', { name: 'Show positions of T-1' }));
    const shown = (await screen.findAllByRole('listitem')).map((li) => li.textContent);
    expect(shown).toEqual([
      expect.stringMatching(/\(Set aside\)$/),
      expect.stringMatching(/\(Escalated\)$/),
      expect.stringMatching(/\(Open\)$/),
    ]);
    expect(shown.join(' ')).not.toMatch(/set_aside|decided|open[:)]/);
  });
});

describe('figures for someone at the screen', () => {
  it('a push while the person is away marks the figures out of date, and they are asked at the first key', async () => {
    let open = 1;
    let there = true;
    const api = fakeApi({ dashboard: () => ok<'dashboard'>(figures(open)), centreFigures: () => ok<'centreFigures'>({ status: 'offline', reason: 'not enrolled' }) });
    renderWithApi(<DashboardScreen />, api, () => there);
    expect(await screen.findByText('1 open flags waiting for a decision.')).toBeTruthy();

    there = false;
    open = 2;
    act(() => api.push({ type: 'flagsChanged' }));
    await new Promise((r) => setTimeout(r, 50));
    expect(api.callsOf('dashboard')).toHaveLength(1);
    expect(screen.getByText('1 open flags waiting for a decision.')).toBeTruthy();

    there = true;
    await userEvent.keyboard('a');
    expect(await screen.findByText('2 open flags waiting for a decision.')).toBeTruthy();
    expect(api.callsOf('dashboard')).toHaveLength(2);
  });

  it('asks at once on a push while the person is there', async () => {
    let open = 1;
    const api = fakeApi({ dashboard: () => ok<'dashboard'>(figures(open)), centreFigures: () => ok<'centreFigures'>({ status: 'offline', reason: 'not enrolled' }) });
    renderWithApi(<DashboardScreen />, api);
    expect(await screen.findByText('1 open flags waiting for a decision.')).toBeTruthy();
    open = 3;
    act(() => api.push({ type: 'flagsChanged' }));
    await waitFor(() => expect(screen.getByText('3 open flags waiting for a decision.')).toBeTruthy());
  });
});

describe('the sync panel', () => {
  it('counts what the server refused, which waits for nobody until a supervisor sends it again', async () => {
    const api = fakeApi({ dashboard: () => ok<'dashboard'>(figures(0, 2)), centreFigures: () => ok<'centreFigures'>({ status: 'offline', reason: 'not enrolled' }) });
    renderWithApi(<DashboardScreen />, api);
    expect(await screen.findByText(/2 envelopes and decisions were refused by the central server and not sent again/)).toBeTruthy();
  });
});

describe('polling', () => {
  /** the dashboard's query, polled every 40 ms instead of 5 s */
  function Figures() {
    const q = useDashboardQuery(40);
    return <p>{q.data ? `${q.data.openFlags} open` : 'none'}</p>;
  }
  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('asks again every interval while someone is signed in, and stops when nobody is', async () => {
    const api = fakeApi({ dashboard: () => ok<'dashboard'>(figures(1)) });
    useAppStore.setState({ state: { session: { role: 'supervisor' } } as AppState });
    renderWithApi(<Figures />, api);
    await pause(300);
    const whileSignedIn = api.callsOf('dashboard').length;
    expect(whileSignedIn).toBeGreaterThanOrEqual(3);

    act(() => useAppStore.setState({ state: { session: null } as AppState }));
    await pause(50);
    const atSignOut = api.callsOf('dashboard').length;
    await pause(300);
    expect(api.callsOf('dashboard').length).toBe(atSignOut);
  });
});

it('the sign-in screen keeps nothing the last person read', async () => {
  const api = fakeApi({ listSignInNames: () => ok<'listSignInNames'>([{ id: 'p1', name: 'Ana' }]) });
  useAppStore.setState({ state: { session: null, settings: { muted: true } } as AppState });
  const queryClient = createQueryClient();
  // what a supervisor's screens left in the cache
  queryClient.setQueryData(['listPeople', {}], [{ id: 'p2', name: 'Bob', role: 'operator', disabled: false, lockedUntil: null }]);
  render(
    <ApiProvider client={api}>
      <QueryClientProvider client={queryClient}>
        <SignIn />
      </QueryClientProvider>
    </ApiProvider>,
  );
  await waitFor(() => expect(queryClient.getQueryData(['listSignInNames', {}])).toEqual([{ id: 'p1', name: 'Ana' }]));
  expect(queryClient.getQueryData(['listPeople', {}])).toBeUndefined();
});
