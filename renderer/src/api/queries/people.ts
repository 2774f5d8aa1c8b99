// People: the list (also the audit screen's names), adding, disabling, a new PIN.
import { useQuery } from '@tanstack/react-query';
import { useApi } from '../context';
import { apiQuery, useApiMutation } from './core';

export function usePeopleQuery() {
  const api = useApi();
  return useQuery(apiQuery(api, 'listPeople', {}));
}

/** the names on the sign-in list (also who may confirm a clock that is off) */
export function useSignInNamesQuery(enabled = true) {
  const api = useApi();
  return useQuery({ ...apiQuery(api, 'listSignInNames', {}), enabled });
}

/** who may confirm a manual entry */
export function useConfirmersQuery(enabled: boolean) {
  const api = useApi();
  return useQuery({ ...apiQuery(api, 'listConfirmers', {}), enabled });
}

const PEOPLE_LISTS = ['listPeople', 'listSignInNames', 'listConfirmers'] as const;

export function useAddPersonMutation() {
  return useApiMutation('addPerson', PEOPLE_LISTS);
}

export function useSetPersonDisabledMutation() {
  return useApiMutation('setPersonDisabled', PEOPLE_LISTS);
}

export function useResetPinMutation() {
  return useApiMutation('resetPin', PEOPLE_LISTS);
}
