// The records the log vouches for beyond receipts: every flag, decision, refusal of a decision
// and lifted refusal has its audit entry and still says what the entry says.
import type { Db } from '../../db/open';
import type { AuditRow, Detail } from './types';

/** Every flag, decision and refusal has its entry and still says what the entry says. */
export function checkRecords(db: Db, broken: (seq: number, problem: string) => void, afterEnd: number): void {
  const flagEntries = new Map<string, { seq: number; receiptId: unknown; kind: unknown; at: string }>();
  const decisionEntries = new Map<string, { seq: number; flagId: unknown; decision: unknown; note: unknown; supervisorId: unknown; at: string }>();
  const refusalEntries = new Map<string, { seq: number; reason: unknown }>();
  const liftEntries = new Map<string, { seq: number }>();
  const entries = db
    .prepare("SELECT seq, at, event, detail FROM audit WHERE event IN ('flag.raised', 'flag.decided', 'flag.decision_refused', 'flag.decision_accepted') ORDER BY seq")
    .iterate() as IterableIterator<Pick<AuditRow, 'seq' | 'at' | 'event' | 'detail'>>;
  for (const r of entries) {
    let d: Detail;
    try {
      d = JSON.parse(r.detail) as Detail;
    } catch {
      broken(r.seq, `entry ${r.seq} cannot be read`);
      break;
    }
    if (r.event === 'flag.raised') {
      flagEntries.set(String(d.flagId), { seq: r.seq, receiptId: d.receiptId, kind: d.kind, at: r.at });
    } else if (r.event === 'flag.decision_refused') {
      refusalEntries.set(String(d.decisionId), { seq: r.seq, reason: d.reason });
    } else if (r.event === 'flag.decision_accepted') {
      liftEntries.set(String(d.decisionId), { seq: r.seq });
    } else if (typeof d.decisionId === 'string') {
      decisionEntries.set(d.decisionId, { seq: r.seq, flagId: d.flagId, decision: d.decision, note: d.note, supervisorId: d.supervisorId, at: r.at });
    }
  }
  checkFlags(db, flagEntries, broken, afterEnd);
  checkDecisions(db, decisionEntries, broken, afterEnd);
  checkRefusals(db, refusalEntries, broken, afterEnd);
  checkLifts(db, liftEntries, broken, afterEnd);
}

function checkFlags(
  db: Db,
  entries: Map<string, { seq: number; receiptId: unknown; kind: unknown; at: string }>,
  broken: (seq: number, problem: string) => void,
  afterEnd: number,
): void {
  const rows = db.prepare('SELECT id, receipt_id, kind, raised_at FROM flags').iterate() as IterableIterator<{ id: string; receipt_id: string; kind: string; raised_at: string }>;
  for (const f of rows) {
    const e = entries.get(f.id);
    if (!e) {
      broken(afterEnd, `flag ${f.id} has no audit entry`);
      continue;
    }
    entries.delete(f.id);
    if (e.receiptId !== f.receipt_id || e.kind !== f.kind) broken(e.seq, `flag ${f.id} no longer matches entry ${e.seq}`);
  }
  for (const [id, e] of entries) broken(e.seq, `flag ${id} of entry ${e.seq} is missing`);
}

function checkDecisions(
  db: Db,
  entries: Map<string, { seq: number; flagId: unknown; decision: unknown; note: unknown; supervisorId: unknown; at: string }>,
  broken: (seq: number, problem: string) => void,
  afterEnd: number,
): void {
  const rows = db.prepare('SELECT id, flag_id, decision, note, supervisor_id, decided_at, made_here FROM decisions').iterate() as IterableIterator<{
    id: string;
    flag_id: string;
    decision: string;
    note: string;
    supervisor_id: string | null;
    decided_at: string;
    made_here: number;
  }>;
  for (const d of rows) {
    const e = entries.get(d.id);
    if (!e) {
      broken(afterEnd, `decision ${d.id} has no audit entry`);
      continue;
    }
    entries.delete(d.id);
    if (e.flagId !== d.flag_id || e.decision !== d.decision || e.note !== d.note || e.supervisorId !== d.supervisor_id)
      broken(e.seq, `decision ${d.id} no longer matches entry ${e.seq}`);
  }
  for (const [id, e] of entries) broken(e.seq, `decision ${id} of entry ${e.seq} is missing`);
}

/** Every refusal of a decision by the server has its entry and still gives the same reason. */
function checkRefusals(db: Db, entries: Map<string, { seq: number; reason: unknown }>, broken: (seq: number, problem: string) => void, afterEnd: number): void {
  const rows = db.prepare('SELECT decision_id, reason FROM decision_refusals').iterate() as IterableIterator<{ decision_id: string; reason: string }>;
  for (const x of rows) {
    const e = entries.get(x.decision_id);
    if (!e) {
      broken(afterEnd, `the refusal of decision ${x.decision_id} has no audit entry`);
      continue;
    }
    entries.delete(x.decision_id);
    if (e.reason !== x.reason) broken(e.seq, `the refusal of decision ${x.decision_id} no longer matches entry ${e.seq}`);
  }
  for (const [id, e] of entries) broken(e.seq, `the refusal of decision ${id} of entry ${e.seq} is missing`);
}

/** Every refusal lifted (the server accepted the decision once sent again) has its entry. */
function checkLifts(db: Db, entries: Map<string, { seq: number }>, broken: (seq: number, problem: string) => void, afterEnd: number): void {
  const rows = db.prepare('SELECT decision_id FROM decision_refusal_lifts').pluck().iterate() as IterableIterator<string>;
  for (const id of rows) {
    if (!entries.delete(id)) broken(afterEnd, `the acceptance of decision ${id} has no audit entry`);
  }
  for (const [id, e] of entries) broken(e.seq, `the acceptance of decision ${id} of entry ${e.seq} is missing`);
}
