// What a person reads when the checker fails: for a violation, the operations of the history
// that touch its member or barcode, in the order they were sent, each with what the client was
// told and everything the servers said — and the faults that happened meanwhile.
import type { Subject, Violation } from './checker';
import { describeAnswer } from './checker';
import type { Attempt, History, HistoryOp, ServerAnswer } from './history';
import { barcodeOf, memberRef, receiptId, resolutionId, ballotNumber, type Names } from './names';
import { MEMBER_BALLOT_BASE, type Plan, type PlannedReceipt } from './plan';

export interface ReportContext {
  plan: Plan;
  ns: Names;
  history: History;
}

const keyCache = new WeakMap<Plan, Map<string, Map<number, string[]>>>();

/** receipt key → the barcodes it was sent with (a conflicting resend has two) */
function barcodesOfKeys(ctx: ReportContext): Map<number, string[]> {
  const perPlan = keyCache.get(ctx.plan) ?? new Map<string, Map<number, string[]>>();
  keyCache.set(ctx.plan, perPlan);
  const cached = perPlan.get(String(ctx.ns.trial));
  if (cached) return cached;
  const out = new Map<number, string[]>();
  perPlan.set(String(ctx.ns.trial), out);
  for (const op of ctx.plan.ops)
    if (op.kind === 'receipts')
      for (const r of op.receipts) {
        const b = barcodeOf(ctx.ns, r.envelope);
        const list = out.get(r.key) ?? [];
        if (!list.includes(b)) list.push(b);
        out.set(r.key, list);
      }
  return out;
}

export interface Touch {
  /** receipts of the op that concern the subject */
  receipts?: number[];
  /** register rows of the op that concern the subject */
  rows?: number[];
}

export function makeToucher(ctx: ReportContext, subject: Subject): (op: HistoryOp) => Touch | null {
  const keys = barcodesOfKeys(ctx);
  const barcodes = new Set(subject.barcodes ?? []);
  const ids = new Set(subject.receiptIds ?? []);
  const resolutions = new Set(subject.resolutionIds ?? []);
  const ops = new Set(subject.ops ?? []);
  const receiptTouches = (r: PlannedReceipt): boolean => ids.has(receiptId(ctx.ns, r.key)) || barcodes.has(barcodeOf(ctx.ns, r.envelope));
  const keyTouches = (key: number): boolean => ids.has(receiptId(ctx.ns, key)) || (keys.get(key) ?? []).some((b) => barcodes.has(b));
  const memberBallot = subject.member !== undefined ? ballotNumber(ctx.ns, MEMBER_BALLOT_BASE + subject.member) : null;
  return (op) => {
    if (ops.has(op.id)) return op.kind === 'receipts' ? { receipts: op.receipts.map((_, i) => i) } : op.kind === 'import' ? { rows: op.rows.map((_, i) => i) } : {};
    switch (op.kind) {
      case 'receipts': {
        const hit = op.receipts.map((r, i) => (receiptTouches(r) || (memberBallot !== null && r.envelope.type === 'pack' && ballotNumber(ctx.ns, r.envelope.ballot) === memberBallot) ? i : -1)).filter((i) => i >= 0);
        return hit.length > 0 ? { receipts: hit } : null;
      }
      case 'resolve':
        return keyTouches(op.receiptKey) || resolutions.has(resolutionId(ctx.ns, op.resolutionKey)) ? {} : null;
      case 'redeem':
      case 'final_redeem':
        return op.member === subject.member ? {} : null;
      case 'import': {
        const rows = op.rows
          .map((r, i) => (r.member === subject.member || barcodes.has(barcodeOf(ctx.ns, { type: 'pack', ballot: r.ballot, issue: r.issue, why: 'current' })) ? i : -1))
          .filter((i) => i >= 0);
        return rows.length > 0 ? { rows } : null;
      }
    }
  };
}

/** The attempts of the history that touch `subject`, in the order they were sent. */
export function touchingAttempts(ctx: ReportContext, subject: Subject): Array<{ attempt: Attempt; op: HistoryOp; touch: Touch }> {
  const touches = makeToucher(ctx, subject);
  const out: Array<{ attempt: Attempt; op: HistoryOp; touch: Touch }> = [];
  const cache = new Map<number, Touch | null>();
  for (const a of ctx.history.attempts) {
    if (a.trial !== ctx.ns.trial) continue;
    const op = ctx.history.op(a.trial, a.op);
    if (!op) continue;
    if (!cache.has(op.id)) cache.set(op.id, touches(op));
    const t = cache.get(op.id);
    if (t) out.push({ attempt: a, op, touch: t });
  }
  return out.sort((x, y) => x.attempt.sentAt - y.attempt.sentAt);
}

const secs = (ms: number): string => `+${(ms / 1000).toFixed(3)}s`;
const short = (id: string): string => id.slice(0, 8);

