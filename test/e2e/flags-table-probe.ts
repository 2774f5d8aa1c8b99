// In-page part of the flags_table benchmark (test/bench/flags_table.bench.ts): opens Review
// and times the first rows, a filter by kind and a far scroll, with the page's own clock.
// Kept here, with the other browser-side code, because the node side's type check has no DOM.
export async function measureFlagsTable(): Promise<{
  firstRender: number; filtered: number; scrolled: number; total: string; filteredTotal: string; domRows: number; listFlagsFiltered: number; listFlagsAll: number;
}> {
    const waitFor = (ok: () => boolean) =>
      new Promise<number>((done) => {
        const check = () => {
          if (!ok()) return false;
          observer.disconnect();
          done(performance.now());
          return true;
        };
        const observer = new MutationObserver(check);
        observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
        if (!check()) setTimeout(() => (observer.disconnect(), console.log('gave up', document.querySelector('.table-scroll')?.getAttribute('data-total'), rows().slice(0, 3).map((r) => r.textContent).join(' | ')), done(NaN)), 15_000);
      });
    const rows = () => [...document.querySelectorAll('table[aria-label="Flags"] tr.flag-row')];
    let t0 = performance.now();
    (document.querySelector('a[href="#review"]') as HTMLAnchorElement).click();
    const firstRender = (await waitFor(() => rows().length > 0)) - t0;
    const total = document.querySelector('.table-scroll')!.getAttribute('data-total') ?? '';

    const kind = document.querySelector('select') as HTMLSelectElement; // the first filter: Kind
    t0 = performance.now();
    // The prototype's setter: React's own tracker on the element must see a change.
    Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, 'value')!.set!.call(kind, 'late_return');
    kind.dispatchEvent(new Event('change', { bubbles: true }));
    // FLAG_LABELS.late_return (the page's code imports nothing)
    const filtered = (await waitFor(() => rows().length > 0 && rows().every((r) => r.textContent!.includes('Arrived after the close')))) - t0;
    const filteredTotal = document.querySelector('.table-scroll')!.getAttribute('data-total') ?? '';

    // Scrolling far down: the page of rows there is fetched and shown.
    const scroller = document.querySelector('.table-scroll') as HTMLElement;
    t0 = performance.now();
    scroller.scrollTop = scroller.scrollHeight / 2;
    const scrolled = (await waitFor(() => rows().some((r) => Number(r.getAttribute('aria-rowindex')) > Number(filteredTotal) / 4))) - t0;
    // The core's part of the filter: the listFlags round trip alone.
    t0 = performance.now();
    await fetch('./api/listFlags', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ kind: 'late_return', state: 'open', offset: 0, limit: 200 }) });
    const listFlagsFiltered = performance.now() - t0;
    t0 = performance.now();
    await fetch('./api/listFlags', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ state: 'open', offset: 0, limit: 200 }) });
    const listFlagsAll = performance.now() - t0;
    return { firstRender, filtered, scrolled, total, filteredTotal, domRows: rows().length, listFlagsFiltered, listFlagsAll };
  }
