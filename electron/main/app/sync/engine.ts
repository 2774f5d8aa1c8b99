// The sync engine: connects this workstation to the central server. One cycle pushes the
// outbox (receipts in batches of up to 500, then decisions), reads the election (its close may
// have moved), fills or updates the register copy, pulls the changes feed, and sends the audit
// chain's head. Cycles never overlap; they
// start about a second after a scan, periodically, on "Sync now", and when the network comes
// back. Failures back off exponentially with full jitter; a 401 stops syncing until the
// workstation is enrolled again. Every change of state is pushed to the renderer.
// The main thread is never held long: each batch is one short transaction, with a turn of
// the event loop between batches.
import { networkInterfaces } from 'node:os';
import type { PushEvent, RegisterProgress, SyncStatus } from '../../../../shared/api/types';
import { parseBarcode } from '../../../../shared/barcode/barcode';
import * as api from '../../../../shared/protocol/central-api';
import { err, ok, type Result } from '../../../../shared/result';
import type { Core } from '../core';
import { RegisterStore } from '../register/store';
import { backoffDelayMs, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff';
import { CentralClient, type TransportError } from './central-client';
import { askCentreSummary, CENTRE_SUMMARY_TIMEOUT_MS, type CentreSummaryUnavailable } from './centre-summary';
import { ChangesApplier } from './changes';
import { adoptServerElection } from './election';
import { Outbox, REFUSED_DECISION, type OutboxRow, type ResolutionPayload } from './outbox';
import { statusText } from './status';

export const DEVICE_TOKEN_SECRET = 'deviceToken';

export interface SyncOptions {
  backoff?: BackoffPolicy;
  /** a full cycle (pull included) at least this often */
  periodicMs?: number;
  /** delay between a new outbox row (a scan, a decision) and the cycle that sends it */
  debounceMs?: number;
  /** how often the outbox is checked for new rows (one indexed max() query) */
  pollMs?: number;
  networkWatchMs?: number;
  requestTimeoutMs?: number;
  /** the centre's figures for the statement: someone is waiting, so a short timeout */
  centreSummaryTimeoutMs?: number;
  batchSize?: number;
  registerPageSize?: number;
  changesPageSize?: number;
  random?: () => number;
}

const DEFAULTS = {
  periodicMs: 30_000,
  debounceMs: 1_000,
  pollMs: 500,
  /** how often the network interfaces are looked at, to notice the network coming back */
  networkWatchMs: 2_000,
  requestTimeoutMs: 30_000,
  centreSummaryTimeoutMs: CENTRE_SUMMARY_TIMEOUT_MS,
  batchSize: api.MAX_RECEIPTS_PER_REQUEST,
  registerPageSize: 10_000,
  changesPageSize: 5_000,
};

/** rows written per transaction when filling the register (keeps each well under 50 ms) */
const REGISTER_CHUNK = 2_000;
const CHANGES_CHUNK = 1_000;

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

type CycleError = TransportError | { kind: 'stopped'; message: string };

export class SyncEngine {
  readonly outbox: Outbox;
  readonly registerStore: RegisterStore;
  private readonly changes: ChangesApplier;
  private readonly o: typeof DEFAULTS & { backoff: BackoffPolicy; random: () => number };

  private state: SyncStatus['state'] = 'not_enrolled';
  private lastSuccessAt: string | null = null;
  private lastError: string | null = null;
  /** why syncing stopped (a 401), until the next enrolment */
  private halted: string | null = null;
  private failures = 0;
  private retryAt: number | null = null;
  private timer: NodeJS.Timeout | null = null;
  private timerDue = Infinity;
  private intervals: NodeJS.Timeout[] = [];
  private running: Promise<void> | null = null;
  private again = false;
  private closed = false;
  private readonly abort = new AbortController();
  private lastOutboxSeq = 0;
  private lastEmitted = '';
  private fill: { cursor: string; rows: number } | null = null;
  private registerProgress: RegisterProgress | null = null;
  /** the longest synchronous step of the engine so far (a batch's write-back, a page's apply) */
  private longestStep = 0;
  private longestStepCpu = 0;

  constructor(
    private readonly core: Core,
    options: SyncOptions = {},
    registerStore?: RegisterStore,
  ) {
    this.o = { ...DEFAULTS, backoff: DEFAULT_BACKOFF, random: Math.random, ...stripUndefined(options) };
    this.outbox = new Outbox(core.db, core.audit);
    this.registerStore = registerStore ?? new RegisterStore(core.db, core.audit);
    this.changes = new ChangesApplier(core.db, core.audit, this.registerStore);
    this.state = core.workstation.info().enrolled ? 'waiting' : 'not_enrolled';
    // the last time something was confirmed by the server, across restarts
    const last = core.db
      .prepare("SELECT sent_at FROM outbox WHERE sent_at IS NOT NULL ORDER BY seq DESC LIMIT 1")
      .get() as { sent_at: string } | undefined;
    this.lastSuccessAt = last?.sent_at ?? null;
  }

  // ---- life ------------------------------------------------------------------------------

  start(): void {
    this.recordEarlierRefusals();
    this.lastOutboxSeq = this.outbox.lastSeq();
    this.intervals.push(setInterval(() => this.pollOutbox(), this.o.pollMs));
    this.intervals.push(setInterval(() => this.schedule(0), this.o.periodicMs));
    let interfaces = networkSignature();
    this.intervals.push(
      setInterval(() => {
        const now = networkSignature();
        if (now !== interfaces) {
          interfaces = now;
          this.networkAvailable();
        }
      }, this.o.networkWatchMs),
    );
    for (const t of this.intervals) t.unref();
    if (this.core.workstation.info().enrolled) {
      this.state = 'syncing';
      this.schedule(0);
    }
    this.emitStatus();
  }

  /** This desk's receipts the server does not have yet. */
  receiptsWaiting(): number {
    return this.outbox.receiptsWaiting();
  }

  /** A desk upgraded from before migration 004: its refused decisions stop counting now. */
  private recordEarlierRefusals(): void {
    let any = false;
    for (const r of this.outbox.earlierRefusals()) any = this.core.serverFlags.recordRefusal(r.decisionId, r.reason, this.core.now()) || any;
    if (any) this.emit({ type: 'flagsChanged' });
  }

  /** Stops timers, cuts requests in flight and waits for the running cycle to end. */
  async stop(): Promise<void> {
    this.closed = true;
    for (const t of this.intervals) clearInterval(t);
    this.intervals = [];
    this.clearTimer();
    this.abort.abort();
    await this.running?.catch(() => undefined);
    if (this.fill) {
      this.registerStore.abortFill();
      this.fill = null;
    }
  }

  /** A hint that there is something to send (a scan, a decision): sync in about a second. */
  nudge(): void {
    this.schedule(this.o.debounceMs);
  }

  /** The operating system says the network is back: try at once, whatever the backoff. */
  networkAvailable(): void {
    if (this.state !== 'offline') return;
    this.retryAt = null;
    this.schedule(0);
  }

  /** Runs a whole cycle now (ignoring the backoff) and resolves with the status after it. */
  async syncNow(): Promise<SyncStatus> {
    this.retryAt = null;
    if (this.running) await this.running.catch(() => undefined);
    await this.runCycle();
    return this.status();
  }

  /** Resolves when no cycle is running. For tests and tools. */
  async whenIdle(): Promise<void> {
    while (this.running) await this.running.catch(() => undefined);
  }

  /** ms; the engine's own longest hold of the main thread, for tests and benchmarks */
  longestStepMs(): { wall: number; cpu: number } {
    return { wall: this.longestStep, cpu: this.longestStepCpu };
  }

  private timed<T>(fn: () => T): T {
    const t = performance.now();
    const c = process.cpuUsage();
    try {
      return fn();
    } finally {
      this.longestStep = Math.max(this.longestStep, performance.now() - t);
      const used = process.cpuUsage(c);
      this.longestStepCpu = Math.max(this.longestStepCpu, (used.user + used.system) / 1000);
    }
  }

  status(): SyncStatus {
    const waiting = this.outbox.waiting();
    const failed = this.outbox.failed();
    const lastError =
      this.lastError ??
      (failed.count > 0 ? `${failed.count} item${failed.count === 1 ? ' was' : 's were'} refused by the server (latest: ${failed.lastError ?? 'no reason'})` : null);
    // nothing left to send after a success: new rows came and went between two cycles
    const state = this.state === 'waiting' && waiting === 0 && this.lastError === null && this.lastSuccessAt !== null ? 'up_to_date' : this.state;
    const s = { state, waiting, lastSuccessAt: this.lastSuccessAt, lastError };
    return { ...s, text: statusText(s) };
  }

  // ---- scheduling --------------------------------------------------------------------------

  private schedule(delayMs: number): void {
    if (this.closed || this.halted) return;
    if (this.running) {
      this.again = true;
      return;
    }
    let due = Date.now() + delayMs;
    if (this.retryAt !== null && due < this.retryAt) due = this.retryAt;
    if (this.timer && this.timerDue <= due) return;
    this.clearTimer();
    this.timerDue = due;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.timerDue = Infinity;
      void this.runCycle();
    }, Math.max(0, due - Date.now()));
    this.timer.unref();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.timerDue = Infinity;
  }

  private pollOutbox(): void {
    if (this.closed) return;
    const seq = this.outbox.lastSeq();
    if (seq === this.lastOutboxSeq) return;
    this.lastOutboxSeq = seq;
    if (this.state === 'up_to_date' && this.outbox.waiting() > 0) this.state = 'waiting';
    this.emitStatus();
    this.nudge();
  }

  private runCycle(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.clearTimer();
    this.running = this.cycle()
      .catch((e) => {
        this.core.log.error('sync cycle failed', { error: (e as Error).stack ?? String(e) });
        this.failed({ kind: 'invalid_response', message: 'an internal error (see the log)' });
      })
      .finally(() => {
        this.running = null;
        if (this.again && !this.closed) {
          this.again = false;
          this.schedule(this.o.debounceMs);
        }
      });
    return this.running;
  }

  // ---- one cycle ---------------------------------------------------------------------------

  private async cycle(): Promise<void> {
    if (this.closed) return;
    if (this.halted) {
      this.setState('stopped');
      return;
    }
    const ws = this.core.workstation.info();
    if (!ws.enrolled || !ws.serverUrl) {
      this.setState('not_enrolled');
      return;
    }
    const token = await this.core.secretStore.get(DEVICE_TOKEN_SECRET);
    if (!token) {
      this.halt('The device token is missing from this computer, so nothing can be sent. Enrol the workstation again; the scans are kept here.');
      return;
    }
    const client = new CentralClient({ baseUrl: ws.serverUrl, token, timeoutMs: this.o.requestTimeoutMs, signal: this.abort.signal });
    this.lastOutboxSeq = this.outbox.lastSeq();
    this.setState('syncing');

    const steps = [
      () => this.pushReceipts(client),
      () => this.pushResolutions(client),
      () => this.pullElection(client),
      () => this.pullRegister(client),
      () => this.pullChanges(client),
      () => this.pushAuditHead(client),
    ];
    for (const step of steps) {
      const r = await step();
      if (!r.ok) {
        this.failed(r.error);
        return;
      }
    }
    this.failures = 0;
    this.retryAt = null;
    this.lastSuccessAt = this.core.now().toISOString();
    this.lastError = null;
    this.setState(this.outbox.waiting() > 0 ? 'waiting' : 'up_to_date');
    if (this.outbox.waiting() > 0) this.again = true;
  }

  private failed(e: CycleError): void {
    if (e.kind === 'stopped') return;
    if (e.kind === 'unauthorized') {
      this.halt(
        `The central server no longer accepts this workstation (${e.message}): it must be enrolled again. Syncing has stopped; every scan is kept here and will be sent after enrolment.`,
      );
      return;
    }
    this.failures++;
    const delay = backoffDelayMs(this.failures, this.o.backoff, this.o.random);
    this.retryAt = Date.now() + delay;
    const words =
      e.kind === 'network'
        ? `Cannot reach the central server: ${e.message}.`
        : e.kind === 'server'
          ? `The central server is having trouble (HTTP ${e.status}: ${e.message}).`
          : e.kind === 'refused'
            ? `The central server refused a request (HTTP ${e.status}: ${e.message}).`
            : `The central server's answer could not be understood: ${e.message}.`;
    if (this.failures === 1) {
      this.core.log.warn('sync failed; retrying with backoff', { kind: e.kind, message: e.message });
      this.auditSafely('sync.failed', { kind: e.kind, reason: e.message });
    }
    this.lastError = `${words} Trying again in ${Math.max(1, Math.round(delay / 1000))} s.`;
    this.setState(e.kind === 'network' ? 'offline' : 'waiting');
    this.schedule(delay);
  }

  private halt(reason: string): void {
    this.halted = reason;
    this.lastError = reason;
    this.clearTimer();
    this.core.log.warn('syncing stopped', { reason });
    this.auditSafely('sync.failed', { kind: 'unauthorized', reason, stopped: true });
    this.setState('stopped');
  }

  private auditSafely(event: 'sync.failed', detail: Record<string, unknown>): void {
    if (this.closed) return;
    this.core.db.transaction(() => this.core.audit.append(event, null, detail, this.core.now())).immediate();
  }

  // ---- push --------------------------------------------------------------------------------

  private async pushReceipts(client: CentralClient): Promise<Result<void, CycleError>> {
    for (;;) {
      if (this.closed) return err({ kind: 'stopped', message: 'closing' });
      const rows = this.timed(() => this.outbox.pending('receipt', this.o.batchSize));
      if (rows.length === 0) return ok(undefined);
      const r = await this.sendReceipts(client, rows);
      if (!r.ok) return r;
      this.timed(() => this.emitStatus());
      await yieldToLoop();
    }
  }

  private async sendReceipts(client: CentralClient, rows: OutboxRow[]): Promise<Result<void, CycleError>> {
    // A payload the protocol refuses would make the server refuse the whole batch: such a
    // row is failed on its own, with the reason, and the rest go.
    const receipts: api.ReceiptIn[] = [];
    const sendable: OutboxRow[] = [];
    for (const row of rows) {
      const parsed = api.receiptIn.safeParse(safeJson(row.payload));
      if (parsed.success) {
        receipts.push(parsed.data);
        sendable.push(row);
      } else this.outbox.markFailed(row, `this receipt cannot be sent: ${parsed.error.issues[0]?.message ?? 'bad payload'}`, this.core.now());
    }
    if (sendable.length === 0) return ok(undefined);
    const res = await client.request('POST', '/v1/receipts', api.receiptsResponse, { receipts });
    if (this.closed) return err({ kind: 'stopped', message: 'closing' });
    if (!res.ok) {
      if (res.error.kind !== 'refused') return res;
      // A 4xx for the request: find the item(s) it is about by halving; the rest go through.
      if (sendable.length === 1) {
        this.outbox.markFailed(sendable[0]!, `refused by the server: ${res.error.message}`, this.core.now());
        return ok(undefined);
      }
      const half = Math.ceil(sendable.length / 2);
      const first = await this.sendReceipts(client, sendable.slice(0, half));
      if (!first.ok) return first;
      return this.sendReceipts(client, sendable.slice(half));
    }
    const results = res.value.results;
    if (results.length !== sendable.length || results.some((r, i) => r.receiptId.toLowerCase() !== sendable[i]!.ref_id.toLowerCase())) {
      return err({ kind: 'invalid_response', message: 'the results do not match the receipts sent' });
    }
    const tally = this.timed(() => this.outbox.recordReceiptResults(sendable, results, this.core.now()));
    if (tally.newFlags > 0) this.emit({ type: 'flagsChanged' });
    return ok(undefined);
  }

  private async pushResolutions(client: CentralClient): Promise<Result<void, CycleError>> {
    const rows = this.outbox.pending('resolution', 1_000);
    for (const row of rows) {
      if (this.closed) return err({ kind: 'stopped', message: 'closing' });
      const p = safeJson(row.payload) as ResolutionPayload | null;
      if (!p || typeof p.receiptId !== 'string') {
        this.outbox.markFailed(row, 'this decision cannot be sent: its record is unreadable', this.core.now());
        continue;
      }
      const verdict = this.outbox.serverVerdictOf(p.receiptId);
      if (!verdict) {
        // its receipt has not reached the server yet, or the server refused it
        if (!this.outbox.receiptWaiting(p.receiptId)) this.outbox.markFailed(row, 'this decision cannot be sent: its receipt was refused by the server', this.core.now());
        continue;
      }
      if (!verdict.serverFlagId) {
        this.outbox.markSent(row, this.core.now(), `the server did not flag this receipt (${verdict.outcome}); the decision is kept here only`);
        continue;
      }
      const body = { resolutionId: p.resolutionId, decision: p.decision, note: p.note, supervisorId: p.supervisorId, decidedAt: p.decidedAt };
      const res = await client.request('POST', `/v1/flags/${encodeURIComponent(verdict.serverFlagId)}/resolution`, api.resolutionOut, body);
      if (this.closed) return err({ kind: 'stopped', message: 'closing' });
      if (res.ok) this.outbox.markSent(row, this.core.now());
      else if (res.error.kind === 'refused') {
        // The server knows more than the desk (e.g. the member's other envelope counts at
        // another desk): the decision stops counting here and the flag is open again.
        // One transaction: a crash between the two would leave the row failed (never sent
        // again) with the refused decision still counting here.
        const now = this.core.now();
        const refused = this.core.db.transaction(() => {
          this.outbox.markFailed(row, `${REFUSED_DECISION}${res.error.message}`, now);
          return this.core.serverFlags.recordRefusal(p.resolutionId, res.error.message, now);
        }).immediate();
        if (refused) this.emit({ type: 'flagsChanged' });
      } else return res;
      this.emitStatus();
    }
    return ok(undefined);
  }

  private async pushAuditHead(client: CentralClient): Promise<Result<void, CycleError>> {
    if (this.closed) return err({ kind: 'stopped', message: 'closing' });
    const head = this.core.audit.head();
    if (!this.outbox.queueAuditHead(head, this.core.now())) return ok(undefined);
    const queued = this.outbox.pendingAuditHead();
    if (!queued) return ok(undefined);
    const row: OutboxRow = { seq: queued.seq, kind: 'audit_head', ref_id: String(head.seq), payload: queued.payload, attempts: 0 };
    const res = await client.request('POST', '/v1/audit-heads', api.auditHeadResponse, JSON.parse(row.payload));
    if (this.closed) return err({ kind: 'stopped', message: 'closing' });
    if (res.ok) this.outbox.markSent(row, this.core.now());
    else if (res.error.kind === 'refused') this.outbox.markFailed(row, `audit head refused by the server: ${res.error.message}`, this.core.now());
    else return res;
    return ok(undefined);
  }

  // ---- pull --------------------------------------------------------------------------------

  /** The election's name and close, which the returning officer may move at any time. */
  private async pullElection(client: CentralClient): Promise<Result<void, CycleError>> {
    const election = await client.request('GET', '/v1/election', api.electionResponse);
    if (this.closed) return err({ kind: 'stopped', message: 'closing' });
    if (!election.ok) return election;
    const adopted = adoptServerElection(this.core, election.value, this.core.now());
    if (!adopted.ok) return adopted;
    if (adopted.value) this.emit({ type: 'workstationChanged', workstation: this.core.workstation.info() });
    return ok(undefined);
  }

  /** The first fill of the register copy from GET /v1/register (later changes come by the feed). */
  private async pullRegister(client: CentralClient): Promise<Result<void, CycleError>> {
    if (this.changes.cursors().register !== null) return ok(undefined);
    if (!this.fill) {
      const begun = await this.registerStore.beginRegisterFill();
      if (!begun.ok) return ok(undefined); // a register file is being imported; try next cycle
      if (this.closed) {
        this.registerStore.abortFill();
        return err({ kind: 'stopped', message: 'closing' });
      }
      this.fill = { cursor: '0', rows: 0 };
    }
    const fill = this.fill;
    this.progress({ state: 'running', rowsDone: fill.rows, message: 'Loading the register from the central server' });
    for (;;) {
      const page = await client.request('GET', `/v1/register?after=${fill.cursor}&limit=${this.o.registerPageSize}`, api.registerResponse);
      if (this.closed) return err({ kind: 'stopped', message: 'closing' });
      if (!page.ok) return page; // the fill stays open and resumes from `cursor` next cycle
      const entries = page.value.entries;
      for (let i = 0; i < entries.length; i += REGISTER_CHUNK) {
        fill.rows = this.timed(() => this.registerStore.appendEntries(entries.slice(i, i + REGISTER_CHUNK)));
        await yieldToLoop();
        if (this.closed) return err({ kind: 'stopped', message: 'closing' });
      }
      fill.cursor = page.value.next;
      if (entries.length < this.o.registerPageSize) break;
      this.progress({ state: 'running', rowsDone: fill.rows, message: 'Loading the register from the central server' });
    }
    const rows = this.timed(() => this.registerStore.commitFill({ cursor: fill.cursor, now: this.core.now() }));
    this.changes.startAfterFill(fill.cursor);
    this.fill = null;
    this.progress({ state: 'done', rowsDone: rows, message: `Register loaded from the central server: ${rows} packs` });
    return ok(undefined);
  }

  private async pullChanges(client: CentralClient): Promise<Result<void, CycleError>> {
    const cursors = this.changes.cursors();
    if (cursors.register === null) return ok(undefined); // the register copy is not filled yet
    let cursor: string = cursors.changes ?? '0';
    const memberRefOf = (barcode: string) => {
      const e = parseBarcode(barcode);
      return e.ok ? (this.core.register.pack(e.value.ballotNumber, e.value.issue)?.memberRef ?? null) : null;
    };
    for (;;) {
      const page = await client.request('GET', `/v1/changes?after=${cursor}&limit=${this.o.changesPageSize}`, api.changesResponse);
      if (this.closed) return err({ kind: 'stopped', message: 'closing' });
      if (!page.ok) return page;
      const events = page.value.events;
      let newFlags = 0;
      for (let i = 0; i < events.length; i += CHANGES_CHUNK) {
        const tally = this.timed(() => this.changes.apply(events.slice(i, i + CHANGES_CHUNK), memberRefOf, this.core.now()));
        newFlags += tally.newFlags + tally.decisions;
        await yieldToLoop();
        if (this.closed) return err({ kind: 'stopped', message: 'closing' });
      }
      if (newFlags > 0) this.emit({ type: 'flagsChanged' });
      if (events.length > 0) cursor = events[events.length - 1]!.eventId;
      if (events.length < this.o.changesPageSize) return ok(undefined);
    }
  }

  // ---- the centre, for the statement -----------------------------------------------------------

  /**
   * The whole centre's figures as the server holds them (GET /v1/centre/summary), for the
   * end-of-day statement. Beside the cycle, not in it: it neither waits for nor disturbs the
   * backoff, and a failure here is told to the statement, not to the sync status.
   */
  centreSummary(): Promise<Result<api.CentreSummary, CentreSummaryUnavailable>> {
    return askCentreSummary(this.core, () => this.core.secretStore.get(DEVICE_TOKEN_SECRET), {
      timeoutMs: this.o.centreSummaryTimeoutMs,
      signal: this.abort.signal,
    });
  }

  // ---- enrolment ---------------------------------------------------------------------------

  /** Enrolment finished (see enrol.ts): forget a stop and sync at once. */
  enrolled(): void {
    this.halted = null;
    this.lastError = null;
    this.failures = 0;
    this.retryAt = null;
    this.setState('syncing');
    this.schedule(0);
  }

  // ---- status ------------------------------------------------------------------------------

  private setState(state: SyncStatus['state']): void {
    this.state = state;
    this.emitStatus();
  }

  private emitStatus(): void {
    if (this.closed) return;
    const status = this.status();
    const key = JSON.stringify(status);
    if (key === this.lastEmitted) return;
    this.lastEmitted = key;
    this.emit({ type: 'syncStatus', status });
  }

  private progress(p: Pick<RegisterProgress, 'state' | 'rowsDone' | 'message'>): void {
    this.registerProgress = { source: 'server', bytesDone: 0, totalBytes: null, errors: [], ...p };
    this.emit({ type: 'registerProgress', progress: this.registerProgress });
  }

  /** the latest progress of a register fill from the server, if one ran */
  serverRegisterProgress(): RegisterProgress | null {
    return this.registerProgress;
  }

  private emit(event: PushEvent): void {
    if (!this.closed) this.core.emit(event);
  }
}

/** The machine's non-internal addresses: a change (cable in, Wi-Fi back) is worth a try at once. */
function networkSignature(): string {
  return Object.values(networkInterfaces())
    .flat()
    .filter((a) => a && !a.internal)
    .map((a) => a!.address)
    .sort()
    .join(',');
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
