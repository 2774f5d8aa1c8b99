// The history checker's plan: one seed → one list of operations (receipt batches, resends,
// redeems, decisions, register re-imports) and faults (server SIGKILLs and restarts,
// PostgreSQL restarts, and per request what the fault proxy does to it and which server
// process it goes to). The plan is deterministic; the answers, under real concurrency, are not.
//
// The plan speaks of members by index and packs by (ballot, issue); `names.ts` turns them into
// member refs, online codes, barcodes and ids within a namespace, so a shrinking replay can run
// the same operations again beside the first run without touching its rows.
import type { Decision, RegisterStatus, ScanSource } from '../../shared/domain';
import { seededRng } from './prng';

export type ProxyFault = 'none' | 'drop' | 'delay' | 'reset_request' | 'reset_response' | 'twice' | 'bad502' | 'bad503';
export const PROXY_FAULTS: readonly ProxyFault[] = ['none', 'drop', 'delay', 'reset_request', 'reset_response', 'twice', 'bad502', 'bad503'];

/** One attempt of a request: which server process (through its proxy) and what the proxy does. */
export interface Delivery {
  server: number;
  fault: ProxyFault;
  delayMs: number;
  /** bad502/bad503: the server processes the request before the proxy answers with an error */
  forwardFirst: boolean;
}

export interface Desk {
  index: number;
  centre: number;
  /** the operators who scan at this desk (never a supervisor) */
  operators: string[];
}

export interface Centre {
  index: number;
  id: string;
  desks: number[];
}

export interface RegisterRow {
  member: number;
  ballot: number;
  issue: number;
  status: RegisterStatus;
  withCode: boolean;
}

/** How the plan chose an envelope; only guides later choices (which flags to decide). */
export type EnvelopeWhy = 'current' | 'hot' | 'unknown' | 'replaced' | 'never_registered' | 'again' | 'conflict';

export type Envelope =
  | { type: 'pack'; ballot: number; issue: number; why: EnvelopeWhy }
  | { type: 'bad'; ballot: number; defect: 'check_digits' | 'other_election' };

export interface PlannedReceipt {
  /** names the receiptId; a conflicting resend reuses an earlier key with variant 1 */
  key: number;
  variant: 0 | 1;
  desk: number;
  envelope: Envelope;
  scannedAtMs: number;
  workstationSeq: number;
  operator: string;
  batch: string;
  source: ScanSource;
}

interface OpBase {
  id: number;
}
export type RequestOp =
  | (OpBase & { kind: 'receipts'; desk: number; receipts: PlannedReceipt[]; resendOf: number | null; deliveries: Delivery[] })
  | (OpBase & { kind: 'redeem'; member: number; deliveries: Delivery[] })
  | (OpBase & {
      kind: 'resolve';
      desk: number;
      receiptKey: number;
      resolutionKey: number;
      decision: Decision;
      supervisor: string;
      note: string;
      decidedAtMs: number;
      resendOf: number | null;
      /** what the rules of §3 say about who asks: `ok`, another centre (404), the scanner (403) */
      asker: 'ok' | 'wrong_centre' | 'own_scan';
      deliveries: Delivery[];
    })
  | (OpBase & { kind: 'import'; rows: RegisterRow[]; deliveries: Delivery[] });
export type FaultOp =
  | (OpBase & { kind: 'kill'; server: number })
  | (OpBase & { kind: 'restart'; server: number })
  | (OpBase & { kind: 'pg_restart'; downMs: number });
export type PlanOp = RequestOp | FaultOp;

export interface PlanOptions {
  seed: number;
  /** request operations (faults come on top) */
  operations: number;
  servers?: number;
  /** desks per centre */
  desksPerCentre?: number[];
  /** how many requests the runner keeps in flight (decisions refer to receipts planned this long before) */
  concurrency?: number;
  /** scales every proxy fault's probability (0 = a calm network) */
  faultRate?: number;
  /** server SIGKILLs and PostgreSQL restarts (default: yes) */
  crashes?: boolean;
  electionNumber?: number;
}

