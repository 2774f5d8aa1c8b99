// Writes that change who is signed in or how the workstation is set up. What they change is
// the app's own state (the app store, refreshed by the screen after an accepted write), and
// the sync status for enrolment.
import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { OperationName } from '../../../../shared/api/contract';
import { useApiMutation } from './core';

/** what the sign-in screen itself shows */
const SIGN_IN_READS: readonly OperationName[] = ['listSignInNames', 'syncStatus', 'getState'];

/**
 * On the sign-in screen (after signing out or the idle lock): the cache forgets what the last
 * person's screens read, so nothing of theirs is shown to the next person, even for a moment.
 */
export function useForgetLastSession(): void {
  const client = useQueryClient();
  useEffect(() => {
    client.removeQueries({ type: 'inactive', predicate: (q) => !SIGN_IN_READS.includes(q.queryKey[0] as OperationName) });
  }, [client]);
}

/** the end of a session: the stores reset on screen, the cache drops what the person saw (push.ts) */
export function useSignOutMutation() {
  return useApiMutation('signOut', []);
}

export function useSignInMutation() {
  return useApiMutation('signIn', []);
}

export function useCreateFirstSupervisorMutation() {
  return useApiMutation('createFirstSupervisor', []);
}

export function useUpdateSettingsMutation() {
  return useApiMutation('updateSettings', []);
}

export function useEnrolMutation() {
  return useApiMutation('enrol', ['syncStatus', 'centreFigures']);
}

export function useConfigureOfflineMutation() {
  return useApiMutation('configureOffline', ['syncStatus', 'centreFigures']);
}
