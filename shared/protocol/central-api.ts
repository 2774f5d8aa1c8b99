// The central server's HTTP API v1 (contracts.md §3) as zod schemas: the server validates
// with them, generates /v1/openapi.json from them, and the workstation's sync client parses
// the server's answers with them. Requests are strict (unknown fields are refused); answers
// are parsed leniently so a newer server may add fields.
import { z } from 'zod';
import { DECISIONS, FLAG_KINDS, REGISTER_STATUSES, SCAN_SOURCES } from '../domain';

const isoTime = z.iso.datetime({ offset: true }).describe('ISO 8601 timestamp (UTC)');
const uuid = z.guid().describe('UUID');
/** One line of text: no control characters (PostgreSQL refuses NUL; none of the others is ever meant). */
const line = () => z.string().regex(/^[^\u0000-\u001f\u007f]*$/, 'must not contain control characters');
/** Text a person wrote (a note): line breaks and tabs allowed, other control characters not. */
const prose = () => z.string().regex(/^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]*$/, 'must not contain control characters');
const label = line().min(1).max(64);
const electionNumber = z.number().int().min(1).max(9999);

/** Feed positions are opaque strings; today a decimal event id ("0" = the beginning). */
export const cursor = z.string().regex(/^[0-9]{1,19}$/, 'not a cursor').describe('opaque feed cursor');

// ---- workstation ---------------------------------------------------------------------

export const enrolRequest = z
  .object({ enrolmentCode: line().min(1).max(64), workstationName: line().trim().min(1).max(80) })
  .strict();
export const enrolResponse = z.object({
  deviceId: z.string(),
  centreId: z.string(),
  centreName: z.string(),
  electionNumber,
  token: z.string(),
});

export const electionResponse = z.object({
  electionNumber,
  name: z.string(),
  closesAt: isoTime,
  centreId: z.string(),
  centreName: z.string(),
});

export const feedQuery = z
  .object({
    after: cursor.optional(),
    limit: z.coerce.number().int().min(1).max(10_000).optional(),
  })
  .strict();

export const registerEntry = z.object({
  ballotNumber: z.number().int(),
  issue: z.number().int(),
  status: z.enum(REGISTER_STATUSES),
  memberRef: z.string(),
  onlineVoted: z.boolean(),
  // Added after v1 shipped, so optional: older servers never send it. Sent only when the
  // member voted online (leaving it out of every other entry keeps a catch-up of millions of
  // packs as small as before); absent and null both mean "no online vote known".
  onlineVotedAt: isoTime.nullish().describe('when the member voted online (their code was redeemed), if they did'),
});
export type RegisterEntry = z.infer<typeof registerEntry>;
export const registerResponse = z.object({ entries: z.array(registerEntry), next: cursor });

export const receiptIn = z
  .object({
    receiptId: uuid,
    barcode: z.string().max(256).describe('16 digits (contracts.md §1); a bad one is rejected per item'),
    scannedAt: isoTime,
    workstationSeq: z.number().int().min(1),
    operatorId: label,
    batchId: label,
    source: z.enum(SCAN_SOURCES),
    /** the flag the desk showed the operator (absent when the desk recorded it as accepted) */
    deskFlag: z.object({ kind: z.enum(FLAG_KINDS) }).strict().optional(),
    /** the supervisor who confirmed a manual entry */
    confirmedBy: label.optional(),
  })
  .strict();
export type ReceiptIn = z.infer<typeof receiptIn>;

export const MAX_RECEIPTS_PER_REQUEST = 500;
export const receiptsRequest = z.object({ receipts: z.array(receiptIn).min(1).max(MAX_RECEIPTS_PER_REQUEST) }).strict();

export const flagOut = z.object({
  flagId: uuid,
  kind: z.enum(FLAG_KINDS),
  relatedReceiptIds: z.array(uuid),
  detail: z.string(),
});
export type FlagOut = z.infer<typeof flagOut>;

