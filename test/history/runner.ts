// Runs a plan against the cluster and writes the history: the election is set up calmly
// (directly, no proxy), then `concurrency` workers take the plan's operations in order — each
// request through the fault proxy of the server process its delivery names, tried again (the
// same body: a resend) after a transport failure or a 5xx — while the plan's faults (SIGKILL,
// restart, PostgreSQL restart) happen beside them. At the end every member's code is redeemed
// once more, directly (the final redeem of check (a)).
import http from 'node:http';
import type { Cluster } from './cluster';
import type { HistoryDatabase } from './database';
import type { Attempt, FinalRedeemOp, History } from './history';
import { barcodeOf, onlineCode, receiptId, registerCsv, resolutionId, type Names } from './names';
import { isRequestOp, type Delivery, type FaultOp, type Plan, type PlanOp, type PlannedReceipt, type RegisterRow, type RequestOp } from './plan';
import { HEADER_ATTEMPT, HEADER_DELAY, HEADER_FAULT, HEADER_FORWARD_FIRST, HEADER_PROXY_MADE } from './proxy';
import { ADMIN_TOKEN } from '../server/harness';

/** What the desks and the platform know during a run (tokens, and the flags they were told of). */
export interface Session {
  ns: Names;
  deskTokens: string[];
  integrationToken: string;
  /** plan receipt key → the flagId a desk was told (what a supervisor can decide on) */
  flagOfReceipt: Map<number, string>;
  /** scannedAt/decidedAt are this plus the plan's offsets */
  epochMs: number;
}

