// The `Ballot barcode` field a keyboard-wedge scanner types into. Uncontrolled on purpose:
// a scanner types a character a millisecond, and React state per keystroke would only add
// work between the characters. Enter or Tab ends a read; the read is queued at once and the
// field cleared, so the next burst can start before the verdict of this one is back.
//
// The keyboard may leave the field (issue 14 item 6): Tab on an empty field moves on as
// anywhere else. Focus comes back when a dialog closes, after each verdict, after a click on
// the screen, and on the first digit typed anywhere on the scan screen — that digit is kept,
// so a scanner read that starts while focus is on a button is still read whole.
import { useEffect, useRef } from 'react';
import { useScanStore } from '../state/scan-store';

/** what a scanner's read starts with: a digit, or `]` of an AIM symbology prefix */
const READ_START = /^[0-9\]]$/;

const typesText = (el: Element | null) =>
  el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement || (el instanceof HTMLElement && el.isContentEditable);

/** a modal dialog (even one opened from the header) owns the keyboard while it is open */
const dialogOpen = () => document.querySelector('dialog[open]') !== null;

export function ScanField({ keepFocus }: { keepFocus: boolean }) {
  const ref = useRef<HTMLInputElement>(null);
  const enqueue = useScanStore((s) => s.enqueue);
  const latestId = useScanStore((s) => s.latest?.id ?? 0);

  useEffect(() => {
    if (!keepFocus) return;
    const input = ref.current!;
    // After the current render's effects: a closing modal dialog restores focus to its
    // opener first, and focus inside an open modal's inert background would be refused.
    const first = setTimeout(() => input.focus(), 0);
    // A click elsewhere on the screen (not into another field) brings focus back, so the
    // next envelope scanned is never typed into nowhere.
    const refocus = () => setTimeout(() => input.isConnected && !dialogOpen() && !typesText(document.activeElement) && input.focus(), 0);
    const digitAnywhere = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.altKey || e.metaKey || !READ_START.test(e.key)) return;
      if (document.activeElement === input || typesText(document.activeElement) || dialogOpen()) return;
      e.preventDefault();
      input.focus();
      input.value += e.key;
    };
    document.addEventListener('click', refocus);
    document.addEventListener('keydown', digitAnywhere);
    return () => {
      clearTimeout(first);
      document.removeEventListener('click', refocus);
      document.removeEventListener('keydown', digitAnywhere);
    };
  }, [keepFocus]);

  // After each verdict, back to the field: the next envelope is the next thing to do.
  useEffect(() => {
    if (!keepFocus || latestId === 0) return;
    const input = ref.current!;
    if (document.activeElement !== input && !typesText(document.activeElement) && !dialogOpen()) input.focus();
  }, [latestId, keepFocus]);

  return (
    <label className="scan-field">
      <span>Ballot barcode</span>
      <input
        ref={ref}
        autoComplete="off"
        spellCheck={false}
        inputMode="numeric"
        onKeyDown={(e) => {
          if (e.key !== 'Enter' && e.key !== 'Tab') return;
          const raw = e.currentTarget.value;
          // Tab from an empty field is the keyboard moving on, not the end of a read.
          if (e.key === 'Tab' && raw === '') return;
          e.preventDefault();
          e.currentTarget.value = '';
          enqueue(raw, 'scanner');
        }}
      />
    </label>
  );
}
