// A small typed stand-in for the pieces of Electron the shell touches. Each class implements
// the shell's own Pick<> of the real Electron type, so a change in Electron's types, or in what
// the shell uses, breaks the type check here instead of passing silently. Behaviour is Electron's
// as documented: handlers are kept and called the way Electron calls them; events carry
// preventDefault(); ipcMain.handle refuses a second handler for one channel.
import type { BrowserWindow, Rectangle } from 'electron';
import type { GuardedContents, RecoverableContents } from '../../electron/main/window';
import type { InvokeEvent, IpcRegistry, MainContents } from '../../electron/main/ipc';
import type { PermissionCheckDetails, PermissionName, PermissionRequestDetails, PermissionSession } from '../../electron/main/shell/permissions';
import type { SafeStorageApi } from '../../electron/main/shell/safe-storage-secret-store';
import type { DialogApi } from '../../electron/main/shell/dialogs';
import type { TrackedWindow } from '../../electron/main/shell/window-state';

type Listener = (...args: any[]) => unknown;

/** Electron's `Event<Params>`: the params plus preventDefault(). */
export type FakeEvent<P extends object = object> = P & { preventDefault(): void; readonly defaultPrevented: boolean };

export function fakeEvent<P extends object>(params: P): FakeEvent<P> {
  let prevented = false;
  // defineProperty, not Object.assign: assign would copy the getter's value once, not the getter.
  return Object.defineProperties(params, {
    preventDefault: { value: () => (prevented = true) },
    defaultPrevented: { get: () => prevented },
  }) as FakeEvent<P>;
}

class Emitter {
  private readonly listeners = new Map<string, Listener[]>();
  on(event: string, listener: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  once(event: string, listener: Listener): this {
    const wrapped: Listener = (...args) => {
      this.listeners.set(event, (this.listeners.get(event) ?? []).filter((l) => l !== wrapped));
      return listener(...args);
    };
    return this.on(event, wrapped);
  }
  emit(event: string, ...args: unknown[]): boolean {
    const listeners = this.listeners.get(event) ?? [];
    for (const l of listeners) l(...args);
    return listeners.length > 0;
  }
  listenerCount(event: string): number {
    return this.listeners.get(event)?.length ?? 0;
  }
}

export interface FakeFrame {
  url: string;
  processId: number;
  routingId: number;
  parent: FakeFrame | null;
}

let nextContentsId = 1;

/** A webContents: navigation events, the window-open handler, and the IPC send side. */
export class FakeWebContents extends Emitter implements GuardedContents, RecoverableContents, MainContents {
  readonly id = nextContentsId++;
  readonly mainFrame: FakeFrame;
  windowOpenHandler: Parameters<GuardedContents['setWindowOpenHandler']>[0] | null = null;
  readonly sent: Array<{ channel: string; args: unknown[] }> = [];
  destroyed = false;

  constructor(url = 'app://bundle/index.html') {
    super();
    this.mainFrame = { url, processId: 4, routingId: 1, parent: null };
  }
  setWindowOpenHandler(handler: Parameters<GuardedContents['setWindowOpenHandler']>[0]): void {
    this.windowOpenHandler = handler;
  }
  send(channel: string, ...args: unknown[]): void {
    this.sent.push({ channel, args });
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  /** a child frame of this page (an iframe) showing `url` */
  childFrame(url: string): FakeFrame {
    return { url, processId: this.mainFrame.processId, routingId: this.mainFrame.routingId + 10, parent: this.mainFrame };
  }
  /** what Electron does on `will-navigate`: returns whether the navigation went ahead */
  navigate(url: string, event: 'will-navigate' | 'will-frame-navigate' | 'will-redirect' = 'will-navigate'): boolean {
    const e = fakeEvent({ url, isMainFrame: true, isSameDocument: false });
    this.emit(event, e, url);
    return !e.defaultPrevented;
  }
  /** what Electron does on window.open: the handler's answer */
  openWindow(url: string): { action: string } {
    if (!this.windowOpenHandler) return { action: 'allow' }; // Electron's default
    return this.windowOpenHandler({
      url,
      frameName: '',
      features: '',
      disposition: 'new-window',
      referrer: { url: '', policy: 'no-referrer' },
      postBody: undefined,
    } as unknown as Parameters<NonNullable<typeof this.windowOpenHandler>>[0]);
  }
}

/** An IpcMainInvokeEvent as the handler sees it. */
export function invokeEvent(sender: { id: number }, frame: FakeFrame | null): InvokeEvent {
  return { sender, senderFrame: frame };
}

/** ipcMain: handle/removeHandler, and invoke() to play the renderer's ipcRenderer.invoke. */
export class FakeIpcMain implements IpcRegistry {
  readonly handlers = new Map<string, (event: InvokeEvent, ...args: unknown[]) => unknown>();
  handle(channel: string, listener: (event: InvokeEvent, ...args: unknown[]) => unknown): void {
    // Electron throws on a second handler for one channel.
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  async invoke(channel: string, event: InvokeEvent, ...args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    return handler(event, ...args);
  }
}

/** A session's permission handlers, and request()/check() to play Chromium asking them. */
export class FakeSession extends Emitter implements PermissionSession {
  requestHandler: Parameters<PermissionSession['setPermissionRequestHandler']>[0] = null;
  checkHandler: Parameters<PermissionSession['setPermissionCheckHandler']>[0] = null;
  deviceHandler: Parameters<PermissionSession['setDevicePermissionHandler']>[0] = null;

