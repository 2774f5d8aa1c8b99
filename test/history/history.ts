// The history of a run, as Jepsen keeps one: every attempt of every request (when it left,
// when it ended, what the client was told or how the transport failed) and every answer a
// server process gave to it — including the ones the client never saw (the twin of a duplicate
// delivery, an answer hidden behind a proxy-made 502, an answer cut off mid-body) — plus the
// run's faults on the same clock.
import type { ProxyFault, RequestOp } from './plan';
import type { UpstreamAnswer } from './proxy';

/** One receipt's result, kept small (a long run holds hundreds of thousands). */
export interface ReceiptAnswer {
  outcome: 'accepted' | 'flagged' | 'rejected';
  flagId?: string;
  kind?: string;
  related?: string[];
  onlineCode?: string;
  error?: string;
}

export interface ServerAnswer {
  status: number | null;
  startedAt: number;
  at: number;
  relayed: boolean;
  error?: string;
  /** receipts: one per receipt of the request, same order */
  results?: ReceiptAnswer[];
  /** any other JSON answer (resolution, redeem, import, problem) */
  json?: Record<string, unknown>;
}

export interface Attempt {
  key: string;
  op: number;
  trial: number;
  attempt: number;
  server: number;
  fault: ProxyFault | 'direct';
  sentAt: number;
  doneAt: number;
  /** what the client saw: a status, or null with `error` for a transport failure */
  status: number | null;
  error?: string;
  /** the answer was made by the proxy (`x-fault-proxy`), not by a server */
  proxyMade?: string;
  answers: ServerAnswer[];
}

export type FinalRedeemOp = { id: number; kind: 'final_redeem'; member: number };
export type HistoryOp = RequestOp | FinalRedeemOp;

export type RunEvent =
  | { kind: 'kill'; server: number; at: number }
  | { kind: 'started'; server: number; at: number }
  | { kind: 'pg_down'; at: number; downMs: number }
  | { kind: 'pg_up'; at: number }
  | { kind: 'server_exited'; server: number; at: number; detail: string };

export class History {
  readonly attempts: Attempt[] = [];
  readonly events: RunEvent[] = [];
  /** ops that were planned but not sent (a decision on a receipt whose flag the desk never learnt) */
  readonly skipped = new Map<string, string>();
  private readonly byKey = new Map<string, Attempt>();
  private readonly early = new Map<string, ServerAnswer[]>();
  private readonly ops = new Map<string, HistoryOp>();
  /** one string per receipt id: a hot envelope's answers name hundreds of related receipts each */
  private readonly ids = new Map<string, string>();
  private readonly intern = (id: string): string => {
    const known = this.ids.get(id);
    if (known !== undefined) return known;
    this.ids.set(id, id);
    return id;
  };

  constructor(readonly clock: () => number) {}

  opKey(trial: number, op: number): string {
    return `${trial}:${op}`;
  }

  registerOp(trial: number, op: HistoryOp): void {
    this.ops.set(this.opKey(trial, op.id), op);
  }

  op(trial: number, id: number): HistoryOp | undefined {
    return this.ops.get(this.opKey(trial, id));
  }

  begin(a: Omit<Attempt, 'key' | 'answers' | 'doneAt' | 'status'>): Attempt {
    const key = `${a.trial}:${a.op}.${a.attempt}`;
    const attempt: Attempt = { ...a, key, doneAt: NaN, status: null, answers: this.early.get(key) ?? [] };
    this.early.delete(key);
    this.byKey.set(key, attempt);
    this.attempts.push(attempt);
    return attempt;
  }

  /** An answer a server gave (reported by the proxy, or by the runner for direct calls). */
  record(u: UpstreamAnswer): void {
    const [opKey] = u.attempt.split('.');
    const op = this.ops.get(opKey ?? '');
    const answer: ServerAnswer = { status: u.status, startedAt: u.startedAt, at: u.at, relayed: u.relayed, ...(u.error ? { error: u.error } : {}) };
    if (u.status !== null && u.text) {
      try {
        const body = JSON.parse(u.text) as Record<string, unknown>;
        if (op?.kind === 'receipts' && Array.isArray(body.results)) answer.results = (body.results as Array<Record<string, any>>).map((r) => compactResult(r, this.intern));
        else answer.json = body;
      } catch {
        // not JSON (a proxy's or a crashed server's page): the status says enough
      }
    }
    const attempt = this.byKey.get(u.attempt);
    if (attempt) attempt.answers.push(answer);
    else {
      const list = this.early.get(u.attempt) ?? [];
      list.push(answer);
      this.early.set(u.attempt, list);
    }
  }

  event(e: RunEvent): void {
    this.events.push(e);
  }
}

function compactResult(r: Record<string, any>, intern: (id: string) => string): ReceiptAnswer {
  const out: ReceiptAnswer = { outcome: r.outcome };
  if (r.flag) {
    out.flagId = intern(String(r.flag.flagId).toLowerCase());
    out.kind = r.flag.kind;
    out.related = (r.flag.relatedReceiptIds ?? []).map((x: string) => intern(x.toLowerCase()));
  }
  if (r.onlineCode) out.onlineCode = r.onlineCode;
  if (r.error) out.error = r.error;
  return out;
}
