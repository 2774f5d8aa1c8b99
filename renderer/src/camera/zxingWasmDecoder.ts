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

function readerOptions(binarizer: Binarizer): ZXingReaderOptions {
  return {
    ...defaultReaderOptions,
    formats: encodeFormats([...ENVELOPE_SYMBOLOGIES]),
    binarizer: binarizers.indexOf(binarizer),
    eanAddOnSymbol: eanAddOnSymbols.indexOf(defaultReaderOptions.eanAddOnSymbol),
    textMode: textModes.indexOf(defaultReaderOptions.textMode),
    characterSet: characterSets.indexOf(defaultReaderOptions.characterSet),
    // Measured on 1280×720 frames (docs/camera.md): rotation and inversion passes add
    // time and nothing for envelopes held upright; without tryHarder Data Matrix is lost.
    tryHarder: true,
    tryRotate: false,
    tryInvert: false,
    maxNumberOfSymbols: 1,
  };
}

// Two passes, cheapest first. The global-histogram binarizer reads most frames in ~2 ms;
// the local-average one reads the rest (uneven light, small modules) in ~9 ms. Most frames
// that carry a code are therefore read fast; blank frames pay for both passes.
const PASSES: readonly ZXingReaderOptions[] = [readerOptions('GlobalHistogram'), readerOptions('LocalAverage')];

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
