// The machine words of the central server's problem answers (contracts.md §3): the `error` of
// every application/problem+json it sends. One list, typed, for both sides: the server can
// only refuse with a word here (server/http/problem.ts), and the desk's list of which words are
// final for which request (final-words.ts) is typed by it, so renaming a word on one side is a
// type error on the other rather than a desk that retries a refusal forever.
export const PROBLEM_WORDS = [
  // any request
  'invalid_request', // the body, query or path does not match the protocol
  'unauthorized', // no token, or one unknown or revoked
  'forbidden', // a token of another kind
  'not_found',
  'conflict', // an id already used for something else
  'payload_too_large',
  'unsupported_media_type',
  'rate_limited',
  'internal',
  'database_unavailable',
  // enrolment
  'unknown_enrolment_code',
  'enrolment_code_used',
  'enrolment_code_expired',
  // decisions
  'own_scan',
  'online_vote_counted',
  'member_vote_counted',
  'envelope_counted',
  // audit heads
  'audit_history_rewritten',
  // the online-voting platform
  'postal_ballot_received',
  'already_redeemed',
  'unknown_code',
  // register import
  'invalid_register',
] as const;
export type ProblemWord = (typeof PROBLEM_WORDS)[number];
