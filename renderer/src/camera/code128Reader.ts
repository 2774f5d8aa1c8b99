// Code 128 for @zxing/library 0.21.3 with its start-pattern search fixed.
//
// The library's Code128Reader.findStartPattern slides its six-counter window with
// `counters = counters.slice(2)`, which shrinks the array to four counters: later writes to
// counters[4] and counters[5] are dropped, so once any dark run precedes the start pattern
// on a scan line (a grey background, a fold, printing on the envelope) the start pattern is
// never matched. On 1280×720 frames with a mid-grey background that decoded 0 of 20 Code 128
// frames. Java ZXing shifts the counters in place (System.arraycopy); so do we, here.
//
// The rest of Code 128 decoding is the library's: having found the start pattern correctly,
// we hand the library a copy of the row with everything before the start pattern's quiet
// zone cleared, so its own (defective) search finds the same start pattern at once.
import {
  BitArray,
  Code128Reader as LibraryCode128Reader,
  DecodeHintType,
  NotFoundException,
  OneDReader,
  type Result,
} from '@zxing/library';

// The start codes and their bar/space patterns, from Code 128's table (values 103–105).
const CODE_START_A = 103;
const CODE_START_C = 105;
const START_PATTERNS: Record<number, Int32Array> = {
  103: Int32Array.from([2, 1, 1, 4, 1, 2]),
  104: Int32Array.from([2, 1, 1, 2, 1, 4]),
  105: Int32Array.from([2, 1, 1, 2, 3, 2]),
};
// The library's tolerances, so that only the sliding differs.
const MAX_AVG_VARIANCE = 0.25;
const MAX_INDIVIDUAL_VARIANCE = 0.7;

// The library's variance measure is protected on OneDReader; reach it through our subclass.
const patternMatchVariance = (counters: Int32Array, pattern: Int32Array, maxIndividualVariance: number): number =>
  Code128Reader.variance(counters, pattern, maxIndividualVariance);

export interface StartPattern {
  /** first module of the start pattern */
  readonly start: number;
  /** first module after it */
  readonly end: number;
  /** 103, 104 or 105 (Start A, B or C) */
  readonly startCode: number;
}

/**
 * Where the Code 128 start pattern begins on this row, or null. The same search as
 * Java ZXing's Code128Reader.findStartPattern, with the six counters shifted in place.
 */
export function findStartPattern(row: BitArray): StartPattern | null {
  const width = row.getSize();
  const rowOffset = row.getNextSet(0);
  const counters = new Int32Array(6);
  let counterPosition = 0;
  let patternStart = rowOffset;
  let isWhite = false;
  for (let i = rowOffset; i < width; i++) {
    if (row.get(i) !== isWhite) {
      counters[counterPosition]!++;
      continue;
    }
    if (counterPosition === counters.length - 1) {
      let bestVariance = MAX_AVG_VARIANCE;
      let bestMatch = -1;
      for (let startCode = CODE_START_A; startCode <= CODE_START_C; startCode++) {
        const variance = patternMatchVariance(
          counters,
          START_PATTERNS[startCode]!,
          MAX_INDIVIDUAL_VARIANCE,
        );
        if (variance < bestVariance) {
          bestVariance = variance;
          bestMatch = startCode;
        }
      }
      // A quiet zone of at least half the start pattern's width must precede it.
      const quietStart = Math.max(0, Math.floor(patternStart - (i - patternStart) / 2));
      if (bestMatch >= 0 && row.isRange(quietStart, patternStart, false)) {
        return { start: patternStart, end: i, startCode: bestMatch };
      }
      patternStart += counters[0]! + counters[1]!;
      // The fix: slide the window by two runs in place, keeping all six counters.
      counters.copyWithin(0, 2);
      counters[counterPosition - 1] = 0;
      counters[counterPosition] = 0;
      counterPosition--;
    } else {
      counterPosition++;
    }
    counters[counterPosition] = 1;
    isWhite = !isWhite;
  }
  return null;
}

/** A copy of the row with every bit before `from` cleared (white). */
function clearedBefore(row: BitArray, from: number): BitArray {
  const copy = new BitArray(row.getSize());
  for (let set = row.getNextSet(from); set < row.getSize(); ) {
    const unset = row.getNextUnset(set);
    copy.setRange(set, unset);
    set = row.getNextSet(unset);
  }
  return copy;
}

/** Code 128 reader: the library's decoding, our start-pattern search. */
export class Code128Reader extends OneDReader {
  private readonly library = new LibraryCode128Reader();

  static variance(counters: Int32Array, pattern: Int32Array, maxIndividualVariance: number): number {
    return OneDReader.patternMatchVariance(counters, pattern, maxIndividualVariance);
  }

  // The hints map is typed `any` by the library; we pass it through untouched.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override decodeRow(rowNumber: number, row: BitArray, hints?: Map<DecodeHintType, any>): Result {
    const found = findStartPattern(row);
    if (found === null) throw new NotFoundException();
    // The quiet zone before the start pattern stays as it was, so the library checks it too.
    const quietStart = Math.max(0, Math.floor(found.start - (found.end - found.start) / 2));
    return this.library.decodeRow(rowNumber, clearedBefore(row, quietStart), hints);
  }
}
