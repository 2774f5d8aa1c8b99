// A write through a mutation hook: accepted, the lists it changes are asked again (the screen
// shows the new state without a reload of its own); refused, the core's words are shown and
// nothing is asked again.
import { cleanup, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { AppState, PersonSummary } from '../../shared/api/types';
import { PeopleScreen } from '../../renderer/src/screens/PeopleScreen';
import { useAppStore } from '../../renderer/src/state/app-store';
import { fakeApi, ok, refused, renderWithApi } from './fake-api';

beforeEach(() => useAppStore.setState({ state: { session: { personId: 'p1', role: 'supervisor' } } as AppState }));
afterEach(() => {
  cleanup();
  useAppStore.setState({ state: null });
});

const rowOf = (name: string) => screen.getByRole('rowheader', { name }).closest('tr')!;

it('disabling a person records it, says so, and shows the list as the core now has it', async () => {
  let people: PersonSummary[] = [
    { id: 'p1', name: 'Ana', role: 'supervisor', disabled: false, lockedUntil: null },
    { id: 'p2', name: 'Bob', role: 'operator', disabled: false, lockedUntil: null },
  ];
  const api = fakeApi({
    listPeople: () => ok<'listPeople'>(people),
    setPersonDisabled: ({ personId, disabled }) => {
      people = people.map((p) => (p.id === personId ? { ...p, disabled } : p));
      return ok<'setPersonDisabled'>(people.find((p) => p.id === personId)!);
    },
  });
  renderWithApi(<PeopleScreen />, api);
  await screen.findByRole('rowheader', { name: 'Bob' });
  expect(rowOf('Bob').textContent).toContain('Active');
  await userEvent.click(screen.getByRole('button', { name: 'Disable Bob' }));
  expect((await screen.findByRole('status')).textContent).toBe('Bob disabled.');
  await waitFor(() => expect(rowOf('Bob').textContent).toContain('Disabled'));
  expect(api.callsOf('setPersonDisabled')).toEqual([{ personId: 'p2', disabled: true }]);
  expect(api.callsOf('listPeople')).toHaveLength(2);
});

it("a refused write shows the core's words and asks for nothing again", async () => {
  const api = fakeApi({
    listPeople: () => ok<'listPeople'>([{ id: 'p1', name: 'Ana', role: 'supervisor', disabled: false, lockedUntil: null }]),
    setPersonDisabled: () => refused('The last supervisor cannot be disabled: add another supervisor first.'),
  });
  renderWithApi(<PeopleScreen />, api);
  await userEvent.click(await screen.findByRole('button', { name: 'Disable Ana' }));
  expect((await screen.findByRole('alert')).textContent).toBe('The last supervisor cannot be disabled: add another supervisor first.');
  expect(api.callsOf('listPeople')).toHaveLength(1);
});
