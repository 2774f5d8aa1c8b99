// The IPC surface of the main process: one `ipcMain.handle` per operation of the app API, the
// two shell-only requests (file chooser, save dialog), and the push events. Every handler first
// checks that the request came from the top frame of the app's own window showing an app://
// page (security checklist item 17); anything else gets a refusal value and touches nothing.
// Inputs are validated by the app core's schemas (`app.dispatch`), not here.
import type { WebContents, WebFrameMain } from 'electron';
import { IPC } from '../../shared/api/bridge';
import { OPERATION_NAME_LIST } from '../../shared/api/operation-names';
import type { ApiError, PushEvent } from '../../shared/api/types';
import { err, type Result } from '../../shared/result';
import type { App, AppLog } from './app/app.types';
import { isAppUrl } from './shell/app-protocol';
import type { ShellDialogs } from './shell/dialogs';

/** What a handler reads of an IpcMainInvokeEvent. */
export interface InvokeEvent {
  readonly sender: Pick<WebContents, 'id'>;
  readonly senderFrame: (Pick<WebFrameMain, 'url' | 'processId' | 'routingId'> & { readonly parent: object | null }) | null;
}

export type SenderCheck = (event: InvokeEvent) => boolean;

/** What the check reads of the main window's webContents. */
export type MainContents = Pick<WebContents, 'id'> & { readonly mainFrame: Pick<WebFrameMain, 'processId' | 'routingId'> };

/**
 * The part of ipcMain this module uses (the typed stand-in implements exactly this). Narrower
 * than IpcMain's own signature in what a handler reads of the event; index.ts passes the real
 * ipcMain, so the compiler proves the two still fit.
 */
export interface IpcRegistry {
  handle(channel: string, listener: (event: InvokeEvent, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

export const FORBIDDEN_SENDER: ApiError = {
  code: 'forbidden',
  message: 'This request did not come from the Ballot Intake window, so it was refused.',
};

/**
 * Trusted: sent by the main window's webContents, from its top frame (compared by process and
 * routing id, as WebFrameMain objects are not unique per frame), which shows an app:// page.
 */
export function createSenderCheck(getMainContents: () => MainContents | null): SenderCheck {
  return (event) => {
    const main = getMainContents();
    const frame = event.senderFrame;
    if (!main || !frame) return false;
    if (event.sender.id !== main.id) return false;
    const top = main.mainFrame;
    if (frame.parent !== null || frame.processId !== top.processId || frame.routingId !== top.routingId) return false;
    return isAppUrl(frame.url);
  };
}

export interface IpcDependencies {
  ipcMain: IpcRegistry;
  app: Pick<App, 'dispatch' | 'registerFile' | 'exportFile'>;
  isTrustedSender: SenderCheck;
  dialogs: ShellDialogs;
  copyFile: (from: string, to: string) => Promise<void>;
  log: AppLog;
}

/** Registers every handler; returns the function that removes them again. */
export function registerIpc(deps: IpcDependencies): () => void {
  const { ipcMain, app, isTrustedSender, dialogs, copyFile, log } = deps;
  const channels: string[] = [];
  const handle = (channel: string, handler: (event: InvokeEvent, ...args: unknown[]) => Promise<unknown>) => {
    ipcMain.handle(channel, handler);
    channels.push(channel);
  };
  const refused = (channel: string, event: InvokeEvent) =>
    log.warn('IPC request from an untrusted sender refused', { channel, url: event.senderFrame?.url.split(/[?#]/, 1)[0] ?? null });

  for (const name of OPERATION_NAME_LIST) {
    const channel = IPC.operation(name);
    handle(channel, async (event, input): Promise<Result<unknown, ApiError>> => {
      if (!isTrustedSender(event)) {
        refused(channel, event);
        return err(FORBIDDEN_SENDER);
      }
      try {
        return await app.dispatch(name, input);
      } catch (e) {
        // A bug in the core: the page gets words, the log gets the stack.
        log.error('operation failed unexpectedly', { operation: name, error: e });
        return err({ code: 'failed', message: 'Something went wrong inside the app. The details are in the log.' });
      }
    });
  }

  handle(IPC.chooseRegisterFile, async (event): Promise<string | null> => {
    if (!isTrustedSender(event)) {
      refused(IPC.chooseRegisterFile, event);
      return null;
    }
    const path = await dialogs.chooseRegisterFile();
    return path === null ? null : app.registerFile(path);
  });

  handle(IPC.saveExport, async (event, exportId): Promise<void> => {
    if (!isTrustedSender(event)) {
      refused(IPC.saveExport, event);
      return;
    }
    if (typeof exportId !== 'string' || exportId.length === 0 || exportId.length > 64) {
      throw new Error('That is not an export of this app.');
    }
    const file = app.exportFile(exportId);
    if (!file) throw new Error('That export is no longer available. Make it again.');
    const target = await dialogs.chooseSaveTarget(file.fileName);
    if (target === null) return;
    try {
      await copyFile(file.path, target);
    } catch (e) {
      log.error('export could not be saved', { target, error: e });
      throw new Error(`The export could not be saved there: ${e instanceof Error ? e.message : String(e)}`);
    }
    log.info('export saved', { fileName: file.fileName, target });
  });

  return () => {
    for (const channel of channels) ipcMain.removeHandler(channel);
  };
}

/** Carries the core's push events to the window, for as long as it is alive. */
export function forwardPushEvents(
  app: Pick<App, 'subscribe'>,
  getContents: () => Pick<WebContents, 'send' | 'isDestroyed'> | null,
): () => void {
  return app.subscribe((event: PushEvent) => {
    const contents = getContents();
    if (contents && !contents.isDestroyed()) contents.send(IPC.event, event);
  });
}
