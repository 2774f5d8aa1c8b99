// The decision form and the rules of a grouped decision (issue 7), before only seen through
// Playwright: a forbidden decision is disabled with the reason beside it, a decision pressed
// without a note is answered beside its button, and what the core says is shown in words.
import { cleanup, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FlagDetail } from '../../shared/api/types';
import { combineAllowed, DecisionForm, type Allowed } from '../../renderer/src/components/DecisionForm';
import { fakeApi, ok, refused, renderWithApi } from './fake-api';

afterEach(cleanup);

const button = (name: string) => screen.getByRole('button', { name }) as HTMLButtonElement;

const everything: Allowed = {
  set_aside: { allowed: true, reason: null },
  count: { allowed: true, reason: null },
  void_receipt: { allowed: true, reason: null },
  escalate: { allowed: true, reason: null },
};

/** a flag's detail with only what combineAllowed reads */
const detail = (allowed: Partial<Allowed>): FlagDetail => ({ allowed: { ...everything, ...allowed } }) as FlagDetail;

describe('combineAllowed', () => {
  it('allows a decision only when every flag of the group allows it, and says for how many it is not', () => {
    const group = combineAllowed([
      detail({ count: { allowed: false, reason: 'The member voted online.' } }),
      detail({}),
      detail({ count: { allowed: false, reason: 'The member voted online.' }, void_receipt: { allowed: false, reason: 'Already voided.' } }),
    ])!;
    expect(group.set_aside).toEqual({ allowed: true, reason: null });
    expect(group.escalate).toEqual({ allowed: true, reason: null });
    expect(group.count).toEqual({ allowed: false, reason: 'Not allowed for 2 of 3: The member voted online.' });
    expect(group.void_receipt).toEqual({ allowed: false, reason: 'Not allowed for 1 of 3: Already voided.' });
  });

  it('says "Not allowed" when no flag allows it, each different reason once', () => {
    const group = combineAllowed([detail({ count: { allowed: false, reason: 'A.' } }), detail({ count: { allowed: false, reason: 'B.' } })])!;
    expect(group.count.reason).toBe('Not allowed: A. B.');
  });

  it('has nothing to combine for an empty group', () => {
    expect(combineAllowed([])).toBeNull();
  });
});

describe('DecisionForm', () => {
  it('disables a forbidden decision and gives the reason as its description', () => {
    renderWithApi(
      <DecisionForm flagIds={['f1']} allowed={{ ...everything, count: { allowed: false, reason: 'The member voted online: this envelope cannot count.' } }} onDecided={() => {}} />,
      fakeApi(),
    );
    const count = screen.getByRole('button', { name: 'Count', description: 'The member voted online: this envelope cannot count.' });
    expect((count as HTMLButtonElement).disabled).toBe(true);
    expect(button('Set aside').disabled).toBe(false);
  });

  it('disables every decision until the flag is known', () => {
    renderWithApi(<DecisionForm flagIds={['f1']} allowed={null} onDecided={() => {}} />, fakeApi());
    for (const name of ['Set aside', 'Count', 'Void receipt', 'Escalate']) expect(button(name).disabled).toBe(true);
  });

  it('answers a decision pressed without a note beside that button, and records nothing', async () => {
    const api = fakeApi();
    renderWithApi(<DecisionForm flagIds={['f1']} allowed={everything} onDecided={() => {}} />, api);
    await userEvent.click(screen.getByRole('button', { name: 'Set aside' }));
    expect(screen.getByRole('alert').textContent).toBe('Write a note first: every decision needs one.');
    // beside the button pressed (its description), not the others
    screen.getByRole('button', { name: 'Set aside', description: 'Write a note first: every decision needs one.' });
    screen.getByRole('button', { name: 'Count', description: '' });
    expect(document.activeElement).toBe(screen.getByRole('textbox', { name: 'Note' }));
    expect(api.callsOf('decideFlags')).toEqual([]);
    // typing the note takes the words away
    await userEvent.type(screen.getByRole('textbox', { name: 'Note' }), 'Checked the pack.');
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('records the decision with its note and says how many were decided', async () => {
    const api = fakeApi({ decideFlags: (i) => ok<'decideFlags'>(i.flagIds.map((flagId) => ({ flagId, ok: true, message: null }))) });
    const onDecided = vi.fn();
    renderWithApi(<DecisionForm flagIds={['f1', 'f2']} allowed={everything} onDecided={onDecided} />, api);
    await userEvent.type(screen.getByRole('textbox', { name: 'Note' }), 'Both the same envelope.');
    await userEvent.click(screen.getByRole('button', { name: 'Void receipt' }));
    await waitFor(() => expect(onDecided).toHaveBeenCalledWith('Void receipt: 2 of 2 flags decided.'));
    expect(api.callsOf('decideFlags')).toEqual([{ flagIds: ['f1', 'f2'], decision: 'void_receipt', note: 'Both the same envelope.' }]);
  });

  it("shows the core's refusal in its words, and each flag it refused", async () => {
    const api = fakeApi({ decideFlags: () => refused('Only a supervisor may decide flags.', 'forbidden') });
    const onDecided = vi.fn();
    renderWithApi(<DecisionForm flagIds={['f1']} allowed={everything} onDecided={onDecided} />, api);
    await userEvent.type(screen.getByRole('textbox', { name: 'Note' }), 'n');
    await userEvent.click(screen.getByRole('button', { name: 'Escalate' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Only a supervisor may decide flags.');

    api.answer('decideFlags', () =>
      ok<'decideFlags'>([
        { flagId: 'f1', ok: false, message: 'This flag was decided meanwhile.' },
      ]),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Escalate' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('1 of 1 refused: This flag was decided meanwhile.'));
    expect(onDecided).not.toHaveBeenCalled();
  });
});
