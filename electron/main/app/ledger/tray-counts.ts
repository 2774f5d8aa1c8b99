// A tray's counts at close against its scans, place by place (the tray itself and each pocket),
// and the difference in words a person acts on: which place holds more or fewer envelopes than
// the scans put there.
import { PLACES, placeWords, type Place } from '../../../../shared/places';

export interface PlaceCount {
  place: Place;
  /** envelopes there by the scans */
  expected: number;
  /** counted at close; null while open (or for a tray closed before pockets were counted) */
  counted: number | null;
}

const envelopes = (n: number) => `${n} envelope${n === 1 ? '' : 's'}`;

/** Words for every place whose count differs from its scans; null when every count matches. */
export function discrepancyWords(places: readonly PlaceCount[]): string | null {
  const words: string[] = [];
  for (const p of places) {
    if (p.counted === null || p.counted === p.expected) continue;
    const d = p.counted - p.expected;
    words.push(
      d < 0
        ? `${envelopes(-d)} missing from ${placeWords(p.place)} (${p.counted} counted, the scans put ${p.expected} there)`
        : `${envelopes(d)} more in ${placeWords(p.place)} than the scans put there (${p.counted} counted, ${p.expected} scanned)`,
    );
  }
  if (words.length === 0) return null;
  const text = words.join('; ');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

/** The places of a tray in their order, with what the scans put there and what was counted. */
export function placeCounts(expected: Record<Place, number>, counted: Partial<Record<Place, number>> | null): PlaceCount[] {
  return PLACES.map((place) => ({ place, expected: expected[place], counted: counted ? (counted[place] ?? 0) : null }));
}

/**
 * A tray's discrepancy, as a number (everything counted less the envelopes) and in words.
 * A tray closed before its pockets were counted (before migration 007) keeps the one count
 * and the discrepancy recorded then: every receipt against that count.
 */
export function closingCheck(t: { physicalCount: number | null; receipts: number; envelopes: number; places: readonly PlaceCount[] }): {
  discrepancy: number | null;
  words: string | null;
} {
  if (t.physicalCount === null) return { discrepancy: null, words: null };
  const legacy = t.places.every((p) => p.counted === null);
  if (!legacy) return { discrepancy: t.physicalCount - t.envelopes, words: discrepancyWords(t.places) };
  const d = t.physicalCount - t.receipts;
  return {
    discrepancy: d,
    words: d ? `${envelopes(Math.abs(d))} ${d > 0 ? 'more' : 'fewer'} than scanned (one count for the whole tray, before pockets were counted).` : null,
  };
}