export const ONLINE_CODE_EFFECTS = ['deactivated', 'already_deactivated', 'already_redeemed', 'none'] as const;
export const receiptResult = z.object({
  receiptId: z.string(),
  outcome: z.enum(['accepted', 'flagged', 'rejected']),
  flag: flagOut.optional(),
  onlineCode: z.enum(ONLINE_CODE_EFFECTS),
  receivedAt: isoTime,
  error: z.string().optional(),
});
export type ReceiptResult = z.infer<typeof receiptResult>;
export const receiptsResponse = z.object({ results: z.array(receiptResult) });

export const resolutionRequest = z
  .object({
    resolutionId: uuid,
    decision: z.enum(DECISIONS),
    note: prose().trim().min(1).max(2000),
    supervisorId: label,
    decidedAt: isoTime,
  })
  .strict();
export const resolutionOut = z.object({
  resolutionId: uuid,
  flagId: uuid,
  decision: z.enum(DECISIONS),
  note: z.string(),
  supervisorId: z.string(),
  decidedAt: isoTime,
  recordedAt: isoTime,
  /**
   * The server's commit order of decisions (a database sequence, never a clock): of a flag's
   * resolutions the one with the highest `seq` is its current decision.
   */
  seq: z.number().int().min(1).optional(),
});
export type ResolutionOut = z.infer<typeof resolutionOut>;

/** One event of the changes feed. `eventId` is the cursor just after this event. */
export const changeEvent = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('flag_raised'),
    eventId: cursor,
    flag: flagOut.extend({
      receiptId: uuid,
      centreId: z.string(),
      barcode: z.string(),
      raisedAt: isoTime,
    }),
  }),
  z.object({ type: z.literal('flag_resolved'), eventId: cursor, resolution: resolutionOut.extend({ centreId: z.string() }) }),
  z.object({ type: z.literal('register'), eventId: cursor, entry: registerEntry }),
]);
export type ChangeEvent = z.infer<typeof changeEvent>;
export const changesResponse = z.object({ events: z.array(changeEvent), next: cursor });

export const auditHeadRequest = z
  .object({
    seq: z.number().int().min(0),
    hash: line().min(1).max(256),
    /** optional: the desk's highest workstationSeq when it took this head (names a lost tail) */
    receiptSeq: z.number().int().min(0).optional(),
  })
  .strict();
export const auditHeadResponse = z.object({ witnessedAt: isoTime });
/** GET /v1/audit-heads/latest: the last head the server witnessed for the calling device. */
export const latestAuditHeadResponse = z.object({ seq: z.number().int().min(0), hash: z.string(), witnessedAt: isoTime });
export type LatestAuditHead = z.infer<typeof latestAuditHeadResponse>;
/** The error a desk's head gets when it conflicts with, or is behind, one already witnessed. */
export const AUDIT_HISTORY_REWRITTEN = 'audit_history_rewritten';

/**
 * GET /v1/centre/summary: the caller's centre as the server holds it (every desk's receipts),
 * for the end-of-day statement. `received` counts stored receipts (accepted + flagged; rejected
 * ones are never stored); `decisionsByKind` counts each flag once, by its latest resolution,
 * `open` being flags with none yet (an `escalate`d flag counts under `escalate`).
 */
const countsOf = <K extends string>(keys: readonly K[]) =>
  z.object(Object.fromEntries(keys.map((k) => [k, z.number().int().min(0)])) as Record<K, z.ZodNumber>);
export const centreSummaryWorkstation = z.object({
  deviceId: z.string(),
  name: z.string(),
  received: z.number().int().min(0),
  lastReceivedAt: isoTime.nullable().describe('when the server received its latest receipt'),
  lastWitnessedAt: isoTime.nullable().describe('when the server witnessed its latest audit-chain head'),
  revoked: z.boolean(),
  /** the desk's clock minus the server's, as last measured (x-desk-clock header); absent when never measured */
  clockSkewMs: z.number().int().nullable().optional(),
});
export const centreSummaryResponse = z.object({
  centreId: z.string(),
  centreName: z.string(),
  electionNumber,
  asOf: isoTime.describe('when the server read these figures (one snapshot)'),
  received: z.number().int().min(0),
  accepted: z.number().int().min(0),
  flagged: z.number().int().min(0),
  flaggedByKind: countsOf(FLAG_KINDS),
  decisionsByKind: countsOf([...DECISIONS, 'open'] as const),
  workstations: z.array(centreSummaryWorkstation),
});
export type CentreSummary = z.infer<typeof centreSummaryResponse>;

