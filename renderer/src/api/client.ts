// The renderer's one API client: Electron's bridge when the preload put it there, the
// headless host's HTTP otherwise. Screens cannot tell them apart.
import type { ApiClient, ApiResult, OperationInput, OperationName } from '../../../shared/api/contract';
import { httpClient } from './http-transport';
import { ipcClient } from './ipc-transport';

export const api: ApiClient = window.ballotIntake ? ipcClient(window.ballotIntake) : httpClient();

export function call<K extends OperationName>(name: K, input: OperationInput<K>): Promise<ApiResult<K>> {
  return api.call(name, input);
}
