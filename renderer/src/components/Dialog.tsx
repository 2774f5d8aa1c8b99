// A modal dialog on the native <dialog> element: focus is trapped and Escape closes it.
// Every dialog has a `Cancel` button (issue 14 item 6), so the keyboard and the mouse can
// leave it without knowing Escape: this one, kept at the bottom of the dialog, unless the
// dialog's own content already has a `Cancel` or `Close` button (one way out, not two).
import { useEffect, useRef, useState, type ReactNode } from 'react';

const OWN_WAY_OUT = new Set(['Cancel', 'Close']);

export function Dialog({ title, open, onClose, children }: { title: string; open: boolean; onClose(): void; children: ReactNode }) {
  const ref = useRef<HTMLDialogElement>(null);
  const content = useRef<HTMLDivElement>(null);
  const [ownWayOut, setOwnWayOut] = useState(false);
  useEffect(() => {
    const d = ref.current!;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  // The content renders in its own time (after loading): watch it while the dialog is open.
  useEffect(() => {
    if (!open) return;
    const body = content.current!;
    const check = () =>
      setOwnWayOut([...body.querySelectorAll('button')].some((b) => OWN_WAY_OUT.has((b.getAttribute('aria-label') ?? b.textContent ?? '').trim())));
    check();
    const watch = new MutationObserver(check);
    watch.observe(body, { childList: true, subtree: true, characterData: true });
    return () => watch.disconnect();
  }, [open]);
  return (
    <dialog ref={ref} aria-label={title} onClose={onClose} onCancel={onClose}>
      <h2>{title}</h2>
      <div ref={content} className="dialog-content">
        {open && children}
      </div>
      {open && !ownWayOut && (
        <div className="dialog-cancel">
          <button type="button" className="secondary" onClick={onClose}>
            Cancel
          </button>
        </div>
      )}
    </dialog>
  );
}
