// The Electron transport: the preload's `window.ballotIntake` bridge (named operations only).
import type { ApiClient } from '../../../shared/api/contract';
import type { BallotIntakeBridge } from '../../../shared/api/bridge';

declare global {
  interface Window {
    ballotIntake?: BallotIntakeBridge;
  }
}

export function ipcClient(bridge: BallotIntakeBridge): ApiClient {
  return {
    call: (name, input) => bridge.operations[name](input) as never,
    subscribe: (listener) => bridge.subscribe(listener),
    chooseRegisterFile: () => bridge.chooseRegisterFile(),
    saveExport: (e) => bridge.saveExport(e.exportId),
  };
}
