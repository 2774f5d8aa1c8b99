// Output types of the app API (renderer <-> app core). Inputs are zod schemas in contract.ts.
// Over 300 lines because it is the one list of what the core answers, read as a whole by both
// sides; it holds declarations only.
import type { BarcodeRejection } from '../barcode/barcode';
import type { Decision, FlagKind, RegisterStatus, Role, ScanSource } from '../domain';
import type { CentreSummary } from '../protocol/central-api';
import type { Place, PlaceCount } from '../places';

export interface ApiError {
  readonly code:
    | 'invalid_input'
    | 'not_signed_in'
    | 'forbidden'
    | 'not_found'
    | 'conflict'
    | 'locked'
    | 'unavailable'
    /** a supervisor must confirm first (the desk's clock is far off: see ClockCheck) */
    | 'confirmation_required'
    | 'failed';
  /** words for the person at the screen */
  readonly message: string;
}

export interface SessionInfo {
  personId: string;
  name: string;
  role: Role;
}

export interface PersonSummary {
  id: string;
  name: string;
  role: Role;
  disabled: boolean;
  lockedUntil: string | null;
}

export interface WorkstationInfo {
  workstationId: string;
  workstationName: string;
  /** null until enrolled with a central server or configured to work offline */
  electionNumber: number | null;
  electionName: string | null;
  closesAt: string | null;
  centreId: string | null;
  centreName: string | null;
  enrolled: boolean;
  serverUrl: string | null;
  /** the server's key pinned at enrolment over https (64 hex digits; shown with showFingerprint) */
  serverKey: string | null;
}

export interface Settings {
  repeatWindowSeconds: number;
  idleLockMinutes: number;
  muted: boolean;
  decoder: 'zxing-wasm' | 'zxing-js';
}

export interface AuditStatus {
  ok: boolean;
  entries: number;
  firstBrokenSeq: number | null;
  problem: string | null;
  /**
   * The last head of this desk's chain the central server witnessed, and whether the chain
   * still contains it (absent: never witnessed, or not checked yet).
   */
  witnessed?: WitnessedHeadCheck | null;
}

export interface WitnessedHeadCheck {
  seq: number;
  witnessedAt: string;
  /** 'server': just asked (GET /v1/audit-heads/latest); 'kept': the copy kept here (offline) */
  source: 'server' | 'kept';
  /** the chain here still contains (seq, hash) */
  contained: boolean;
}

export interface AppState {
  /** no supervisor exists yet: the first-run screen is shown */
  firstRun: boolean;
  workstation: WorkstationInfo;
  session: SessionInfo | null;
  openBatch: BatchSummary | null;
  settings: Settings;
  registerRows: number;
  audit: AuditStatus;
}

export interface BatchSummary {
  id: string;
  label: string;
  expectedCount: number | null;
  /** receipts recorded in this tray (a re-scan of an envelope is a receipt of its own; see envelopeCount) */
  scannedCount: number;
  flaggedCount: number;
  /** counted at close: the tray itself and its pockets together (see `places`) */
  physicalCount: number | null;
  /** (tray + pockets counted) - envelopes, once closed */
  discrepancy: number | null;
  /** physical envelopes: each once, however often it was read or re-scanned */
  envelopeCount: number;
  /** the tray itself and each pocket: envelopes there by the scans, and what was counted at close (null before, or for a tray closed before pockets were counted) */
  places: PlaceCount[];
  /** a discrepancy in words (which place holds more or fewer than the scans put there); null when the counts match */
  discrepancyWords: string | null;
  openedAt: string;
  closedAt: string | null;
  openedBy: string;
}

export type ScanVerdict =
  | {
      verdict: 'recorded';
      receiptId: string;
      barcode: string;
      /** human-readable form EEEE-BBBBBBBBB-I-CC */
      display: string;
      batchLabel: string;
      position: number;
      /** where the envelope goes: the tray itself (position in the tray) */
      place?: Place;
    }
  | {
      verdict: 'flagged';
      kind: FlagKind;
      instruction: string;
      receiptId: string;
      flagId: string;
      barcode: string;
      display: string;
      batchLabel: string;
      /** the position in `place`: the pocket the instruction names */
      position: number;
      place?: Place;
    }
  | { verdict: 'already_recorded'; receiptId: string; barcode: string; display: string }
  | { verdict: 'rejected'; reason: BarcodeRejection | string; display: string | null };

export interface RecentScan {
  at: string;
  source: ScanSource;
  verdict: ScanVerdict['verdict'];
  kind: FlagKind | null;
  display: string | null;
  reason: string | null;
}

export interface ScanTotals {
  recorded: number;
  flagged: number;
  alreadyRecorded: number;
  rejected: number;
}

export type FlagState = 'open' | 'escalated' | 'decided';

/** A verdict on one receipt, as data (never a string to split): flagged carries its kind, rejected its error. */
export type Verdict =
  | { outcome: 'accepted'; kind: null; error: null }
  | { outcome: 'flagged'; kind: FlagKind; error: null }
  | { outcome: 'rejected'; kind: null; error: string | null };

export interface FlagRow {
  flagId: string;
  kind: FlagKind;
  receiptId: string;
  display: string;
  ballotNumber: number;
  issue: number;
  memberRef: string | null;
  scannedAt: string;
  workstationName: string;
  operatorName: string;
  batchLabel: string;
  position: number;
  /** where the envelope physically is now, in words: tray label, the tray itself or a pocket, position */
  location: string;
  /** the desk's verdict on the receipt at the scan (a flag of the server's own: the desk accepted it) */
  deskVerdict: Verdict;
  /** the server's verdict, once synchronised */
  serverVerdict: Verdict | null;
  state: FlagState;
  decision: Decision | null;
}