export interface Plan {
  seed: number;
  electionNumber: number;
  servers: number;
  /** each server process's clock against the machine's, ms (±5 minutes) */
  skewsMs: number[];
  centres: Centre[];
  desks: Desk[];
  members: number;
  /** the register before the run (members not in it are added by re-imports) */
  initialRows: RegisterRow[];
  ops: PlanOp[];
  concurrency: number;
}

export const MEMBER_BALLOT_BASE = 1000;
export const NEVER_REGISTERED_BASE = 4_000_000;
const CENTRE_IDS = ['north', 'south', 'west', 'east', 'central'];
const MAX_SKEW_MS = 5 * 60_000;

const ATTEMPTS = 3;
const IMPORT_ATTEMPTS = 8;

/** How often each proxy fault is drawn for one attempt (before `faultRate`). */
const FAULT_WEIGHTS: Record<ProxyFault, number> = {
  none: 0,
  drop: 0.02,
  delay: 0.07,
  reset_request: 0.015,
  reset_response: 0.02,
  twice: 0.05,
  bad502: 0.0125,
  bad503: 0.0125,
};

interface PackState {
  issue: number;
  /** as the register on the server should hold it (null: not imported yet) */
  imported: RegisterStatus | null;
  /** as it really is (a replacement printed, a pack cancelled) */
  actual: RegisterStatus;
}

