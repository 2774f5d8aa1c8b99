// The zxing-wasm decoder: ZXing-C++ compiled to WebAssembly. Its .wasm is handed in by the
// caller (read from node_modules in Node; emitted with the renderer's own files and fetched
// from there in the app) — never fetched from the CDN the library defaults to.
//
// We call the module's pixmap reader directly with luminance rather than going through
// `readBarcodes`: that keeps decode synchronous inside the call, takes luminance frames as
// they are, and lets us run two binarizer passes (below) without converting pixels twice.
import {
  binarizers,
  characterSets,
  defaultReaderOptions,
  eanAddOnSymbols,
  encodeFormats,
  prepareZXingModule,
  textModes,
  type Binarizer,
  type ZXingReaderModule,
  type ZXingReaderOptions,
} from 'zxing-wasm/reader';
import { ENVELOPE_SYMBOLOGIES, type BarcodeDecoder } from './decoder';
import { toLuminance, type Frame } from './frame';

function readerOptions(binarizer: Binarizer, tryHarder: boolean): ZXingReaderOptions {
  return {
    ...defaultReaderOptions,
    formats: encodeFormats([...ENVELOPE_SYMBOLOGIES]),
    binarizer: binarizers.indexOf(binarizer),
    eanAddOnSymbol: eanAddOnSymbols.indexOf(defaultReaderOptions.eanAddOnSymbol),
    textMode: textModes.indexOf(defaultReaderOptions.textMode),
    characterSet: characterSets.indexOf(defaultReaderOptions.characterSet),
    tryHarder,
    // Rotation and inversion passes add time and nothing for envelopes held upright.
    tryRotate: false,
    tryInvert: false,
    maxNumberOfSymbols: 1,
  };
}

// Two passes, cheapest first (measured on the camera_decode frames, docs/camera.md):
// a global-histogram binarizer without tryHarder reads most frames in ~1–3 ms; the
// local-average binarizer with tryHarder reads the rest (uneven light, small modules,
// Data Matrix off-centre) in ~10 ms. Either pass alone reads fewer frames, or is slower.
// Blank frames — most frames while the camera is open — pay for both passes.
const PASSES: readonly ZXingReaderOptions[] = [
  readerOptions('GlobalHistogram', false),
  readerOptions('LocalAverage', true),
];

interface EmbindObject {
  delete?: () => void;
}

// The Emscripten heap of the module. Its type comes from @types/emscripten, which the
// project does not install; these are the three members we use.
interface WasmHeap {
  HEAPU8: Uint8Array;
  _malloc(bytes: number): number;
  _free(pointer: number): void;
}

type ReaderModule = ZXingReaderModule & WasmHeap;

function readPixmap(module: ReaderModule, luminance: Uint8ClampedArray, width: number, height: number): string | null {
  const pointer = module._malloc(luminance.length);
  if (pointer === 0) throw new Error(`zxing-wasm could not allocate ${luminance.length} bytes`);
  try {
    module.HEAPU8.set(luminance, pointer);
    for (const options of PASSES) {
      const results = module.readBarcodesFromPixmap(pointer, width, height, options);
      try {
        for (let i = 0; i < results.size(); i++) {
          const result = results.get(i);
          if (result?.isValid === true) return result.text;
        }
      } finally {
        // An embind vector lives on the WebAssembly heap until deleted.
        (results as EmbindObject).delete?.();
      }
    }
    return null;
  } finally {
    module._free(pointer);
  }
}

/** Instantiates the WebAssembly module from `wasmBinary` (the bytes of zxing_reader.wasm). */
export async function createZxingWasmDecoder(wasmBinary: ArrayBuffer): Promise<BarcodeDecoder> {
  const module = (await prepareZXingModule({
    overrides: { wasmBinary },
    fireImmediately: true,
  })) as ReaderModule;
  return {
    name: 'zxing-wasm',
    decode: (frame: Frame) =>
      Promise.resolve(readPixmap(module, toLuminance(frame), frame.width, frame.height)),
  };
}
