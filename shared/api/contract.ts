// The one typed API between the renderer and the app core (architecture rule 2). Each
// operation names its input schema (validated by the core for both transports), the role
// it needs, and its output type. The core implements exactly this map; the renderer's
// client is typed by it; the Electron and HTTP transports carry it without knowing it.
import { z } from 'zod';
import { DECISIONS, FLAG_KINDS, REPEAT_WINDOW_MIN_SECONDS, ROLES, SCAN_SOURCES } from '../domain';
import { BATCH_LABEL_MAX, type Pocket } from '../places';
import type { Result } from '../result';
import type {
  ApiError,
  AppState,
  AuditEntry,
  AuditStatus,
  BatchSummary,
  Dashboard,
  ExportResult,
  FlagDetail,
  FlagRow,
  PersonSummary,
  RecentScan,
  RefusedItem,
  RegisterProgress,
  ScanTotals,
  ScanVerdict,
  SessionInfo,
  Settings,
  SyncStatus,
  CentreFigures,
  WorkstationInfo,
} from './types';

/** Who may call an operation: anyone at the screen, anyone signed in, or a supervisor. */
export type Access = 'public' | 'signed_in' | 'supervisor';

const empty = z.object({}).strict();
const id = z.string().min(1).max(64);
const pin = z.string().regex(/^[0-9]{6,12}$/, 'a PIN is 6 to 12 digits');
const personName = z.string().trim().min(1).max(80);
const note = z.string().trim().min(1, 'a note is required').max(2000);
const isoTime = z.iso.datetime();

// A phantom carries each operation's output type without a runtime value.
const out = <T>() => undefined as unknown as T;