interface Reply {
  status: number | null;
  text: string;
  headers: http.IncomingHttpHeaders;
  error?: string;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

function send(base: string, method: string, path: string, options: { token?: string; body?: string; contentType?: string; headers?: Record<string, string>; timeoutMs?: number }): Promise<Reply> {
  return new Promise((resolve) => {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) {
      headers['content-type'] = options.contentType ?? 'application/json';
      headers['content-length'] = String(Buffer.byteLength(options.body));
    }
    let done = false;
    const finish = (r: Reply): void => {
      if (!done) {
        done = true;
        resolve(r);
      }
    };
    const req = http.request(new URL(path, base), { method, agent, headers, timeout: options.timeoutMs ?? 90_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => finish({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
      res.on('error', (e) => finish({ status: null, text: '', headers: {}, error: e.message }));
      res.on('aborted', () => finish({ status: null, text: '', headers: {}, error: 'answer cut off' }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e) => finish({ status: null, text: '', headers: {}, error: e.message }));
    req.end(options.body);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A calm call straight to a server process (setup), tried again while the process is unreachable. */
async function direct(cluster: Cluster, server: number, method: string, path: string, options: Parameters<typeof send>[3], want: number[]): Promise<any> {
  for (let tries = 0; ; tries++) {
    const url = cluster.directUrl(server) ?? cluster.directUrl(0);
    const r = url ? await send(url, method, path, options) : { status: null, text: '', headers: {}, error: 'no server up' };
    if (r.status !== null && want.includes(r.status)) return r.text ? JSON.parse(r.text) : undefined;
    if (tries > 40 || (r.status !== null && r.status < 500)) throw new Error(`${method} ${path}: ${r.status ?? r.error} ${r.text.slice(0, 400)}`);
    await sleep(250);
  }
}

/** The election of a run: centres, one enrolled device per desk, the platform's token, the first register. */
export async function setUpElection(plan: Plan, ns: Names, cluster: Cluster): Promise<Session> {
  const t = { token: ADMIN_TOKEN };
  const closesAt = new Date(Date.now() + 7 * 86_400_000).toISOString();
  await direct(cluster, 0, 'POST', '/v1/admin/elections', { ...t, body: JSON.stringify({ electionNumber: plan.electionNumber, name: `History check ${plan.seed}`, closesAt }) }, [201]);
  for (const c of plan.centres)
    await direct(cluster, 0, 'POST', '/v1/admin/centres', { ...t, body: JSON.stringify({ centreId: c.id, name: `Centre ${c.id}`, electionNumber: plan.electionNumber }) }, [201]);
  const deskTokens: string[] = [];
  for (const d of plan.desks) {
    const server = d.index % plan.servers;
    const code = await direct(cluster, server, 'POST', `/v1/admin/centres/${plan.centres[d.centre]!.id}/enrolment-codes`, t, [201]);
    const enrol = await direct(cluster, server, 'POST', '/v1/enrol', { body: JSON.stringify({ enrolmentCode: code.enrolmentCode, workstationName: `desk ${d.index}` }) }, [201]);
    deskTokens.push(enrol.token);
  }
  const it = await direct(cluster, 0, 'POST', '/v1/admin/integration-tokens', t, [201]);
  await direct(cluster, 0, 'POST', `/v1/admin/elections/${plan.electionNumber}/register`, { ...t, body: registerCsv(ns, plan.initialRows), contentType: 'text/csv' }, [200]);
  return { ns, deskTokens, integrationToken: it.token, flagOfReceipt: new Map(), epochMs: Date.now() };
}

/** A replay beside the run: the same election and desks, its own names and first register rows. */
export async function setUpTrial(base: Session, ns: Names, cluster: Cluster, electionNumber: number, initialRows: RegisterRow[]): Promise<Session> {
  if (initialRows.length > 0)
    await direct(cluster, 0, 'POST', `/v1/admin/elections/${electionNumber}/register`, { token: ADMIN_TOKEN, body: registerCsv(ns, initialRows), contentType: 'text/csv' }, [200]);
  return { ...base, ns, flagOfReceipt: new Map(), epochMs: Date.now() };
}

export function receiptBody(session: Session, r: PlannedReceipt): Record<string, unknown> {
  return {
    receiptId: receiptId(session.ns, r.key),
    barcode: barcodeOf(session.ns, r.envelope),
    scannedAt: new Date(session.epochMs + r.scannedAtMs).toISOString(),
    workstationSeq: r.workstationSeq,
    operatorId: r.operator,
    batchId: r.batch,
    source: r.source,
  };
}

interface Request {
  method: string;
  path: string;
  token: string;
  body: string;
  contentType?: string;
  timeoutMs?: number;
}

function requestOf(plan: Plan, session: Session, op: RequestOp): Request | string {
  const ns = session.ns;
  switch (op.kind) {
    case 'receipts':
      return { method: 'POST', path: '/v1/receipts', token: session.deskTokens[op.desk]!, body: JSON.stringify({ receipts: op.receipts.map((r) => receiptBody(session, r)) }) };
    case 'redeem':
      return { method: 'POST', path: '/v1/online-codes/redeem', token: session.integrationToken, body: JSON.stringify({ code: onlineCode(ns, op.member) }) };
    case 'resolve': {
      const flagId = session.flagOfReceipt.get(op.receiptKey);
      if (!flagId) return 'the desks were never told of a flag on this receipt';
      const body = {
        resolutionId: resolutionId(ns, op.resolutionKey),
        decision: op.decision,
        note: op.note,
        supervisorId: op.supervisor,
        decidedAt: new Date(session.epochMs + op.decidedAtMs).toISOString(),
      };
      return { method: 'POST', path: `/v1/flags/${flagId}/resolution`, token: session.deskTokens[op.desk]!, body: JSON.stringify(body) };
    }
    case 'import':
      return { method: 'POST', path: `/v1/admin/elections/${plan.electionNumber}/register`, token: ADMIN_TOKEN, body: registerCsv(ns, op.rows), contentType: 'text/csv', timeoutMs: 300_000 };
  }
}

export interface RunContext {
  plan: Plan;
  session: Session;
  cluster: Cluster;
  db: HistoryDatabase;
  history: History;
  /** no proxy faults, no crashes: a shrinking replay */
  calm: boolean;
  concurrency: number;
  progress?: (done: number, total: number) => void;
}

const CALM_DELIVERY = { fault: 'none', delayMs: 0, forwardFirst: false } as const;

async function execute(ctx: RunContext, op: RequestOp): Promise<void> {
  const { history, session } = ctx;
  const trial = session.ns.trial;
  history.registerOp(trial, op);
  const request = requestOf(ctx.plan, session, op);
  if (typeof request === 'string') {
    history.skipped.set(history.opKey(trial, op.id), request);
    return;
  }
  for (let a = 0; a < op.deliveries.length; a++) {
    const d: Delivery = ctx.calm ? { ...op.deliveries[a]!, ...CALM_DELIVERY } : op.deliveries[a]!;
    const attempt = history.begin({ op: op.id, trial, attempt: a, server: d.server, fault: d.fault, sentAt: history.clock() });
    const r = await send(ctx.cluster.slots[d.server]!.proxy.url, request.method, request.path, {
      token: request.token,
      body: request.body,
      ...(request.contentType ? { contentType: request.contentType } : {}),
      ...(request.timeoutMs ? { timeoutMs: request.timeoutMs } : {}),
      headers: { [HEADER_ATTEMPT]: attempt.key, [HEADER_FAULT]: d.fault, [HEADER_DELAY]: String(d.delayMs), [HEADER_FORWARD_FIRST]: d.forwardFirst ? '1' : '0' },
    });
    finishAttempt(attempt, r, history);
    if (r.status === 200 && op.kind === 'receipts') learnFlags(session, op, r.text);
    const retry = r.status === null || r.status >= 500 || (op.kind === 'import' && r.status !== 200 && r.status !== 400);
    if (!retry) return;
    await sleep(Math.min(2000, (op.kind === 'import' ? 300 : 60) * 2 ** a));
  }
}

function finishAttempt(attempt: Attempt, r: Reply, history: History): void {
  attempt.doneAt = history.clock();
  attempt.status = r.status;
  if (r.error) attempt.error = r.error;
  const made = r.headers[HEADER_PROXY_MADE];
  if (made) attempt.proxyMade = String(made);
}

/** A desk learns the flags of its receipts from the answers it gets (never from the database). */
function learnFlags(session: Session, op: Extract<RequestOp, { kind: 'receipts' }>, text: string): void {
  try {
    const body = JSON.parse(text) as { results: Array<{ flag?: { flagId: string } }> };
    body.results.forEach((res, i) => {
      const r = op.receipts[i];
      if (r && res.flag && !session.flagOfReceipt.has(r.key)) session.flagOfReceipt.set(r.key, res.flag.flagId);
    });
  } catch {
    // an answer that is not the contract's shape shows in the checks
  }
}

async function runFault(ctx: RunContext, op: FaultOp): Promise<void> {
  const { cluster, history } = ctx;
  switch (op.kind) {
    case 'kill':
      history.event({ kind: 'kill', server: op.server, at: history.clock() });
      cluster.kill(op.server);
      return;
    case 'restart':
      await cluster.start(op.server);
      history.event({ kind: 'started', server: op.server, at: history.clock() });
      return;
    case 'pg_restart':
      history.event({ kind: 'pg_down', at: history.clock(), downMs: op.downMs });
      await ctx.db.restart(op.downMs);
      history.event({ kind: 'pg_up', at: history.clock() });
      return;
  }
}

/** Runs `ops` (the whole plan, or a replay's few) and waits for every fault and every exchange. */
export async function runOps(ctx: RunContext, ops: PlanOp[]): Promise<void> {
  let next = 0;
  let done = 0;
  const faults: Array<Promise<void>> = [];
  const requests = ops.filter(isRequestOp).length;
  const worker = async (): Promise<void> => {
    while (next < ops.length) {
      const op = ops[next++]!;
      if (!isRequestOp(op)) {
        if (!ctx.calm) faults.push(runFault(ctx, op));
        continue;
      }
      await execute(ctx, op);
      ctx.progress?.(++done, requests);
    }
  };
  await Promise.all(Array.from({ length: ctx.calm ? 1 : ctx.concurrency }, worker));
  await Promise.all(faults);
  // Every server process up again (a kill near the end has no restart of its own).
  for (const slot of ctx.cluster.slots) {
    if (!slot.process) {
      await ctx.cluster.start(slot.index);
      ctx.history.event({ kind: 'started', server: slot.index, at: ctx.history.clock() });
    }
  }
  await Promise.all(ctx.cluster.slots.map((s) => s.proxy.idle()));
}

/** Redeems each member's code once, straight to a server process; the checker compares with the votes. */
export async function finalRedeem(ctx: RunContext, members: number[], firstOpId: number): Promise<Map<number, Attempt>> {
  const { history, session, cluster } = ctx;
  const trial = session.ns.trial;
  const out = new Map<number, Attempt>();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < members.length) {
      const k = next++;
      const member = members[k]!;
      const op: FinalRedeemOp = { id: firstOpId + k, kind: 'final_redeem', member };
      history.registerOp(trial, op);
      const server = member % cluster.slots.length;
      for (let a = 0; ; a++) {
        const attempt = history.begin({ op: op.id, trial, attempt: a, server, fault: 'direct', sentAt: history.clock() });
        let url = cluster.directUrl(server) ?? cluster.slots.map((s) => cluster.directUrl(s.index)).find((u) => u !== null) ?? null;
        if (!url) {
          await cluster.start(server);
          url = cluster.directUrl(server)!;
        }
        const r = await send(url, 'POST', '/v1/online-codes/redeem', { token: session.integrationToken, body: JSON.stringify({ code: onlineCode(session.ns, member) }) });
        finishAttempt(attempt, r, history);
        history.record({ attempt: attempt.key, status: r.status, text: r.text, startedAt: attempt.sentAt, at: attempt.doneAt, relayed: r.status !== null, ...(r.error ? { error: r.error } : {}) });
        if ((r.status !== null && r.status < 500) || a >= 4) {
          out.set(member, attempt);
          break;
        }
        await sleep(200);
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return out;
}


