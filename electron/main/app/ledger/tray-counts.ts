// A tray's counts at close against its scans, place by place (the tray itself and each pocket),
// and the difference in words a person acts on: which place holds more or fewer envelopes than
// the scans put there.
import { discrepancyWords, envelopes, PLACES, type Place, type PlaceCount } from '../../../../shared/places';

export type { PlaceCount };
export { discrepancyWords };

/** The places of a tray in their order, with what the scans put there and what was counted. */
export function placeCounts(expected: Record<Place, number>, counted: Partial<Record<Place, number>> | null): PlaceCount[] {
  return PLACES.map((place) => ({ place, expected: expected[place], counted: counted ? (counted[place] ?? 0) : null }));
}

/**
 * A tray's discrepancy, as a number (everything counted less the envelopes) and in words.
 * A tray closed before its pockets were counted (before migration 008) keeps the one count
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
