// The preload as it ships: built from electron.vite.config.ts's preload section (into a
// temporary folder, so the test sees today's sources whether or not `npm run build` ran), then
// read as text and run in a bare VM context with a recording stand-in for 'electron'.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { resolveConfig } from 'electron-vite';
import { build, mergeConfig } from 'vite';
import { beforeAll, describe, expect, it } from 'vitest';
import { IPC } from '../../shared/api/bridge';
import { OPERATION_NAME_LIST } from '../../shared/api/operation-names';

let code: string;
let outDir: string;

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'preload-bundle-'));
  const resolved = await resolveConfig({ root: process.cwd() }, 'build', 'production');
  const preload = resolved.config?.preload;
  if (!preload) throw new Error('electron.vite.config.ts has no preload section');
  await build(mergeConfig(preload, { logLevel: 'silent', build: { outDir, emptyOutDir: true } }));
  code = readFileSync(join(outDir, 'index.cjs'), 'utf8');
}, 60_000);

/** Runs the bundle as Electron's sandboxed preload loader would: CommonJS, one require. */
function runPreload() {
  const required: string[] = [];
  const exposed: Record<string, unknown> = {};
  const invoked: Array<{ channel: string; args: unknown[] }> = [];
  const listeners = new Map<string, Set<(...args: unknown[]) => void>>();
  const electron = {
    contextBridge: {
      exposeInMainWorld: (key: string, api: unknown) => {
        exposed[key] = api;
      },
    },
    ipcRenderer: {
      invoke: (channel: string, ...args: unknown[]) => {
        invoked.push({ channel, args });
        return Promise.resolve({ ok: true, value: channel });
      },
      on: (channel: string, l: (...args: unknown[]) => void) => {
        listeners.set(channel, (listeners.get(channel) ?? new Set()).add(l));
      },
      removeListener: (channel: string, l: (...args: unknown[]) => void) => {
        listeners.get(channel)?.delete(l);
      },
    },
  };
  const module = { exports: {} };
  runInNewContext(code, {
    require: (name: string) => {
      required.push(name);
      if (name !== 'electron') throw new Error(`the preload required ${name}`);
      return electron;
    },
    module,
    exports: module.exports,
  });
  const emit = (channel: string, ...args: unknown[]) => listeners.get(channel)?.forEach((l) => l(...args));
  return { required, exposed, invoked, listeners, emit };
}

describe('the preload bundle', () => {
  it('is a single CommonJS file (a sandboxed preload cannot load ES modules or chunks)', () => {
    expect(readdirSync(outDir)).toEqual(['index.cjs']);
    expect(code).not.toMatch(/^\s*(import|export)\s/m);
    expect(code).not.toMatch(/\bimport\s*\(/);
    expect(code).toMatch(/require\(["']electron["']\)/);
  });

  it("requires nothing but 'electron'", () => {
    const requires = [...code.matchAll(/\brequire\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((m) => m[1]);
    expect(new Set(requires)).toEqual(new Set(['electron']));
    expect(code).not.toMatch(/\brequire\(\s*[^"'`\s]/); // no computed require either
    expect(runPreload().required).toEqual(['electron']);
  });

  it('exposes only window.ballotIntake, with the named operations and three shell functions', () => {
    const { exposed } = runPreload();
    expect(Object.keys(exposed)).toEqual(['ballotIntake']);
    const bridge = exposed.ballotIntake as Record<string, unknown>;
    expect(Object.keys(bridge).sort()).toEqual(['chooseRegisterFile', 'operations', 'saveExport', 'subscribe']);
    const operations = bridge.operations as Record<string, unknown>;
    expect(Object.keys(operations).sort()).toEqual([...OPERATION_NAME_LIST].sort());
    for (const fn of Object.values(operations)) expect(typeof fn).toBe('function');
  });

  it('sends each operation on its own channel with the input and nothing else', async () => {
    const { exposed, invoked } = runPreload();
    const operations = (exposed.ballotIntake as { operations: Record<string, (input: unknown) => Promise<unknown>> }).operations;
    for (const name of OPERATION_NAME_LIST) {
      expect(await operations[name]!({ from: name })).toEqual({ ok: true, value: IPC.operation(name) });
    }
    expect(invoked).toEqual(OPERATION_NAME_LIST.map((name) => ({ channel: IPC.operation(name), args: [{ from: name }] })));
  });

  it('carries the shell requests on their channels', async () => {
    const { exposed, invoked } = runPreload();
    const bridge = exposed.ballotIntake as { chooseRegisterFile(): Promise<unknown>; saveExport(id: string): Promise<unknown> };
    await bridge.chooseRegisterFile();
    await bridge.saveExport('exp-1');
    expect(invoked).toEqual([
      { channel: IPC.chooseRegisterFile, args: [] },
      { channel: IPC.saveExport, args: ['exp-1'] },
    ]);
  });

  it('gives a subscriber the push event only (never the IPC event object) until it unsubscribes', () => {
    const { exposed, emit, listeners } = runPreload();
    const bridge = exposed.ballotIntake as { subscribe(l: (...args: unknown[]) => void): () => void };
    const received: unknown[][] = [];
    const stop = bridge.subscribe((...args) => received.push(args));
    const ipcEvent = { sender: { send() {} }, ports: [] };
    emit(IPC.event, ipcEvent, { type: 'flagsChanged' });
    stop();
    emit(IPC.event, ipcEvent, { type: 'flagsChanged' });
    expect(received).toEqual([[{ type: 'flagsChanged' }]]);
    expect(listeners.get(IPC.event)?.size).toBe(0);
  });
});
