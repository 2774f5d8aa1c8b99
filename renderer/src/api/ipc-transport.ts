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
    // the core has the chosen file's path, and so its name
    chooseRegisterFile: async () => {
      const fileToken = await bridge.chooseRegisterFile();
      return fileToken === null ? null : { fileToken };
    },
    saveExport: (e) => bridge.saveExport(e.exportId),
  };
}
