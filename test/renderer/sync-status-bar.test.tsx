// The sync status words on every screen (contracts.md §6, `Sync status`), before only read by
// Playwright: the core's words with what waits, the pushes that keep them fresh, the detail
// behind `Details`, `Sync now`, and "not responding" when the desk's core does not answer.
import { act, cleanup, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppState, SyncStatus } from '../../shared/api/types';
import { SyncStatusBar } from '../../renderer/src/components/SyncStatusBar';
import { useAppStore } from '../../renderer/src/state/app-store';
import { deskAnswered, deskSilent } from '../../renderer/src/state/desk-health';
import { fakeApi, ok, refused, renderWithApi } from './fake-api';

afterEach(() => {
  cleanup();
  deskAnswered();
  useAppStore.setState({ state: null });
});

const status = (s: Partial<SyncStatus>): SyncStatus => ({
  state: 'up_to_date',
  waiting: 0,
  refused: 0,
  lastSuccessAt: '2026-12-07T10:00:00.000Z',
  lastError: null,
  clock: null,
  text: 'Up to date',
  ...s,
});
const words = () => screen.getByRole('status', { name: 'Sync status' });
const headline = () => words().querySelector('strong')!.textContent;

describe('the Sync status words', () => {
  it("shows the core's words, with what waits whenever the words alone would hide it", async () => {
    const api = fakeApi({ syncStatus: () => ok<'syncStatus'>(status({})) });
    renderWithApi(<SyncStatusBar signedIn={false} />, api);
    await waitFor(() => expect(headline()).toBe('Up to date'));

    act(() => api.push({ type: 'syncStatus', status: status({ state: 'syncing', waiting: 3, text: 'Syncing' }) }));
    await waitFor(() => expect(headline()).toBe('Syncing · 3 waiting'));
    act(() => api.push({ type: 'syncStatus', status: status({ state: 'waiting', waiting: 4, refused: 1, text: '4 waiting · 1 refused' }) }));
    await waitFor(() => expect(headline()).toBe('4 waiting · 1 refused'));
    // the pushes are the status's news: asked once, not again
    expect(api.callsOf('syncStatus')).toHaveLength(1);
  });

  it('keeps what is wrong behind Details, in words, with the last success', async () => {
    const api = fakeApi({
      syncStatus: () => ok<'syncStatus'>(status({ state: 'offline', waiting: 2, text: 'Offline', lastError: 'The central server could not be reached.' })),
    });
    renderWithApi(<SyncStatusBar signedIn={false} />, api);
    await waitFor(() => expect(headline()).toBe('Offline · 2 waiting'));
    const why = words().querySelector('.sync-why') as HTMLElement;
    expect(why.hidden).toBe(true);
    expect(why.textContent).toContain('The central server could not be reached.');
    expect(why.textContent).toContain('Last success');
    await userEvent.click(screen.getByRole('button', { name: 'Sync details' }));
    expect(why.hidden).toBe(false);
  });

  it('says a desk set up to work offline is not enrolled, not that it failed', async () => {
    const api = fakeApi({ syncStatus: () => ok<'syncStatus'>(status({ state: 'not_enrolled', waiting: 5, text: 'Offline' })) });
    renderWithApi(<SyncStatusBar signedIn={false} />, api);
    expect(await screen.findByText('Working offline — not enrolled')).toBeTruthy();
    expect(words().textContent).not.toContain('Last success');
  });

  it('says Offline and "Desk not responding" while the core does not answer, whatever it said last', async () => {
    const api = fakeApi({ syncStatus: () => ok<'syncStatus'>(status({})) });
    renderWithApi(<SyncStatusBar signedIn={false} />, api);
    await waitFor(() => expect(headline()).toBe('Up to date'));
    act(() => deskSilent());
    expect(headline()).toBe('Offline');
    expect(screen.getByRole('alert').textContent).toBe('Desk not responding');
    expect(words().textContent).toContain('The desk is not responding to this screen');
  });

  it("Sync now asks the core and shows the status it answers; a refusal's words show when there is no status", async () => {
    const api = fakeApi({
      syncStatus: () => refused('The app did not answer. Is it still running?', 'unavailable'),
      syncNow: () => ok<'syncNow'>(status({ state: 'syncing', waiting: 1, text: 'Syncing' })),
    });
    renderWithApi(<SyncStatusBar signedIn={true} />, api);
    await waitFor(() => expect(words().textContent).toContain('The app did not answer. Is it still running?'));
    expect(headline()).toBe('Offline');
    await userEvent.click(screen.getByRole('button', { name: 'Sync now' }));
    await waitFor(() => expect(headline()).toBe('Syncing · 1 waiting'));
    expect(api.callsOf('syncNow')).toEqual([{}]);
  });

  it('offers the refused items to a signed-in supervisor only', async () => {
    const api = fakeApi({ syncStatus: () => ok<'syncStatus'>(status({ state: 'waiting', refused: 2, text: '2 refused' })) });
    useAppStore.setState({ state: { session: { role: 'operator' } } as AppState });
    const { unmount } = renderWithApi(<SyncStatusBar signedIn={true} />, api);
    await waitFor(() => expect(headline()).toBe('2 refused · 0 waiting'));
    expect(screen.queryByRole('button', { name: 'Refused items' })).toBeNull();
    unmount();
    useAppStore.setState({ state: { session: { role: 'supervisor' } } as AppState });
    renderWithApi(<SyncStatusBar signedIn={true} />, api);
    expect(await screen.findByRole('button', { name: 'Refused items' })).toBeTruthy();
  });
});
