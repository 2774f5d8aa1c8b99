// The preload: puts `window.ballotIntake` (shared/api/bridge.ts) on the page and nothing else.
// It runs sandboxed, so it is bundled to CommonJS and may require only 'electron'; it imports
// from shared/ just the channel names and the operation list (test/electron checks the bundle).
// The page never gets ipcRenderer or the IPC event object: only named functions.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC, type BallotIntakeBridge } from '../../shared/api/bridge';
import { OPERATION_NAME_LIST } from '../../shared/api/operation-names';
import type { PushEvent } from '../../shared/api/types';

const operations = Object.fromEntries(
  OPERATION_NAME_LIST.map((name) => [name, (input: unknown) => ipcRenderer.invoke(IPC.operation(name), input)]),
) as BallotIntakeBridge['operations'];

const bridge: BallotIntakeBridge = {
  operations,
  subscribe(listener) {
    const wrapped = (_event: IpcRendererEvent, pushEvent: PushEvent) => listener(pushEvent);
    ipcRenderer.on(IPC.event, wrapped);
    return () => {
      ipcRenderer.removeListener(IPC.event, wrapped);
    };
  },
  chooseRegisterFile: () => ipcRenderer.invoke(IPC.chooseRegisterFile),
  saveExport: (exportId) => ipcRenderer.invoke(IPC.saveExport, exportId),
};

contextBridge.exposeInMainWorld('ballotIntake', bridge);
