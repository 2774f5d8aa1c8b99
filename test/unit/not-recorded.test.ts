// Issue 14 item 1 below the screen, for either transport (Electron's IPC or the headless
// host's HTTP): a read the core leaves unanswered for 2 s, or whose call fails, is shown as
// `Not recorded` and listed; a late answer that recorded it takes it off the list and off the
// panel; a failing IPC call is a Result, never a thrown error, and tells the header.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApiResult } from '../../shared/api/contract';
import { encodeBarcode, formatBarcode } from '../../shared/barcode/barcode';

type Answer = ApiResult<'recordScan'>;
const pending: Array<{ barcode: string; answer(a: Answer): void }> = [];
/** The core as the scan queue sees it: every read waits until the test answers it. */
const fakeCall = (name: string, input: { barcode: string }) =>
  name === 'recordScan'
    ? new Promise<Answer>((answer) => pending.push({ barcode: input.barcode, answer }))
    : Promise.resolve({ ok: false, error: { code: 'unavailable', message: 'not in this test' } });
// The app's own store is built on import from the real client; this test makes its own stores.
vi.mock('../../renderer/src/api/client', () => ({ call: fakeCall }));

// Loaded by a path in a variable, so that the node side's type check (no DOM) skips the renderer.
const renderer = (path: string) => import(`../../renderer/src/${path}`) as Promise<Record<string, never>>;
interface Store<S> {
  getState(): S;
  setState(partial: Partial<S>): void;
}
interface Shown {
  id: number;
  late?: boolean;
  verdict: { verdict: string; display: string | null; barcode?: string; why?: string };
}
interface ScanState {
  queue: unknown[];
  latest: Shown | null;
  history: Shown[];
  unrecorded: Array<{ key: string }>;
  error: unknown;
  enqueue(raw: string, source: 'scanner'): void;
}
const { createScanStore, CONFIRM_WITHIN_MS } = (await renderer('state/scan-store')) as unknown as {
  createScanStore(deps: { call: typeof fakeCall; deskSilent(): void }): Store<ScanState>;
  CONFIRM_WITHIN_MS: number;
};
const { useDeskHealth, deskSilent } = (await renderer('state/desk-health')) as unknown as {
  useDeskHealth: Store<{ responding: boolean; since: string | null }>;
  deskSilent(): void;
};
/** A fresh scan queue for each test: nothing of the one before (a stuck core, a late read) carries over. */
let useScanStore: Store<ScanState>;
const { ipcClient } = (await renderer('api/ipc-transport')) as unknown as {
  ipcClient(bridge: unknown): { call(name: string, input: unknown): Promise<unknown> };
};

const b = (n: number) => encodeBarcode(1022, n, 1);
const recorded = (barcode: string, position: number): Answer => ({
  ok: true,
  value: { verdict: 'recorded', receiptId: `r${position}`, barcode, display: formatBarcode(barcode), batchLabel: 'T-1', position },
});

beforeEach(() => {
  vi.useFakeTimers();
  pending.length = 0;
  useScanStore = createScanStore({ call: fakeCall, deskSilent });
  useDeskHealth.setState({ responding: true, since: null });
});
afterEach(() => vi.useRealTimers());

