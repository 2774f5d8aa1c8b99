// A keyboard-wedge scanner, run inside the page: one character every `charMs` (key down,
// the character into the focused element, input, key up), each read ended with Enter or
// Tab, one read every `readEveryMs`. Inside the page because a test runner on a busy
// 2-core machine cannot send key events through the DevTools protocol at 1 ms a character.
// The events go to whatever has focus, as a scanner's do, and between characters the
// page's event loop runs, so verdicts arrive while the next read is being typed.
// If `window.__enterTimes` is an array, the time of each read's end key is pushed to it.
// Self-contained: it is serialised into the page.
export async function wedgeInPage({ reads, charMs, readEveryMs }: { reads: Array<{ typed: string; end?: 'Enter' | 'Tab' }>; charMs: number; readEveryMs: number }): Promise<number> {
  // A zero-delay macrotask (setTimeout is clamped to 4 ms when nested).
  const channel = new MessageChannel();
  const tick = () => new Promise<void>((ok) => ((channel.port1.onmessage = () => ok()), channel.port2.postMessage(null)));
  const until = async (t: number) => {
    while (performance.now() < t) await tick();
  };
  const key = (type: 'keydown' | 'keyup', k: string) => {
    const target = (document.activeElement ?? document.body) as HTMLElement;
    return target.dispatchEvent(new KeyboardEvent(type, { key: k, code: k.length === 1 ? `Key${k}` : k, bubbles: true, cancelable: true, composed: true }));
  };
  const enterTimes = (window as unknown as { __enterTimes?: number[] }).__enterTimes;
  const t0 = performance.now();
  let lastStart = t0;
  for (const [i, read] of reads.entries()) {
    await until(t0 + i * readEveryMs);
    lastStart = performance.now();
    let t = lastStart;
    for (const ch of read.typed) {
      if (key('keydown', ch)) {
        const target = document.activeElement;
        if (target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement) {
          target.value += ch;
          target.dispatchEvent(new InputEvent('input', { data: ch, inputType: 'insertText', bubbles: true, composed: true }));
        }
      }
      key('keyup', ch);
      t += charMs;
      await until(t);
    }
    enterTimes?.push(performance.now());
    key('keydown', read.end ?? 'Enter');
    key('keyup', read.end ?? 'Enter');
  }
  return reads.length > 1 ? ((reads.length - 1) / Math.max(lastStart - t0, 1)) * 1000 : reads.length;
}