// ---- online-voting platform ----------------------------------------------------------

export const redeemRequest = z.object({ code: line().min(1).max(64) }).strict();
export const redeemResponse = z.object({ status: z.literal('redeemed'), memberRef: z.string() });
export const REDEEM_ERRORS = ['postal_ballot_received', 'already_redeemed', 'unknown_code'] as const;

// ---- administration ------------------------------------------------------------------

export const createElectionRequest = z
  .object({ electionNumber, name: line().trim().min(1).max(200), closesAt: isoTime })
  .strict();
export const electionOut = z.object({ electionNumber, name: z.string(), closesAt: isoTime });

/** PATCH /v1/admin/elections/{electionNumber}: the returning officer moves the close or renames. */
export const updateElectionRequest = z
  .object({ name: line().trim().min(1).max(200).optional(), closesAt: isoTime.optional() })
  .strict()
  .refine((b) => b.name !== undefined || b.closesAt !== undefined, { message: 'give closesAt, name or both' });
export type UpdateElectionRequest = z.infer<typeof updateElectionRequest>;

export const createCentreRequest = z
  .object({ centreId: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/), name: line().trim().min(1).max(200), electionNumber })
  .strict();
export const centreOut = z.object({ centreId: z.string(), name: z.string(), electionNumber });

export const registerImportResponse = z.object({
  imported: z.number().int().describe('rows read from the file'),
  changed: z.number().int().describe('rows that became register events'),
});
export const enrolmentCodeResponse = z.object({
  enrolmentCode: z.string(),
  expiresAt: isoTime,
  serverKey: z
    .string()
    .optional()
    .describe("over https: the fingerprint of the server's key (SHA-256 of its public key, in groups of four), for the supervisor to compare with the one the desk shows after enrolment"),
});
export const tokenResponse = z.object({ token: z.string(), tokenId: z.string() });
export const integrationTokenRevokeResponse = z.object({ tokenId: z.string(), revokedAt: isoTime });
/**
 * Receipts a workstation numbered that never arrived. A desk is its workstation name at its
 * centre: enrolled again, it keeps numbering, so gaps are found over every enrolment of that
 * name. Rejected receipts were received (no gap). `tail`: numbers the desk had made by the last
 * audit head the server witnessed that never arrived (lost at the end of its run).
 */
export const sequenceGapsResponse = z.object({
  deviceId: z.string(),
  highestSeq: z.number().int(),
  missing: z.array(z.object({ from: z.number().int(), to: z.number().int() })),
  enrolments: z
    .array(z.object({ deviceId: z.string(), enrolledAt: isoTime, lowestSeq: z.number().int().nullable(), highestSeq: z.number().int().nullable(), received: z.number().int() }))
    .optional(),
  lastAuditHead: z.object({ seq: z.number().int(), witnessedAt: isoTime, receiptSeq: z.number().int().nullable() }).nullable().optional(),
  tail: z.object({ from: z.number().int(), to: z.number().int() }).nullable().optional(),
  clockSkewMs: z.number().int().nullable().optional(),
});
export const auditAlertsResponse = z.object({
  alerts: z.array(
    z.object({
      alertId: z.number().int(),
      deviceId: z.string(),
      centreId: z.string(),
      at: isoTime,
      reason: z.string(),
      witnessed: z.object({ seq: z.number().int(), hash: z.string(), witnessedAt: isoTime }),
      sent: z.object({ seq: z.number().int(), hash: z.string() }),
    }),
  ),
});
export const revokeResponse = z.object({ deviceId: z.string(), revokedAt: isoTime });

export const emptyRequest = z.object({}).strict();

/** RFC 9457 problem details; `error` names the case where contracts.md §3 names one. */
export const problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  error: z.string().optional(),
  errors: z.array(z.object({ line: z.number().int(), message: z.string() })).optional(),
});
export type Problem = z.infer<typeof problem>;