describe('a read the core does not confirm', () => {
  it('is Not recorded after 2 s, listed, and a late answer that recorded it is shown as recorded', async () => {
    const s = useScanStore.getState();
    s.enqueue(b(1), 'scanner');
    s.enqueue(b(2), 'scanner');
    await vi.advanceTimersByTimeAsync(CONFIRM_WITHIN_MS - 100);
    expect(useScanStore.getState().latest).toBeNull();
    await vi.advanceTimersByTimeAsync(200);
    const st = useScanStore.getState();
    expect(st.latest?.verdict).toMatchObject({ verdict: 'not_recorded', display: formatBarcode(b(2)) });
    expect(st.unrecorded.map((u) => u.key)).toEqual([b(2), b(1)]);
    expect(useDeskHealth.getState().responding).toBe(false);
    // the second read was still queued: never sent
    expect(pending.map((p) => p.barcode)).toEqual([b(1)]);

    // the first one's answer comes late: recorded, so it leaves the list; the panel still shows the second
    pending[0]!.answer(recorded(b(1), 1));
    await vi.advanceTimersByTimeAsync(0);
    expect(useScanStore.getState().unrecorded.map((u) => u.key)).toEqual([b(2)]);
    expect(useScanStore.getState().latest?.verdict.verdict).toBe('not_recorded');
    expect(useScanStore.getState().history.find((h) => h.verdict.display === formatBarcode(b(1)))).toMatchObject({ late: true, verdict: { verdict: 'recorded' } });

    // scanned again and recorded: the list empties
    useScanStore.getState().enqueue(b(2), 'scanner');
    await vi.advanceTimersByTimeAsync(10);
    pending[1]!.answer(recorded(b(2), 2));
    await vi.advanceTimersByTimeAsync(0);
    expect(useScanStore.getState().unrecorded).toEqual([]);
    expect(useScanStore.getState().latest?.verdict.verdict).toBe('recorded');
  });

  it('a late answer about the envelope on the panel replaces its Not recorded', async () => {
    useScanStore.getState().enqueue(b(3), 'scanner');
    await vi.advanceTimersByTimeAsync(CONFIRM_WITHIN_MS + 10);
    expect(useScanStore.getState().latest?.verdict.verdict).toBe('not_recorded');
    pending[0]!.answer(recorded(b(3), 1));
    await vi.advanceTimersByTimeAsync(0);
    expect(useScanStore.getState().latest).toMatchObject({ late: true, verdict: { verdict: 'recorded', barcode: b(3) } });
    expect(useScanStore.getState().unrecorded).toEqual([]);
  });

  it('reads waiting their turn behind a core that answers (each within 2 s) are recorded, none Not recorded', async () => {
    for (const n of [6, 7, 8]) useScanStore.getState().enqueue(b(n), 'scanner');
    for (let i = 0; i < 3; i++) {
      await vi.advanceTimersByTimeAsync(1_500);
      pending[i]!.answer(recorded(b(6 + i), i + 1));
      await vi.advanceTimersByTimeAsync(0);
    }
    expect(useScanStore.getState().history.map((h) => h.verdict.verdict)).toEqual(['recorded', 'recorded', 'recorded']);
    expect(useScanStore.getState().unrecorded).toEqual([]);
  });

  it('while the core is stuck, a new read is Not recorded at once and never sent', async () => {
    useScanStore.getState().enqueue(b(9), 'scanner');
    await vi.advanceTimersByTimeAsync(CONFIRM_WITHIN_MS + 10);
    useScanStore.getState().enqueue(b(10), 'scanner');
    expect(useScanStore.getState().latest?.verdict).toMatchObject({ verdict: 'not_recorded', display: formatBarcode(b(10)) });
    expect(pending.map((p) => p.barcode)).toEqual([b(9)]);
    // the core answers again: reads are sent as before
    pending[0]!.answer(recorded(b(9), 1));
    await vi.advanceTimersByTimeAsync(0);
    useScanStore.getState().enqueue(b(10), 'scanner');
    await vi.advanceTimersByTimeAsync(0);
    expect(pending.map((p) => p.barcode)).toEqual([b(9), b(10)]);
    pending[1]!.answer(recorded(b(10), 2));
    await vi.advanceTimersByTimeAsync(0);
  });

  it('a call that fails is Not recorded at once', async () => {
    useScanStore.getState().enqueue(b(4), 'scanner');
    pending[0]!.answer({ ok: false, error: { code: 'unavailable', message: 'The app did not answer. Is it still running?' } });
    await vi.advanceTimersByTimeAsync(0);
    expect(useScanStore.getState().latest?.verdict).toMatchObject({ verdict: 'not_recorded', why: 'failed' });
    expect(useScanStore.getState().unrecorded.map((u) => u.key)).toEqual([b(4)]);
  });
});

describe("Electron's IPC transport", () => {
  it('turns a failing call into an unavailable Result and tells the header; an answer calms it', async () => {
    let fail = true;
    const bridge = {
      operations: new Proxy({}, { get: () => () => (fail ? Promise.reject(new Error('handler gone')) : Promise.resolve({ ok: true, value: null })) }),
      subscribe: () => () => undefined,
      chooseRegisterFile: () => Promise.resolve(null),
      saveExport: () => Promise.resolve(),
    };
    const client = ipcClient(bridge);
    const r = await client.call('recordScan', { barcode: b(5), source: 'scanner' });
    expect(r).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    expect(useDeskHealth.getState().responding).toBe(false);
    fail = false;
    expect(await client.call('syncStatus', {})).toMatchObject({ ok: true });
    expect(useDeskHealth.getState().responding).toBe(true);
  });
});