function describeOp(ctx: ReportContext, op: HistoryOp, touch: Touch): string {
  const { plan, ns } = ctx;
  switch (op.kind) {
    case 'receipts': {
      const desk = plan.desks[op.desk]!;
      const shown = (touch.receipts ?? op.receipts.map((_, i) => i)).slice(0, 6).map((i) => {
        const r = op.receipts[i]!;
        return `${short(receiptId(ns, r.key))}=${barcodeOf(ns, r.envelope)}${r.variant ? ' (other content, same id)' : ''} by ${r.operator}`;
      });
      return `receipts from desk ${op.desk} (${plan.centres[desk.centre]!.id})${op.resendOf !== null ? ` — resend of op ${op.resendOf}` : ''}: ${shown.join(', ')}${op.receipts.length > shown.length ? ` (${op.receipts.length} in the batch)` : ''}`;
    }
    case 'resolve':
      return `decision ${op.decision} (${short(resolutionId(ns, op.resolutionKey))}) on receipt ${short(receiptId(ns, op.receiptKey))} by ${op.supervisor} at desk ${op.desk} (${plan.centres[plan.desks[op.desk]!.centre]!.id})${op.asker !== 'ok' ? ` [${op.asker}]` : ''}${op.resendOf !== null ? ` — resend of op ${op.resendOf}` : ''}`;
    case 'redeem':
      return `redeem the online code of ${memberRef(ns, op.member)}`;
    case 'final_redeem':
      return `final redeem of ${memberRef(ns, op.member)}'s code`;
    case 'import':
      return `register import of ${op.rows.length} rows, among them: ${(touch.rows ?? [])
        .slice(0, 6)
        .map((i) => op.rows[i]!)
        .map((r) => `${ballotNumber(ns, r.ballot)},${r.issue},${r.status},${memberRef(ns, r.member)}`)
        .join('; ')}`;
  }
}

function describeServerAnswer(ctx: ReportContext, op: HistoryOp, touch: Touch, ans: ServerAnswer): string {
  const where = `${ans.relayed ? 'relayed' : 'NOT relayed to the client'}, ${secs(ans.at)}`;
  if (ans.status === null) return `no answer (${ans.error}) ${secs(ans.at)}`;
  if (op.kind === 'receipts' && ans.results) {
    const parts = (touch.receipts ?? []).map((i) => `${short(receiptId(ctx.ns, op.receipts[i]!.key))}: ${ans.results?.[i] ? describeAnswer(ans.results[i]!) : "no result"}`);
    return `${ans.status} [${where}] ${parts.join('; ')}`;
  }
  const j = ans.json ?? {};
  if (op.kind === 'resolve' && ans.status === 200) return `200 [${where}] ${j.decision} flag ${j.flagId} recordedAt ${j.recordedAt}${j.seq !== undefined ? ` seq ${j.seq}` : ''}`;
  return `${ans.status} [${where}] ${JSON.stringify(j).slice(0, 200)}`;
}

export function historyLines(ctx: ReportContext, subject: Subject, limit = 80): string[] {
  const rows = touchingAttempts(ctx, subject);
  const lines: string[] = [];
  const from = rows[0]?.attempt.sentAt ?? 0;
  const to = rows[rows.length - 1]?.attempt.doneAt ?? 0;
  const events = ctx.ns.trial === 0 ? ctx.history.events.filter((e) => e.at >= from && e.at <= to).sort((x, y) => x.at - y.at) : [];
  let e = 0;
  for (const { attempt: a, op, touch } of rows.slice(0, limit)) {
    while (e < events.length && events[e]!.at <= a.sentAt) lines.push(`${secs(events[e]!.at)}  ** ${describeEvent(events[e++]!)}`);
    const client = a.status !== null ? `${a.status}${a.proxyMade ? ` (made by the proxy: ${a.proxyMade})` : ''}` : `transport failure (${a.error})`;
    lines.push(`${secs(a.sentAt)}  op ${op.id} try ${a.attempt + 1} via server ${a.server} [${a.fault}]: ${describeOp(ctx, op, touch)} → client got ${client}`);
    for (const ans of a.answers) lines.push(`            server ${a.server} said ${describeServerAnswer(ctx, op, touch, ans)}`);
  }
  if (rows.length > limit) lines.push(`… ${rows.length - limit} more attempts`);
  return lines;
}

function describeEvent(e: History['events'][number]): string {
  switch (e.kind) {
    case 'kill':
      return `server ${e.server} SIGKILLed`;
    case 'started':
      return `server ${e.server} started again`;
    case 'pg_down':
      return `PostgreSQL restart: down for ${e.downMs} ms`;
    case 'pg_up':
      return 'PostgreSQL up';
    case 'server_exited':
      return `server ${e.server} exited by itself`;
  }
}

/** Per kind of violation, the one whose history is shortest. */
export function shortestPerKind(ctx: ReportContext, violations: Violation[]): Map<string, { violation: Violation; count: number; attempts: number }> {
  const out = new Map<string, { violation: Violation; count: number; attempts: number }>();
  const seen = new Map<string, number>();
  for (const v of violations) {
    const key = `${v.check}/${v.kind}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
    // sizing every violation's history is quadratic on long runs: look at the first 15 of a kind
    if ((seen.get(key) ?? 0) > 15) continue;
    const n = touchingAttempts(ctx, v.subject).length;
    const best = out.get(key);
    if (!best || n < best.attempts) out.set(key, { violation: v, count: 0, attempts: n });
  }
  for (const [key, entry] of out) entry.count = seen.get(key) ?? 0;
  return out;
}
