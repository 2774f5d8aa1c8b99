import { describe, expect, it } from 'vitest';
import { createSenderCheck, FORBIDDEN_SENDER, forwardPushEvents, registerIpc } from '../../electron/main/ipc';
import type { ShellDialogs } from '../../electron/main/shell/dialogs';
import { IPC } from '../../shared/api/bridge';
import { OPERATION_NAME_LIST } from '../../shared/api/operation-names';
import { err } from '../../shared/result';
import { FakeApp, memoryLog } from './fake-app';
import { FakeIpcMain, FakeWebContents, invokeEvent, type FakeFrame } from './fake-electron';

class ScriptedDialogs implements ShellDialogs {
  openAnswer: string | null = null;
  saveAnswer: string | null = null;
  readonly asked: string[] = [];
  async chooseRegisterFile() {
    this.asked.push('open');
    return this.openAnswer;
  }
  async chooseSaveTarget(fileName: string) {
    this.asked.push(`save ${fileName}`);
    return this.saveAnswer;
  }
}

function setup() {
  const ipcMain = new FakeIpcMain();
  const app = new FakeApp();
  const dialogs = new ScriptedDialogs();
  const copies: Array<[string, string]> = [];
  const log = memoryLog();
  const main = new FakeWebContents('app://bundle/index.html');
  let copyFails = false;
  const unregister = registerIpc({
    ipcMain,
    app,
    isTrustedSender: createSenderCheck(() => main),
    dialogs,
    copyFile: async (from, to) => {
      if (copyFails) throw new Error('ENOSPC: no space left on device');
      copies.push([from, to]);
    },
    log,
  });
  const trusted = invokeEvent(main, main.mainFrame);
  return { ipcMain, app, dialogs, copies, log, main, trusted, unregister, failCopies: () => (copyFails = true) };
}

/** Every way a request can come from somewhere other than the app window's top frame. */
function untrustedEvents(main: FakeWebContents) {
  const other = new FakeWebContents('app://bundle/index.html');
  const sameIdsWrongUrl = (url: string): FakeFrame => ({ ...main.mainFrame, url });
  return {
    'no sender frame (the frame navigated away or was destroyed)': invokeEvent(main, null),
    'a sub-frame of the app window': invokeEvent(main, main.childFrame('app://bundle/index.html')),
    'another webContents showing the app': invokeEvent(other, other.mainFrame),
    'the app window on another origin': invokeEvent(main, sameIdsWrongUrl('https://example.org/')),
    'the app window on another app:// host': invokeEvent(main, sameIdsWrongUrl('app://evil/index.html')),
    'the app window on a file:// page': invokeEvent(main, sameIdsWrongUrl('file:///tmp/index.html')),
    'a frame with the right URL but another routing id': invokeEvent(main, { ...main.mainFrame, routingId: 99 }),
  };
}

