// The shape the Electron preload puts on `window.ballotIntake`: one named function per
// operation (never a raw ipcRenderer), the push-event subscription, and the two things only
// the shell can do (the native file chooser and the save dialog).
import type { OPERATION_NAME_LIST } from './operation-names';
import type { ApiError, PushEvent } from './types';
import type { Result } from '../result';

export type BridgeOperationName = (typeof OPERATION_NAME_LIST)[number];

export interface BallotIntakeBridge {
  readonly operations: Readonly<Record<BridgeOperationName, (input: unknown) => Promise<Result<unknown, ApiError>>>>;
  subscribe(listener: (event: PushEvent) => void): () => void;
  chooseRegisterFile(): Promise<string | null>;
  saveExport(exportId: string): Promise<void>;
}

/** IPC channel names, shared by preload and main so they cannot drift apart. */
export const IPC = {
  operation: (name: BridgeOperationName) => `api:${name}`,
  event: 'api:event',
  chooseRegisterFile: 'shell:choose-register-file',
  saveExport: 'shell:save-export',
} as const;