export function generatePlan(options: PlanOptions): Plan {
  const rng = seededRng(options.seed);
  const servers = options.servers ?? 3;
  const concurrency = options.concurrency ?? 12;
  const faultRate = options.faultRate ?? 1;
  const crashes = options.crashes ?? true;
  const operations = options.operations;
  const desksPerCentre = options.desksPerCentre ?? [3, 2, 2];

  // ---- the world: centres, desks, members, clocks
  const centres: Centre[] = [];
  const desks: Desk[] = [];
  desksPerCentre.forEach((n, c) => {
    const centre: Centre = { index: c, id: CENTRE_IDS[c] ?? `centre${c}`, desks: [] };
    for (let k = 0; k < n; k++) {
      const index = desks.length;
      desks.push({ index, centre: c, operators: [`op-${index}-a`, `op-${index}-b`] });
      centre.desks.push(index);
    }
    centres.push(centre);
  });
  const skewsMs = Array.from({ length: servers }, () => rng.int(-MAX_SKEW_MS, MAX_SKEW_MS));
  // At least two processes minutes apart, whatever the draw: clocks that agree prove nothing.
  if (servers >= 2 && Math.abs(skewsMs[0]! - skewsMs[1]!) < 60_000) skewsMs[1] = skewsMs[0]! > 0 ? skewsMs[0]! - 120_000 : skewsMs[0]! + 120_000;

  const memberCount = Math.max(40, Math.round(operations / 6));
  const initialCount = Math.round(memberCount * 0.8);
  // Members of the stories (below): off the register at first, never picked at random.
  const storyCount = Math.max(10, Math.ceil(operations * 0.03));
  const packs: PackState[][] = [];
  const imported: boolean[] = [];
  for (let m = 0; m < memberCount + storyCount; m++) {
    packs.push([{ issue: 1, imported: m < initialCount ? 'issued' : null, actual: 'issued' }]);
    imported.push(m < initialCount);
  }
  const hot = Array.from({ length: Math.max(8, Math.round(memberCount * 0.04)) }, () => rng.int(0, memberCount - 1));
  const late: number[] = [];
  for (let m = initialCount; m < memberCount; m++) late.push(m);
  const neverRegistered = Array.from({ length: Math.max(4, Math.round(memberCount / 25)) }, (_, k) => NEVER_REGISTERED_BASE + k);
  const initialRows: RegisterRow[] = [];
  for (let m = 0; m < initialCount; m++) initialRows.push({ member: m, ballot: MEMBER_BALLOT_BASE + m, issue: 1, status: 'issued', withCode: true });

  const ballotOf = (m: number): number => MEMBER_BALLOT_BASE + m;
  /** members with packs whose state changed and was not imported yet (reissues, cancellations, late members) */
  const pendingMembers = new Set<number>(late);
  /** pendingMembers as a list, made again after it changes (picked from once per unknown envelope) */
  let pendingList: number[] | null = null;

  // ---- faults at fixed positions
  const faultsAt = new Map<number, FaultOp[]>();
  const addFault = (at: number, f: FaultOp extends infer F ? (F extends FaultOp ? Omit<F, 'id'> : never) : never): void => {
    const list = faultsAt.get(at) ?? [];
    list.push({ id: -1, ...f } as FaultOp);
    faultsAt.set(at, list);
  };
  if (crashes) {
    const kills = Math.max(1, Math.round(operations / 2500));
    const span = Math.max(1, Math.floor((operations * 0.8) / kills));
    for (let k = 0; k < kills; k++) {
      const at = Math.floor(operations * 0.1) + k * span + rng.int(0, Math.max(0, Math.floor(span / 3)));
      const server = rng.int(0, servers - 1);
      addFault(at, { kind: 'kill', server });
      addFault(Math.min(operations - 1, at + rng.int(concurrency, concurrency * 4)), { kind: 'restart', server });
    }
    const restarts = Math.max(1, Math.round(operations / 6000));
    for (let k = 0; k < restarts; k++) {
      const at = Math.floor(operations * (0.15 + (0.7 * (k + 0.5)) / restarts)) + rng.int(-5, 5);
      addFault(Math.max(1, at), { kind: 'pg_restart', downMs: rng.int(300, 1500) });
    }
  }

  const deliveries = (attempts: number): Delivery[] =>
    Array.from({ length: attempts }, () => {
      let fault: ProxyFault = 'none';
      let x = rng.next();
      for (const f of PROXY_FAULTS) {
        const p = FAULT_WEIGHTS[f] * faultRate;
        if (x < p) {
          fault = f;
          break;
        }
        x -= p;
      }
      return {
        server: rng.int(0, servers - 1),
        fault,
        delayMs: fault === 'delay' ? rng.int(20, 600) : 0,
        forwardFirst: (fault === 'bad502' || fault === 'bad503') && rng.chance(0.5),
      };
    });

  // ---- the operations
  const ops: PlanOp[] = [];
  const seqOfDesk = desks.map(() => 0);
  let receiptKeys = 0;
  let resolutionKeys = 0;
  const receiptOps: number[] = []; // op ids of receipt batches (for resends)
  interface KnownReceipt {
    key: number;
    op: number;
    desk: number;
    operator: string;
    envelope: Envelope;
  }
  const receipts: KnownReceipt[] = [];
  const flagCandidates: KnownReceipt[] = [];
  const firstScans: KnownReceipt[] = [];
  const decided: KnownReceipt[] = [];
  const resolveOps: number[] = [];
  const unknownScanned: number[] = []; // members whose unknown pack was scanned
  const unknownFirstScans: KnownReceipt[] = []; // first scans of packs not on the register yet
  const countedMembers: number[] = []; // members with an envelope a supervisor was planned to count
  const importEvery = Math.max(40, Math.min(800, Math.round(operations / 12)));
  const emitted = (): number => ops.length;

  const pickMember = (): number => (rng.chance(0.4) ? rng.pick(hot) : rng.int(0, memberCount - 1));
  const currentIssue = (m: number): number | null => {
    let best: number | null = null;
    for (const p of packs[m]!) if (p.actual === 'issued' && (best === null || p.issue > best)) best = p.issue;
    return best;
  };
  const chooseEnvelope = (desk: number): Envelope => {
    const why = rng.weighted({ current: 34, hot: 12, unknown: 16, replaced: 7, never_registered: 4, again: 24, bad: 3 });
    switch (why) {
      case 'current':
      case 'hot': {
        const m = why === 'hot' ? rng.pick(hot) : rng.int(0, memberCount - 1);
        const issue = currentIssue(m) ?? packs[m]![packs[m]!.length - 1]!.issue;
        return { type: 'pack', ballot: ballotOf(m), issue, why };
      }
      case 'unknown': {
        // a pack printed but not on the server's register yet: a late member, or a replacement
        if (pendingList === null) pendingList = [...pendingMembers];
        const candidates = pendingList;
        if (candidates.length === 0) return chooseEnvelope(desk);
        const m = rng.pick(candidates);
        const fresh = packs[m]!.filter((p) => p.imported === null);
        const p = fresh.length > 0 ? rng.pick(fresh) : packs[m]![packs[m]!.length - 1]!;
        if (p.imported === null) unknownScanned.push(m);
        return { type: 'pack', ballot: ballotOf(m), issue: p.issue, why: 'unknown' };
      }
      case 'replaced': {
        for (let tries = 0; tries < 8; tries++) {
          const m = pickMember();
          const old = packs[m]!.filter((p) => p.actual !== 'issued' || p.issue !== currentIssue(m));
          if (old.length > 0) return { type: 'pack', ballot: ballotOf(m), issue: rng.pick(old).issue, why: 'replaced' };
        }
        return chooseEnvelope(desk);
      }
      case 'never_registered':
        return { type: 'pack', ballot: rng.pick(neverRegistered), issue: 1, why: 'never_registered' };
      case 'again': {
        // the same envelope again: at another desk, often another centre (and often one not on the register)
        // from envelopes scanned the first time, so copies of one envelope do not snowball
        const last = firstScans.slice(-400);
        const recent = rng.chance(0.5) ? last.filter((r) => r.envelope.type === 'pack' && r.envelope.why !== 'current') : last;
        if (recent.length === 0) return chooseEnvelope(desk);
        const e = rng.pick(recent).envelope as Extract<Envelope, { type: 'pack' }>;
        return { type: 'pack', ballot: e.ballot, issue: e.issue, why: 'again' };
      }
      case 'bad':
        return { type: 'bad', ballot: ballotOf(pickMember()), defect: rng.chance(0.5) ? 'check_digits' : 'other_election' };
    }
  };
  const batchSize = (): number => {
    const r = rng.next();
    if (r < 0.69) return rng.int(1, 4);
    if (r < 0.99) return rng.int(5, 30);
    return rng.int(31, 500);
  };

  const newBatch = (id: number): RequestOp => {
    const desk = rng.int(0, desks.length - 1);
    const n = batchSize();
    const batch = `b-${desk}-${id}`;
    const list: PlannedReceipt[] = [];
    for (let i = 0; i < n; i++) {
      const envelope = chooseEnvelope(desk);
      const operator = rng.pick(desks[desk]!.operators);
      const r: PlannedReceipt = {
        key: receiptKeys++,
        variant: 0,
        desk,
        envelope,
        scannedAtMs: id * 7 + i,
        workstationSeq: ++seqOfDesk[desk]!,
        operator,
        batch,
        source: rng.pick(['scanner', 'scanner', 'scanner', 'camera', 'manual'] as const),
      };
      list.push(r);
      const known: KnownReceipt = { key: r.key, op: id, desk, operator, envelope };
      receipts.push(known);
      if (envelope.type === 'pack' && envelope.why !== 'again') firstScans.push(known);
      if (envelope.type === 'pack' && envelope.why === 'unknown') unknownFirstScans.push(known);
      if (envelope.type === 'pack' && (envelope.why !== 'current' || rng.chance(0.15))) flagCandidates.push(known);
    }
    receiptOps.push(id);
    return { id, kind: 'receipts', desk, receipts: list, resendOf: null, deliveries: deliveries(ATTEMPTS) };
  };

  const lag = concurrency * 2;
  const resolvable = (r: KnownReceipt, id: number): boolean => r.op <= id - lag;

  const newResolve = (id: number): RequestOp | null => {
    const redo = decided.slice(-400).filter((r) => resolvable(r, id));
    const unknown = unknownFirstScans.slice(-300).filter((r) => resolvable(r, id));
    const first = flagCandidates.slice(-800).filter((r) => resolvable(r, id));
    let target: KnownReceipt | undefined;
    const from = rng.weighted({ redo: 35, unknown: 30, first: 35 });
    if (from === 'redo' && redo.length > 0) target = rng.pick(redo);
    else if (from === 'unknown' && unknown.length > 0) target = rng.pick(unknown);
    else if (first.length > 0) target = rng.pick(first);
    if (!target) return null;
    decided.push(target);
    const decision = rng.weighted<Decision>({ count: 42, set_aside: 20, void_receipt: 14, escalate: 24 });
    // the platform then tries the member's code: one vote, or two?
    if (decision === 'count' && target.envelope.type === 'pack') {
      const m = target.envelope.ballot - MEMBER_BALLOT_BASE;
      if (m >= 0 && m < memberCount) countedMembers.push(m);
    }
    const centre = desks[target.desk]!.centre;
    const asker = rng.weighted({ ok: 96, wrong_centre: 2, own_scan: 2 });
    const otherCentres = centres.filter((c) => c.index !== centre);
    const desk =
      asker === 'wrong_centre' && otherCentres.length > 0 ? rng.pick(rng.pick(otherCentres).desks) : rng.pick(centres[centre]!.desks);
    resolveOps.push(id);
    return {
      id,
      kind: 'resolve',
      desk,
      receiptKey: target.key,
      resolutionKey: resolutionKeys++,
      decision,
      supervisor: asker === 'own_scan' ? target.operator : `sup-${centres[centre]!.id}-${rng.int(1, 2)}`,
      note: `decision ${id}`,
      decidedAtMs: id * 7,
      resendOf: null,
      asker: asker === 'wrong_centre' && otherCentres.length === 0 ? 'ok' : asker,
      deliveries: deliveries(ATTEMPTS),
    };
  };

  // ---- stories: the paths the random mix rarely walks end to end, planned whole.
  //   counted_then_online  an envelope of a pack not on the register yet; a supervisor counts
  //                        it; the next import adds the pack; the platform redeems the code
  //   two_centres          the same unregistered envelope at two centres; both are counted;
  //                        then as above
  const queue: Array<{ notBefore: number; make: (id: number) => RequestOp }> = [];
  const forcedImport = new Set<number>();
  const afterImport: Array<(at: number) => void> = [];
  let nextStory = 0;
  const storyReceipt = (id: number, desk: number, m: number): { op: RequestOp; r: KnownReceipt } => {
    const operator = rng.pick(desks[desk]!.operators);
    const envelope: Envelope = { type: 'pack', ballot: ballotOf(m), issue: 1, why: 'unknown' };
    const planned: PlannedReceipt = {
      key: receiptKeys++,
      variant: 0,
      desk,
      envelope,
      scannedAtMs: id * 7,
      workstationSeq: ++seqOfDesk[desk]!,
      operator,
      batch: `story-${desk}-${id}`,
      source: 'scanner',
    };
    return {
      op: { id, kind: 'receipts', desk, receipts: [planned], resendOf: null, deliveries: deliveries(ATTEMPTS) },
      r: { key: planned.key, op: id, desk, operator, envelope },
    };
  };
  const storyCount_ = (target: KnownReceipt) => (id: number): RequestOp => {
    const centre = desks[target.desk]!.centre;
    return {
      id,
      kind: 'resolve',
      desk: rng.pick(centres[centre]!.desks),
      receiptKey: target.key,
      resolutionKey: resolutionKeys++,
      decision: 'count',
      supervisor: `sup-${centres[centre]!.id}-${rng.int(1, 2)}`,
      note: `story decision ${id}`,
      decidedAtMs: id * 7,
      resendOf: null,
      asker: 'ok',
      deliveries: deliveries(ATTEMPTS),
    };
  };
  const thenImportAndRedeem = (m: number): void => {
    forcedImport.add(m);
    afterImport.push((at) => queue.push({ notBefore: at + lag, make: (id) => ({ id, kind: 'redeem', member: m, deliveries: deliveries(ATTEMPTS) }) }));
  };
  const startStory = (id: number, i: number): RequestOp => {
    const m = memberCount + nextStory++;
    const first = storyReceipt(id, rng.int(0, desks.length - 1), m);
    if (rng.chance(0.5) || centres.length < 2) {
      queue.push({
        notBefore: i + lag,
        make: (rid) => {
          thenImportAndRedeem(m);
          return storyCount_(first.r)(rid);
        },
      });
    } else {
      const otherCentre = rng.pick(centres.filter((c) => c.index !== desks[first.r.desk]!.centre));
      let second: KnownReceipt | null = null;
      queue.push({
        notBefore: i + rng.int(1, 8),
        make: (rid) => {
          const made = storyReceipt(rid, rng.pick(otherCentre.desks), m);
          second = made.r;
          return made.op;
        },
      });
      queue.push({ notBefore: i + lag + 8, make: (rid) => storyCount_(first.r)(rid) });
      queue.push({
        notBefore: i + lag + 9,
        make: (rid) => {
          thenImportAndRedeem(m);
          return storyCount_(second ?? first.r)(rid);
        },
      });
    }
    return first.op;
  };

  const newRedeem = (id: number): RequestOp => {
    const how = rng.weighted({ counted: 25, unknownScanned: 20, late: 10, hot: 20, any: 25 });
    let member: number;
    if (how === 'counted' && countedMembers.length > 0) member = rng.pick(countedMembers.slice(-100));
    else if (how === 'unknownScanned' && unknownScanned.length > 0) member = rng.pick(unknownScanned.slice(-200));
    else if (how === 'late' && late.length > 0) member = rng.pick(late);
    else if (how === 'hot') member = rng.pick(hot);
    else member = rng.int(0, memberCount - 1);
    return { id, kind: 'redeem', member, deliveries: deliveries(ATTEMPTS) };
  };

  /** Changes happen in the world (replacement packs printed, packs cancelled) before the register says so. */
  const worldChanges = (): void => {
    if (rng.chance(0.02)) {
      const m = pickMember();
      const cur = currentIssue(m);
      const top = packs[m]![packs[m]!.length - 1]!.issue;
      if (cur !== null && top < 9) {
        packs[m]!.find((p) => p.issue === cur)!.actual = 'superseded';
        packs[m]!.push({ issue: top + 1, imported: null, actual: 'issued' });
        pendingMembers.add(m);
        pendingList = null;
      }
    }
    if (rng.chance(0.004)) {
      const m = pickMember();
      const cur = currentIssue(m);
      if (cur !== null) {
        packs[m]!.find((p) => p.issue === cur)!.actual = 'cancelled';
        pendingMembers.add(m);
        pendingList = null;
      }
    }
  };

  const newImport = (id: number, at: number): RequestOp => {
    const rows: RegisterRow[] = [];
    for (const m of forcedImport) {
      imported[m] = true;
      for (const p of packs[m]!) {
        p.imported = p.actual;
        rows.push({ member: m, ballot: ballotOf(m), issue: p.issue, status: p.actual, withCode: true });
      }
    }
    forcedImport.clear();
    for (const then of afterImport.splice(0)) then(at);
    const flushing = [...pendingMembers].filter(() => rng.chance(0.7));
    const flushed = new Set(flushing);
    pendingList = null;
    for (const m of flushing) {
      pendingMembers.delete(m);
      imported[m] = true;
      for (const p of packs[m]!) {
        if (p.imported !== p.actual) {
          p.imported = p.actual;
          rows.push({ member: m, ballot: ballotOf(m), issue: p.issue, status: p.actual, withCode: p.actual === 'issued' || rng.chance(0.5) });
        }
      }
    }
    // unchanged rows too: importing again what the server has changes nothing
    for (let k = 0; k < 30; k++) {
      const m = rng.int(0, memberCount - 1);
      if (!imported[m] || pendingMembers.has(m) || flushed.has(m)) continue;
      for (const p of packs[m]!) if (p.imported !== null && !rows.some((r) => r.member === m && r.issue === p.issue)) rows.push({ member: m, ballot: ballotOf(m), issue: p.issue, status: p.imported, withCode: true });
    }
    return { id, kind: 'import', rows, deliveries: deliveries(IMPORT_ATTEMPTS) };
  };

  for (let i = 0; i < operations; i++) {
    for (const f of faultsAt.get(i) ?? []) ops.push({ ...f, id: emitted() });
    worldChanges();
    const id = emitted();
    if (i % importEvery === importEvery - 1) {
      ops.push(newImport(id, i));
      continue;
    }
    const due = queue.findIndex((q) => q.notBefore <= i);
    if (due >= 0) {
      ops.push(queue.splice(due, 1)[0]!.make(id));
      continue;
    }
    if (nextStory < storyCount && rng.chance(0.025)) {
      ops.push(startStory(id, i));
      continue;
    }
    const kind = rng.weighted({ receipts: 52, resend: 7, redeem: 12, resolve: 23, resolveResend: 3, conflict: 1.5 });
    let op: RequestOp | null = null;
    if (kind === 'resend' && receiptOps.length > 0) {
      const earlier = ops[rng.pick(receiptOps.slice(-300))] as Extract<RequestOp, { kind: 'receipts' }>;
      op = { ...earlier, id, resendOf: earlier.resendOf ?? earlier.id, deliveries: deliveries(ATTEMPTS) };
    } else if (kind === 'resolveResend' && resolveOps.length > 0) {
      const earlier = ops[rng.pick(resolveOps.slice(-200))] as Extract<RequestOp, { kind: 'resolve' }>;
      op = { ...earlier, id, resendOf: earlier.resendOf ?? earlier.id, deliveries: deliveries(ATTEMPTS) };
    } else if (kind === 'conflict' && receipts.length > 0) {
      // the same receiptId with other content (another envelope): must be refused as a conflict
      // often one still in flight, and often with the envelope of another receipt of its batch
      const r = rng.pick(receipts.slice(rng.chance(0.5) ? -60 : -500));
      const batch = (ops[r.op] as Extract<RequestOp, { kind: 'receipts' }>).receipts;
      const original = batch.find((x) => x.key === r.key)!;
      const sibling = batch.find((x) => x.envelope.type === 'pack' && original.envelope.type === 'pack' && x.envelope.ballot !== original.envelope.ballot);
      let m = pickMember();
      if (original.envelope.type === 'pack' && original.envelope.ballot === ballotOf(m)) m = (m + 1) % memberCount;
      const other: Envelope =
        sibling && sibling.envelope.type === 'pack' && rng.chance(0.5)
          ? { ...sibling.envelope, why: 'conflict' }
          : { type: 'pack', ballot: ballotOf(m), issue: currentIssue(m) ?? 1, why: 'conflict' };
      op = { id, kind: 'receipts', desk: r.desk, receipts: [{ ...original, variant: 1, envelope: other }], resendOf: null, deliveries: deliveries(ATTEMPTS) };
    } else if (kind === 'redeem') op = newRedeem(id);
    else if (kind === 'resolve') op = newResolve(id);
    ops.push(op ?? newBatch(id));
  }
  // a last import of everything still pending, so the final checks see every pack on the register
  ops.push(newImportAll(emitted()));

  function newImportAll(id: number): RequestOp {
    const rows: RegisterRow[] = [];
    for (let m = memberCount; m < memberCount + nextStory; m++) if (!imported[m]) pendingMembers.add(m);
    for (const m of forcedImport) pendingMembers.add(m);
    for (const m of pendingMembers) {
      imported[m] = true;
      for (const p of packs[m]!) {
        if (p.imported !== p.actual) {
          p.imported = p.actual;
          rows.push({ member: m, ballot: ballotOf(m), issue: p.issue, status: p.actual, withCode: true });
        }
      }
    }
    pendingMembers.clear();
    return { id, kind: 'import', rows, deliveries: deliveries(IMPORT_ATTEMPTS) };
  }

  return {
    seed: options.seed,
    electionNumber: options.electionNumber ?? 1022,
    servers,
    skewsMs,
    centres,
    desks,
    members: memberCount + storyCount,
    initialRows,
    ops,
    concurrency,
  };
}

export function isRequestOp(op: PlanOp): op is RequestOp {
  return op.kind === 'receipts' || op.kind === 'redeem' || op.kind === 'resolve' || op.kind === 'import';
}

/** The member a plan ballot number belongs to (null for barcodes no register ever lists). */
export function memberOfBallot(plan: Plan, ballot: number): number | null {
  const m = ballot - MEMBER_BALLOT_BASE;
  return m >= 0 && m < plan.members ? m : null;
}