export const operations = {
  getState: { access: 'public', input: empty, output: out<AppState>() },
  listSignInNames: { access: 'public', input: empty, output: out<Array<{ id: string; name: string }>>() },
  createFirstSupervisor: {
    access: 'public',
    input: z.object({ name: personName, pin }).strict(),
    output: out<SessionInfo>(),
  },
  signIn: { access: 'public', input: z.object({ personId: id, pin: z.string().max(64) }).strict(), output: out<SessionInfo>() },
  signOut: { access: 'signed_in', input: empty, output: out<null>() },

  configureOffline: {
    access: 'supervisor',
    input: z
      .object({
        electionNumber: z.number().int().min(1).max(9999),
        electionName: z.string().trim().min(1).max(200),
        closesAt: isoTime,
        workstationName: z.string().trim().min(1).max(80),
        /** on an enrolled desk: the supervisor confirmed leaving enrolment (else refused) */
        leaveEnrolment: z.literal(true).optional(),
      })
      .strict(),
    output: out<WorkstationInfo>(),
  },
  enrol: {
    access: 'supervisor',
    input: z
      .object({ serverUrl: z.url({ protocol: /^https?$/ }).max(500), enrolmentCode: z.string().trim().min(1).max(64), workstationName: z.string().trim().min(1).max(80) })
      .strict(),
    output: out<WorkstationInfo>(),
  },
  updateSettings: {
    access: 'supervisor',
    input: z
      .object({
        repeatWindowSeconds: z.number().int().min(REPEAT_WINDOW_MIN_SECONDS).max(3600).optional(),
        idleLockMinutes: z.number().int().min(1).max(240).optional(),
        muted: z.boolean().optional(),
        decoder: z.enum(['zxing-wasm', 'zxing-js']).optional(),
      })
      .strict(),
    output: out<Settings>(),
  },

  // People (issue 3): supervisors add, disable and reset.
  listPeople: { access: 'supervisor', input: empty, output: out<PersonSummary[]>() },
  addPerson: { access: 'supervisor', input: z.object({ name: personName, pin, role: z.enum(ROLES) }).strict(), output: out<PersonSummary>() },
  setPersonDisabled: { access: 'supervisor', input: z.object({ personId: id, disabled: z.boolean() }).strict(), output: out<PersonSummary>() },
  resetPin: { access: 'supervisor', input: z.object({ personId: id, pin }).strict(), output: out<PersonSummary>() },

  // Register copy (issue 3): a file chosen through the transport's file chooser.
  importRegisterFile: {
    access: 'supervisor',
    // fileName: the name of the file the person chose, for the words and the audit (an upload is stored under an id)
    input: z.object({ fileToken: id, fileName: z.string().trim().min(1).max(255).optional() }).strict(),
    output: out<RegisterProgress>(),
  },
  cancelRegisterImport: { access: 'supervisor', input: empty, output: out<RegisterProgress>() },
  registerProgress: { access: 'signed_in', input: empty, output: out<RegisterProgress>() },

  // Trays and scans (issues 2, 3, 6).
  openBatch: {
    access: 'signed_in',
    input: z
      .object({
        label: z.string().trim().min(1).max(BATCH_LABEL_MAX),
        expectedCount: z.number().int().min(1).max(100000).nullable().optional(),
        /** a supervisor's name and PIN, needed while the desk's clock is over 10 minutes off the server's */
        clockConfirmation: z.object({ supervisorId: id, pin: z.string().max(64) }).strict().optional(),
      })
      .strict(),
    output: out<BatchSummary>(),
  },
  closeBatch: {
    access: 'signed_in',
    input: z
      .object({
        batchId: id,
        /** envelopes counted in the tray itself */
        physicalCount: z.number().int().min(0).max(100000),
        /** envelopes counted in each pocket of the tray (issue 14 item 3); a pocket left out is empty */
        pocketCounts: z
          .object({ 'SET-ASIDE': z.number().int().min(0).max(100000).optional(), LATE: z.number().int().min(0).max(100000).optional() } satisfies Record<Pocket, unknown>)
          .strict()
          .optional(),
      })
      .strict(),
    output: out<BatchSummary>(),
  },
  /** one tray with its counts now (the close dialog reads it when it opens) */
  getBatch: { access: 'signed_in', input: z.object({ batchId: id }).strict(), output: out<BatchSummary>() },
  listBatches: { access: 'signed_in', input: empty, output: out<BatchSummary[]>() },
  recordScan: {
    access: 'signed_in',
    // The raw read, before normalisation: the core judges it (and logs a rejected one).
    input: z.object({ barcode: z.string().max(10_000), source: z.enum(SCAN_SOURCES) }).strict(),
    output: out<ScanVerdict>(),
  },
  recordManualEntry: {
    access: 'signed_in',
    input: z
      .object({
        barcode: z.string().max(100),
        repeatBarcode: z.string().max(100),
        reason: z.string().trim().min(1, 'a reason is required').max(500),
        /** a second person: a supervisor other than the operator, with their PIN (issue 15 item 3) */
        confirmation: z.object({ supervisorId: id, pin: z.string().max(64) }).strict(),
      })
      .strict(),
    output: out<ScanVerdict>(),
  },
  /** who may confirm a manual entry: enabled supervisors other than the signed-in person */
  listConfirmers: { access: 'signed_in', input: empty, output: out<Array<{ id: string; name: string }>>() },
  recentScans: { access: 'signed_in', input: z.object({ limit: z.number().int().min(1).max(200) }).strict(), output: out<RecentScan[]>() },
  scanTotals: { access: 'signed_in', input: empty, output: out<{ session: ScanTotals; today: ScanTotals }>() },

  // Flags (issues 3, 7).
  listFlags: {
    access: 'supervisor',
    input: z
      .object({
        kind: z.enum(FLAG_KINDS).optional(),
        state: z.enum(['open', 'escalated', 'decided']).optional(),
        batchId: id.optional(),
        offset: z.number().int().min(0),
        limit: z.number().int().min(1).max(1000),
      })
      .strict(),
    output: out<{ total: number; rows: FlagRow[] }>(),
  },
  getFlag: { access: 'supervisor', input: z.object({ flagId: id }).strict(), output: out<FlagDetail>() },
  decideFlags: {
    access: 'supervisor',
    input: z.object({ flagIds: z.array(id).min(1).max(1000), decision: z.enum(DECISIONS), note }).strict(),
    output: out<Array<{ flagId: string; ok: boolean; message: string | null }>>(),
  },

  // Audit and exports (issues 3, 7).
  listAudit: {
    access: 'supervisor',
    input: z
      .object({ event: z.string().max(64).optional(), actor: z.string().max(80).optional(), from: isoTime.optional(), to: isoTime.optional(), offset: z.number().int().min(0), limit: z.number().int().min(1).max(1000) })
      .strict(),
    output: out<{ total: number; rows: AuditEntry[] }>(),
  },
  verifyAudit: { access: 'supervisor', input: empty, output: out<AuditStatus>() },
  exportData: {
    access: 'supervisor',
    input: z.object({ what: z.enum(['receipts_csv', 'flags_csv', 'audit_jsonl', 'statement_pdf', 'statement_csv']) }).strict(),
    output: out<ExportResult>(),
  },
  dashboard: { access: 'supervisor', input: empty, output: out<Dashboard>() },
  /** the whole centre from the central server (asked each time, ≤ 5 s), or why not */
  centreFigures: { access: 'supervisor', input: empty, output: out<CentreFigures>() },

  // Sync (issue 5).
  syncStatus: { access: 'public', input: empty, output: out<SyncStatus>() },
  syncNow: { access: 'signed_in', input: empty, output: out<SyncStatus>() },
  /** receipts and decisions made here that the central server refused, with its words (issue 13) */
  listRefused: { access: 'supervisor', input: empty, output: out<RefusedItem[]>() },
  /** sends refused items again (audited): a refusal caused by a since-fixed server or register heals */
  resendRefused: {
    access: 'supervisor',
    input: z.object({ outboxSeqs: z.array(z.number().int().min(1)).min(1).max(10_000) }).strict(),
    output: out<{ resent: number; status: SyncStatus }>(),
  },
} as const satisfies Record<string, { access: Access; input: z.ZodType; output: unknown }>;

export type Operations = typeof operations;
export type OperationName = keyof Operations;
export type OperationInput<K extends OperationName> = z.input<Operations[K]['input']>;
export type ParsedInput<K extends OperationName> = z.output<Operations[K]['input']>;
export type OperationOutput<K extends OperationName> = Operations[K]['output'];
export type ApiResult<K extends OperationName> = Result<OperationOutput<K>, ApiError>;

export const OPERATION_NAMES = Object.keys(operations) as OperationName[];
export function isOperationName(name: string): name is OperationName {
  return Object.prototype.hasOwnProperty.call(operations, name);
}

/** What a renderer-side client offers, whichever transport carries it. */
export interface ApiClient {
  call<K extends OperationName>(name: K, input: OperationInput<K>): Promise<ApiResult<K>>;
  /** push events from the core; returns the unsubscribe function */
  subscribe(listener: (event: import('./types').PushEvent) => void): () => void;
  /**
   * The transport's file chooser for the register file: its token, and its name when the core
   * cannot see it (an upload is stored under an id); null if cancelled.
   */
  chooseRegisterFile(): Promise<{ fileToken: string; fileName?: string } | null>;
  /** hand an export to the person: a save dialog (Electron) or a download (web) */
  saveExport(exportResult: ExportResult): Promise<void>;
}
