// The Electron transport: the preload's `window.ballotIntake` bridge (named operations only).
import type { ApiClient } from '../../../shared/api/contract';
import type { BallotIntakeBridge } from '../../../shared/api/bridge';
import { deskAnswered, deskSilent } from '../state/desk-health';

declare global {
  interface Window {
    ballotIntake?: BallotIntakeBridge;
  }
}

export function ipcClient(bridge: BallotIntakeBridge): ApiClient {
  return {
    // A call the main process fails to answer (its handler threw, the process is going away)
    // is a Result like any refusal, so the screen can say it was not recorded.
    call: async (name, input) => {
      try {
        const answer = await (bridge.operations[name](input) as Promise<never>);
        deskAnswered();
        return answer;
      } catch {
        deskSilent();
        return { ok: false, error: { code: 'unavailable', message: 'The app did not answer. Is it still running?' } } as never;
      }
    },
    subscribe: (listener) => bridge.subscribe(listener),
    // the core has the chosen file's path, and so its name
    chooseRegisterFile: async () => {
      const fileToken = await bridge.chooseRegisterFile();
      return fileToken === null ? null : { fileToken };
    },
    saveExport: (e) => bridge.saveExport(e.exportId),
  };
}
