// The headless host's transport: the page was loaded from /s/SECRET/, so relative URLs
// carry the per-run secret; operations are POSTed as JSON, push events arrive by SSE.
import type { ApiClient } from '../../../shared/api/contract';
import type { ExportResult, PushEvent } from '../../../shared/api/types';
import { DESK_RESTARTED, DESK_STATE_HEADER } from '../../../shared/api/host-answers';
import { deskAnswered, deskRestarted, deskSilent } from '../state/desk-health';

export function httpClient(): ApiClient {
  const listeners = new Set<(e: PushEvent) => void>();
  let source: EventSource | null = null;
  const ensureEvents = () => {
    if (source) return;
    source = new EventSource('./api/events');
    // The event stream breaks the moment the host stops: the header says so before any call.
    source.onerror = () => deskSilent();
    source.onopen = () => deskAnswered();
    source.onmessage = (m) => {
      const event = JSON.parse(m.data as string) as PushEvent;
      for (const l of listeners) l(event);
    };
  };
  return {
    async call(name, input) {
      try {
        const res = await fetch(`./api/${name}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(input ?? {}),
        });
        if (res.headers.get(DESK_STATE_HEADER) === DESK_RESTARTED) {
          deskRestarted();
          return { ok: false, error: { code: 'unavailable', message: (await res.text().catch(() => '')) || 'The desk has restarted.' } };
        }
        if (!res.ok) {
          deskSilent();
          return { ok: false, error: { code: 'unavailable', message: `The app did not answer (${res.status}).` } };
        }
        const answer = await res.json();
        deskAnswered();
        return answer;
      } catch {
        deskSilent();
        return { ok: false, error: { code: 'unavailable', message: 'The app is not reachable. Is it still running?' } };
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      ensureEvents();
      return () => listeners.delete(listener);
    },
    // Refused uploads (too large, broken off) reject with the host's words, for the screen.
    chooseRegisterFile() {
      return new Promise<{ fileToken: string; fileName?: string } | null>((resolve, reject) => {
        const input = document.createElement('input');
        input.type = 'file';
        input.accept = '.csv,text/csv';
        input.style.display = 'none';
        input.addEventListener('change', async () => {
          const file = input.files?.[0];
          input.remove();
          if (!file) return resolve(null);
          try {
            const res = await fetch('./upload/register', { method: 'POST', headers: { 'Content-Type': 'text/csv' }, body: file });
            if (!res.ok) return reject(new Error((await res.text().catch(() => '')) || `The file was not taken (${res.status}).`));
            // the host stores the upload under an id: the chosen name travels with the import
            resolve({ fileToken: ((await res.json()) as { fileToken: string }).fileToken, fileName: file.name });
          } catch {
            reject(new Error('The file could not be sent to the app. Is it still running?'));
          }
        });
        input.addEventListener('cancel', () => {
          input.remove();
          resolve(null);
        });
        document.body.appendChild(input);
        input.click();
      });
    },
    async saveExport(exportResult: ExportResult) {
      const a = document.createElement('a');
      a.href = `./exports/${encodeURIComponent(exportResult.exportId)}`;
      a.download = exportResult.fileName;
      document.body.appendChild(a);
      a.click();
      a.remove();
    },
  };
}
