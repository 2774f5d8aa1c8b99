// Writes that change who is signed in or how the workstation is set up. What they change is
// the app's own state (the app store, refreshed by the screen after an accepted write), and
// the sync status for enrolment.
import { useApiMutation } from './core';

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
