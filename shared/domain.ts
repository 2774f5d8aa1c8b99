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

/** Short labels for people (tables, charts); the kind names stay the contract's words. */
export const FLAG_LABELS: Record<FlagKind, string> = {
  unknown_ballot: 'Unknown ballot',
  duplicate_scan: 'Duplicate scan',
  superseded_ballot: 'Replaced or cancelled pack',
  member_already_returned: 'Member already returned',
  online_vote_cast: 'Voted online',
  late_return: 'Late return',
};

export const DECISION_LABELS: Record<Decision, string> = {
  set_aside: 'Set aside',
  count: 'Count',
  void_receipt: 'Void receipt',
  escalate: 'Escalate',
};

/** The words people read for each kind (contracts.md §4, "words shown to people"): "Flagged: member voted online". */
export const FLAG_WORDS: Record<FlagKind, string> = {
  unknown_ballot: 'not on the register',
  duplicate_scan: 'envelope already received',
  superseded_ballot: 'replaced or cancelled pack',
  member_already_returned: "member's other pack already received",
  online_vote_cast: 'member voted online',
  late_return: 'arrived after the close',
};
