// Where an envelope physically is inside one tray: the tray itself, or one of its set-aside
// pockets. A flagged envelope is told to go to a pocket (FLAG_INSTRUCTIONS in domain.ts); an
// accepted one stays in the tray. Counting at close is per place, so an operator who does
// what the verdicts say closes the tray without a discrepancy.
import type { FlagKind } from './domain';

/** A tray's label: what fits on the tray's card (the form stops typing there; the API refuses more). */
export const BATCH_LABEL_MAX = 40;

/** The pockets every tray has, in the order the close dialog asks for them. */
export const POCKETS = ['SET-ASIDE', 'LATE'] as const;
export type Pocket = (typeof POCKETS)[number];

/** `tray`: the tray itself; otherwise one of its pockets. */
export const PLACES = ['tray', ...POCKETS] as const;
export type Place = (typeof PLACES)[number];

/**
 * The pocket each flag kind's envelope is put in: the one its instruction names
 * (test/app/trays-hands.test.ts holds the two together).
 */
export const FLAG_POCKETS: Record<FlagKind, Pocket> = {
  unknown_ballot: 'SET-ASIDE',
  duplicate_scan: 'SET-ASIDE',
  superseded_ballot: 'SET-ASIDE',
  member_already_returned: 'SET-ASIDE',
  online_vote_cast: 'SET-ASIDE',
  late_return: 'LATE',
};

/** The place in words: "the tray itself" or "the SET-ASIDE pocket". */
export function placeWords(place: Place): string {
  return place === 'tray' ? 'the tray itself' : `the ${place} pocket`;
}

/** Where one envelope is, in words a person follows: "Tray T-007, SET-ASIDE pocket, position 3". */
export function locationWords(l: { batchLabel: string; place: Place; position: number }): string {
  return l.place === 'tray'
    ? `Tray ${l.batchLabel}, in the tray itself, position ${l.position}`
    : `Tray ${l.batchLabel}, ${l.place} pocket, position ${l.position}`;
}

export interface PlaceCount {
  place: Place;
  /** envelopes there by the scans */
  expected: number;
  /** counted at close; null while open (or for a tray closed before pockets were counted) */
  counted: number | null;
}

export const envelopes = (n: number): string => `${n} envelope${n === 1 ? '' : 's'}`;

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