describe('registerIpc', () => {
  it('registers exactly one handler per operation and the two shell requests', () => {
    const { ipcMain } = setup();
    const expected = [...OPERATION_NAME_LIST.map((n) => IPC.operation(n)), IPC.chooseRegisterFile, IPC.saveExport];
    expect([...ipcMain.handlers.keys()].sort()).toEqual(expected.sort());
  });

  it.each(OPERATION_NAME_LIST)('%s: passes a trusted request to the core as it came', async (name) => {
    const { ipcMain, app, trusted } = setup();
    const input = { some: 'input', n: 1 };
    expect(await ipcMain.invoke(IPC.operation(name), trusted, input)).toEqual({ ok: true, value: { answeredBy: name } });
    expect(app.dispatched).toEqual([{ name, input }]);
  });

  it.each(OPERATION_NAME_LIST)('%s: refuses every untrusted sender with a value, and the core never hears of it', async (name) => {
    const { ipcMain, app, main, log } = setup();
    for (const [why, event] of Object.entries(untrustedEvents(main))) {
      const answer = await ipcMain.invoke(IPC.operation(name), event, {});
      expect(answer, why).toEqual(err(FORBIDDEN_SENDER));
    }
    expect(app.dispatched).toEqual([]);
    expect(log.lines.every((l) => l.message === 'IPC request from an untrusted sender refused')).toBe(true);
  });

  it("returns the core's refusals unchanged, and turns a bug into words plus a log line", async () => {
    const { ipcMain, app, trusted, log } = setup();
    app.answer = async () => err({ code: 'invalid_input', message: 'barcode: too long' });
    expect(await ipcMain.invoke(IPC.operation('recordScan'), trusted, { barcode: 'x'.repeat(20000) })).toEqual(
      err({ code: 'invalid_input', message: 'barcode: too long' }),
    );
    app.answer = async () => {
      throw new TypeError('boom');
    };
    const answer = await ipcMain.invoke(IPC.operation('getState'), trusted, {});
    expect(answer).toMatchObject({ ok: false, error: { code: 'failed' } });
    expect(JSON.stringify(answer)).not.toContain('boom');
    expect(log.lines.at(-1)).toMatchObject({ level: 'error', message: 'operation failed unexpectedly' });
  });

  describe(IPC.chooseRegisterFile, () => {
    it('opens the file chooser and hands the core the path, the page only a token', async () => {
      const { ipcMain, app, dialogs, trusted } = setup();
      dialogs.openAnswer = '/media/usb/register.csv';
      expect(await ipcMain.invoke(IPC.chooseRegisterFile, trusted)).toBe('token-1');
      expect(app.registeredFiles).toEqual(['/media/usb/register.csv']);
    });

    it('answers null when the chooser is cancelled', async () => {
      const { ipcMain, app, trusted } = setup();
      expect(await ipcMain.invoke(IPC.chooseRegisterFile, trusted)).toBeNull();
      expect(app.registeredFiles).toEqual([]);
    });

    it('refuses every untrusted sender without showing a dialog', async () => {
      const { ipcMain, app, dialogs, main } = setup();
      dialogs.openAnswer = '/etc/passwd';
      for (const [why, event] of Object.entries(untrustedEvents(main))) {
        expect(await ipcMain.invoke(IPC.chooseRegisterFile, event), why).toBeNull();
      }
      expect(dialogs.asked).toEqual([]);
      expect(app.registeredFiles).toEqual([]);
    });
  });

  describe(IPC.saveExport, () => {
    const withExport = () => {
      const s = setup();
      s.app.exports.set('exp-1', { path: '/data/exports/exp-1.csv', fileName: 'receipts-2026-11-25.csv' });
      return s;
    };

    it('asks where to save under the export file name, then copies it there', async () => {
      const { ipcMain, dialogs, copies, trusted } = withExport();
      dialogs.saveAnswer = '/home/sup/receipts.csv';
      await expect(ipcMain.invoke(IPC.saveExport, trusted, 'exp-1')).resolves.toBeUndefined();
      expect(dialogs.asked).toEqual(['save receipts-2026-11-25.csv']);
      expect(copies).toEqual([['/data/exports/exp-1.csv', '/home/sup/receipts.csv']]);
    });

    it('copies nothing when the dialog is cancelled', async () => {
      const { ipcMain, copies, trusted } = withExport();
      await ipcMain.invoke(IPC.saveExport, trusted, 'exp-1');
      expect(copies).toEqual([]);
    });

    it('says so when the export is unknown, malformed, or cannot be written', async () => {
      const { ipcMain, dialogs, trusted, failCopies } = withExport();
      await expect(ipcMain.invoke(IPC.saveExport, trusted, 'exp-404')).rejects.toThrow('no longer available');
      await expect(ipcMain.invoke(IPC.saveExport, trusted, { path: '/etc/passwd' })).rejects.toThrow('not an export');
      await expect(ipcMain.invoke(IPC.saveExport, trusted, 'x'.repeat(65))).rejects.toThrow('not an export');
      expect(dialogs.asked).toEqual([]);
      dialogs.saveAnswer = '/full/disk.csv';
      failCopies();
      await expect(ipcMain.invoke(IPC.saveExport, trusted, 'exp-1')).rejects.toThrow('could not be saved there: ENOSPC');
    });

    it('refuses every untrusted sender without showing a dialog or copying', async () => {
      const { ipcMain, dialogs, copies, main } = withExport();
      dialogs.saveAnswer = '/tmp/stolen.csv';
      for (const [why, event] of Object.entries(untrustedEvents(main))) {
        await expect(ipcMain.invoke(IPC.saveExport, event, 'exp-1'), why).resolves.toBeUndefined();
      }
      expect(dialogs.asked).toEqual([]);
      expect(copies).toEqual([]);
    });
  });

  it('removes every handler it registered', () => {
    const { ipcMain, unregister } = setup();
    unregister();
    expect(ipcMain.handlers.size).toBe(0);
  });
});

describe('createSenderCheck', () => {
  it('refuses everything while there is no main window', () => {
    const main = new FakeWebContents();
    expect(createSenderCheck(() => null)(invokeEvent(main, main.mainFrame))).toBe(false);
    expect(createSenderCheck(() => main)(invokeEvent(main, main.mainFrame))).toBe(true);
  });
});

describe('forwardPushEvents', () => {
  it('sends each core event to the window on the event channel while the window lives', () => {
    const app = new FakeApp();
    const contents = new FakeWebContents();
    const stop = forwardPushEvents(app, () => contents);
    app.push({ type: 'flagsChanged' });
    contents.destroyed = true;
    app.push({ type: 'sessionEnded', reason: 'idle' });
    expect(contents.sent).toEqual([{ channel: IPC.event, args: [{ type: 'flagsChanged' }] }]);
    stop();
    expect(app.listenerCount).toBe(0);
  });
});