export interface FlagDetail {
  flag: FlagRow;
  relatedReceiptIds: string[];
  /** the server's words for its flag (e.g. where and when the envelope was first received); null before it answered */
  serverDetail: string | null;
  /** every receipt of any of the member's packs known here */
  memberReceipts: Array<{
    receiptId: string;
    display: string;
    scannedAt: string;
    workstationName: string;
    batchLabel: string | null;
    position: number | null;
    outcome: string;
  }>;
  registerEntries: Array<{ ballotNumber: number; issue: number; status: RegisterStatus; onlineVoted: boolean }>;
  onlineVotedAt: string | null;
  /** every decision, oldest first; `refusedByServer` is the server's reason when it refused one (it no longer counts) */
  decisions: Array<{ decision: Decision; note: string; supervisorName: string; decidedAt: string; refusedByServer: string | null }>;
  /** each decision with whether it is allowed now and, if not, why */
  allowed: Record<Decision, { allowed: boolean; reason: string | null }>;
}

export interface RegisterProgress {
  state: 'idle' | 'running' | 'done' | 'failed' | 'cancelled';
  source: 'file' | 'server';
  rowsDone: number;
  bytesDone: number;
  totalBytes: number | null;
  errors: Array<{ line: number; message: string }>;
  message: string | null;
}

export interface SyncStatus {
  state: 'offline' | 'syncing' | 'up_to_date' | 'waiting' | 'not_enrolled' | 'stopped';
  /** receipts and decisions made here, not on the server yet */
  waiting: number;
  /** receipts and decisions made here that the server refused (listed for supervisors; can be sent again) */
  refused: number;
  lastSuccessAt: string | null;
  /** what is wrong, in words (why the last sync failed, or what the server refused) */
  lastError: string | null;
  /** the desk's clock against the server's, as last measured (null: never measured) */
  clock: ClockCheck | null;
  /**
   * The words of contracts.md §6: Offline, Syncing, Up to date or N waiting, then "· N refused"
   * when the server refused anything made here ("N refused" alone when nothing waits). Never
   * Up to date while anything waits or is refused.
   */
  text: string;
}

export interface ClockCheck {
  /** the desk's clock minus the server's, ms (negative: this computer is behind) */
  skewMs: number;
  /** when it was measured, by this computer's clock */
  measuredAt: string;
  /** words for people when the difference is over 2 minutes, e.g. "this computer's clock is 7 minutes behind the central server" */
  warning: string | null;
  /** over 10 minutes: opening a tray needs a supervisor's confirmation */
  confirmTrays: boolean;
}

/** Something made here that the central server refused, for the supervisors' list. */
export interface RefusedItem {
  /** the outbox row, which `resendRefused` takes */
  outboxSeq: number;
  kind: 'receipt' | 'decision';
  /** the envelope's human-readable number */
  display: string | null;
  /** e.g. "tray T-4, position 12" or "decision: count" */
  what: string;
  /** when it was made here (scan or decision time) */
  madeAt: string;
  /** the server's words (or why it could not be sent) */
  reason: string;
  /** times it was sent */
  attempts: number;
}

export interface AuditEntry {
  seq: number;
  at: string;
  actor: string | null;
  /** the actor's name (people read names); null for the app itself or a person not known here */
  actorName: string | null;
  event: string;
  detail: unknown;
  hash: string;
}

export interface ExportResult {
  fileName: string;
  sha256: string;
  bytes: number;
  /** opaque handle the transport turns into a save dialog (Electron) or a download (web) */
  exportId: string;
}

export interface Dashboard {
  receiptsPer15Min: Array<{ start: string; recorded: number; flagged: number }>;
  flagsByKind: Record<FlagKind, number>;
  perOperator: Array<{ name: string; receipts: number; perHour: number }>;
  waiting: number;
  lastSyncAt: string | null;
  /** when the oldest item still waiting to be sent was written (the sync lag); null when none waits */
  oldestWaitingAt?: string | null;
  /** envelopes and decisions the central server refused, not sent again yet (the header's "N refused") */
  refused: number;
  openFlags: number;
}

/** Events the app core pushes to the renderer (through either transport). */
export type PushEvent =
  | { type: 'registerProgress'; progress: RegisterProgress }
  | { type: 'syncStatus'; status: SyncStatus }
  | { type: 'flagsChanged' }
  | { type: 'sessionEnded'; reason: 'idle' | 'signed_out' }
  /** the workstation's election changed under it (the central server moved the close or renamed it) */
  | { type: 'workstationChanged'; workstation: WorkstationInfo }
  /** the audit check changed (e.g. the chain no longer contains the head the server witnessed) */
  | { type: 'auditStatus'; audit: AuditStatus };

/**
 * The whole centre as the central server holds it (GET /v1/centre/summary), for the dashboard
 * and the end-of-day statement, or why it is not available. A desk's own figures cover only
 * the envelopes scanned at it.
 */
export type CentreFigures =
  /** `unsentHere`: this workstation's receipts not yet on the server, so not yet in the centre's figures */
  | { status: 'included'; summary: CentreSummary; thisDeviceId: string | null; unsentHere: number }
  /** not enrolled with a central server: there is no centre view to ask */
  | { status: 'offline'; reason: string }
  | { status: 'unreachable'; at: string; reason: string };
