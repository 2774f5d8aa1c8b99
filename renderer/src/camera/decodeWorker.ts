// The decode worker: decodes camera frames off the page's main thread, so the preview and
// the scan screen stay responsive while each frame takes its few milliseconds.
//
// The zxing-wasm .wasm is imported with Vite's `?url`, so the build emits it among the
// renderer's own files and the worker fetches it from there (never from a CDN). Fetching
// it and compiling it from bytes needs only the CSP's 'wasm-unsafe-eval'.
import zxingReaderWasmUrl from 'zxing-wasm/reader/zxing_reader.wasm?url';
import type { BarcodeDecoder, DecoderName } from './decoder';
import type { FromDecodeWorker, ToDecodeWorker } from './workerProtocol';
import { createZxingJsDecoder } from './zxingJsDecoder';
import { createZxingWasmDecoder } from './zxingWasmDecoder';

// The renderer's tsconfig has the DOM library, not WebWorker: type the worker scope by hand.
interface WorkerScope {
  onmessage: ((event: MessageEvent<ToDecodeWorker>) => void) | null;
  postMessage(message: FromDecodeWorker): void;
}
const scope = self as unknown as WorkerScope;

let decoder: Promise<BarcodeDecoder | null> = Promise.resolve(null);

async function loadDecoder(name: DecoderName): Promise<BarcodeDecoder> {
  if (name === 'zxing-js') return createZxingJsDecoder();
  const response = await fetch(zxingReaderWasmUrl);
  if (!response.ok) throw new Error(`zxing_reader.wasm: HTTP ${response.status}`);
  return createZxingWasmDecoder(await response.arrayBuffer());
}

function start(name: DecoderName): void {
  decoder = loadDecoder(name).then(
    (loaded) => {
      scope.postMessage({ type: 'ready', decoder: name });
      return loaded;
    },
    (error: unknown) => {
      scope.postMessage({ type: 'unavailable', decoder: name, reason: String(error) });
      return null;
    },
  );
}

let canvas: OffscreenCanvas | null = null;

/** The bitmap's RGBA pixels, through one reused canvas. */
function pixelsOf(bitmap: ImageBitmap): ImageData {
  const { width, height } = bitmap;
  if (canvas === null || canvas.width !== width || canvas.height !== height) {
    canvas = new OffscreenCanvas(width, height);
  }
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (context === null) throw new Error('no 2d context in the decode worker');
  context.drawImage(bitmap, 0, 0);
  bitmap.close();
  return context.getImageData(0, 0, width, height);
}

async function decodeFrame(id: number, bitmap: ImageBitmap): Promise<void> {
  const loaded = await decoder;
  const started = performance.now();
  let text: string | null = null;
  if (loaded === null) bitmap.close();
  else text = await loaded.decode(pixelsOf(bitmap));
  scope.postMessage({ type: 'decoded', id, text, ms: performance.now() - started });
}

scope.onmessage = (event) => {
  const message = event.data;
  if (message.type === 'start') start(message.decoder);
  else void decodeFrame(message.id, message.bitmap);
};