  setPermissionRequestHandler(handler: Parameters<PermissionSession['setPermissionRequestHandler']>[0]): void {
    this.requestHandler = handler;
  }
  setPermissionCheckHandler(handler: Parameters<PermissionSession['setPermissionCheckHandler']>[0]): void {
    this.checkHandler = handler;
  }
  setDevicePermissionHandler(handler: Parameters<PermissionSession['setDevicePermissionHandler']>[0]): void {
    this.deviceHandler = handler;
  }
  /** Without a handler Electron grants every request: so does this stand-in. */
  request(permission: PermissionName, details: PermissionRequestDetails): Promise<boolean> {
    const handler = this.requestHandler;
    if (!handler) return Promise.resolve(true);
    return new Promise((resolve) => handler(null as never, permission, resolve, details));
  }
  check(permission: PermissionName, requestingOrigin: string, details: PermissionCheckDetails): boolean {
    return this.checkHandler ? this.checkHandler(null, permission, requestingOrigin, details) : true;
  }
  /** a download starting: returns whether it went ahead */
  download(url: string): boolean {
    const e = fakeEvent({});
    this.emit('will-download', e, { getURL: () => url });
    return !e.defaultPrevented;
  }
}

/** safeStorage with a reversible stand-in cipher and a selectable Linux backend. */
export class FakeSafeStorage implements SafeStorageApi {
  constructor(
    public available = true,
    public backend: ReturnType<NonNullable<SafeStorageApi['getSelectedStorageBackend']>> = 'gnome_libsecret',
  ) {}
  isEncryptionAvailable(): boolean {
    return this.available;
  }
  getSelectedStorageBackend() {
    return this.backend;
  }
  encryptString(plainText: string): Buffer {
    if (!this.available) throw new Error('Encryption is not available.');
    return Buffer.concat([Buffer.from('FAKE1'), Buffer.from(plainText, 'utf8').map((b) => b ^ 0x5a)]);
  }
  decryptString(encrypted: Buffer): string {
    if (!encrypted.subarray(0, 5).equals(Buffer.from('FAKE1'))) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    return Buffer.from(encrypted.subarray(5).map((b) => b ^ 0x5a)).toString('utf8');
  }
}

/** dialog: records the options it was shown with and answers with the next scripted result. */
export class FakeDialog implements DialogApi {
  readonly shown: Array<{ kind: 'open' | 'save'; options: unknown }> = [];
  openAnswer: { canceled: boolean; filePaths: string[] } = { canceled: true, filePaths: [] };
  saveAnswer: { canceled: boolean; filePath: string } = { canceled: true, filePath: '' };

  showOpenDialog(...args: unknown[]): Promise<Electron.OpenDialogReturnValue> {
    this.shown.push({ kind: 'open', options: args.at(-1) });
    return Promise.resolve(this.openAnswer);
  }
  showSaveDialog(...args: unknown[]): Promise<Electron.SaveDialogReturnValue> {
    this.shown.push({ kind: 'save', options: args.at(-1) });
    return Promise.resolve(this.saveAnswer);
  }
}

/** A BrowserWindow's size and position, and its move/resize/close events. */
export class FakeWindow extends Emitter implements TrackedWindow {
  bounds: Rectangle = { x: 10, y: 20, width: 1000, height: 700 };
  maximized = false;
  getNormalBounds(): Rectangle {
    return { ...this.bounds };
  }
  isMaximized(): boolean {
    return this.maximized;
  }
}

/** for parameters typed BrowserWindow that the code under test only passes through */
export const NO_WINDOW = (): BrowserWindow | null => null;

// The other half of "cannot drift": the real Electron objects must fit the same shapes the
// stand-ins implement (index.ts relies on it; this states it where the stand-ins live).
type Fits<Real, Shape> = Real extends Shape ? true : never;
export const REAL_ELECTRON_FITS: [
  Fits<Electron.WebContents, GuardedContents>,
  Fits<Electron.WebContents, MainContents>,
  Fits<Electron.WebContents, RecoverableContents>,
  Fits<Electron.IpcMain, IpcRegistry>,
  Fits<Electron.IpcMainInvokeEvent, InvokeEvent>,
  Fits<Electron.Session, PermissionSession>,
  Fits<Electron.SafeStorage, SafeStorageApi>,
  Fits<Electron.Dialog, DialogApi>,
  Fits<Electron.BrowserWindow, TrackedWindow>,
] = [true, true, true, true, true, true, true, true, true];
