// Supervisors manage who works here.
import { ok } from '../../../../../shared/result';
import type { Core } from '../../core';
import type { SomeHandlers } from '../handler';

export function peopleHandlers(core: Core): SomeHandlers<'listPeople' | 'addPerson' | 'setPersonDisabled' | 'resetPin'> {
  return {
    listPeople: () => ok(core.people.list()),
    addPerson: (input, { now, session }) => core.people.add(input, session.personId, now),
    setPersonDisabled: (input, { now, session }) => core.people.setDisabled(input.personId, input.disabled, session.personId, now),
    resetPin: (input, { now, session }) => core.people.resetPin(input.personId, input.pin, session.personId, now),
  };
}
