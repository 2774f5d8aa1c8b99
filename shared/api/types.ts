// Output types of the app API (renderer <-> app core). Inputs are zod schemas in contract.ts.
import type { BarcodeRejection } from '../barcode/barcode';
import type { Decision, FlagKind, RegisterStatus, Role, ScanSource } from '../domain';
import type { CentreSummary } from '../protocol/central-api';

export interface ApiError {
  readonly code:
    | 'invalid_input'
    | 'not_signed_in'
    | 'forbidden'
    | 'not_found'
    | 'conflict'
    | 'locked'
    | 'unavailable'
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
  scannedCount: number;
  flaggedCount: number;
  physicalCount: number | null;
  /** physicalCount - scannedCount once closed */
  discrepancy: number | null;
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
      position: number;
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
  deskVerdict: string;
  serverVerdict: string | null;
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
  waiting: number;
  lastSuccessAt: string | null;
  lastError: string | null;
  /** the words of contracts.md §6: Offline, Syncing, Up to date, N waiting */
  text: string;
}

export interface AuditEntry {
  seq: number;
  at: string;
  actor: string | null;
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
  openFlags: number;
}

/** Events the app core pushes to the renderer (through either transport). */
export type PushEvent =
  | { type: 'registerProgress'; progress: RegisterProgress }
  | { type: 'syncStatus'; status: SyncStatus }
  | { type: 'flagsChanged' }
  | { type: 'sessionEnded'; reason: 'idle' | 'signed_out' }
  /** the workstation's election changed under it (the central server moved the close or renamed it) */
  | { type: 'workstationChanged'; workstation: WorkstationInfo };

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
