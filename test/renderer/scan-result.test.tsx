// The verdict words on the scan panel (contracts.md §6, `Scan result`), before only read by
// Playwright: each verdict's words, the ready words with and without a tray, and the step
// back after a few seconds that keeps the last verdict readable.
import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ScanResult, VERDICT_FRESH_MS } from '../../renderer/src/components/ScanResult';
import type { ShownVerdict } from '../../renderer/src/state/scan-store';

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

const DISPLAY = '0042-000001234-1-07';
let nextId = 1;
const shown = (verdict: ShownVerdict['verdict']): ShownVerdict => ({ id: nextId++, verdict, at: '2026-12-07T10:15:00.000Z', source: 'scanner' });
/** the status's words, white space as a reader (and Playwright's toHaveText) takes it */
const words = () => screen.getByRole('status', { name: 'Scan result' }).textContent!.replace(/\s+/g, ' ').trim();
const panel = () => document.querySelector('.scan-result')!;

describe('the Scan result words', () => {
  it('says a recorded envelope with its number', () => {
    render(<ScanResult shown={shown({ verdict: 'recorded', receiptId: 'r', barcode: 'b', display: DISPLAY, batchLabel: 'T-1', position: 3 })} cleared={false} trayLabel="T-1" />);
    expect(words()).toBe(`Recorded ${DISPLAY}`);
    expect(panel().classList.contains('verdict-recorded')).toBe(true);
  });

  it('says a flag in the words of §4, then what to do with the envelope', () => {
    render(
      <ScanResult
        shown={shown({ verdict: 'flagged', kind: 'duplicate_scan', instruction: 'put it in SET-ASIDE, position 2', receiptId: 'r', flagId: 'f', barcode: 'b', display: DISPLAY, batchLabel: 'T-1', position: 2 })}
        cleared={false}
        trayLabel="T-1"
      />,
    );
    expect(words()).toBe(`Flagged: envelope already received ${DISPLAY} — put it in SET-ASIDE, position 2`);
    expect(screen.getByRole('status', { name: 'Scan result' }).getAttribute('data-flag-kind')).toBe('duplicate_scan');
  });

  it('says an envelope already recorded, and a rejected read with its reason', () => {
    const { rerender } = render(<ScanResult shown={shown({ verdict: 'already_recorded', receiptId: 'r', barcode: 'b', display: DISPLAY })} cleared={false} trayLabel="T-1" />);
    expect(words()).toBe(`Already recorded ${DISPLAY}`);
    rerender(<ScanResult shown={shown({ verdict: 'rejected', reason: 'the check digits do not match', display: null })} cleared={false} trayLabel="T-1" />);
    expect(words()).toBe('Rejected: the check digits do not match');
  });

  it('says loudly that a read was not recorded, and why', () => {
    render(<ScanResult shown={shown({ verdict: 'not_recorded', display: DISPLAY, why: 'no_answer' })} cleared={false} trayLabel="T-1" />);
    expect(words()).toBe(`Not recorded — scan it again ${DISPLAY}`);
    expect(panel().textContent).toContain('the desk did not answer within 2 seconds');
  });

  it('says what to do before any verdict: scan into the open tray, or open one first', () => {
    const { rerender } = render(<ScanResult shown={null} cleared={false} trayLabel="T-014" />);
    expect(words()).toBe('Ready: scan an envelope into tray T-014');
    rerender(<ScanResult shown={null} cleared={false} trayLabel={null} />);
    expect(words()).toBe('No tray is open: press Open batch (F2) first');
  });

  it('forgets the verdict when a tray opens or closes (cleared)', () => {
    render(<ScanResult shown={shown({ verdict: 'already_recorded', receiptId: 'r', barcode: 'b', display: DISPLAY })} cleared={true} trayLabel="T-2" />);
    expect(words()).toBe('Ready: scan an envelope into tray T-2');
  });

  it('steps back after a few seconds: ready again, the last verdict still readable with the same words', () => {
    vi.useFakeTimers();
    render(<ScanResult shown={shown({ verdict: 'recorded', receiptId: 'r', barcode: 'b', display: DISPLAY, batchLabel: 'T-1', position: 3 })} cleared={false} trayLabel="T-1" />);
    expect(panel().textContent).not.toContain('Last read');
    act(() => void vi.advanceTimersByTime(VERDICT_FRESH_MS + 10));
    expect(panel().textContent).toContain('Ready: scan an envelope into tray T-1');
    expect(panel().textContent).toContain('Last read: ');
    expect(words()).toBe(`Recorded ${DISPLAY}`);
    expect(panel().classList.contains('scan-result-settled')).toBe(true);
  });
});
