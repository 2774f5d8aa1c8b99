// What a cycle reads from the central server after sending: the election (its close may have
// moved), the first fill of the register copy (GET /v1/register, later changes come by the
// feed), and the changes feed. Each page is written in short transactions with a turn of the
// event loop between them, so the main thread is never held long.
import type { RegisterProgress } from '../../../../shared/api/types';
import { parseBarcode } from '../../../../shared/barcode/barcode';
import * as api from '../../../../shared/protocol/central-api';
import { err, ok, type Result } from '../../../../shared/result';
import type { RegisterStore } from '../register/store';
import type { CentralClient } from './central-client';
import type { ChangesApplier } from './changes';
import { stopped, yieldToLoop, type CycleContext, type CycleError } from './cycle-context';
import { adoptServerElection } from './election';

/** rows written per transaction when filling the register (keeps each well under 50 ms) */
const REGISTER_CHUNK = 2_000;
const CHANGES_CHUNK = 1_000;

export class Pulls {
  private fill: { cursor: string; rows: number } | null = null;
  private registerProgress: RegisterProgress | null = null;

  constructor(
    private readonly cx: CycleContext,
    private readonly registerStore: RegisterStore,
    private readonly changes: ChangesApplier,
    private readonly pages: { register: number; changes: number },
  ) {}

  /** The election's name and close, which the returning officer may move at any time. */
  async election(client: CentralClient): Promise<Result<void, CycleError>> {
    const { cx } = this;
    const election = await client.request('election', 'GET', '/v1/election', api.electionResponse);
    if (cx.closed()) return stopped();
    if (!election.ok) return election;
    const adopted = adoptServerElection(cx.core, election.value, cx.core.now());
    if (!adopted.ok) return err({ kind: 'transport', cause: 'unreadable', status: 200, message: adopted.error.message });
    if (adopted.value) cx.emit({ type: 'workstationChanged', workstation: cx.core.workstation.info() });
    return ok(undefined);
  }

  /** The first fill of the register copy from GET /v1/register (later changes come by the feed). */
  async register(client: CentralClient): Promise<Result<void, CycleError>> {
    const { cx } = this;
    if (this.changes.cursors().register !== null) return ok(undefined);
    if (!this.fill) {
      const begun = await this.registerStore.beginRegisterFill();
      if (!begun.ok) return ok(undefined); // a register file is being imported; try next cycle
      if (cx.closed()) {
        this.registerStore.abortFill();
        return stopped();
      }
      this.fill = { cursor: '0', rows: 0 };
    }
    const fill = this.fill;
    this.progress({ state: 'running', rowsDone: fill.rows, message: 'Loading the register from the central server' });
    for (;;) {
      const page = await client.request('register', 'GET', `/v1/register?after=${fill.cursor}&limit=${this.pages.register}`, api.registerResponse);
      if (cx.closed()) return stopped();
      if (!page.ok) return page; // the fill stays open and resumes from `cursor` next cycle
      const entries = page.value.entries;
      for (let i = 0; i < entries.length; i += REGISTER_CHUNK) {
        fill.rows = cx.timed(() => this.registerStore.appendEntries(entries.slice(i, i + REGISTER_CHUNK)));
        await yieldToLoop();
        if (cx.closed()) return stopped();
      }
      fill.cursor = page.value.next;
      if (entries.length < this.pages.register) break;
      this.progress({ state: 'running', rowsDone: fill.rows, message: 'Loading the register from the central server' });
    }
    const rows = cx.timed(() => this.registerStore.commitFill({ cursor: fill.cursor, now: cx.core.now() }));
    this.changes.startAfterFill(fill.cursor);
    this.fill = null;
    this.progress({ state: 'done', rowsDone: rows, message: `Register loaded from the central server: ${rows} packs` });
    return ok(undefined);
  }

  async changesFeed(client: CentralClient): Promise<Result<void, CycleError>> {
    const { cx } = this;
    const cursors = this.changes.cursors();
    if (cursors.register === null) return ok(undefined); // the register copy is not filled yet
    let cursor: string = cursors.changes ?? '0';
    const memberRefOf = (barcode: string) => {
      const e = parseBarcode(barcode);
      return e.ok ? (cx.core.register.pack(e.value.ballotNumber, e.value.issue)?.memberRef ?? null) : null;
    };
    for (;;) {
      const page = await client.request('changes', 'GET', `/v1/changes?after=${cursor}&limit=${this.pages.changes}`, api.changesResponse);
      if (cx.closed()) return stopped();
      if (!page.ok) return page;
      const events = page.value.events;
      let newFlags = 0;
      for (let i = 0; i < events.length; i += CHANGES_CHUNK) {
        const tally = cx.timed(() => this.changes.apply(events.slice(i, i + CHANGES_CHUNK), memberRefOf, cx.core.now()));
        newFlags += tally.newFlags + tally.decisions;
        await yieldToLoop();
        if (cx.closed()) return stopped();
      }
      if (newFlags > 0) cx.emit({ type: 'flagsChanged' });
      if (events.length > 0) cursor = events[events.length - 1]!.eventId;
      if (events.length < this.pages.changes) return ok(undefined);
    }
  }

  /** Stops a fill in progress (the app is closing). */
  abortFill(): void {
    if (this.fill) {
      this.registerStore.abortFill();
      this.fill = null;
    }
  }

  /** the latest progress of a register fill from the server, if one ran */
  serverRegisterProgress(): RegisterProgress | null {
    return this.registerProgress;
  }

  private progress(p: Pick<RegisterProgress, 'state' | 'rowsDone' | 'message'>): void {
    this.registerProgress = { source: 'server', bytesDone: 0, totalBytes: null, errors: [], ...p };
    this.cx.emit({ type: 'registerProgress', progress: this.registerProgress });
  }
}
