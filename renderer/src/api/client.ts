// The renderer's one API client: Electron's bridge when the preload put it there, the
// headless host's HTTP otherwise. Screens cannot tell them apart.
import type { ApiClient, ApiResult, OperationInput, OperationName } from '../../../shared/api/contract';
import { httpClient } from './http-transport';
import { ipcClient } from './ipc-transport';

export const api: ApiClient = window.ballotIntake ? ipcClient(window.ballotIntake) : httpClient();

/** When the renderer last called the core: every call keeps the session awake (idle lock). */
export const activity = { lastCallAt: Date.now() };

export function call<K extends OperationName>(name: K, input: OperationInput<K>): Promise<ApiResult<K>> {
  activity.lastCallAt = Date.now();
  return api.call(name, input);
}
