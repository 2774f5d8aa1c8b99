// Supervisors manage who works here.
import { ok } from '../../../../../shared/result';
import type { Core } from '../../core';
import type { SomeHandlers } from '../handler';

export function peopleHandlers(core: Core): SomeHandlers<'listPeople' | 'addPerson' | 'setPersonDisabled' | 'resetPin'> {
  const actor = () => core.session.info!.personId;
  return {
    listPeople: () => ok(core.people.list()),
    addPerson: (input, { now }) => core.people.add(input, actor(), now),
    setPersonDisabled: (input, { now }) => core.people.setDisabled(input.personId, input.disabled, actor(), now),
    resetPin: (input, { now }) => core.people.resetPin(input.personId, input.pin, actor(), now),
  };
}
