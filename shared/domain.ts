// The vocabulary every side agrees on (contracts.md §4): flag kinds, decisions, roles, sources.

/** In the order of contracts.md §4: a receipt carries the first kind that applies. */
export const FLAG_KINDS = [
  'unknown_ballot',
  'duplicate_scan',
  'superseded_ballot',
  'member_already_returned',
  'online_vote_cast',
  'late_return',
] as const;
export type FlagKind = (typeof FLAG_KINDS)[number];

export const DECISIONS = ['set_aside', 'count', 'void_receipt', 'escalate'] as const;
export type Decision = (typeof DECISIONS)[number];

export const ROLES = ['operator', 'supervisor'] as const;
export type Role = (typeof ROLES)[number];

export const SCAN_SOURCES = ['scanner', 'camera', 'manual'] as const;
export type ScanSource = (typeof SCAN_SOURCES)[number];

export const REGISTER_STATUSES = ['issued', 'superseded', 'cancelled'] as const;
export type RegisterStatus = (typeof REGISTER_STATUSES)[number];

/** What the operator must do with a flagged envelope: said with the verdict, in plain words. */
export const FLAG_INSTRUCTIONS: Record<FlagKind, string> = {
  unknown_ballot: 'put in the SET-ASIDE tray',
  duplicate_scan: 'put in the SET-ASIDE tray',
  superseded_ballot: 'put in the SET-ASIDE tray',
  member_already_returned: 'put in the SET-ASIDE tray',
  online_vote_cast: 'put in the SET-ASIDE tray',
  late_return: 'put in the LATE tray',
};

/**
 * The words people read for each kind (contracts.md §4, exactly): the scan panel says
 * `Flagged: <words>`. The one table of them: every screen and the statement read it from
 * here; the kind codes stay in files and the API.
 */
export const FLAG_WORDS: Record<FlagKind, string> = {
  unknown_ballot: 'not on the register',
  duplicate_scan: 'envelope already received',
  superseded_ballot: 'replaced or cancelled pack',
  member_already_returned: "member's other pack already received",
  online_vote_cast: 'member voted online',
  late_return: 'arrived after the close',
};

/** The same words starting a line or a cell (tables, charts, lists). */
export const FLAG_LABELS: Record<FlagKind, string> = Object.fromEntries(
  FLAG_KINDS.map((k) => [k, FLAG_WORDS[k].charAt(0).toUpperCase() + FLAG_WORDS[k].slice(1)]),
) as Record<FlagKind, string>;

export function isFlagKind(value: unknown): value is FlagKind {
  return typeof value === 'string' && (FLAG_KINDS as readonly string[]).includes(value);
}

export const DECISION_LABELS: Record<Decision, string> = {
  set_aside: 'Set aside',
  count: 'Count',
  void_receipt: 'Void receipt',
  escalate: 'Escalate',
};

export function isDecision(value: unknown): value is Decision {
  return typeof value === 'string' && (DECISIONS as readonly string[]).includes(value);
}

/** A decided flag in one word: what became of its envelope. */
export const DECIDED_WORDS: Record<Decision, string> = { count: 'Counted', set_aside: 'Set aside', void_receipt: 'Voided', escalate: 'Escalated' };

/**
 * The shortest repeat-read window (contracts.md §4): a scanner that reads one envelope twice
 * in a burst must never make a duplicate flag, so the window cannot be switched off.
 */
export const REPEAT_WINDOW_MIN_SECONDS = 2;
