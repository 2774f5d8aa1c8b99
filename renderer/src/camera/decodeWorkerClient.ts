// The page's side of the decode worker: starts it with the chosen decoder and turns its
// messages into promises, one frame in flight at a time.
import type { DecoderName } from './decoder';
import type { CameraImage, FromDecodeWorker, ToDecodeWorker } from './workerProtocol';

export type DecoderState =
  | { readonly kind: 'starting' }
  | { readonly kind: 'ready' }
  | { readonly kind: 'unavailable'; readonly reason: string };

export interface DecodeWorkerClient {
  /** Decodes one frame (the image is transferred to the worker and closed there). */
  decode(image: CameraImage): Promise<string | null>;
  stop(): void;
}

export function startDecodeWorker(decoder: DecoderName, onState: (state: DecoderState) => void): DecodeWorkerClient {
  // Vite recognises this form and emits the worker (and what it imports) as its own file.
  const worker = new Worker(new URL('./decodeWorker.ts', import.meta.url), { type: 'module' });
  const pending = new Map<number, (text: string | null) => void>();
  let nextId = 1;
  let stopped = false;
  const post = (message: ToDecodeWorker, transfer: Transferable[] = []) => worker.postMessage(message, transfer);

  worker.onmessage = (event: MessageEvent<FromDecodeWorker>) => {
    const message = event.data;
    if (message.type === 'ready') onState({ kind: 'ready' });
    else if (message.type === 'unavailable') onState({ kind: 'unavailable', reason: message.reason });
    else {
      pending.get(message.id)?.(message.text);
      pending.delete(message.id);
    }
  };
  worker.onerror = (event) => onState({ kind: 'unavailable', reason: event.message || 'the decode worker failed' });
  onState({ kind: 'starting' });
  post({ type: 'start', decoder });

  return {
    decode(image) {
      if (stopped) {
        image.close();
        return Promise.resolve(null);
      }
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, resolve);
        post({ type: 'frame', id, image }, [image]);
      });
    },
    stop() {
      stopped = true;
      worker.terminate();
      // Nothing will answer now: settle what was waiting as "no code".
      for (const resolve of pending.values()) resolve(null);
      pending.clear();
    },
  };
}
