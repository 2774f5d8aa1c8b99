// The decode worker: decodes camera frames off the page's main thread, so the preview and
// the scan screen stay responsive while each frame takes its few milliseconds.
//
// The zxing-wasm .wasm is imported with Vite's `?url`, so the build emits it among the
// renderer's own files and the worker fetches it from there (never from a CDN). Fetching
// it and compiling it from bytes needs only the CSP's 'wasm-unsafe-eval'.
import zxingReaderWasmUrl from 'zxing-wasm/reader/zxing_reader.wasm?url';
import type { BarcodeDecoder, DecoderName } from './decoder';
import { packedPlane, type Frame } from './frame';
import type { CameraImage, FromDecodeWorker, ToDecodeWorker } from './workerProtocol';
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

// Camera frames whose first plane is luminance: the decoders take it as it is, with no
// RGBA conversion (which costs ~2–3 ms per 1280×720 frame). Chromium hands camera frames
// over as I420 or NV12.
const LUMINANCE_FIRST = new Set<string>(['I420', 'I420A', 'I422', 'I444', 'NV12']);

let canvas: OffscreenCanvas | null = null;

/** RGBA pixels of any image, through one reused canvas. */
function rgbaOf(image: CameraImage, width: number, height: number): Frame {
  if (canvas === null || canvas.width !== width || canvas.height !== height) {
    canvas = new OffscreenCanvas(width, height);
  }
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (context === null) throw new Error('no 2d context in the decode worker');
  context.drawImage(image, 0, 0);
  return context.getImageData(0, 0, width, height);
}

/** The luminance plane of a YUV video frame, rows packed. */
async function luminanceOf(frame: VideoFrame): Promise<Frame> {
  const width = frame.visibleRect?.width ?? frame.displayWidth;
  const height = frame.visibleRect?.height ?? frame.displayHeight;
  const planes = new Uint8Array(frame.allocationSize());
  const [luma] = await frame.copyTo(planes);
  if (luma === undefined) throw new Error(`no planes in a ${frame.format} frame`);
  return packedPlane(planes, luma, width, height);
}

async function pixelsOf(image: CameraImage): Promise<Frame> {
  if ('format' in image && image.format !== null && LUMINANCE_FIRST.has(image.format)) return luminanceOf(image);
  const width = 'displayWidth' in image ? image.displayWidth : image.width;
  const height = 'displayHeight' in image ? image.displayHeight : image.height;
  return rgbaOf(image, width, height);
}

async function decodeFrame(id: number, image: CameraImage): Promise<void> {
  const loaded = await decoder;
  const started = performance.now();
  let text: string | null = null;
  try {
    if (loaded !== null) text = await loaded.decode(await pixelsOf(image));
  } catch {
    // A frame that cannot be read (closed, odd format) is a frame without a code; the page
    // must get its answer either way, or it would wait for this frame forever.
    text = null;
  } finally {
    image.close();
  }
  scope.postMessage({ type: 'decoded', id, text, ms: performance.now() - started });
}

scope.onmessage = (event) => {
  const message = event.data;
  if (message.type === 'start') start(message.decoder);
  else void decodeFrame(message.id, message.image);
};
