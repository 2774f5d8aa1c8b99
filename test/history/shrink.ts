// Shrinking a failing history (as TigerBeetle's VOPR and FoundationDB's simulator do): the
// operations that touch the violation's member or barcode are replayed alone, calmly and one
// at a time, beside the run (a new namespace: same election, same desks, other ballot numbers
// and codes); if the same kind of violation shows again, operations are dropped one by one as
// long as it still shows. The result is a short plan that fails, and its history.
import type { Violation } from './checker';
import { check } from './checker';
import type { Cluster } from './cluster';
import type { HistoryDatabase } from './database';
import type { History } from './history';
import { historyLines, makeToucher } from './report';
import { names } from './names';
import { memberOfBallot, type Plan, type RegisterRow, type RequestOp } from './plan';
import { finalRedeem, runOps, setUpTrial, type Session } from './runner';
import { readSnapshot } from './snapshot';

export interface ShrinkContext {
  plan: Plan;
  session: Session;
  cluster: Cluster;
  db: HistoryDatabase;
  history: History;
  /** the next free trial number (shared by every shrink of one run) */
  nextTrial: { value: number };
}

export interface Shrunk {
  /** the operations of the shortest failing replay found */
  ops: RequestOp[];
  initialRows: RegisterRow[];
  trials: number;
  /** how it was replayed: calm or with the plan's proxy faults, one at a time or all at once */
  mode: 'calm, one at a time' | 'with proxy faults, one at a time' | 'with proxy faults, all at once';
  lines: string[];
}

/** The violation's operations, cut down to what touches it (receipts of other envelopes leave their batches). */
export function relevantOps(ctx: ShrinkContext, violation: Violation): { ops: RequestOp[]; initialRows: RegisterRow[] } {
  const touches = makeToucher({ plan: ctx.plan, ns: ctx.session.ns, history: ctx.history }, violation.subject);
  const ops: RequestOp[] = [];
  const members = new Set<number>();
  if (violation.subject.member !== undefined) members.add(violation.subject.member);
  for (const op of ctx.plan.ops) {
    if (op.kind !== 'receipts' && op.kind !== 'resolve' && op.kind !== 'redeem' && op.kind !== 'import') continue;
    const t = touches(op);
    if (!t) continue;
    if (op.kind === 'receipts') {
      const receipts = (t.receipts ?? []).map((i) => op.receipts[i]!);
      if (receipts.length === 0) continue;
      for (const r of receipts) if (r.envelope.type === 'pack') addMember(ctx.plan, members, r.envelope.ballot);
      ops.push({ ...op, receipts });
    } else if (op.kind === 'import') ops.push({ ...op, rows: (t.rows ?? []).map((i) => op.rows[i]!) });
    else ops.push(op);
  }
  return { ops, initialRows: ctx.plan.initialRows.filter((r) => members.has(r.member)) };
}

function addMember(plan: Plan, members: Set<number>, ballot: number): void {
  const m = memberOfBallot(plan, ballot);
  if (m !== null) members.add(m);
}

/**
 * Replays the violation's operations and drops what is not needed. `kind` must show again
 * (any member: the replay has its own names). Gives up after `budgetMs`.
 */
export async function shrink(ctx: ShrinkContext, violation: Violation, budgetMs: number): Promise<Shrunk | null> {
  const until = Date.now() + budgetMs;
  const start = relevantOps(ctx, violation);
  if (start.ops.length === 0) return null;
  const want = `${violation.check}/${violation.kind}`;
  let trials = 0;
  const fails = async (ops: RequestOp[], m: { calm: boolean; concurrent: boolean }): Promise<string[] | null> => {
    trials++;
    const r = await replayKinds(ctx, ops, start.initialRows, m.calm, m.concurrent ? ops.length : 1);
    return r.kinds.has(want) ? r.lines : null;
  };
  // calm and one at a time; with the plan's proxy faults; then all at once (a race), thrice
  const modes: Array<{ calm: boolean; concurrent: boolean; tries: number; name: Shrunk['mode'] }> = [
    { calm: true, concurrent: false, tries: 1, name: 'calm, one at a time' },
    { calm: false, concurrent: false, tries: 1, name: 'with proxy faults, one at a time' },
    { calm: false, concurrent: true, tries: 3, name: 'with proxy faults, all at once' },
  ];
  let mode = modes[0]!;
  let lines: string[] | null = null;
  for (const m of modes) {
    for (let t = 0; t < m.tries && !lines && Date.now() < until; t++) lines = await fails(start.ops, m);
    if (lines) {
      mode = m;
      break;
    }
  }
  if (!lines) return null;
  // delta debugging: drop chunks (halves, quarters, … single operations) while it still fails
  let ops = start.ops;
  for (let chunk = Math.max(1, Math.floor(ops.length / 2)); chunk >= 1 && Date.now() < until; chunk = chunk === 1 ? 0 : Math.max(1, Math.floor(chunk / 2))) {
    for (let at = ops.length - chunk; at >= 0 && Date.now() < until; at -= chunk) {
      const fewer = [...ops.slice(0, at), ...ops.slice(at + chunk)];
      if (fewer.length === 0) continue;
      const l = await fails(fewer, mode);
      if (l) {
        ops = fewer;
        lines = l;
      }
    }
  }
  // then the receipts within a batch, one at a time
  for (let k = ops.length - 1; k >= 0 && Date.now() < until; k--) {
    const op = ops[k]!;
    if (op.kind !== 'receipts') continue;
    const size = (): number => (ops[k] as typeof op).receipts.length;
    for (let j = op.receipts.length - 1; j >= 0 && size() > 1 && Date.now() < until; j--) {
      const fewer = ops.map((o, n) => (n === k && o.kind === 'receipts' ? { ...o, receipts: o.receipts.filter((_, x) => x !== j) } : o));
      const l = await fails(fewer, mode);
      if (l) {
        ops = fewer;
        lines = l;
      }
    }
  }
  return { ops, initialRows: start.initialRows, trials, mode: mode.name, lines };
}

async function replayKinds(ctx: ShrinkContext, ops: RequestOp[], initialRows: RegisterRow[], calm: boolean, concurrency: number): Promise<{ kinds: Set<string>; lines: string[] }> {
  const trial = ctx.nextTrial.value++;
  const ns = names(ctx.plan, trial);
  const session = await setUpTrial(ctx.session, ns, ctx.cluster, ctx.plan.electionNumber, initialRows);
  const plan: Plan = { ...ctx.plan, ops, initialRows };
  const run = { plan, session, cluster: ctx.cluster, db: ctx.db, history: ctx.history, calm, concurrency };
  await runOps(run, ops);
  const members = new Set<number>();
  for (const r of initialRows) members.add(r.member);
  for (const op of ops) {
    if (op.kind === 'redeem') members.add(op.member);
    if (op.kind === 'import') for (const r of op.rows) members.add(r.member);
    if (op.kind === 'receipts') for (const r of op.receipts) if (r.envelope.type === 'pack') addMember(ctx.plan, members, r.envelope.ballot);
  }
  const snapshot = await readSnapshot(ctx.db.url, ns);
  const final = await finalRedeem(run, [...members], ctx.plan.ops.length + ctx.plan.members + 1);
  const violations = check({ plan, ns, history: ctx.history, snapshot, finalRedeem: final });
  const allOps = new Set([...ops.map((o) => o.id), ...[...final.values()].map((a) => a.op)]);
  const lines = historyLines({ plan, ns, history: ctx.history }, { ops: [...allOps] }, 200);
  return { kinds: new Set(violations.map((v) => `${v.check}/${v.kind}`)), lines };
}
