// The zxing-js decoder: @zxing/library 0.21.3 (pure JavaScript), with our Code 128 reader
// in place of the library's defective one. Readers are tried one after the other with the
// envelope formats as hints: without hints a miss costs ~190 ms per frame, with them ~2 ms.
// Two binarizers, as for zxing-wasm: on our noisy grey frames the global-histogram one let the
// QR reader read 17 of 20 frames where the hybrid one managed 9; the hybrid one copes better
// with uneven light, so it comes second.
import {
  BarcodeFormat,
  BinaryBitmap,
  DataMatrixReader,
  DecodeHintType,
  GlobalHistogramBinarizer,
  HybridBinarizer,
  QRCodeReader,
  Exception as ZxingException,
  RGBLuminanceSource,
  type Reader,
} from '@zxing/library';
import { Code128Reader } from './code128Reader';
import type { BarcodeDecoder } from './decoder';
import { toLuminance, type Frame } from './frame';

export function createZxingJsDecoder(): BarcodeDecoder {
  const hints = new Map<DecodeHintType, unknown>([
    [DecodeHintType.POSSIBLE_FORMATS, [BarcodeFormat.CODE_128, BarcodeFormat.QR_CODE, BarcodeFormat.DATA_MATRIX]],
    // Scan more rows and both directions: an envelope held to a webcam is rarely centred.
    [DecodeHintType.TRY_HARDER, true],
  ]);
  // Code 128 first: it is what the envelopes carry; QR and Data Matrix are the reissues.
  const readers: Reader[] = [new Code128Reader(), new QRCodeReader(), new DataMatrixReader()];

  function decodeNow(frame: Frame): string | null {
    const source = new RGBLuminanceSource(toLuminance(frame), frame.width, frame.height);
    for (const bitmap of [
      new BinaryBitmap(new GlobalHistogramBinarizer(source)),
      new BinaryBitmap(new HybridBinarizer(source)),
    ]) {
      for (const reader of readers) {
        try {
          return reader.decode(bitmap, hints as Map<DecodeHintType, never>).getText();
        } catch (e) {
          // The library says "no code here" by throwing (NotFound, Checksum, Format, and on
          // odd noise its own index exceptions): all of those are a miss. A plain JavaScript
          // error is a bug and must surface.
          if (!(e instanceof ZxingException)) throw e;
        } finally {
          reader.reset();
        }
      }
    }
    return null;
  }

  return {
    name: 'zxing-js',
    decode: (frame) => Promise.resolve(decodeNow(frame)),
  };
}
