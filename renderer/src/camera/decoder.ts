// The decoder seam of the camera: one small interface, two implementations
// (zxing-js: @zxing/library with our Code 128 fix; zxing-wasm: ZXing-C++ in WebAssembly),
// measured side by side by test/bench/camera_decode.bench.ts (see docs/camera.md).
import type { Frame } from './frame';

export type DecoderName = 'zxing-wasm' | 'zxing-js';

export const DECODER_NAMES: readonly DecoderName[] = ['zxing-wasm', 'zxing-js'];

/**
 * The shipped default: it decoded the most frames of the test set (and was the faster);
 * figures in docs/camera.md.
 */
export const DEFAULT_DECODER: DecoderName = 'zxing-wasm';

/** The envelope symbologies of contracts.md §1; both decoders are limited to these. */
export const ENVELOPE_SYMBOLOGIES = ['Code128', 'QRCode', 'DataMatrix'] as const;

export interface BarcodeDecoder {
  readonly name: DecoderName;
  /**
   * The text of one envelope code in the frame, or null when none is found. A frame
   * without a readable code is the normal case, not an error, so it never throws for it.
   */
  decode(frame: Frame): Promise<string | null>;
}

export function isDecoderName(value: unknown): value is DecoderName {
  return typeof value === 'string' && (DECODER_NAMES as readonly string[]).includes(value);
}
