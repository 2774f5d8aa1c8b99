// The `Ballot barcode` field a keyboard-wedge scanner types into. Uncontrolled on purpose:
// a scanner types a character a millisecond, and React state per keystroke would only add
// work between the characters. Enter or Tab ends a read; the read is queued at once and the
// field cleared, so the next burst can start before the verdict of this one is back.
import { useEffect, useRef } from 'react';
import { useScanStore } from '../state/scan-store';

export function ScanField({ keepFocus }: { keepFocus: boolean }) {
  const ref = useRef<HTMLInputElement>(null);
  const enqueue = useScanStore((s) => s.enqueue);

  useEffect(() => {
    if (!keepFocus) return;
    const input = ref.current!;
    // After the current render's effects: a closing modal dialog restores focus to its
    // opener first, and focus inside an open modal's inert background would be refused.
    const first = setTimeout(() => input.focus(), 0);
    // Take focus back after any click elsewhere on the scan screen, so the next envelope
    // scanned is never typed into nowhere.
    const refocus = () => setTimeout(() => input.isConnected && document.activeElement !== input && input.focus(), 0);
    input.addEventListener('blur', refocus);
    document.addEventListener('click', refocus);
    return () => {
      clearTimeout(first);
      input.removeEventListener('blur', refocus);
      document.removeEventListener('click', refocus);
    };
  }, [keepFocus]);

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
          e.preventDefault();
          const raw = e.currentTarget.value;
          e.currentTarget.value = '';
          enqueue(raw, 'scanner');
        }}
      />
    </label>
  );
}
