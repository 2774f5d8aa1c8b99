// Tells a scanner's read from a person's typing on the sign-in and lock screens (issue 14
// item 2): an envelope scanned into the PIN field must not spend one of the five PIN tries.
// A read is barcode-shaped when it carries an AIM symbology prefix (`]C0…`), when it has more
// digits than any PIN can (PINs are 6 to 12 digits; envelopes 16), or when it came as a burst
// — characters a few milliseconds apart, faster than fingers, ended by Enter.
import { normaliseBarcodeInput } from '../../../shared/barcode/barcode';

/** the most digits a PIN has (shared/api/contract.ts: 6 to 12) */
const LONGEST_PIN = 12;
/** no one types two keys this close together; a USB scanner types one a millisecond or so */
const BURST_GAP_MS = 30;
/** a burst shorter than this is a key bounce, not a read */
const BURST_MIN_CHARS = 4;

export function looksLikeBarcode(text: string): boolean {
  const t = text.trim();
  if (/^\][A-Za-z][0-9A-Za-z]/.test(t)) return true;
  const digits = normaliseBarcodeInput(t);
  return digits.length > LONGEST_PIN && /^[0-9]+$/.test(digits);
}

/** Watches keydowns; `key` answers true for the Enter that ends a scanner's burst. */
export function createBurstWatch(now: () => number = () => performance.now()) {
  let run = 0;
  let last = -Infinity;
  return {
    key(key: string): boolean {
      const t = now();
      const quick = t - last <= BURST_GAP_MS;
      last = t;
      if (key === 'Enter') {
        const burst = quick && run >= BURST_MIN_CHARS;
        run = 0;
        return burst;
      }
      if (key.length !== 1) return false;
      run = quick ? run + 1 : 1;
      return false;
    },
  };
}
