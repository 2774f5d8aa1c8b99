// The sign-in screen's test for "this was a scanner, not a PIN" (issue 14 item 2).
import { describe, expect, it } from 'vitest';
import { createBurstWatch, looksLikeBarcode } from '../../renderer/src/lib/barcode-shaped';

describe('barcode-shaped input', () => {
  it('takes 16 digits, the printed form and AIM prefixes for a barcode, and PINs for PINs', () => {
    expect(looksLikeBarcode('1022000123456188')).toBe(true);
    expect(looksLikeBarcode('1022-000123456-1-88')).toBe(true);
    expect(looksLikeBarcode(']C01022000123456188')).toBe(true);
    expect(looksLikeBarcode(']C0123')).toBe(true);
    expect(looksLikeBarcode('246810')).toBe(false);
    expect(looksLikeBarcode('123456789012')).toBe(false);
    expect(looksLikeBarcode('')).toBe(false);
  });

  it('calls a fast burst ended by Enter a scanner, and a person typing a PIN a person', () => {
    let t = 0;
    const watch = createBurstWatch(() => t);
    const typeAt = (text: string, gapMs: number) => {
      for (const ch of text) {
        t += gapMs;
        expect(watch.key(ch)).toBe(false);
      }
      t += gapMs;
      return watch.key('Enter');
    };
    expect(typeAt('246810', 120)).toBe(false);
    expect(typeAt('246810', 2)).toBe(true);
    t += 1000;
    expect(typeAt('24', 2)).toBe(false);
    t += 1000;
    expect(typeAt('246810', 120)).toBe(false);
  });
});
