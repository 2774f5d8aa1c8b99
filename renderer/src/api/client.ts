// The renderer's one API client: Electron's bridge when the preload put it there, the
// headless host's HTTP otherwise. Screens cannot tell them apart. Components reach it through
// the context (api/context.tsx, given in main.tsx); `call` stays for the stores, which live
// outside React (the app state, the scan queue).
import type { ApiClient, ApiResult, OperationInput, OperationName } from '../../../shared/api/contract';
import { activity, noteCall } from './activity';
import { httpClient } from './http-transport';
import { ipcClient } from './ipc-transport';

export { activity };

export const api: ApiClient = window.ballotIntake ? ipcClient(window.ballotIntake) : httpClient();

export function call<K extends OperationName>(name: K, input: OperationInput<K>): Promise<ApiResult<K>> {
  noteCall();
  return api.call(name, input);
}
