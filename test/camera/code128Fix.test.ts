// Our Code 128 reader against @zxing/library 0.21.3's own: the library's start-pattern search
// (`counters = counters.slice(2)`) misses a start pattern preceded by any dark run; ours (an
// in-place shift, as Java ZXing) finds it. Each test asserts both sides, so it fails if our
// fix is removed — and also if a future library version fixes the defect (then drop ours).
import {
  BarcodeFormat,
  BinaryBitmap,
  BitArray,
  Code128Reader as LibraryCode128Reader,
  DecodeHintType,
  HybridBinarizer,
  RGBLuminanceSource,
  type Reader,
} from '@zxing/library';
import { describe, expect, it } from 'vitest';
import { Code128Reader, findStartPattern } from '../../renderer/src/camera/code128Reader';
import { seededRandom } from '../fixtures/cameraRandom';
import { symbolGrid } from '../fixtures/cameraSymbols';
import { envelopeFrame, randomEnvelopeBarcode } from '../fixtures/frames';

const PAYLOAD = '1022000123456188';

/** One scan line across a Code 128 label, `modulePx` pixels per module, with a dark
 *  mark `markPx` wide placed `gapPx` before the label's quiet zone (or no mark). */
function scanLine(modulePx: number, mark: { gapPx: number; markPx: number } | null): BitArray {
  const grid = symbolGrid('code128', PAYLOAD);
  const lead = mark === null ? 0 : mark.markPx + mark.gapPx;
  const row = new BitArray(lead + grid.columns * modulePx + 20);
  if (mark !== null) row.setRange(0, mark.markPx);
  for (let c = 0; c < grid.columns; c++) {
    if (grid.isDark(c, 0)) row.setRange(lead + c * modulePx, lead + (c + 1) * modulePx);
  }
  return row;
}

function decodeRowText(reader: { decodeRow: LibraryCode128Reader['decodeRow'] }, row: BitArray): string | null {
  try {
    return reader.decodeRow(0, row, new Map()).getText();
  } catch {
    return null;
  }
}

describe('Code 128 start pattern', () => {
  it('is found on a clean scan line by both readers', () => {
    const row = scanLine(2, null);
    expect(decodeRowText(new LibraryCode128Reader(), row)).toBe(PAYLOAD);
    expect(decodeRowText(new Code128Reader(), row)).toBe(PAYLOAD);
  });

  it('is found after a dark run before the quiet zone by ours, missed by the library', () => {
    const row = scanLine(2, { markPx: 6, gapPx: 15 });
    expect(decodeRowText(new LibraryCode128Reader(), row)).toBeNull();
    expect(decodeRowText(new Code128Reader(), row)).toBe(PAYLOAD);
  });

  it('reports where the start pattern is', () => {
    const row = scanLine(2, { markPx: 6, gapPx: 15 });
    // 6 mark + 15 gap + 10 quiet-zone modules of 2 px; Code C start for an all-digit payload.
    expect(findStartPattern(row)).toEqual({ start: 41, end: 41 + 11 * 2, startCode: 105 });
    expect(findStartPattern(new BitArray(200))).toBeNull();
  });
});

describe('Code 128 on a mid-grey desk (1280×720 frames)', () => {
  const hints = new Map<DecodeHintType, unknown>([
    [DecodeHintType.POSSIBLE_FORMATS, [BarcodeFormat.CODE_128]],
    [DecodeHintType.TRY_HARDER, true],
  ]);
  const random = seededRandom(128);
  const frames = Array.from({ length: 6 }, () =>
    envelopeFrame('code128', randomEnvelopeBarcode(random), random, { background: 128, noise: 6 }),
  );

  function readAll(reader: Reader): (string | null)[] {
    return frames.map((f) => {
      const bitmap = new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(f.luminance, f.width, f.height)));
      try {
        return reader.decode(bitmap, hints as Map<DecodeHintType, never>).getText();
      } catch {
        return null;
      }
    });
  }

  it('the library reader misses most frames', () => {
    // It reads a frame only where no dark run precedes the label on the scanned rows
    // (a label near the frame's left edge): here 1 of 6.
    const hits = readAll(new LibraryCode128Reader()).filter((text) => text !== null);
    expect(hits.length).toBeLessThan(frames.length / 2);
  });

  it('our reader reads every frame', () => {
    expect(readAll(new Code128Reader())).toEqual(frames.map((f) => f.expected));
  });
});
