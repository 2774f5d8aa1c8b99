// The sync engine: connects this workstation to the central server. One cycle (after start-up,
// first checks that the audit chain still holds the head the server witnessed), pushes the
// outbox (receipts in batches of up to 500, then decisions), reads the election (its close may
// have moved), fills or updates the register copy, pulls the changes feed, and sends the audit
// chain's head; every answer's Date header is a reading of the server's clock. Cycles never
// overlap; they start about a second after a scan, periodically, on "Sync now", and when the
// network comes back. Transport failures back off exponentially with full jitter and are told
// in words; only the server's own word refuses an item; a 401 from the server stops syncing
// until the workstation is enrolled again. Every change of state is pushed to the renderer.
// The steps live beside this file: push-receipts.ts, push-decisions.ts, pull.ts, witness.ts;
// when cycles run is scheduler.ts's, the status words status.ts's. Over 300 lines because the
// engine's state (what it last said, its failures and backoff, a stop after a 401, the head
// check) and the calls the app makes on it (sync now, resend, verify, enrolled) are one object.
import type { PushEvent, RegisterProgress, SyncStatus, WitnessedHeadCheck } from '../../../../shared/api/types';
import * as api from '../../../../shared/protocol/central-api';
import { err, ok, type Result } from '../../../../shared/result';
import type { SyncDeps } from './deps';
import { RegisterStore } from '../register/store';
import { backoffDelayMs, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff';
import { CentralClient } from './central-client';
import { askCentreSummary, type CentreSummaryUnavailable } from './centre-summary';
import { ChangesApplier } from './changes';
import { ClockWatch } from './clock-watch';
import type { CycleContext, CycleError } from './cycle-context';
import { Outbox } from './outbox';
import { Pulls } from './pull';
import { pushDecisions } from './push-decisions';
import { ReceiptPush } from './push-receipts';
import { RefusedItems } from './refused';
import { recordEarlierRefusals, resendEarlierTransportFailures } from './earlier-versions';
import { networkSignature } from './network-watch';
import { stripUndefined, SYNC_DEFAULTS, type SyncOptions } from './options';
import { CycleScheduler } from './scheduler';
import { StepTimer } from './step-timer';
import { deriveStatus } from './status';
import { checkLatestHead, pushAuditHead } from './witness';

export const DEVICE_TOKEN_SECRET = 'deviceToken';
export type { SyncOptions } from './options';

export class SyncEngine {
  readonly outbox: Outbox;
  readonly refused: RefusedItems;
  readonly registerStore: RegisterStore;
  private readonly o: typeof SYNC_DEFAULTS & { backoff: BackoffPolicy; random: () => number };
  private readonly cx: CycleContext;
  private readonly receipts: ReceiptPush;
  private readonly pulls: Pulls;
  private readonly clock: ClockWatch;
  private readonly scheduler: CycleScheduler;

  private state: SyncStatus['state'] = 'not_enrolled';
  private lastSuccessAt: string | null = null;
  private lastError: string | null = null;
  /** why syncing stopped (a 401), until the next enrolment */
  private halted: string | null = null;
  /** the chain was compared with the server's witnessed head since start (or enrolment) */
  private headChecked = false;
  private failures = 0;
  private closed = false;
  private readonly abort = new AbortController();
  private lastOutboxSeq = 0;
  private lastEmitted = '';
  private lastEmittedState: SyncStatus['state'] | null = null;
  /** the longest synchronous step of the engine so far (a batch's write-back, a page's apply) */
  private readonly steps = new StepTimer();

  constructor(
    private readonly core: SyncDeps,
    options: SyncOptions = {},
  ) {
    this.o = { ...SYNC_DEFAULTS, backoff: DEFAULT_BACKOFF, random: Math.random, ...stripUndefined(options) };
    this.outbox = new Outbox(core.db, core.audit);
    this.refused = new RefusedItems(core.db, core.audit);
    this.registerStore = core.registerStore;
    this.cx = {
      core,
      outbox: this.outbox,
      closed: () => this.closed,
      emit: (e) => this.emit(e),
      emitStatus: () => this.emitStatus(),
      timed: (fn) => this.steps.timed(fn),
    };
    this.receipts = new ReceiptPush(this.cx, this.o.batchSize);
    this.pulls = new Pulls(this.cx, this.registerStore, new ChangesApplier(core.db, core.audit, this.registerStore), {
      register: this.o.registerPageSize,
      changes: this.o.changesPageSize,
    });
    this.clock = new ClockWatch(core);
    this.scheduler = new CycleScheduler({
      run: () => this.cycle(),
      onError: (e) => {
        this.core.log.error('sync cycle failed', { error: (e as Error).stack ?? String(e) });
        this.failed({ kind: 'transport', cause: 'unreadable', status: null, message: 'an internal error stopped the sync (see the log)' });
      },
      afterCycle: () => {
        if (!this.closed && this.clock.endCycle()) this.emitStatus();
      },
      canRun: () => !this.closed && !this.halted,
      debounceMs: this.o.debounceMs,
    });
    this.state = core.workstation.info().enrolled ? 'waiting' : 'not_enrolled';
    // the last time something was confirmed by the server, across restarts
    const last = core.db
      .prepare("SELECT sent_at FROM outbox WHERE sent_at IS NOT NULL ORDER BY seq DESC LIMIT 1")
      .get() as { sent_at: string } | undefined;
    this.lastSuccessAt = last?.sent_at ?? null;
  }

  // ---- life ------------------------------------------------------------------------------

  start(): void {
    if (recordEarlierRefusals(this.outbox, this.core)) this.emit({ type: 'flagsChanged' });
    resendEarlierTransportFailures(this.refused, this.core);
    this.lastOutboxSeq = this.outbox.lastSeq();
    this.scheduler.every(this.o.pollMs, () => this.pollOutbox());
    this.scheduler.every(this.o.periodicMs, () => this.schedule(0));
    let interfaces = networkSignature();
    this.scheduler.every(this.o.networkWatchMs, () => {
      const now = networkSignature();
      if (now !== interfaces) {
        interfaces = now;
        this.networkAvailable();
      }
    });
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

  /** Stops timers, cuts requests in flight and waits for the running cycle to end. */
  async stop(): Promise<void> {
    this.closed = true;
    this.scheduler.stopTimers();
    this.abort.abort();
    await this.scheduler.currentEnded();
    this.pulls.abortFill();
  }

  /** A hint that there is something to send (a scan, a decision): sync in about a second. */
  nudge(): void {
    this.schedule(this.o.debounceMs);
  }

  /**
   * Something was just written to the outbox (a scan, a decision, a resend). If the screens were
   * last told "Up to date", they are told otherwise now, not at the next poll; then sync soon.
   */
  outboxChanged(): void {
    if (this.closed) return;
    if (this.lastEmittedState === 'up_to_date') this.emitStatus();
    this.nudge();
  }

  /** The operating system says the network is back: try at once, whatever the backoff. */
  networkAvailable(): void {
    if (this.state !== 'offline') return;
    this.scheduler.retryNotBefore(null);
    this.schedule(0);
  }

  /** Runs a whole cycle now (ignoring the backoff) and resolves with the status after it. */
  async syncNow(): Promise<SyncStatus> {
    this.scheduler.retryNotBefore(null);
    await this.scheduler.currentEnded();
    await this.scheduler.runNow();
    return this.status();
  }

  /** Resolves when no cycle is running. For tests and tools. */
  async whenIdle(): Promise<void> {
    await this.scheduler.whenIdle();
  }

  /** ms; the engine's own longest hold of the main thread, for tests and benchmarks */
  longestStepMs(): { wall: number; cpu: number } {
    return this.steps.longest();
  }

  status(): SyncStatus {
    return deriveStatus({
      state: this.state,
      waiting: this.outbox.waiting(),
      refused: this.refused.count(),
      latestRefusal: () => this.refused.latestReason(),
      lastError: this.lastError,
      lastSuccessAt: this.lastSuccessAt,
      clock: this.clock.check(),
    });
  }

  /** The desk's clock against the server's, as last measured (for the tray check). */
  clockCheck(): ReturnType<ClockWatch['check']> {
    return this.clock.check();
  }

  // ---- scheduling --------------------------------------------------------------------------

  private schedule(delayMs: number): void {
    this.scheduler.schedule(delayMs);
  }

  private pollOutbox(): void {
    if (this.closed) return;
    const seq = this.outbox.lastSeq();
    if (seq === this.lastOutboxSeq) return;
    this.lastOutboxSeq = seq;
    this.emitStatus();
    this.nudge();
  }

  // ---- one cycle ---------------------------------------------------------------------------

  private async client(timeoutMs = this.o.requestTimeoutMs): Promise<Result<CentralClient, string>> {
    const ws = this.core.workstation.info();
    if (!ws.enrolled || !ws.serverUrl) return err('not enrolled');
    const token = await this.core.secretStore.get(DEVICE_TOKEN_SECRET);
    if (!token) return err('no token');
    return ok(new CentralClient({ baseUrl: ws.serverUrl, serverKey: ws.serverKey, token, timeoutMs, signal: this.abort.signal, clock: this.core.now, onClockSample: this.clock.sample }));
  }

  private async cycle(): Promise<void> {
    if (this.closed) return;
    if (this.halted) {
      this.setState('stopped');
      return;
    }
    const made = await this.client();
    if (!made.ok) {
      if (made.error === 'not enrolled') this.setState('not_enrolled');
      else this.halt('The device token is missing from this computer, so nothing can be sent. Enrol the workstation again; the scans are kept here.');
      return;
    }
    const client = made.value;
    this.lastOutboxSeq = this.outbox.lastSeq();
    this.setState('syncing');

    const steps: Array<() => Promise<Result<unknown, CycleError>>> = [
      // at start-up (once the server answers): does the chain still hold what the server witnessed?
      ...(this.headChecked ? [] : [async () => {
        const r = await checkLatestHead(this.cx, client);
        if (r.ok) this.headChecked = true;
        return r;
      }]),
      () => this.receipts.push(client),
      () => pushDecisions(this.cx, client),
      () => this.pulls.election(client),
      () => this.pulls.register(client),
      () => this.pulls.changesFeed(client),
      () => pushAuditHead(this.cx, client),
    ];
    for (const step of steps) {
      const r = await step();
      if (!r.ok) {
        this.failed(r.error);
        return;
      }
    }
    this.failures = 0;
    this.scheduler.retryNotBefore(null);
    this.lastSuccessAt = this.core.now().toISOString();
    this.lastError = null;
    const waiting = this.outbox.waiting();
    this.setState(waiting > 0 ? 'waiting' : 'up_to_date');
    if (waiting > 0) this.scheduler.runAgainAfter();
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
    this.scheduler.retryNotBefore(Date.now() + delay);
    const words = e.kind === 'final' ? `the central server refused a request (HTTP ${e.status}: ${e.message})` : e.message;
    if (this.failures === 1) {
      this.core.log.warn('sync failed; retrying with backoff', { kind: e.kind, ...(e.kind === 'transport' ? { cause: e.cause, status: e.status } : {}), message: e.message });
      this.auditSafely('sync.failed', { kind: e.kind === 'transport' ? e.cause : e.kind, reason: e.message });
    }
    this.lastError = `${capitalise(words)}. Trying again in ${Math.max(1, Math.round(delay / 1000))} s.`;
    const unreachable = e.kind === 'transport' && (e.cause === 'no_answer' || e.cause === 'foreign_answer');
    this.setState(unreachable ? 'offline' : 'waiting');
    this.schedule(delay);
  }

  private halt(reason: string): void {
    this.halted = reason;
    this.lastError = reason;
    this.scheduler.cancel();
    this.core.log.warn('syncing stopped', { reason });
    this.auditSafely('sync.failed', { kind: 'unauthorized', reason, stopped: true });
    this.setState('stopped');
  }

  private auditSafely(event: 'sync.failed', detail: Record<string, unknown>): void {
    if (this.closed) return;
    this.core.db.transaction(() => this.core.audit.append(event, null, detail, this.core.now())).immediate();
  }

  // ---- on demand -------------------------------------------------------------------------------

  /**
   * Verify: asks the server for the head it last witnessed (short timeout: someone is waiting)
   * and checks the chain contains it. Null when the server cannot be asked now (the copy kept
   * here was compared instead, by the core's verifyAudit).
   */
  async checkWitnessedHead(): Promise<WitnessedHeadCheck | null> {
    const made = await this.client(this.o.verifyTimeoutMs);
    if (!made.ok) return null;
    const r = await checkLatestHead(this.cx, made.value);
    return r.ok ? r.value : null;
  }

  /** Sends refused items again (a supervisor asked; audited) and syncs soon. */
  resend(outboxSeqs: readonly number[], actor: string, now: Date): number {
    const n = this.refused.resend(outboxSeqs, actor, 'a supervisor sent them again', now);
    if (n > 0) {
      this.emitStatus();
      this.scheduler.retryNotBefore(null);
      this.schedule(0);
    }
    return n;
  }

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
    this.scheduler.retryNotBefore(null);
    this.headChecked = false;
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
    this.lastEmittedState = status.state;
    const key = JSON.stringify(status);
    if (key === this.lastEmitted) return;
    this.lastEmitted = key;
    this.emit({ type: 'syncStatus', status });
  }

  /** the latest progress of a register fill from the server, if one ran */
  serverRegisterProgress(): RegisterProgress | null {
    return this.pulls.serverRegisterProgress();
  }

  private emit(event: PushEvent): void {
    if (!this.closed) this.core.emit(event);
  }
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

