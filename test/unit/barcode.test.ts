// The envelope barcode codec (contracts.md §1): the table's examples, the check digits'
// power to catch slips, and every kind of bad input an operator or a scanner can produce.
import { describe, expect, it } from 'vitest';
import { checkDigits, encodeBarcode, formatBarcode, normaliseBarcodeInput, parseBarcode } from '../../shared/barcode/barcode';

const TABLE = [
  ['1022-000123456-1-88', '1022000123456188'],
  ['1022-000123456-2-85', '1022000123456285'],
  ['1022-000000001-1-84', '1022000000001184'],
  ['0007-999999999-9-89', '0007999999999989'],
] as const;

/** A seeded generator, so a failure can be reproduced. */
function rng(seed: number) {
  return () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x80000000;
  };
}

describe('contracts.md §1 examples', () => {
  it.each(TABLE)('%s ↔ %s', (human, payload) => {
    expect(formatBarcode(payload)).toBe(human);
    const fromHuman = parseBarcode(human);
    const fromPayload = parseBarcode(payload);
    expect(fromHuman).toEqual(fromPayload);
    expect(fromPayload.ok && fromPayload.value.barcode).toBe(payload);
    expect(checkDigits(payload.slice(0, 14))).toBe(payload.slice(14));
    const n = BigInt(payload);
    expect(n % 97n).toBe(1n);
  });

  it('reads the fields', () => {
    expect(parseBarcode('1022000123456285')).toEqual({ ok: true, value: { barcode: '1022000123456285', electionNumber: 1022, ballotNumber: 123456, issue: 2 } });
  });

  it('encodes what it parses', () => {
    expect(encodeBarcode(1022, 123456, 1)).toBe('1022000123456188');
    expect(encodeBarcode(7, 999999999, 9)).toBe('0007999999999989');
    expect(() => encodeBarcode(0, 1, 1)).toThrow(RangeError);
    expect(() => encodeBarcode(1, 1, 10)).toThrow(RangeError);
  });
});

describe('normalisation', () => {
  it.each([
    ['  1022000123456188\r\n', '1022000123456188'],
    ['1022000123456188\t', '1022000123456188'],
    [']C01022000123456188', '1022000123456188'],
    [']Q11022-000123456-1-88', '1022000123456188'],
    [']d2 1022 000123456 1 88', '1022000123456188'],
    ['1022-000123456-1-88', '1022000123456188'],
  ])('%j → %s', (raw, expected) => {
    expect(normaliseBarcodeInput(raw)).toBe(expected);
    expect(parseBarcode(raw).ok).toBe(true);
  });

  it('strips only one AIM identifier', () => {
    expect(parseBarcode(']C0]C01022000123456188')).toEqual({ ok: false, error: 'not digits' });
  });
});

describe('the check digits catch slips', () => {
  const random = rng(20261125);
  const payloads = Array.from({ length: 1000 }, () =>
    encodeBarcode(1 + Math.floor(random() * 9999), 1 + Math.floor(random() * 999_999_999), 1 + Math.floor(random() * 9)),
  );

  it('every generated payload is valid', () => {
    for (const p of payloads) expect(parseBarcode(p).ok).toBe(true);
  });

  it('rejects every single-digit substitution of 1,000 random payloads', () => {
    let tried = 0;
    for (const p of payloads) {
      for (let i = 0; i < 16; i++) {
        for (let d = 0; d <= 9; d++) {
          if (String(d) === p[i]) continue;
          const changed = p.slice(0, i) + d + p.slice(i + 1);
          const r = parseBarcode(changed);
          // A substitution that zeroes a field is refused for that reason instead; never accepted.
          expect(r.ok, changed).toBe(false);
          tried++;
        }
      }
    }
    expect(tried).toBe(1000 * 16 * 9);
  });

  it('rejects every adjacent transposition of 1,000 random payloads', () => {
    let tried = 0;
    for (const p of payloads) {
      for (let i = 0; i < 15; i++) {
        if (p[i] === p[i + 1]) continue;
        const swapped = p.slice(0, i) + p[i + 1] + p[i] + p.slice(i + 2);
        expect(parseBarcode(swapped).ok, swapped).toBe(false);
        tried++;
      }
    }
    expect(tried).toBeGreaterThan(10_000);
  });
});

describe('bad input gets a reason an operator can act on', () => {
  it.each([
    ['', 'wrong length'],
    ['   ', 'wrong length'],
    ['102200012345618', 'wrong length'],
    ['10220001234561888', 'wrong length'],
    ['1022000123456189', 'check digits do not match'],
    ['1022000123456A88', 'not digits'],
    ['1022000123456１88', 'not digits'], // a full-width digit
    ['١٠٢٢٠٠٠١٢٣٤٥٦١٨٨', 'not digits'], // Arabic-Indic digits
    ['1022000123\u0000456188', 'not digits'],
    ['1022000123\u001b456188', 'not digits'],
    ['10220001234561.8', 'not digits'],
    ['0000000000000098', 'not a valid envelope number'],
  ])('%j → %s', (raw, reason) => {
    expect(parseBarcode(raw)).toEqual({ ok: false, error: reason });
  });

  it('a 10 KB string is refused quickly, without echoing it', () => {
    const huge = '1'.repeat(10_240);
    const started = performance.now();
    const r = parseBarcode(huge);
    expect(r).toEqual({ ok: false, error: 'wrong length' });
    expect(performance.now() - started).toBeLessThan(50);
  });

  it('names the other election', () => {
    expect(parseBarcode('1022000123456188', 1023)).toEqual({ ok: false, error: 'election 1022 is not this election' });
    expect(parseBarcode(encodeBarcode(1023, 5, 1), 1022)).toEqual({ ok: false, error: 'election 1023 is not this election' });
    expect(parseBarcode('1022000123456188', 1022).ok).toBe(true);
  });
});
